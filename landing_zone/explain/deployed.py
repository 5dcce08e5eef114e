"""Reads the organization policies that will be deployed from cdk.out and maps them back to the plan."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landing_zone.blueprint.model.common import ROOT
from landing_zone.plan import Plan
from landing_zone.plan.control_tower import CONTROLS as TOWER_CONTROLS
from landing_zone.plan.control_tower import MODELLED
from landing_zone.plan.names import unit_export_name
from landing_zone.policy.evaluate import FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS, PolicyRef

_MANAGED = {"SERVICE_CONTROL_POLICY": ("FullAWSAccess", FULL_AWS_ACCESS),
            "RESOURCE_CONTROL_POLICY": ("RCPFullAWSAccess", RCP_FULL_AWS_ACCESS)}


class DeployedPolicyError(ValueError):
    """cdk.out does not match the blueprint (stale or foreign synth output)."""


@dataclass
class DeployedPolicies:
    """SCPs and RCPs per target key ("Root", OU path, "account:<name>"), as synthesized."""

    plan: Plan
    attached: dict[str, dict[str, list[PolicyRef]]] = field(default_factory=dict)  # type → key → refs

    def levels(self, account: str, policy_type: str = "SERVICE_CONTROL_POLICY") -> list[list[PolicyRef]]:
        """Root → each OU on the account's path → the account; the AWS managed full-access policy,
        which stays attached everywhere (deny-list strategy), is part of every level."""
        managed = PolicyRef(_MANAGED[policy_type][0], "", _MANAGED[policy_type][1])
        unit = self.plan.account(account).unit
        parts = [] if unit == ROOT else unit.split("/")
        keys = [ROOT] + ["/".join(parts[: i + 1]) for i in range(len(parts))] + [f"account:{account}"]
        by_key = self.attached.get(policy_type, {})
        return [[PolicyRef(managed.name, _label(key), managed.document)] + by_key.get(key, []) for key in keys]


def _label(key: str) -> str:
    return f"account {key[8:]}" if key.startswith("account:") else key


def read_deployed(outdir: str | Path, plan: Plan) -> DeployedPolicies:
    keys_by_id: dict[Any, str] = {plan.root_id: ROOT}
    for unit in plan.units:
        keys_by_id[json.dumps({"Fn::ImportValue": unit_export_name(plan.name, unit.logical_id)})] = unit.path
    for account in plan.accounts:
        if account.id:
            keys_by_id[account.id] = f"account:{account.name}"
    deployed = DeployedPolicies(plan)
    templates = sorted(Path(outdir).glob("*.template.json"))
    if not templates:
        raise DeployedPolicyError(f"no templates in {outdir}; run `cdk synth` first")
    for path in templates:
        for resource in json.loads(path.read_text()).get("Resources", {}).values():
            if resource.get("Type") != "AWS::Organizations::Policy":
                continue
            props = resource["Properties"]
            content = props["Content"]
            document = json.loads(content) if isinstance(content, str) else content
            for target in props.get("TargetIds", []):
                key = keys_by_id.get(target if isinstance(target, str) else json.dumps(target))
                if key is None:
                    raise DeployedPolicyError(f"{path.name}: policy {props['Name']} targets {target!r}, "
                                              "which the blueprint does not know; synthesize again")
                deployed.attached.setdefault(props["Type"], {}).setdefault(key, []).append(
                    PolicyRef(props["Name"], _label(key), document))
    _add_tower_models(deployed, templates)
    for by_key in deployed.attached.values():
        for refs in by_key.values():
            refs.sort(key=lambda r: r.name)
    return deployed


def tower_models(plan: Plan) -> list[tuple[str, str, PolicyRef]]:
    """Under the control-tower engine, each preventive control AWS Control Tower enables on an OU is
    evaluated through its model: the catalog control's native SCP text, attached to that OU. Its name
    says so (`modelled: control-tower`). (EnabledControl logical id, OU path, policy)"""
    return [(c.logical_id, c.path, PolicyRef(f"{c.identifier} ({MODELLED})", c.path, c.model))
            for s in plan.stacks if s.component == TOWER_CONTROLS for c in s.payload.controls if c.model]


def _add_tower_models(deployed: DeployedPolicies, templates: list[Path]) -> None:
    """The models of the AWS::ControlTower::EnabledControl resources cdk.out holds."""
    models = {logical_id: (path, ref) for logical_id, path, ref in tower_models(deployed.plan)}
    if not models:
        return
    for template in templates:
        for logical_id, resource in json.loads(template.read_text()).get("Resources", {}).items():
            if resource.get("Type") == "AWS::ControlTower::EnabledControl" and logical_id in models:
                path, ref = models[logical_id]
                deployed.attached.setdefault("SERVICE_CONTROL_POLICY", {}).setdefault(path, []).append(ref)
