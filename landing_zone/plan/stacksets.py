"""Service-managed StackSets: the AWS Config baseline and the detective guardrails, one per target set."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.guardrails import ControlInstance
from landing_zone.plan.names import digest, logical_id, pascal
from landing_zone.plan.targets import ROOT_TARGET, Target
from landing_zone.policy.templating import render

TEMPLATE_VERSION = "2010-09-09"


@dataclass(frozen=True)
class StackSetPlan:
    name: str
    description: str
    template: dict[str, Any]
    targets: tuple[Target, ...]
    regions: tuple[str, ...]          # home region first: global resources are created there
    logical_id: str
    controls: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()  # logical ids of StackSets to create first


def log_bucket_name(bp: Blueprint, log_archive_id: str) -> str:
    return f"{bp.name}-logs-{log_archive_id}-{bp.home_region}"


def regions_home_first(bp: Blueprint) -> tuple[str, ...]:
    return (bp.home_region,) + tuple(sorted(set(bp.governed_regions) - {bp.home_region}))


def config_baseline(bp: Blueprint, log_archive_id: str) -> StackSetPlan:
    """The AWS Config recorder every detective control needs (the logging issue will extend it)."""
    role = f"{bp.name}-config-recorder"
    template = {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": f"{bp.name} landing zone baseline: AWS Config recorder and delivery channel",
        "Conditions": {"IsHomeRegion": {"Fn::Equals": [{"Ref": "AWS::Region"}, bp.home_region]}},
        "Resources": {
            "ConfigRecorderRole": {
                "Type": "AWS::IAM::Role", "Condition": "IsHomeRegion",
                "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "RoleName": role,
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
                    "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole"}],
                }},
            "ConfigurationRecorder": {
                "Type": "AWS::Config::ConfigurationRecorder",
                "Properties": {
                    "Name": f"{bp.name}-recorder",
                    "RoleARN": {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role}"},
                    # Global resources (IAM) are recorded once, in the home region.
                    "RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes":
                                       {"Fn::If": ["IsHomeRegion", True, False]}},
                }},
            "DeliveryChannel": {
                "Type": "AWS::Config::DeliveryChannel",
                "Properties": {
                    "Name": f"{bp.name}-delivery",
                    "S3BucketName": log_bucket_name(bp, log_archive_id),
                    "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"},
                }},
        },
    }
    name = f"{bp.name}-config-baseline"
    return StackSetPlan(name=name, description=template["Description"], template=template,
                        targets=(ROOT_TARGET,), regions=regions_home_first(bp),
                        logical_id=logical_id("StackSet", name))


def detective_stacksets(bp: Blueprint, instances: list[ControlInstance], context: dict[str, Any],
                        baseline: StackSetPlan) -> list[StackSetPlan]:
    by_targets: dict[tuple[Target, ...], list[ControlInstance]] = defaultdict(list)
    for instance in instances:
        if instance.control.behavior == "detective":
            by_targets[tuple(sorted(instance.targets))].append(instance)
    plans = []
    for targets, group in sorted(by_targets.items()):
        resources = {}
        for instance in sorted(group, key=lambda i: i.control.id):
            rule = instance.control.config_rule
            properties: dict[str, Any] = {
                "ConfigRuleName": f"{bp.name}-{instance.control.id.lower().replace('_', '-')}"[:128],
                "Description": instance.control.title,
                "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier},
            }
            inputs = render(rule.input_parameters, {**context, **instance.values})
            inputs = {k: v for k, v in inputs.items() if v not in (None, "", [])}
            if inputs:
                properties["InputParameters"] = inputs
            if rule.resource_types:
                properties["Scope"] = {"ComplianceResourceTypes": list(rule.resource_types)}
            if rule.maximum_execution_frequency:
                properties["MaximumExecutionFrequency"] = rule.maximum_execution_frequency
            resources[logical_id("Rule", instance.control.id)] = {
                "Type": "AWS::Config::ConfigRule", "Properties": properties}
        key = ",".join(t.key for t in targets)
        label = "root" if targets == (ROOT_TARGET,) else pascal(targets[0].ref).lower()[:30]
        name = f"{bp.name}-detective-{label}-{digest(key, 6)}"
        controls = tuple(sorted(i.control.id for i in group))
        template = {"AWSTemplateFormatVersion": TEMPLATE_VERSION,
                    "Description": f"{bp.name} detective guardrails for {', '.join(t.label() for t in targets)}"[:1024],
                    "Resources": resources}
        plans.append(StackSetPlan(name=name, description=template["Description"], template=template,
                                  targets=targets, regions=regions_home_first(bp),
                                  logical_id=logical_id("StackSet", name), controls=controls,
                                  depends_on=(baseline.logical_id,)))
    return plans
