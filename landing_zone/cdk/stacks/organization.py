"""OrganizationStack (management account, home region): the OU tree."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.organizational_unit import OrganizationalUnit, unit_export_name
from landing_zone.plan import Plan, StackPlan


class OrganizationStack(cdk.Stack):
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, stack.name, stack_name=stack.name, description=stack.description,
                         env=cdk.Environment(account=stack.account_id, region=stack.region),
                         termination_protection=True, **kwargs)
        self.units: dict[str, OrganizationalUnit] = {}
        # Plan units are sorted by path, so every parent exists before its children.
        for unit in plan.units:
            parent_id = self.units[unit.parent].unit_id if unit.parent else plan.root_id
            self.units[unit.path] = OrganizationalUnit(
                self, unit.logical_id, unit=unit, parent_id=parent_id,
                export_name=unit_export_name(plan.name, unit))
