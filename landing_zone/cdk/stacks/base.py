"""PlannedStack: the constructor work every landing zone stack shares, from its StackPlan."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.plan import Plan, StackPlan


class PlannedStack(cdk.Stack):
    """A stack in the account and region its plan names, with termination protection, deployed through
    the landing zone's own CDK bootstrap (the qualifier the guardrails exempt and protect)."""

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, stack.name, stack_name=stack.name, description=stack.description,
                         env=cdk.Environment(account=stack.account_id, region=stack.region),
                         termination_protection=True,
                         synthesizer=cdk.DefaultStackSynthesizer(qualifier=plan.qualifier), **kwargs)
