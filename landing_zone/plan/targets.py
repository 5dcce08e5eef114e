"""The organization tree as targets (Root, OUs, accounts) and the minimal set of attachment points."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.query import account_unit, walk_units


@dataclass(frozen=True, order=True)
class Target:
    kind: Literal["account", "ou", "root"]
    ref: str            # "Root", an OU path, or an account name

    @property
    def key(self) -> str:
        return f"account:{self.ref}" if self.kind == "account" else self.ref

    def label(self) -> str:
        return f"account {self.ref}" if self.kind == "account" else self.ref


ROOT_TARGET = Target("root", ROOT)


def created_targets(bp: Blueprint) -> dict[Target, Target]:
    """Each OU and account target under the names it was created with (`renamed_from`), for what
    derives a logical id or a create-only name from targets: a rename must replace nothing."""
    out = {Target("ou", ref.path): Target("ou", ref.key) for ref in walk_units(bp)}
    out |= {Target("account", a.name): Target("account", a.key) for a in bp.organization.accounts}
    return out


class Tree:
    """Root → OUs → accounts, from the blueprint (management account excluded: SCPs never reach it)."""

    def __init__(self, bp: Blueprint):
        self.children: dict[Target, list[Target]] = {ROOT_TARGET: []}
        for ref in walk_units(bp):
            parent = ref.path.rpartition("/")[0]
            node = Target("ou", ref.path)
            self.children.setdefault(node, [])
            self.children.setdefault(Target("ou", parent) if parent else ROOT_TARGET, []).append(node)
        for account in bp.organization.accounts:
            unit = account_unit(bp, account) or ROOT
            above = ROOT_TARGET if unit == ROOT else Target("ou", unit)
            self.children.setdefault(above, []).append(Target("account", account.name))
        for kids in self.children.values():
            kids.sort()

    def accounts_under(self, target: Target) -> list[str]:
        if target.kind == "account":
            return [target.ref]
        return [a for child in self.children.get(target, []) for a in self.accounts_under(child)]

    def of(self, targets: Targets) -> list[Target]:
        out = [ROOT_TARGET if u == ROOT else Target("ou", u) for u in targets.units]
        return out + [Target("account", a) for a in targets.accounts]

    def cover(self, state_of: Callable[[Target, Any], object], wanted: object) -> list[Target]:
        """Fewest targets whose subtrees hold exactly the nodes in state `wanted`.

        `state_of(node, inherited)` gives a node's state (its own decision or the inherited one);
        a subtree entirely in the wanted state is attached once at its top, so accounts and OUs
        added there later are covered too. A state is the caller's own type (None above Root): this
        only passes it down and compares it, hence `Any` for what `state_of` takes.
        """
        def walk(node: Target, inherited: object) -> tuple[list[Target], bool]:
            state = state_of(node, inherited)
            results = [walk(child, state) for child in self.children.get(node, [])]
            if state == wanted and all(full for _, full in results):
                return [node], True
            return [t for found, _ in results for t in found], False
        return walk(ROOT_TARGET, None)[0]
