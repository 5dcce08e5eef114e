"""PlannedStack: the constructor work every landing zone stack shares, and the payload type → stack
class registry (a stack class declares the plan payload it builds)."""
from __future__ import annotations

from typing import Any, ClassVar

import aws_cdk as cdk
from constructs import Construct

from landing_zone.plan import Plan, StackPlan


class PlannedStack(cdk.Stack):
    """A stack in the account and region its plan names, with termination protection, deployed through
    the landing zone's own CDK bootstrap (the qualifier the guardrails exempt and protect).

    Subclasses set `payload_type` (one type or a tuple): `for_stack` picks the class whose payload
    type is the StackPlan's, and the constructor checks it, so a plan component can never reach the
    wrong stack class."""

    payload_type: ClassVar[type | tuple[type, ...]]
    _by_payload: ClassVar[dict[type, type[PlannedStack]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("payload_type")
        for kind in declared if isinstance(declared, tuple) else (declared,) if declared else ():
            if kind in PlannedStack._by_payload:
                raise TypeError(f"{kind.__name__} is built by {PlannedStack._by_payload[kind].__name__} already")
            PlannedStack._by_payload[kind] = cls

    @classmethod
    def for_stack(cls, stack: StackPlan) -> type[PlannedStack]:
        return PlannedStack._by_payload[type(stack.payload)]

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs: Any) -> None:
        if not isinstance(stack.payload, self.payload_type):
            raise TypeError(f"{type(self).__name__} builds {self.payload_type}, not {type(stack.payload).__name__}")
        super().__init__(scope, stack.name, stack_name=stack.name, description=stack.description,
                         env=cdk.Environment(account=stack.account_id, region=stack.region),
                         termination_protection=True,
                         synthesizer=cdk.DefaultStackSynthesizer(qualifier=plan.qualifier), **kwargs)
        self.payload = stack.payload
