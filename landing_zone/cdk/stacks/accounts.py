"""AccountsStack (management account, home region): one shard of member accounts."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.account import MemberAccount
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import unit_id
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.model import AccountsPayload


class AccountsStack(PlannedStack):
    payload_type = AccountsPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: AccountsPayload = self.payload
        members: dict[str, MemberAccount] = {}
        for account in payload.accounts:
            members[account.logical_id] = MemberAccount(self, account.logical_id, account=account,
                                                        parent_id=unit_id(plan, account.unit))
        # One DependsOn chain: AWS::Organizations::Account creates accounts of a template one at a time.
        for account in payload.accounts:
            if account.after:
                members[account.logical_id].resource.add_resource_dependency(members[account.after].resource)
