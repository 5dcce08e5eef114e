"""PoliciesStack (management account, home region): organization policies and their attachments,
deployed last so that nothing the landing zone deploys runs under a policy it was not proven against."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from landing_zone.cdk.constructs.policy_types import PolicyTypes
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import target_id
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.management import PoliciesPayload


class PoliciesStack(PlannedStack):
    payload_type = PoliciesPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: PoliciesPayload = self.payload
        types = PolicyTypes(self, "PolicyTypes", prefix=plan.name, root_id=plan.root_id,
                            policy_types=payload.policy_types) if payload.policy_types else None
        tags = [cdk.CfnTag(key=k, value=v) for k, v in plan.tags]
        for policy in payload.policies:
            resource = organizations.CfnPolicy(
                self, policy.logical_id, name=policy.name, type=policy.policy_type,
                description=policy.description, content=policy.document,
                target_ids=[target_id(plan, t) for t in policy.targets], tags=tags)
            resource.override_logical_id(policy.logical_id)
            if types:
                resource.node.add_dependency(types.enabled[policy.policy_type])
