"""ManagementBaselineStack (management account, each governed region): the account baseline that
service-managed StackSets never deliver to the management account, from the same template body."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.management import TemplatePayload

# Template attributes besides Type and Properties that a resource of the body may carry.
_ATTRIBUTES = ("DependsOn", "DeletionPolicy", "UpdateReplacePolicy")


class ManagementBaselineStack(PlannedStack):
    payload_type = TemplatePayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: TemplatePayload = self.payload
        for logical_id, body in sorted(payload.template["Resources"].items()):
            resource = cdk.CfnResource(self, logical_id, type=body["Type"], properties=body.get("Properties"))
            resource.override_logical_id(logical_id)
            for attribute in _ATTRIBUTES:
                if attribute in body:
                    resource.add_override(attribute, body[attribute])
