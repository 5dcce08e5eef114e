"""Builds every stack of a plan into a CDK app."""
from __future__ import annotations

import aws_cdk as cdk

from landing_zone.cdk.stacks.accounts import AccountsStack
from landing_zone.cdk.stacks.guardrails import GuardrailsStack
from landing_zone.cdk.stacks.organization import OrganizationStack
from landing_zone.plan import Plan

STACK_TYPES = {"organization": OrganizationStack, "accounts": AccountsStack, "guardrails": GuardrailsStack}


def build_landing_zone(app: cdk.App, plan: Plan) -> dict[str, cdk.Stack]:
    stacks: dict[str, cdk.Stack] = {}
    for stack_plan in plan.stacks:
        stacks[stack_plan.name] = STACK_TYPES[stack_plan.component](app, plan=plan, stack=stack_plan)
    for stack_plan in plan.stacks:
        for dependency in stack_plan.depends_on:
            stacks[stack_plan.name].add_stack_dependency(stacks[dependency])
    return stacks
