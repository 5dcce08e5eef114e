"""Checks of the OU tree: names, sibling uniqueness, depth."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, Loc
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
    seen: dict[str, Loc] = {}
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


def unit_renames_are_consistent(bp: Blueprint) -> Iterator[Issue]:
    """An OU's `renamed_from` is its previous name among the same siblings, claimed once and no longer
    used: it keys the OU's logical id. A path would be a move, which Organizations cannot do in place."""
    refs = list(walk_units(bp))
    names = {ref.path: ref for ref in reversed(refs)}
    claimed: dict[str, Loc] = {}
    for ref in refs:
        old = ref.unit.renamed_from
        if old is None:
            continue
        loc = ref.loc + ("renamed_from",)
        parent = ref.path.rpartition("/")[0]
        sibling = f"{parent}/{old}" if parent else old
        if "/" in old:
            yield Issue("unit-renamed-from-path", f"renamed_from {old!r} is a path, not a name",
                        hint="an OU cannot move to another parent (ParentId is create-only): renamed_from is "
                             "its previous name under the same parent; to move an OU, add it under the new "
                             "parent, move the accounts, then delete the old, empty OU by hand", loc=loc)
        elif old == ref.unit.name:
            yield Issue("unit-renamed-from-exists", f"renamed_from {old!r} is the OU's own name",
                        hint="renamed_from is the name the OU had before; remove it if the OU was never "
                             "renamed", loc=loc)
        elif sibling in names:
            yield Issue("unit-renamed-from-exists", f"renamed_from {old!r} names a sibling OU that is still "
                        "in the blueprint", hint=f"renamed_from is the OU's previous name, which no sibling "
                        f"may have: if {sibling!r} is another OU, remove renamed_from here",
                        loc=loc, related=names[sibling].loc + ("name",))
        elif sibling in claimed:
            yield Issue("unit-renamed-from-duplicate", f"renamed_from {old!r} is already claimed by a sibling "
                        "OU", hint="one OU was renamed; keep renamed_from on that one only", loc=loc,
                        related=claimed[sibling])
        else:
            claimed[sibling] = loc
