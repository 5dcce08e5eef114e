"""The control-tower guardrails engine: AWS Control Tower's landing zone, OU registrations, enabled
controls and account enrollment, planned from the same blueprint and catalog as the native engine.

Four stacks in the management account's home region, one deploy phase each (plan/phases.py):
- `<name>-control-tower`: the AWS::ControlTower::LandingZone (retained), when `manage: true`;
- `<name>-control-tower-registrations`: an AWS::ControlTower::EnabledBaseline per registered OU,
  parents first, one DependsOn chain (AWS Control Tower runs one OU operation at a time);
- `<name>-control-tower-controls`: an AWS::ControlTower::EnabledControl per (control, OU), in
  `max_concurrent_operations` DependsOn chains (at most that many operations in flight). The stack
  deploys after the registrations stack, so every control waits for its OU's baseline;
- `<name>-control-tower-enrollment`: per registered OU with accounts, a custom resource that
  re-applies the OU's baseline when accounts are not enrolled yet (accounts stay
  AWS::Organizations::Account resources of the accounts stacks: nothing is replaced).

What AWS Control Tower owns is not synthesized twice (`without_tower_owned`): the organization trail
stack, the member accounts' AWS Config recorder and delivery channel (baseline StackSet), the Config
aggregator, and the SCPs of the controls it enforces (plan/tower_controls.py native_instances).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.query import account_unit
from landing_zone.blueprint.tower import registered_units, uses_tower
from landing_zone.catalog.control_tower import CONTROL_TOWER_BASELINE, IDENTITY_CENTER_BASELINE, landing_zone_versions
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.logging import AuditPlan, audit_resources
from landing_zone.plan.model import Pending, Plan, StackPlan
from landing_zone.plan.names import bucket_of, logical_id, stack_name
from landing_zone.plan.shared import PROVIDER_RESOURCES, WAITING_PROVIDER_RESOURCES, partition
from landing_zone.plan.stacksets import StackSetPlan
from landing_zone.plan.targets import Target
from landing_zone.plan.tower_controls import place_controls, probed_instances
from landing_zone.plan.tower_manifest import TowerKeyPlan, landing_zone_manifest, manifest_issues, tower_key
from landing_zone.policy.templating import render

LANDING_ZONE = "control-tower"
REGISTRATIONS = "control-tower-registrations"
CONTROLS = "control-tower-controls"
ENROLLMENT = "control-tower-enrollment"
COMPONENTS = (LANDING_ZONE, REGISTRATIONS, CONTROLS, ENROLLMENT)
# AWS Control Tower attaches SCPs of its own to every registered OU (its mandatory controls and the
# preventive controls enabled there, packed into at most this many policies), beside FullAWSAccess.
TOWER_SCPS_PER_OU = 2
# Appended to the name of a policy `lz explain` and the proofs evaluate in place of an enabled
# control: the control's native SCP text, the model of what AWS Control Tower deploys.
MODELLED = "modelled: control-tower"
# Resources of the fixed parts (held by a synth test): the landing zone's key and alias; a provider
# without a waiter with its custom resource; a waiting provider.
KEY_RESOURCES = 2
LOOKUP_RESOURCES = PROVIDER_RESOURCES + 1
ENROLLMENT_FIXED_RESOURCES = WAITING_PROVIDER_RESOURCES


@dataclass(frozen=True)
class LandingZonePayload:
    logical_id: str
    version: str
    manifest: dict[str, Any]                     # KEY_ARN placeholders where `key_paths` point
    key_paths: tuple[tuple[str, ...], ...]
    key: TowerKeyPlan | None


@dataclass(frozen=True)
class BaselinePlan:
    path: str
    unit_logical_id: str                         # the OU's logical id: its id is imported by this name
    logical_id: str
    after: str | None                            # the previous registration (one OU operation at a time)


@dataclass(frozen=True)
class RegistrationsPayload:
    baseline_arn: str
    baseline_version: str
    identity_center_baseline_arn: str | None     # looked up at deploy time when access management is on
    lookup_logical_id: str
    units: tuple[BaselinePlan, ...]


@dataclass(frozen=True)
class EnabledControlPlan:
    control_id: str                              # catalog id (LZ-REGION-001)
    identifier: str                              # Control Tower id (CT.MULTISERVICE.PV.1)
    arn: str
    behavior: str
    path: str
    unit_logical_id: str
    logical_id: str
    lane: int
    after: str | None                            # the previous control of its lane
    parameters: tuple[tuple[str, Any], ...] = ()
    model: dict[str, Any] | None = None          # preventive: the native SCP text (`lz explain`, proofs)


@dataclass(frozen=True)
class ControlsPayload:
    lanes: int
    controls: tuple[EnabledControlPlan, ...]


@dataclass(frozen=True)
class EnrollmentPlan:
    path: str
    unit_logical_id: str
    logical_id: str
    account_ids: tuple[str, ...]                 # accounts directly in the OU that have an id
    after: str | None


@dataclass(frozen=True)
class EnrollmentPayload:
    baseline_arn: str
    units: tuple[EnrollmentPlan, ...]


def reserved_scps(bp: Blueprint) -> dict[Target, int]:
    """SCP attachments AWS Control Tower uses on each registered OU (plan/policies.py counts them)."""
    if not uses_tower(bp):
        return {}
    return {Target("ou", path): TOWER_SCPS_PER_OU for path in registered_units(bp)}


def plan_control_tower(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    bp = loaded.model
    result = ComponentResult()
    if not uses_tower(bp) or bp.control_tower.landing_zone.version not in landing_zone_versions():
        return result    # the version is reported by tower_version_is_known
    home, management = plan.home_region, plan.management_account_id
    arn = partition(home)
    version = landing_zone_versions()[bp.control_tower.landing_zone.version]

    def add(component: str, description: str, resources: int, payload: Any) -> None:
        result.stacks.append(StackPlan(name=stack_name(plan.name, component), component=component,
                                       account_id=management, region=home, resources=resources, payload=payload,
                                       description=f"{plan.name} landing zone: {description}"))

    if bp.control_tower.landing_zone.manage:
        _landing_zone(bp, plan, result, add)
    units = registered_units(bp)
    unit_ids = {u.path: u.logical_id for u in plan.units}
    baseline_arn = f"arn:{arn}:controltower:{home}::baseline/{CONTROL_TOWER_BASELINE}"
    if units:
        chain, previous = [], None
        for path in units:
            lid = logical_id("Registration", unit_ids[path])
            chain.append(BaselinePlan(path, unit_ids[path], lid, previous))
            previous = lid
        access = bp.control_tower.landing_zone.access_management
        add(REGISTRATIONS, "OUs registered with AWS Control Tower (AWSControlTowerBaseline), parents first",
            len(chain) + (LOOKUP_RESOURCES if access else 0),
            RegistrationsPayload(
                baseline_arn=baseline_arn, baseline_version=version.baseline_version,
                identity_center_baseline_arn=(f"arn:{arn}:controltower:{home}::baseline/{IDENTITY_CENTER_BASELINE}"
                                              if access else None),
                lookup_logical_id="IdentityCenterEnabledBaseline", units=tuple(chain)))
    controls = _controls(bp, plan, units, unit_ids, result)
    if controls:
        add(CONTROLS, f"controls enabled by AWS Control Tower, at most {bp.control_tower.max_concurrent_operations} "
            "operations at once", len(controls),
            ControlsPayload(bp.control_tower.max_concurrent_operations, controls))
    enrollment = _enrollment(bp, plan, units, unit_ids)
    if enrollment:
        add(ENROLLMENT, "accounts enrolled in AWS Control Tower through their OU's baseline",
            len(enrollment) + ENROLLMENT_FIXED_RESOURCES, EnrollmentPayload(baseline_arn, enrollment))
    return result


def _landing_zone(bp: Blueprint, plan: Plan, result: ComponentResult,
                  add: Callable[[str, str, int, Any], None]) -> None:
    log_archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    audit = next((a for a in plan.accounts if a.role == "audit"), None)
    if not (log_archive and log_archive.id and audit and audit.id):
        result.pending.append(Pending(f"stack {stack_name(plan.name, LANDING_ZONE)}", "the AWS Control Tower "
                                      "landing zone names the log-archive and audit accounts by id; deploy the "
                                      "accounts, then run `lz sync`"))
        return
    key = tower_key(bp)
    manifest, paths = landing_zone_manifest(bp, log_archive.id, audit.id, key is not None)
    result.issues += manifest_issues(bp, manifest)
    add(LANDING_ZONE, f"AWS Control Tower landing zone {bp.control_tower.landing_zone.version}"
        + (" and its KMS key" if key else ""), 1 + (KEY_RESOURCES if key else 0),
        LandingZonePayload("LandingZone", bp.control_tower.landing_zone.version, manifest, paths, key))


def _controls(bp: Blueprint, plan: Plan, units: tuple[str, ...], unit_ids: dict[str, str],
              result: ComponentResult) -> tuple[EnabledControlPlan, ...]:
    context = landing_zone_context(bp)
    # Issues of the guardrails themselves are reported by the native path already.
    placements, issues = place_controls(bp, probed_instances(bp, context), units)
    result.issues += issues
    lanes = bp.control_tower.max_concurrent_operations
    arn, home = partition(plan.home_region), plan.home_region
    keyed = []
    for p in placements:
        # The OU's logical id, not its path: renaming an OU replaces none of its controls.
        key = f"{p.instance.control.id}/{unit_ids[p.path]}"
        model = None
        if p.tower.behavior == "preventive":
            statements = render(p.instance.control.scp, {**context, **p.instance.values})
            model = {"Version": "2012-10-17", "Statement": statements}
        keyed.append((key, p, model))
    out: list[EnabledControlPlan] = []
    last: dict[int, str] = {}
    for key, p, model in sorted(keyed, key=lambda k: k[0]):
        # A control's lane depends on its own key only: switching a control on one OU moves no
        # other control to another lane (only its lane successor waits for something else).
        lane = bucket_of(key, lanes)
        lid = logical_id("Control", key)
        out.append(EnabledControlPlan(
            control_id=p.instance.control.id, identifier=p.tower.identifier, arn=p.tower.arn(arn, home),
            behavior=p.tower.behavior, path=p.path, unit_logical_id=unit_ids[p.path], logical_id=lid, lane=lane,
            after=last.get(lane), parameters=p.parameters, model=model))
        last[lane] = lid
    return tuple(out)


def _enrollment(bp: Blueprint, plan: Plan, units: tuple[str, ...], unit_ids: dict[str, str]
                ) -> tuple[EnrollmentPlan, ...]:
    ids: dict[str, list[str]] = {}
    for account in bp.organization.accounts:
        unit = account_unit(bp, account)
        if unit in units and account.id:
            ids.setdefault(unit, []).append(account.id)
    out, previous = [], None
    for path in units:   # one OU operation at a time, parents first
        if path in ids:
            lid = logical_id("Enrollment", unit_ids[path])
            out.append(EnrollmentPlan(path, unit_ids[path], lid, tuple(sorted(ids[path])), previous))
            previous = lid
    return tuple(out)


# ---------- what AWS Control Tower owns: not synthesized twice ----------

TRAIL = "organization-trail"
RECORDER_RESOURCES = ("ConfigRecorderRole", "ConfigurationRecorder", "DeliveryChannel")


def without_tower_owned(bp: Blueprint, stacks: list[StackPlan]) -> list[StackPlan]:
    """Under control-tower: no organization trail stack (the landing zone's trail logs the
    organization), no Config aggregator in the audit stack (the landing zone aggregates in the audit
    account). The audit stack keeps the central security event path."""
    if not uses_tower(bp):
        return stacks
    out = []
    for stack in stacks:
        if stack.component == TRAIL:
            continue
        if isinstance(stack.payload, AuditPlan):
            audit = replace(stack.payload, aggregator=False)
            stack = replace(stack, payload=audit, resources=audit_resources(audit))
        out.append(stack)
    return out


def without_tower_recorder(bp: Blueprint, stacksets: list[StackSetPlan]) -> list[StackSetPlan]:
    """Under control-tower: the member accounts' baseline StackSet keeps the security event
    forwarding (and the access role of invited accounts) but not the AWS Config recorder and
    delivery channel, which every account of a registered OU receives from AWS Control Tower. A
    baseline left empty is dropped, and the StackSets that waited for it no longer do."""
    if not uses_tower(bp):
        return stacksets
    baseline = next((s for s in stacksets if s.name == f"{bp.name}-config-baseline"), None)
    if baseline is None:
        return stacksets
    resources = {k: v for k, v in baseline.template["Resources"].items() if k not in RECORDER_RESOURCES}
    if resources:
        template = {**baseline.template, "Resources": resources,
                    "Description": f"{bp.name} landing zone baseline: security event forwarding (AWS Config "
                                   "recording comes from AWS Control Tower)"}
        return [replace(s, template=template, description=template["Description"]) if s is baseline else s
                for s in stacksets]
    return [replace(s, depends_on=tuple(d for d in s.depends_on if d != baseline.logical_id))
            for s in stacksets if s is not baseline]
