"""The base's OUs and accounts read back from a cdk.out (`lz diff --base-out`), where no base blueprint exists."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from landing_zone.blueprint.model.common import ROOT
from landing_zone.diff.risks import ACCOUNT, OU
from landing_zone.diff.templates import StackArtifact
from landing_zone.plan import AccountPlan, Plan, UnitPlan


def _parent_ref(value: Any) -> str | None:
    """The logical id an OU/account parent refers to (GetAtt, or the OU id export), None for a literal id."""
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            return value["Fn::GetAtt"][0]
        if "Fn::ImportValue" in value:
            return str(value["Fn::ImportValue"])
    return None


def plan_from_out(stacks: dict[str, StackArtifact], head: Plan) -> Plan:
    """The head plan with the base's OU tree and accounts: enough for read_deployed to map policy
    targets and for the decision delta to build each account's chain. What the templates do not hold
    (account ids, roles) comes from the head plan by account name."""
    units: dict[str, tuple[str, str | None]] = {}          # logical id → (name, parent logical id)
    accounts: list[tuple[str, dict[str, Any], str]] = []   # (logical id, properties, stack)
    for stack in stacks.values():
        for logical_id, resource in stack.resources.items():
            props = resource.get("Properties", {})
            if resource.get("Type") == OU:
                units[logical_id] = (str(props.get("Name", logical_id)), _parent_ref(props.get("ParentId")))
            elif resource.get("Type") == ACCOUNT:
                accounts.append((logical_id, props, stack.name))

    # A deeper OU stack names its parent by the parent's id export, "<blueprint name>-<logical id>".
    def resolved(ref: str | None) -> str | None:
        return ref if ref is None or ref in units else next((lid for lid in units if ref.endswith(f"-{lid}")), ref)
    units = {lid: (name, resolved(parent)) for lid, (name, parent) in units.items()}
    paths: dict[str, str] = {}

    def path_of(logical_id: str, seen: frozenset[str] = frozenset()) -> str:
        if logical_id not in paths:
            name, parent = units[logical_id]
            above = path_of(parent, seen | {logical_id}) if parent in units and parent not in seen else ""
            paths[logical_id] = f"{above}/{name}" if above else name
        return paths[logical_id]

    unit_plans = tuple(sorted((UnitPlan(path_of(lid), units[lid][0],
                                        path_of(units[lid][1]) if units[lid][1] in units else None,
                                        None, (), lid) for lid in units), key=lambda u: u.path))
    # A renamed account keeps its logical id and its AccountName (the name it was created under):
    # match by logical id first, then by that name.
    by_logical_id = {a.logical_id: a for a in head.accounts}
    known = {a.key: a for a in head.accounts}
    account_plans = []
    for logical_id, props, stack in accounts:
        name = str(props.get("AccountName", logical_id))
        parents = props.get("ParentIds") or [None]
        # An account imports its OU's id by export name, "<blueprint name>-<OU logical id>".
        ref = _parent_ref(parents[0]) or ""
        unit = next((path for lid, path in paths.items() if ref == lid or ref.endswith(f"-{lid}")), ROOT)
        same = by_logical_id.get(logical_id) or known.get(name)
        name = same.name if same else name
        account_plans.append(AccountPlan(name, str(props.get("Email", "")), unit, same.id if same else None,
                                         same.role if same else None, (), stack, logical_id, None))
    return replace(head, units=unit_plans, accounts=tuple(sorted(account_plans, key=lambda a: a.name)),
                   stacks=(), pending=(), policies=(), stacksets=(), phases=())
