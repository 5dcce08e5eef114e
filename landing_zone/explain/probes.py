"""Probes: the requests `lz matrix`, `lz report` and `lz diff` ask in every account (a default list, or
`--actions FILE`), and the organization policies a plan attaches, for answers without a synth."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from landing_zone.explain.deployed import DeployedPolicies, tower_models
from landing_zone.explain.requests import DEFAULT_PROBES, UsageError
from landing_zone.plan import Plan
from landing_zone.policy.evaluate import PolicyRef

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
    for _, path, ref in tower_models(plan):   # the control-tower engine's enabled controls, modelled
        deployed.attached.setdefault("SERVICE_CONTROL_POLICY", {}).setdefault(path, []).append(ref)
    for by_key in deployed.attached.values():
        for refs in by_key.values():
            refs.sort(key=lambda r: r.name)
    return deployed
