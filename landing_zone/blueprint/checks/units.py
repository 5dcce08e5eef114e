"""Checks of the OU tree: names, sibling uniqueness, depth."""
from __future__ import annotations

from typing import Iterator

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import walk_units

MAX_DEPTH = 5  # Organizations: OUs nest at most five levels under the root.


def unit_names_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Organizations accepts 1-128 characters; '/' is our path separator, 'Root' names the root."""
    for ref in walk_units(bp):
        name = ref.unit.name
        if not 1 <= len(name) <= 128:
            yield Issue("unit-name-length", f"OU name {name!r} has {len(name)} characters; allowed: 1-128",
                        hint="give the OU a name of 1 to 128 characters", loc=ref.loc + ("name",))
        if "/" in name:
            yield Issue("unit-name-slash", f"OU name {name!r} contains '/'",
                        hint="'/' separates OU paths (Workloads/Prod); nest the OU with `units:` instead",
                        loc=ref.loc + ("name",))
        if ref.depth == 1 and name == ROOT:
            yield Issue("unit-name-reserved", "an OU cannot be called 'Root' at the top level",
                        hint="'Root' refers to the organization root in targets; pick another name",
                        loc=ref.loc + ("name",))


def sibling_unit_names_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Organizations refuses two OUs with the same name under one parent."""
    seen: dict[str, tuple] = {}
    for ref in walk_units(bp):
        if ref.path in seen:
            yield Issue("unit-duplicate", f"OU {ref.path!r} is declared twice",
                        hint="sibling OUs need distinct names; merge the two entries",
                        loc=ref.loc + ("name",))
        else:
            seen[ref.path] = ref.loc


def unit_depth_is_within_limit(bp: Blueprint) -> Iterator[Issue]:
    """Organizations nests OUs at most five levels under the root."""
    for ref in walk_units(bp):
        if ref.depth > MAX_DEPTH:
            yield Issue("unit-too-deep", f"OU {ref.path!r} is {ref.depth} levels under the root; "
                        f"allowed: at most {MAX_DEPTH}",
                        hint="Organizations nests OUs at most five levels deep; flatten the tree",
                        loc=ref.loc + ("name",))


def unit_ids_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Two OUs cannot share an id; a copy-paste slip in the ids would attach policies to the wrong OU."""
    seen: dict[str, str] = {}
    for ref in walk_units(bp):
        if ref.unit.id is None:
            continue
        if ref.unit.id in seen:
            yield Issue("unit-id-duplicate", f"OU id {ref.unit.id!r} is also the id of {seen[ref.unit.id]!r}",
                        hint="each OU has its own id; run `lz sync` to refresh ids",
                        loc=ref.loc + ("id",))
        else:
            seen[ref.unit.id] = ref.path
