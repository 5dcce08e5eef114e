"""Pluggable parts of the plan: each component adds stacks (with their payload), pending items and issues."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

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
                 per_region: bool = True, depends_on: tuple[str, ...] = ()) -> StackPlan | None:
    """A stack deployed into a member account, or a pending item when the account has no id yet."""
    member = plan.account(account)
    name = stack_name(plan.name, component, region if per_region else None)
    if not member.id:
        result.pending.append(Pending(f"stack {name}", f"account {account} has no id yet, so the stack is "
                                      "not synthesized; deploy the accounts stacks, then run `lz sync`"))
        return None
    stack = StackPlan(name=name, component=component, account_id=member.id, region=region or plan.home_region,
                      description=description, resources=resources, depends_on=depends_on, payload=payload)
    result.stacks.append(stack)
    return stack


def _planners() -> list[Planner]:
    # Component modules import this one, so the registry is assembled lazily, in a fixed order.
    from landing_zone.plan.directory import plan_directory
    from landing_zone.plan.identity import plan_identity
    from landing_zone.plan.keys import plan_keys
    from landing_zone.plan.logging import plan_logging
    from landing_zone.plan.network import plan_network
    return [plan_logging, plan_network, plan_keys, plan_identity, plan_directory]


class _Registry:
    def __iter__(self):
        return iter(_planners())


COMPONENTS = _Registry()
