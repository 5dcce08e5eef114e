"""The OU tree with its accounts, as the report shows it (Root first, children by name)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from landing_zone.blueprint.model.common import ROOT
from landing_zone.plan import Plan


@dataclass(frozen=True)
class AccountLeaf:
    name: str
    id: str | None              # None until the account exists ("pending" in the report)
    role: str | None


@dataclass(frozen=True)
class UnitNode:
    path: str                   # "Root" or the OU path
    name: str
    id: str | None
    depth: int                  # 0 for Root
    accounts: tuple[AccountLeaf, ...]
    children: tuple[UnitNode, ...]

    @property
    def total_accounts(self) -> int:
        return len(self.accounts) + sum(c.total_accounts for c in self.children)

    @property
    def total_units(self) -> int:
        return len(self.children) + sum(c.total_units for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(plan: Plan) -> UnitNode:
    accounts: dict[str, list[AccountLeaf]] = defaultdict(list)
    for account in plan.accounts:
        accounts[account.unit].append(AccountLeaf(account.name, account.id, account.role))
    children: dict[str, list[str]] = defaultdict(list)
    for unit in plan.units:
        children[unit.parent or ROOT].append(unit.path)

    def node(path: str, depth: int) -> UnitNode:
        unit = None if path == ROOT else plan.unit(path)
        return UnitNode(
            path=path, name=unit.name if unit else ROOT, id=unit.id if unit else plan.root_id, depth=depth,
            accounts=tuple(sorted(accounts[path], key=lambda a: a.name)),
            children=tuple(node(child, depth + 1) for child in sorted(children[path])))
    return node(ROOT, 0)
