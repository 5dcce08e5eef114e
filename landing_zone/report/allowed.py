"""The "is it allowed?" table: a few requests in every account, decided by the policy evaluator
against the SCPs and RCPs the plan will attach (the same documents synthesis writes to cdk.out)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from landing_zone.explain import DEFAULT_PROBES, MANAGEMENT, UsageError, build_request, decide
from landing_zone.catalog.proofs import stand_in_id
from landing_zone.plan import Plan
from landing_zone.policy.deployed import DeployedPolicies
from landing_zone.policy.evaluate import Decision, PolicyRef

PROBE_KEYS = {"action", "region", "resource", "principal", "context"}


@dataclass(frozen=True)
class Probe:
    action: str
    region: str | None = None
    resource: str | None = None
    principal: str | None = None
    context: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        return self.action + (f" in {self.region}" if self.region else "")

    @property
    def detail(self) -> str:
        parts = [f"resource {self.resource}" if self.resource else "",
                 f"by {self.principal}" if self.principal else "",
                 ", ".join(f"{k}={v}" for k, v in self.context)]
        return "; ".join(p for p in parts if p)


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


def read_probes(path: str | None) -> list[Probe]:
    """`--actions FILE`: a YAML list of actions or {action, region, resource, principal, context}."""
    raw: Any = DEFAULT_PROBES
    if path:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise UsageError(f"--actions {path!r} is not a readable YAML file: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"--actions {path!r} must be a YAML list of actions, e.g. [s3:GetObject, "
                         "{action: ec2:RunInstances, region: ap-southeast-2}]")
    probes = []
    for i, item in enumerate(raw):
        item = {"action": item} if isinstance(item, str) else item
        unknown = set(item) - PROBE_KEYS if isinstance(item, dict) else set()
        if not isinstance(item, dict) or "action" not in item or unknown:
            raise UsageError(f"--actions {path!r} item {i + 1}: {item!r} is not an action or a mapping with "
                             f"an 'action' and optionally {sorted(PROBE_KEYS - {'action'})}")
        context = item.get("context") or {}
        if not isinstance(context, dict):
            raise UsageError(f"--actions {path!r} item {i + 1}: context must map condition keys to values")
        probes.append(Probe(str(item["action"]), item.get("region"), item.get("resource"),
                            item.get("principal"), tuple(sorted(context.items()))))
    return probes


def planned_policies(plan: Plan) -> DeployedPolicies:
    """The plan's organization policies keyed like read_deployed keys cdk.out, without a synth."""
    deployed = DeployedPolicies(plan)
    for policy in plan.policies:
        if policy.policy_type not in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
            continue
        for target in policy.targets:
            label = target.label()
            deployed.attached.setdefault(policy.policy_type, {}).setdefault(target.key, []).append(
                PolicyRef(policy.name, label, policy.document))
    for by_key in deployed.attached.values():
        for refs in by_key.values():
            refs.sort(key=lambda r: r.name)
    return deployed


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
