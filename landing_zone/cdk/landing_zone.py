"""Builds every stack of a plan into a CDK app."""
from __future__ import annotations

import aws_cdk as cdk

import landing_zone.cdk.stacks  # noqa: F401 - importing the package registers every stack class
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan


def build_landing_zone(app: cdk.App, plan: Plan) -> dict[str, PlannedStack]:
    stacks: dict[str, PlannedStack] = {}
    for stack_plan in plan.stacks:
        stack_type = PlannedStack.for_stack(stack_plan)
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
