"""AccountsStack (management account, home region): one shard of member accounts."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.account import MemberAccount
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import unit_id
from landing_zone.plan import Plan, StackPlan


class AccountsStack(PlannedStack):
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        members: dict[str, MemberAccount] = {}
        for account in plan.accounts_in(stack.name):
            parent = unit_id(plan, account.unit)
            members[account.logical_id] = MemberAccount(self, account.logical_id, account=account,
                                                        parent_id=parent)
        # Lanes: each account waits for the previous one of its lane, bounding parallel creations.
        for account in plan.accounts_in(stack.name):
            if account.after:
                members[account.logical_id].resource.add_resource_dependency(members[account.after].resource)
