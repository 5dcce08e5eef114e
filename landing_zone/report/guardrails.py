"""The guardrail matrix (controls × OUs) and the SCP budget of every target, from the resolved plan."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.catalog import load_catalog
from landing_zone.plan import Plan
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.policies import ATTACHMENT_LIMITS, MANAGED_ATTACHED
from landing_zone.policy.document import SCP_MAX, minify

SCP = "SERVICE_CONTROL_POLICY"
# Cell states of the matrix: (symbol shown in the cell, what it means). The symbol is text, not only
# a colour, so the matrix reads the same in print, in high contrast and to a screen reader.
STATES: dict[str, tuple[str, str]] = {
    "mandatory": ("M", "mandatory: on for the whole organization, cannot be disabled"),
    "here": ("E", "enabled here: attached to this OU (or Root)"),
    "inherited": ("I", "inherited from a parent OU or Root"),
    "partial": ("P", "on for part of this subtree only (some child OUs or accounts)"),
    "disabled": ("D", "disabled here by the blueprint (guardrails.disable)"),
    "off": ("-", "not enabled"),
}


@dataclass(frozen=True)
class ControlRow:
    id: str
    title: str
    level: str
    behavior: str
    cells: tuple[str, ...]      # one state per matrix column

    @property
    def enabled_anywhere(self) -> bool:
        return any(state not in ("off", "disabled") for state in self.cells)


@dataclass(frozen=True)
class Matrix:
    columns: tuple[str, ...]    # "Root", then OU paths in tree order
    rows: tuple[ControlRow, ...]


@dataclass(frozen=True)
class BudgetDocument:
    name: str
    size: int                   # characters of the minified JSON, as Organizations counts them
    controls: tuple[str, ...]   # catalog controls packed into it; empty for the blueprint's own SCPs


@dataclass(frozen=True)
class BudgetRow:
    target: str                 # "Root", an OU path, or "account NAME"
    kind: str                   # root | ou | account
    documents: tuple[BudgetDocument, ...]

    @property
    def slots(self) -> int:
        return MANAGED_ATTACHED[SCP] + len(self.documents)


SLOT_LIMIT = ATTACHMENT_LIMITS[SCP]
SIZE_LIMIT = SCP_MAX


def _ancestors(path: str) -> list[str]:
    """Root, then every OU above `path` (not `path` itself)."""
    if path == ROOT:
        return []
    parts = path.split("/")
    return [ROOT] + ["/".join(parts[:i]) for i in range(1, len(parts))]


def build_matrix(loaded: LoadedBlueprint, plan: Plan, columns: list[str]) -> Matrix:
    bp = loaded.model
    # The plan keeps only the packed policies; the instances say which control is attached where,
    # detective and proactive ones included. Resolving again is the same pure function the plan ran.
    instances, _ = resolve_guardrails(bp, landing_zone_context(bp))
    targets: dict[str, set[str]] = defaultdict(set)       # control → OU paths / Root it is attached to
    account_targets: dict[str, set[str]] = defaultdict(set)   # control → OUs holding a targeted account
    unit_of = {a.name: a.unit for a in plan.accounts}
    for instance in instances:
        for target in instance.targets:
            if target.kind == "account":
                unit = unit_of[target.ref]
                account_targets[instance.control.id].update([unit, *_ancestors(unit)])
            else:
                targets[instance.control.id].add(target.ref)
    disabled: dict[str, set[str]] = defaultdict(set)
    for entry in bp.guardrails.disable:
        disabled[entry.control].update(entry.units)

    rows = []
    for control in sorted(load_catalog().values(), key=lambda c: c.id):
        attached = targets[control.id]
        below = {a for t in attached for a in _ancestors(t)} | account_targets[control.id]
        cells = []
        for column in columns:
            chain = _ancestors(column)
            if column in attached or any(a in attached for a in chain):
                state = ("mandatory" if control.level == "mandatory"
                         else "here" if column in attached else "inherited")
            elif column in below:
                state = "partial"
            elif column in disabled[control.id] or any(a in disabled[control.id] for a in chain):
                state = "disabled"
            else:
                state = "off"
            cells.append(state)
        rows.append(ControlRow(control.id, control.title, control.level, control.behavior, tuple(cells)))
    return Matrix(tuple(columns), tuple(rows))


def build_budget(plan: Plan, columns: list[str]) -> tuple[BudgetRow, ...]:
    """Root and every OU (even with no SCP of their own), then the accounts that have SCPs attached."""
    attached: dict[tuple[str, str], list[BudgetDocument]] = defaultdict(list)
    for policy in plan.policies:
        if policy.policy_type != SCP:
            continue
        document = BudgetDocument(policy.name, len(minify(policy.document)), policy.controls)
        for target in policy.targets:
            attached[(target.kind, target.ref)].append(document)
    rows = [BudgetRow(c, "root" if c == ROOT else "ou", tuple(sorted(attached.get(
        ("root", c) if c == ROOT else ("ou", c), []), key=lambda d: d.name))) for c in columns]
    for (kind, ref), documents in sorted(attached.items()):
        if kind == "account":
            rows.append(BudgetRow(f"account {ref}", kind, tuple(sorted(documents, key=lambda d: d.name))))
    return tuple(rows)
