"""Builds every stack of a plan into a CDK app."""
from __future__ import annotations

import aws_cdk as cdk

from landing_zone.cdk.stacks.accounts import AccountsStack
from landing_zone.cdk.stacks.audit import AuditStack
from landing_zone.cdk.stacks.directory import DirectoryStack
from landing_zone.cdk.stacks.federation import FederationStack
from landing_zone.cdk.stacks.guard_rules import GuardRulesStack
from landing_zone.cdk.stacks.guardrails import StackSetsStack
from landing_zone.cdk.stacks.identity_center import IdentityCenterAssignmentsStack, IdentityCenterStack
from landing_zone.cdk.stacks.keys import KeysStack
from landing_zone.cdk.stacks.log_archive import LogArchiveStack
from landing_zone.cdk.stacks.management_baseline import ManagementBaselineStack
from landing_zone.cdk.stacks.network import NetworkStack
from landing_zone.cdk.stacks.organization import OrganizationStack
from landing_zone.cdk.stacks.organization_trail import OrganizationTrailStack
from landing_zone.cdk.stacks.policies import PoliciesStack
from landing_zone.cdk.stacks.sharing import SharingStack
from landing_zone.plan import Plan

STACK_TYPES = {"organization": OrganizationStack, "accounts": AccountsStack, "guardrails": StackSetsStack}
STACK_TYPES["bootstrap"] = StackSetsStack
STACK_TYPES["policies"] = PoliciesStack
STACK_TYPES["guard-rules"] = GuardRulesStack
STACK_TYPES["management-baseline"] = ManagementBaselineStack
STACK_TYPES["log-archive"] = LogArchiveStack
STACK_TYPES["organization-trail"] = OrganizationTrailStack
STACK_TYPES["audit"] = AuditStack
STACK_TYPES["network"] = NetworkStack
STACK_TYPES["sharing"] = SharingStack
STACK_TYPES["keys"] = KeysStack
STACK_TYPES["identity-center"] = IdentityCenterStack
STACK_TYPES["identity-center-assignments"] = IdentityCenterAssignmentsStack
STACK_TYPES["federation"] = FederationStack
STACK_TYPES["directory"] = DirectoryStack


def build_landing_zone(app: cdk.App, plan: Plan) -> dict[str, cdk.Stack]:
    stacks: dict[str, cdk.Stack] = {}
    for stack_plan in plan.stacks:
        stack_type = STACK_TYPES[stack_plan.component]
        # A stack that uses objects of the stacks it depends on (same-account cross-region
        # references) receives them already built: the plan lists its dependencies before it.
        extra = ({"dependencies": {name: stacks[name] for name in stack_plan.depends_on}}
                 if getattr(stack_type, "takes_dependencies", False) else {})
        stacks[stack_plan.name] = stack_type(app, plan=plan, stack=stack_plan, **extra)
    for stack_plan in plan.stacks:
        for dependency in stack_plan.depends_on:
            stacks[stack_plan.name].add_stack_dependency(stacks[dependency])
        # Deploy order only: a stack of an earlier phase left out of this app (a partial plan) is skipped.
        for dependency in (d for d in stack_plan.after if d in stacks):
            stacks[stack_plan.name].add_stack_dependency(stacks[dependency])
    return stacks
