"""Where AWS Control Tower enables each control: from resolved guardrail instances to (control, OU).

Detective and proactive controls act only on the accounts directly in the OU they are enabled on,
so they are enabled on every registered OU whose accounts the instance covers. Preventive controls
are SCPs that OUs below inherit, so they are enabled once, on the highest registered OUs covered.
The security unit (never registered) and accounts directly under Root are left to the landing zone.

An OU's own state (is the control on for accounts directly in it?) is read from the resolver itself:
the guardrails are resolved once more with a probe account in every OU, so the enable, disable and
inheritance rules stay in one place (plan/guardrails.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.model.organization import Account
from landing_zone.blueprint.query import account_unit, walk_units
from landing_zone.blueprint.tower import uses_tower
from landing_zone.catalog.control_tower import TowerControl, enforced_by_tower
from landing_zone.plan.guardrails import ControlInstance, resolve_guardrails
from landing_zone.plan.targets import Target

# Probe account names: a NUL never appears in a blueprint's account names.
PROBE = "\x00probe:"


@dataclass(frozen=True)
class Placement:
    """One control AWS Control Tower enables on one registered OU, with its EnabledControl parameters."""

    instance: ControlInstance
    tower: TowerControl
    path: str
    parameters: tuple[tuple[str, Any], ...]


def native_instances(bp: Blueprint, instances: list[ControlInstance]) -> list[ControlInstance]:
    """The instances this tool still synthesizes: all of them under engine native; under
    control-tower, those whose control has no Control Tower identifier in the snapshot (mandatory
    controls with one are Control Tower's own, applied with the landing zone)."""
    if not uses_tower(bp):
        return instances
    return [i for i in instances if enforced_by_tower(i.control) is None]


def probed_instances(bp: Blueprint, context: dict[str, Any]) -> list[ControlInstance]:
    """The resolved guardrails of `bp` with one probe account directly in each OU."""
    probes = [Account.model_construct(name=f"{PROBE}{ref.path}", email="", unit=ref.path) for ref in walk_units(bp)]
    organization = bp.organization.model_copy(update={"accounts": [*bp.organization.accounts, *probes]})
    instances, _ = resolve_guardrails(bp.model_copy(update={"organization": organization}), context)
    return instances


def place_controls(bp: Blueprint, instances: list[ControlInstance], registered: tuple[str, ...]
                   ) -> tuple[list[Placement], list[Issue]]:
    """`instances` from probed_instances: a probe account is covered where its OU's own state is the instance's."""
    units = [ref.path for ref in walk_units(bp)]
    direct: dict[str, set[str]] = {path: set() for path in units}
    for account in bp.organization.accounts:
        unit = account_unit(bp, account) or ROOT
        if unit in direct:
            direct[unit].add(account.name)
    placements: list[Placement] = []
    issues: list[Issue] = []
    for instance in instances:
        tower = enforced_by_tower(instance.control)
        if tower is None or not tower.enabled_through_api:
            continue
        ous, accounts = _covered(instance.targets, units)
        parameters = tuple((key, _value(instance.values.get(name))) for key, name in tower.parameters
                           if instance.values.get(name) not in (None, [], ""))
        for path in registered:
            whole = path in ous
            by_accounts = not whole and f"{PROBE}{path}" in accounts
            if tower.behavior == "preventive":
                if by_accounts and direct[path]:
                    issues.append(_partial(instance, path))
                    continue
                parent = path.rpartition("/")[0]
                inherited = parent in registered and parent in ous
                if whole and not inherited:
                    placements.append(Placement(instance, tower, path, parameters))
            elif whole or by_accounts:
                placements.append(Placement(instance, tower, path, parameters))
    return sorted(placements, key=lambda p: (p.instance.control.id, p.path)), issues


def _covered(targets: tuple[Target, ...], units: list[str]) -> tuple[set[str], set[str]]:
    """The OUs whose whole subtree the targets cover, and the accounts they name."""
    ous: set[str] = set()
    accounts: set[str] = set()
    for target in targets:
        if target.kind == "root":
            ous |= set(units)
        elif target.kind == "ou":
            ous |= {u for u in units if u == target.ref or u.startswith(target.ref + "/")}
        else:
            accounts.add(target.ref)
    return ous, accounts


def _value(value: Any) -> Any:
    # List parameters are sets (regions, principals): sorted so that blueprint order never shows.
    return sorted(value) if isinstance(value, (list, tuple)) else value


def _partial(instance: ControlInstance, path: str) -> Issue:
    return Issue("control-tower-partial-ou", f"{instance.control.id} applies to the accounts directly in {path!r} "
                 "but not to every OU below it; AWS Control Tower enables a preventive control on an OU and every "
                 "OU below inherits it", loc=instance.loc,
                 hint=f"give {path!r} and the OUs below it the same setting for {instance.control.id}, or move "
                      f"the accounts directly in {path!r} to an OU of their own")
