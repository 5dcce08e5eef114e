"""The control-tower engine's stacks (management account, home region): landing zone, OU
registrations, enabled controls and account enrollment, each built from its plan payload."""
from __future__ import annotations

import copy
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_controltower as controltower
from constructs import Construct

from landing_zone.cdk.constructs.control_tower import BaselineHandler, TowerKey, ou_arn
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.control_tower import (
    ControlsPayload,
    EnrollmentPayload,
    LandingZonePayload,
    RegistrationsPayload,
)


def _tags(plan: Plan) -> list[cdk.CfnTag]:
    return [cdk.CfnTag(key=k, value=v) for k, v in plan.tags]


class LandingZoneStack(PlannedStack):
    """The AWS::ControlTower::LandingZone, retained: deleting it would decommission AWS Control Tower."""

    payload_type = LandingZonePayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs: Any) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: LandingZonePayload = self.payload
        manifest = copy.deepcopy(payload.manifest)
        if payload.key is not None:
            key = TowerKey(self, "Key", key=payload.key)
            for path in payload.key_paths:
                node = manifest
                for part in path[:-1]:
                    node = node[part]
                node[path[-1]] = key.arn
        zone = controltower.CfnLandingZone(self, payload.logical_id, manifest=manifest, version=payload.version,
                                           tags=_tags(plan))
        zone.override_logical_id(payload.logical_id)
        zone.apply_removal_policy(cdk.RemovalPolicy.RETAIN)


class RegistrationsStack(PlannedStack):
    """One AWS::ControlTower::EnabledBaseline per registered OU, parents first, in one chain."""

    payload_type = RegistrationsPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs: Any) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: RegistrationsPayload = self.payload
        parameters = None
        if payload.identity_center_baseline_arn:
            lookup = BaselineHandler(self, "Lookup", prefix=plan.name, enroll=False).provider.resource(
                self, payload.lookup_logical_id, resource_type="Custom::ControlTowerEnabledBaseline",
                properties={"Purpose": "lookup", "BaselineIdentifier": payload.identity_center_baseline_arn},
                retain=False)
            parameters = [controltower.CfnEnabledBaseline.ParameterProperty(
                key="IdentityCenterEnabledBaselineArn", value=lookup.get_att_string("Arn"))]
        made: dict[str, cdk.CfnResource] = {}
        for unit in payload.units:
            baseline = controltower.CfnEnabledBaseline(
                self, unit.logical_id, baseline_identifier=payload.baseline_arn,
                baseline_version=payload.baseline_version, target_identifier=ou_arn(plan, unit.unit_logical_id),
                parameters=parameters, tags=_tags(plan))
            baseline.override_logical_id(unit.logical_id)
            if unit.after:
                baseline.add_resource_dependency(made[unit.after])
            made[unit.logical_id] = baseline


class ControlsStack(PlannedStack):
    """One AWS::ControlTower::EnabledControl per (control, OU), in `lanes` DependsOn chains."""

    payload_type = ControlsPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs: Any) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: ControlsPayload = self.payload
        made: dict[str, cdk.CfnResource] = {}
        for control in payload.controls:
            enabled = controltower.CfnEnabledControl(
                self, control.logical_id, control_identifier=control.arn,
                target_identifier=ou_arn(plan, control.unit_logical_id),
                parameters=[controltower.CfnEnabledControl.EnabledControlParameterProperty(key=k, value=v)
                            for k, v in control.parameters] or None, tags=_tags(plan))
            enabled.override_logical_id(control.logical_id)
            if control.after:
                enabled.add_resource_dependency(made[control.after])
            made[control.logical_id] = enabled


class EnrollmentStack(PlannedStack):
    """Per registered OU with accounts: re-apply its baseline while an account is not enrolled, one
    OU at a time (AWS Control Tower runs one OU operation at once)."""

    payload_type = EnrollmentPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs: Any) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: EnrollmentPayload = self.payload
        provider = BaselineHandler(self, "Enrollment", prefix=plan.name, enroll=True).provider
        made: dict[str, cdk.CustomResource] = {}
        for unit in payload.units:
            resource = provider.resource(
                self, unit.logical_id, resource_type="Custom::ControlTowerEnrollment", retain=False,
                properties={"Purpose": "enroll", "BaselineIdentifier": payload.baseline_arn,
                            "TargetIdentifier": ou_arn(plan, unit.unit_logical_id),
                            "AccountIds": list(unit.account_ids)})
            if unit.after:
                resource.node.add_dependency(made[unit.after])
            made[unit.logical_id] = resource
