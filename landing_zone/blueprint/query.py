"""Read-only lookups over a validated blueprint that checks and the plan share."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from landing_zone.blueprint.issues import Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.model.organization import Account, Unit

UNITS_LOC: Loc = ("organization", "units")
ACCOUNTS_LOC: Loc = ("organization", "accounts")


@dataclass(frozen=True)
class UnitRef:
    path: str
    unit: Unit
    loc: Loc
    depth: int
    key: str = ""       # the path the OU was created under (`renamed_from` at every level): its logical id


def walk_units(bp: Blueprint) -> Iterator[UnitRef]:
    """Every OU with its '/'-path, raw location, depth (1 = directly under the root) and key path."""
    def walk(units: list[Unit], prefix: str, key: str, loc: Loc, depth: int) -> Iterator[UnitRef]:
        for i, unit in enumerate(units):
            path = f"{prefix}/{unit.name}" if prefix else unit.name
            first = unit.renamed_from or unit.name
            created = f"{key}/{first}" if key else first
            yield UnitRef(path, unit, loc + (i,), depth, created)
            yield from walk(unit.units, path, created, loc + (i, "units"), depth + 1)
    yield from walk(bp.organization.units, "", "", UNITS_LOC, 1)


def unit_paths(bp: Blueprint) -> dict[str, UnitRef]:
    # First occurrence wins; duplicates are reported by the OU checks.
    out: dict[str, UnitRef] = {}
    for ref in walk_units(bp):
        out.setdefault(ref.path, ref)
    return out


def account_unit(bp: Blueprint, account: Account) -> str | None:
    """The account's OU path: its own `unit`, else its template's."""
    if account.unit is not None:
        return account.unit
    template = bp.organization.account_templates.get(account.template or "")
    return template.unit if template else None


def account_role(bp: Blueprint, account: Account) -> str | None:
    if account.role is not None:
        return account.role
    template = bp.organization.account_templates.get(account.template or "")
    return template.role if template else None


def account_tags(bp: Blueprint, account: Account) -> dict[str, str]:
    template = bp.organization.account_templates.get(account.template or "")
    return {**(template.tags if template else {}), **account.tags}


def accounts_by_name(bp: Blueprint) -> dict[str, Account]:
    out: dict[str, Account] = {}
    for account in bp.organization.accounts:
        out.setdefault(account.name, account)
    return out


def account_key(bp: Blueprint, name: str) -> str:
    """The name an account was created under (`renamed_from`), which stacks named after it keep;
    `name` itself for a name that is no member account (the management account)."""
    account = accounts_by_name(bp).get(name)
    return account.key if account else name


def walk_models(node: object, loc: Loc = ()) -> Iterator[tuple[BaseModel, Loc]]:
    """Every model object in the blueprint with its raw location (for checks over all sections)."""
    if isinstance(node, BaseModel):
        yield node, loc
        for name, info in type(node).model_fields.items():
            yield from walk_models(getattr(node, name), loc + (info.alias or name,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from walk_models(item, loc + (i,))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from walk_models(item, loc + (key,))


def walk_targets(bp: Blueprint) -> Iterator[tuple[Targets, Loc]]:
    for model, loc in walk_models(bp):
        if isinstance(model, Targets):
            yield model, loc


def unit_covers(granted: str, unit: str) -> bool:
    """Whether something granted to OU `granted` (or Root) reaches an account in OU `unit`: the OU
    itself and every OU below it."""
    return granted == ROOT or unit == granted or unit.startswith(granted + "/")
