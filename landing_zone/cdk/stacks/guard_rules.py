"""GuardRulesStack (management account, each governed region): the bucket the proactive Guard hooks
of that region read their rules from."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.guard_rules import GuardRulesBucket
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.management import GuardRulesPayload


class GuardRulesStack(PlannedStack):
    payload_type = GuardRulesPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: GuardRulesPayload = self.payload
        GuardRulesBucket(self, "GuardRules", prefix=plan.name, bucket_name=payload.bucket_name,
                         organization_id=payload.organization_id, files=payload.files,
                         access_log_bucket_name=payload.access_log_bucket_name,
                         access_log_retention_days=payload.access_log_retention_days)
