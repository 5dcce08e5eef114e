"""Renames against the ids file: the id a renamed OU or account keeps, and renames nobody declared.

Runs on the raw blueprint (before validation), where the ids file is merged: only there is it known
which ids the file records under names the blueprint no longer has.
"""
from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.source import SourceMap

# A hostile blueprint can nest hundreds of renamed OUs: every level doubles the paths an OU may be
# recorded under, so only the first ones are tried (a real tree is at most five levels deep).
MAX_ALIASES = 32
# Names compared with an OU or account that lost its id, when many did (see _closest).
NEIGHBOURS = 8
FORGET = "run `lz sync` (or delete its line from the ids file)"


@dataclass(frozen=True)
class RawUnit:
    """An OU of the raw tree with the paths the ids file may record it under (its own path first:
    the ids file may predate the rename of the OU or of any OU above it)."""

    path: str
    unit: dict[str, Any]
    loc: Loc                    # raw location under `organization`
    parent: dict[str, Any] | None   # the parent OU's raw mapping, None under the root
    aliases: tuple[str, ...]


def raw_units(units: Any, prefix: str = "", aliases: tuple[str, ...] = ("",), loc: Loc = ("units",),
              parent: dict[str, Any] | None = None) -> Iterator[RawUnit]:
    if not isinstance(units, list):
        return
    named = [(i, u) for i, u in enumerate(units) if isinstance(u, dict) and isinstance(u.get("name"), str)]
    previous = _previous([u for _, u in named])
    for i, unit in named:
        names = [unit["name"]] + [old for old in [_old(unit)] if old in previous and "/" not in old]
        own = tuple(f"{above}/{name}" if above else name for above in aliases for name in names)
        path = f"{prefix}/{unit['name']}" if prefix else unit["name"]
        yield RawUnit(path, unit, loc + (i,), parent, own[:MAX_ALIASES])
        yield from raw_units(unit.get("units"), path, own[:MAX_ALIASES], loc + (i, "units"), unit)


def usable(units: Any) -> bool:
    """Whether every OU of the raw tree has a name: one without may be the OU that claims an id."""
    if units is None:
        return True
    return isinstance(units, list) and all(
        isinstance(u, dict) and isinstance(u.get("name"), str) and usable(u.get("units")) for u in units)


def account_aliases(accounts: list[Any]) -> dict[int, tuple[str, ...]]:
    """Names the ids file may record each raw account under (by index): its name, then the name it
    had. A `renamed_from` that the checks reject (an account still has that name, or two claim it)
    reads no id: it would only add a second, confusing issue."""
    named = list(_indexed(accounts))
    previous = _previous([a for _, a in named])
    return {i: (a["name"],) + ((a["renamed_from"],) if _old(a) in previous else ()) for i, a in named}


def _old(entry: dict[str, Any]) -> str | None:
    return entry["renamed_from"] if isinstance(entry.get("renamed_from"), str) else None


def _previous(entries: list[dict[str, Any]]) -> set[str]:
    """The `renamed_from` values among siblings that are no current name and claimed once."""
    current = {e["name"] for e in entries}
    olds = Counter(e["renamed_from"] for e in entries if isinstance(e.get("renamed_from"), str))
    return {old for old, claims in olds.items() if old not in current and claims == 1}


def recorded(aliases: tuple[str, ...], ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(alias, id) for every alias the ids file records, in alias order (the current name first)."""
    return [(alias, ids[alias]) for alias in aliases if isinstance(ids.get(alias), str)]


def conflict(what: str, loc: Loc, hits: list[tuple[str, str]], smap: SourceMap) -> Issue:
    """The ids file records the entity under its current name and under the name it was renamed from,
    with two different ids: one of them is another OU or account."""
    (new, new_id), (old, old_id) = hits[0], hits[1]
    return Issue(
        f"{what}-renamed-from-conflict",
        f"{'OU' if what == 'unit' else 'account'} {new!r} is renamed from {old!r}, but the ids file records "
        f"both: {new!r} is {new_id!r} ({_at(smap, what, new)}) and {old!r} is {old_id!r} ({_at(smap, what, old)})",
        hint=f"if {new!r} is another {'OU' if what == 'unit' else 'account'}, remove `renamed_from` or pick another "
             f"name; otherwise the line of {new!r} is stale: {FORGET}", loc=loc)


def undeclared_account_renames(accounts: list[Any], ids: dict[str, Any], smap: SourceMap) -> Iterator[Issue]:
    """An account without an id while the ids file records an id under a name no account has (or one
    whose id is recorded under such a name) is most likely a rename without `renamed_from`: it would
    create a new account and leave the old one outside CloudFormation."""
    named = list(_indexed(accounts))
    if len(named) != len(accounts):
        return      # an entry without a usable name may be the one that claims the id: fix it first
    claimed = {a["name"] for _, a in named} | {a["renamed_from"] for _, a in named
                                               if isinstance(a.get("renamed_from"), str)}
    orphans = {name: ident for name, ident in ids.items()
               if isinstance(name, str) and name not in claimed and isinstance(ident, str)}
    if not orphans:
        return
    by_id = {ident: name for name, ident in sorted(orphans.items())}
    nearest = _Nearest(orphans)
    for i, account in _indexed(accounts):
        name, ident = account["name"], account.get("id")
        old = account.get("renamed_from") if isinstance(account.get("renamed_from"), str) else None
        loc = ("organization", "accounts", i, "renamed_from" if old else "name")
        if isinstance(ident, str) and ident in by_id:
            orphan = by_id[ident]
            yield Issue("account-rename-undeclared",
                        f"account {name!r} has id {ident!r}, which the ids file records for {orphan!r} "
                        f"({_at(smap, 'account', orphan)}), a name no account in the blueprint has",
                        hint=_account_hint(name, orphan, old), loc=loc)
        elif ident is None:
            orphan = nearest.to(name)
            yield Issue("account-rename-undeclared",
                        f"account {name!r}{f' (renamed from {old!r})' if old else ''} has no id, but the ids "
                        f"file records {orphan!r} as {orphans[orphan]!r} ({_at(smap, 'account', orphan)}), a "
                        f"name no account in the blueprint has{_others(orphans, orphan)}: a rename without "
                        f"`renamed_from` creates a new account and leaves {orphan!r} outside CloudFormation",
                        hint=_account_hint(name, orphan, old), loc=loc)


def undeclared_unit_renames(tree: Any, ids: dict[str, Any], smap: SourceMap) -> Iterator[Issue]:
    """The same for OUs: an OU without an id while the ids file records a sibling path no OU has is a
    rename; the same name under another parent is a move, which Organizations cannot do in place."""
    if not usable(tree):
        return
    units = list(raw_units(tree))
    claimed = {alias for u in units for alias in u.aliases}
    # A rejected renamed_from (a sibling still has the name, or two claim it) claims its path too.
    claimed |= {f"{u.path.rpartition('/')[0]}/{u.unit['renamed_from']}".lstrip("/") for u in units
                if isinstance(u.unit.get("renamed_from"), str)}
    orphans = {path: ident for path, ident in ids.items()
               if isinstance(path, str) and path not in claimed and isinstance(ident, str)}
    if not orphans:
        return
    by_id = {ident: path for path, ident in sorted(orphans.items())}
    under: dict[str, dict[str, str]] = {}        # parent path → orphans under it
    named: dict[str, list[str]] = {}             # OU name → orphan paths ending with it
    for path, orphan_id in sorted(orphans.items()):
        parent, _, last = path.rpartition("/")
        under.setdefault(parent, {})[path] = orphan_id
        named.setdefault(last, []).append(path)
    near = {parent: _Nearest(group, last=True) for parent, group in under.items()}
    for ref in units:
        ident = ref.unit.get("id")
        if ident is None and ref.parent is not None and ref.parent.get("id") is None:
            continue    # under an OU that has no id either: reported once, at the top
        old = ref.unit.get("renamed_from") if isinstance(ref.unit.get("renamed_from"), str) else None
        loc = ("organization",) + ref.loc + ("renamed_from" if old else "name",)
        parents = {alias.rpartition("/")[0] for alias in ref.aliases}
        if isinstance(ident, str):
            candidates = [by_id[ident]] if ident in by_id else []
        else:
            siblings = {path: i for parent in sorted(parents) for path, i in under.get(parent, {}).items()}
            nearest = _Nearest(siblings, last=True) if len(parents) > 1 else near.get(next(iter(parents)))
            moved = named.get(ref.unit["name"], [])
            candidates = [nearest.to(ref.unit["name"])] if siblings and nearest else moved[:1]
        for orphan in candidates:
            held = f"{orphan!r} ({orphans[orphan]!r}, {_at(smap, 'unit', orphan)})"
            start = (f"OU {ref.path!r} has id {ident!r}, which the ids file records for " if ident else
                     f"OU {ref.path!r}{f' (renamed from {old!r})' if old else ''} has no id, but the ids file "
                     f"records ")
            if orphan.rpartition("/")[0] in parents:
                yield Issue("unit-rename-undeclared",
                            f"{start}{held}, a sibling no OU in the blueprint has: a rename without "
                            f"`renamed_from` creates a new OU and leaves {orphan!r} outside CloudFormation",
                            hint=_unit_hint(ref.unit["name"], orphan.rpartition("/")[2], old), loc=loc)
            else:
                yield Issue("unit-move-undeclared",
                            f"{start}{held}, under another parent: an OU cannot move (its ParentId is "
                            f"create-only), so this creates a new OU, moves the accounts to it and leaves "
                            f"{orphan!r} outside CloudFormation",
                            hint=f"to keep the OU, keep it at {orphan!r}; to move it anyway, {FORGET}, then "
                                 f"delete the old OU by hand once it is empty", loc=loc)


def _account_hint(name: str, orphan: str, old: str | None) -> str:
    if old:
        return (f"if {orphan!r} is the name the account was created under, write `renamed_from: {orphan}`; if "
                f"it was renamed from {old!r} to {orphan!r} before, keep `renamed_from: {old}` and run `lz "
                f"sync` to record its id under {name!r}; if {orphan!r} left the blueprint on purpose, {FORGET}")
    return (f"if {name!r} is {orphan!r} renamed, add `renamed_from: {orphan}` to it (it keeps its logical id, "
            f"stack and id); if {orphan!r} left the blueprint on purpose, {FORGET}")


def _unit_hint(name: str, orphan: str, old: str | None) -> str:
    if old:
        return (f"if {orphan!r} is the name the OU was created under, write `renamed_from: {orphan}`; if "
                f"{orphan!r} left the blueprint on purpose, {FORGET}")
    return (f"if {name!r} is {orphan!r} renamed, add `renamed_from: {orphan}` to it (it keeps its logical id "
            f"and id, and its Name is updated in place); if {orphan!r} left the blueprint on purpose, {FORGET}")


class _Nearest:
    """Renaming a thousand accounts at once leaves a thousand names to compare each with: then only
    the names next to it in sorted order (a rename usually keeps a prefix) are scored."""

    def __init__(self, options: dict[str, str], last: bool = False):
        self.last = last
        self.ordered = sorted(options, key=lambda o: (self.label(o), o))
        self.labels = [self.label(o) for o in self.ordered]

    def label(self, option: str) -> str:
        return option.rpartition("/")[2] if self.last else option

    def to(self, name: str) -> str:
        near = self.ordered
        if len(near) > NEIGHBOURS * 2:
            at = bisect.bisect_left(self.labels, name)
            near = near[max(0, at - NEIGHBOURS):at + NEIGHBOURS]
        return max(sorted(near), key=lambda o: difflib.SequenceMatcher(None, name, self.label(o)).ratio())


def _others(orphans: dict[str, str], shown: str) -> str:
    rest = sorted(set(orphans) - {shown})
    if not rest:
        return ""
    listed = ", ".join(repr(r) for r in rest[:5]) + (", ..." if len(rest) > 5 else "")
    return f" (nor {listed})"


def _at(smap: SourceMap, what: str, name: str) -> str:
    line = smap.line_of(("organization", "units" if what == "unit" else "accounts", name))
    return f"{smap.file}:{line}" if line else smap.file


def _indexed(accounts: list[Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, account in enumerate(accounts):
        if isinstance(account, dict) and isinstance(account.get("name"), str):
            yield i, account
