"""Service-managed StackSets: the AWS Config baseline and the detective guardrails, one per target set."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog.load import GUARD_DIR
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
    files: tuple[tuple[str, str], ...] = ()   # (key, text) the rules bucket must hold for it


def log_bucket_name(bp: Blueprint, log_archive_id: str) -> str:
    return f"{bp.name}-logs-{log_archive_id}-{bp.home_region}"


def regions_home_first(bp: Blueprint) -> tuple[str, ...]:
    return (bp.home_region,) + tuple(sorted(set(bp.governed_regions) - {bp.home_region}))


def config_baseline(bp: Blueprint, log_archive_id: str) -> StackSetPlan:
    """The account baseline: the AWS Config recorder every detective control needs, and what the
    logging component adds (see _extend_baseline)."""
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
    _extend_baseline(bp, template, log_archive_id)
    name = f"{bp.name}-config-baseline"
    return StackSetPlan(name=name, description=template["Description"], template=template,
                        targets=(ROOT_TARGET,), regions=regions_home_first(bp),
                        logical_id=logical_id("StackSet", name))


def _extend_baseline(bp: Blueprint, template: dict[str, Any], log_archive_id: str) -> None:
    """What the logging component adds to every account: delivery rights for the recorder, the
    security event forwarding rules with their role, and OrganizationAccountAccessRole in invited accounts."""
    from landing_zone.blueprint.query import account_role
    from landing_zone.plan.keys import key_arn_for
    from landing_zone.plan.logging import (
        config_recorder_role, event_forwarder_role, forwarded_events, forwarding_rule_id, security_bus_arn,
    )

    resources = template["Resources"]
    bucket = log_bucket_name(bp, log_archive_id)
    # The bucket's key: the blueprint's (which may belong to another account) or the log archive's own.
    log_archive = next((a.name for a in bp.organization.accounts if account_role(bp, a) == "log-archive"), "")
    bucket_key = key_arn_for(bp, service="s3", account=log_archive, region=bp.home_region)
    key_owner = bucket_key.split(":")[4] if bucket_key else log_archive_id
    # Delivery into another account's bucket goes through the recorder's role (and the bucket and
    # key policies in the log archive, which admit this role name within the organization).
    resources["ConfigRecorderRole"]["Properties"]["Policies"] = [{
        "PolicyName": "deliver-to-log-archive", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:ListBucket"], "Resource": f"arn:aws:s3:::{bucket}"},
            {"Effect": "Allow", "Action": "s3:PutObject",
             "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/*/Config/*",
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
             "Resource": f"arn:aws:kms:{bp.home_region}:{key_owner}:key/*"}]}}]
    assert config_recorder_role(bp.name) == resources["ConfigRecorderRole"]["Properties"]["RoleName"]
    audit_id = next((a.id for a in bp.organization.accounts if account_role(bp, a) == "audit"), None)
    events = forwarded_events(bp)
    if events and audit_id:
        bus = security_bus_arn(bp, audit_id)
        role = event_forwarder_role(bp.name)
        resources["EventForwarderRole"] = {
            "Type": "AWS::IAM::Role", "Condition": "IsHomeRegion",
            "Properties": {
                "RoleName": role,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
                "Policies": [{"PolicyName": "forward-security-events", "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus}]}}],
            }}
        for event in events:
            resources[forwarding_rule_id(event.name)] = {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "Name": f"{bp.name}-forward-{event.name.lower()}"[:64],
                    "Description": f"Forwards {event.name} to the central security event bus",
                    "State": "ENABLED", "EventPattern": event.pattern(),
                    "Targets": [{"Id": "CentralSecurityBus", "Arn": bus, "RoleArn": {
                        "Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role}"}}],
                }}
        template["Description"] += "; security event forwarding"
    ids = sorted({a.id for a in bp.organization.accounts if a.name in set(bp.logging.invited_accounts) and a.id})
    if ids:
        template["Conditions"]["IsInvitedAccount"] = _any_account(ids)
        template["Conditions"]["CreatesAccessRole"] = {"Fn::And": [
            {"Condition": "IsHomeRegion"}, {"Condition": "IsInvitedAccount"}]}
        resources["OrganizationAccountAccessRole"] = {
            "Type": "AWS::IAM::Role", "Condition": "CreatesAccessRole",
            "Properties": {
                "RoleName": "OrganizationAccountAccessRole",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"AWS": f"arn:aws:iam::{bp.organization.management_account_id}:root"}}]},
                "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}],
            }}
        template["Description"] += "; access role for invited accounts"


def _any_account(ids: list[str]) -> dict[str, Any]:
    """A condition true in any of these accounts (Fn::Or takes 2-10 conditions, so nest in tens)."""
    terms: list[dict[str, Any]] = [{"Fn::Equals": [{"Ref": "AWS::AccountId"}, i]} for i in ids]
    while len(terms) > 1:
        terms = [{"Fn::Or": terms[i:i + 10]} if len(terms[i:i + 10]) > 1 else terms[i]
                 for i in range(0, len(terms), 10)]
    return terms[0]


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


def rules_bucket_name(bp: Blueprint) -> str:
    return f"{bp.name}-guard-rules-{bp.organization.management_account_id}-{bp.home_region}"


def proactive_stacksets(bp: Blueprint, instances: list[ControlInstance]) -> list[StackSetPlan]:
    """A CloudFormation Guard hook per target set, reading its rules from the management account's
    rules bucket: every stack operation in those accounts is checked before anything is created."""
    by_targets: dict[tuple[Target, ...], list[ControlInstance]] = defaultdict(list)
    for instance in instances:
        if instance.control.behavior == "proactive":
            by_targets[tuple(sorted(instance.targets))].append(instance)
    plans = []
    for targets, group in sorted(by_targets.items()):
        group = sorted(group, key=lambda i: i.control.id)
        key = ",".join(t.key for t in targets)
        label = "root" if targets == (ROOT_TARGET,) else pascal(targets[0].ref).lower()[:30]
        name = f"{bp.name}-proactive-{label}-{digest(key, 6)}"
        rules_key = f"proactive/{name}.guard"
        rules = "\n".join((GUARD_DIR / i.control.guard_rule.file).read_text() for i in group)
        role = f"{bp.name}-guard-hook-{digest(key, 6)}"
        types = sorted({t for i in group for t in i.control.guard_rule.target_types})
        template = {
            "AWSTemplateFormatVersion": TEMPLATE_VERSION,
            "Description": f"{bp.name} proactive guardrails for {', '.join(t.label() for t in targets)}"[:1024],
            "Conditions": {"IsHomeRegion": {"Fn::Equals": [{"Ref": "AWS::Region"}, bp.home_region]}},
            "Resources": {
                "HookRole": {
                    "Type": "AWS::IAM::Role", "Condition": "IsHomeRegion",
                    "Properties": {
                        "RoleName": role,
                        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Principal": {"Service": "hooks.cloudformation.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
                        "Policies": [{"PolicyName": "read-guard-rules", "PolicyDocument": {
                            "Version": "2012-10-17", "Statement": [{
                                "Effect": "Allow", "Action": "s3:GetObject",
                                "Resource": f"arn:aws:s3:::{rules_bucket_name(bp)}/{rules_key}"}]}}],
                    }},
                "GuardHook": {
                    "Type": "AWS::CloudFormation::GuardHook",
                    "Properties": {
                        "Alias": f"Lz::{pascal(bp.name)}::Proactive{digest(key, 6)}",
                        "ExecutionRole": {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role}"},
                        "FailureMode": "FAIL", "HookStatus": "ENABLED",
                        "RuleLocation": {"Uri": f"s3://{rules_bucket_name(bp)}/{rules_key}"},
                        "TargetOperations": ["RESOURCE"],
                        "TargetFilters": {"Actions": ["CREATE", "UPDATE"], "TargetNames": types},
                    }},
            },
        }
        plans.append(StackSetPlan(name=name, description=template["Description"], template=template,
                                  targets=targets, regions=regions_home_first(bp),
                                  logical_id=logical_id("StackSet", name),
                                  controls=tuple(i.control.id for i in group), files=((rules_key, rules),)))
    return plans
