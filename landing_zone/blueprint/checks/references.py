"""Checks that every `targets` / `share_with` and every `account:` names something declared."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.checks.network import names_management_account
from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import accounts_by_name, unit_paths, walk_models, walk_targets, walk_units
from landing_zone.blueprint.suggest import suggest


def targets_exist(bp: Blueprint) -> Iterator[Issue]:
    """Checked once for every section, so later sections never resolve an unknown target."""
    units = set(unit_paths(bp)) | {ROOT}
    accounts = accounts_by_name(bp)
    renamed, renamed_units = _renames(bp)
    for targets, loc in walk_targets(bp):
        for i, unit in enumerate(targets.units):
            if unit not in units:
                yield Issue("target-unit-unknown", f"OU {unit!r} does not exist",
                            hint=_renamed(unit, renamed_units) or suggest(unit, units), loc=loc + ("units", i))
        for i, name in enumerate(targets.accounts):
            # A share naming the management account gets its own issue (network checks).
            shares_with_management = loc[-1:] == ("share_with",) and names_management_account(bp, name)
            if name not in accounts and not shares_with_management:
                yield Issue("target-account-unknown", f"account {name!r} does not exist",
                            hint=_renamed(name, renamed) or suggest(name, accounts), loc=loc + ("accounts", i))


def owning_accounts_exist(bp: Blueprint) -> Iterator[Issue]:
    """VPCs, keys, directories and providers are owned by accounts the blueprint declares."""
    accounts = accounts_by_name(bp)
    renamed, _ = _renames(bp)
    for model, loc in walk_models(bp):
        if loc[:1] == ("organization",):
            continue
        owner = getattr(model, "account", None)
        if isinstance(owner, str) and owner not in accounts:
            if names_management_account(bp, owner):
                yield _management_owner(owner, loc)
            else:
                yield Issue("account-unknown", f"account {owner!r} does not exist",
                            hint=_renamed(owner, renamed) or suggest(owner, accounts), loc=loc + ("account",))


def _renames(bp: Blueprint) -> tuple[dict[str, str], dict[str, str]]:
    """Old name → new name of renamed accounts, and old path → new path of OUs renamed (or under one)."""
    accounts = {a.renamed_from: a.name for a in bp.organization.accounts if a.renamed_from}
    return accounts, {ref.key: ref.path for ref in walk_units(bp) if ref.key != ref.path}


def _renamed(name: str, renames: dict[str, str]) -> str:
    new = renames.get(name)
    return f"{name!r} was renamed to {new!r} (its renamed_from): use the new name" if new else ""


def _management_owner(owner: str, loc: Loc) -> Issue:
    """The management account is not a member account: no SCP reaches it, so no guardrail protects
    what it owns, and the landing zone keeps it to the organization's own stacks."""
    key = loc[:1] == ("keys",)
    return Issue(
        "account-is-management", f"account {owner!r} is the management account; allowed: a member account "
        "from organization.accounts. The management account owns nothing but the organization's own "
        "stacks: no SCP applies to it, so no guardrail could protect " + ("a key" if key else "this") + " there",
        hint=("own the key in a member account and let the management account's services use it through "
              "`services:` (the organization trail writes with the log archive's key, `services: [cloudtrail]`)"
              if key else "move it to a member account (network, identity, or one of its own)"),
        loc=loc + ("account",))
