"""The contract between build.py and the component planners: what a planner returns, member stacks.

Planners import this module; build.py imports the planners (no cycle)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.plan.model import Pending, Plan, StackPlan
from landing_zone.plan.names import stack_name


@dataclass
class ComponentResult:
    stacks: list[StackPlan] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


# A planner sees the validated blueprint and the core plan (OUs, accounts, guardrails) and never
# another component's output; it returns stacks whose `payload` its CDK stack class consumes.
Planner = Callable[[LoadedBlueprint, Plan], ComponentResult]


def member_stack(plan: Plan, result: ComponentResult, *, account: str, component: str,
                 region: str | None, description: str, resources: int, payload: Any,
                 per_region: bool = True, depends_on: tuple[str, ...] = (),
                 name_part: str | None = None) -> StackPlan | None:
    """A stack deployed into a member account, or a pending item when the account has no id yet.
    Its name is `<blueprint>-<name_part or component>[-<region>]`."""
    member = plan.account(account)
    name = stack_name(plan.name, name_part or component, region if per_region else None)
    if not member.id:
        result.pending.append(Pending(f"stack {name}", f"account {account} has no id yet, so the stack is "
                                      "not synthesized; deploy the accounts stacks, then run `lz sync`"))
        return None
    stack = StackPlan(name=name, component=component, account_id=member.id, region=region or plan.home_region,
                      description=description, resources=resources, depends_on=depends_on, payload=payload)
    result.stacks.append(stack)
    return stack
