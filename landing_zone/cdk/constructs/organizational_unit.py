"""OrganizationalUnit: one AWS::Organizations::OrganizationalUnit, retained, with a stable export of its id."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from landing_zone.plan import UnitPlan, names


def unit_export_name(blueprint: str, unit: UnitPlan) -> str:
    return names.unit_export_name(blueprint, unit.logical_id)


class OrganizationalUnit(Construct):
    def __init__(self, scope: Construct, id_: str, *, unit: UnitPlan, parent_id: str,
                 export_name: str) -> None:
        super().__init__(scope, id_)
        self.resource = organizations.CfnOrganizationalUnit(
            self, "Resource", name=unit.name, parent_id=parent_id,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in unit.tags])
        self.resource.override_logical_id(unit.logical_id)
        # OUs hold accounts and policies: never delete or replace one because a template changed.
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.unit_id = self.resource.attr_id
        out = cdk.CfnOutput(self, "Id", value=self.unit_id, export_name=export_name,
                            description=f"Id of OU {unit.path}")
        out.override_logical_id(f"{unit.logical_id}Id")
