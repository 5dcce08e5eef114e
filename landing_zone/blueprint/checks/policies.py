"""Checks of `policies:` beyond their documents: names are keys of logical ids, so they are unique."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint


def policy_names_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Policy names key logical ids and name the policies in Organizations."""
    first: dict[str, int] = {}
    for i, policy in enumerate(bp.policies):
        if policy.name in first:
            yield Issue("policy-name-duplicate", f"policy name {policy.name!r} is already used",
                        hint="every policy needs its own name (it names the policy in Organizations)",
                        loc=("policies", i, "name"), related=("policies", first[policy.name], "name"))
        else:
            first[policy.name] = i
