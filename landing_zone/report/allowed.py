"""The "is it allowed?" table: a few requests in every account, decided by the policy evaluator
against the SCPs and RCPs the plan will attach (the same documents synthesis writes to cdk.out)."""
from __future__ import annotations

from dataclasses import dataclass

from landing_zone.explain.probes import Probe, planned_policies
from landing_zone.explain.proofs import stand_in_id
from landing_zone.explain.requests import MANAGEMENT, build_request, decide
from landing_zone.plan import Plan
from landing_zone.policy.evaluate import Decision


@dataclass(frozen=True)
class Cell:
    decision: str               # allow | explicit-deny | implicit-deny
    why: int | None = None      # index into Allowed.reasons for a deny


@dataclass(frozen=True)
class AllowedRow:
    account: str
    unit: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Allowed:
    probes: tuple[Probe, ...]
    rows: tuple[AllowedRow, ...]
    reasons: tuple[str, ...]    # what denied, numbered in the report


def _reason(decision: Decision) -> str:
    if decision.decision == "explicit-deny":
        where = f" attached to {decision.target}" if decision.target else ""
        return f"{decision.policy}{where}, statement {decision.sid or '(no Sid)'}"
    return decision.reason


def _fill(value: str | None, account_id: str) -> str | None:
    """`{account}` in a probe's principal or resource is the account's id (a stand-in until it has one)."""
    return value.replace("{account}", account_id) if value else None


def evaluate_probes(plan: Plan, probes: list[Probe]) -> Allowed:
    deployed = planned_policies(plan)
    reasons: dict[str, int] = {}
    rows = []
    accounts = [(MANAGEMENT, plan.management_account_id, "Root")] + [
        (a.name, a.id or stand_in_id(a.name), a.unit) for a in plan.accounts]
    for name, account_id, unit in accounts:
        cells = []
        for probe in probes:
            request = build_request(plan, name, probe.action, probe.region, _fill(probe.resource, account_id),
                                    _fill(probe.principal, account_id), dict(probe.context))
            decision = decide(deployed, name, request)
            why = None
            if not decision.allowed:
                why = reasons.setdefault(_reason(decision), len(reasons))
            cells.append(Cell(decision.decision, why))
        rows.append(AllowedRow(name, unit, tuple(cells)))
    return Allowed(tuple(probes), tuple(rows), tuple(reasons))
