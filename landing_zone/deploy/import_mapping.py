"""`lz import-mapping`: the `cdk import --resource-mapping` file of a stack, from the recorded ids."""
from __future__ import annotations

import difflib
from functools import cache

from landing_zone.checks.schemas import resource_schema
from landing_zone.plan.model import Plan

OU_TYPE = "AWS::Organizations::OrganizationalUnit"
ACCOUNT_TYPE = "AWS::Organizations::Account"


class UnknownStack(ValueError):
    """A stack name that is not in the plan, or holds nothing to import; one line for the user."""


@cache
def primary_identifier(resource_type: str) -> str:
    """The property CloudFormation identifies an existing resource by (the schema's primaryIdentifier),
    which is the key `cdk import` expects for it."""
    schema = resource_schema(resource_type) or {}
    pointers = schema.get("primaryIdentifier") or []
    if len(pointers) != 1 or not pointers[0].startswith("/properties/"):
        raise RuntimeError(f"{resource_type}: unexpected primaryIdentifier {pointers!r} in cfn-lint's schema")
    return pointers[0].removeprefix("/properties/")


def importable_stacks(plan: Plan) -> list[str]:
    """Stacks that hold OUs or accounts, in deploy order."""
    return [s.name for s in plan.stacks if s.component in ("organization", "accounts")]


def import_mapping(plan: Plan, stack: str) -> dict[str, dict[str, str]]:
    """`{logical id: {primary identifier: id}}` for every OU or account of `stack` that has an id;
    resources without one are left out, so `cdk import` skips them and `cdk deploy` creates them."""
    names = importable_stacks(plan)
    if stack not in names:
        known = {s.name for s in plan.stacks}
        why = "holds no OUs or accounts" if stack in known else "is not a stack of this blueprint"
        close = difflib.get_close_matches(stack, names, n=1, cutoff=0.6)
        raise UnknownStack(f"stack {stack!r} {why}; " + (f"did you mean {close[0]!r}? " if close else "")
                           + f"stacks with OUs or accounts: {', '.join(names)}")
    mapping: dict[str, dict[str, str]] = {}
    if plan.stack(stack).component == "organization":
        key = primary_identifier(OU_TYPE)
        mapping.update({u.logical_id: {key: u.id} for u in plan.units if u.id and u.stack == stack})
    key = primary_identifier(ACCOUNT_TYPE)
    mapping.update({a.logical_id: {key: a.id} for a in plan.accounts_in(stack) if a.id})
    return dict(sorted(mapping.items()))
