"""The account baseline StackSet body: AWS Config recorder and delivery, security event forwarding,
and OrganizationAccountAccessRole for invited accounts, in every member account and governed region.

Within one stack instance, everything waits for what it uses (GetAtt, DependsOn). Across regions
nothing does: automatic deployments to new accounts ignore the StackSet's region order, so every
region's instance creates the roles it uses (their names carry the region).
"""
from __future__ import annotations

from typing import Any

from landing_zone.blueprint.cloudtrail import KNOWN_EVENTS, KnownEvent
from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.account_baseline import account_baseline_resources, applies_to_root_only
from landing_zone.plan.names import logical_id
from landing_zone.plan.shared import (
    config_bucket_name,
    config_recorder_role,
    event_forwarder_role,
    key_arn_for,
    partition,
    role_account,
    security_bus_arn,
)

TEMPLATE_VERSION = "2010-09-09"
REGION = "${AWS::Region}"


def forwarded_events(bp: Blueprint) -> list[KnownEvent]:
    return [KNOWN_EVENTS[n] for n in dict.fromkeys(bp.logging.notifications.events) if n in KNOWN_EVENTS]


def forwarding_rule_id(event: str) -> str:
    return logical_id("Forward", event)


def _service_trust(service: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}


def baseline_template(bp: Blueprint, log_archive_id: str) -> dict[str, Any]:
    name = bp.name
    bucket = config_bucket_name(bp, log_archive_id)
    arn = partition(bp.home_region)
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": f"{name} landing zone baseline: AWS Config recorder and delivery channel",
        "Conditions": {"IsHomeRegion": {"Fn::Equals": [{"Ref": "AWS::Region"}, bp.home_region]}},
        "Resources": {
            "ConfigRecorderRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Fn::Sub": config_recorder_role(name, REGION)},
                    "AssumeRolePolicyDocument": _service_trust("config.amazonaws.com"),
                    "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole"}],
                    "Policies": [{"PolicyName": "deliver-to-log-archive",
                                  "PolicyDocument": _delivery_policy(bp, bucket, log_archive_id, arn)}],
                }},
            "ConfigurationRecorder": {
                "Type": "AWS::Config::ConfigurationRecorder",
                "Properties": {
                    "Name": f"{name}-recorder",
                    # GetAtt, not a name: the recorder waits for its role.
                    "RoleARN": {"Fn::GetAtt": ["ConfigRecorderRole", "Arn"]},
                    # Global resources (IAM) are recorded once, in the home region.
                    "RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes":
                                       {"Fn::If": ["IsHomeRegion", True, False]}},
                }},
            "DeliveryChannel": {
                "Type": "AWS::Config::DeliveryChannel",
                # AWS Config needs a recorder before it accepts a delivery channel.
                "DependsOn": "ConfigurationRecorder",
                "Properties": {
                    "Name": f"{name}-delivery",
                    "S3BucketName": bucket,
                    "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"},
                }},
        },
    }
    _add_event_forwarding(bp, template)
    _add_access_role(bp, template)
    if bp.account_baseline and applies_to_root_only(bp.account_baseline):
        # Pending items (an EBS key whose owner has no id) are reported by plan/account_baseline_stackset.py.
        template["Resources"].update(account_baseline_resources(bp, bp.account_baseline, []))
        template["Description"] += "; account baseline settings"
    return template


def _delivery_policy(bp: Blueprint, bucket: str, log_archive_id: str, arn: str) -> dict[str, Any]:
    """Delivery into the log archive's bucket goes through the recorder's role (the bucket and key
    policies there admit these role names within the organization). The key is named: the blueprint
    key by its alias, or the log archive's own logs key by its alias."""
    log_archive = role_account(bp, "log-archive")
    key_alias_arn = key_arn_for(bp, service="s3", account=log_archive.name if log_archive else "",
                                region=bp.home_region)
    if key_alias_arn:
        owner, alias = key_alias_arn.split(":")[4], key_alias_arn.rsplit(":", 1)[1]
    else:
        owner, alias = log_archive_id, f"alias/{bp.name}/logs"
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:ListBucket"], "Resource": f"arn:{arn}:s3:::{bucket}"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:{arn}:s3:::{bucket}/AWSLogs/*/Config/*",
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": f"arn:{arn}:kms:{bp.home_region}:{owner}:key/*",
         "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": alias}}}]}


def _add_event_forwarding(bp: Blueprint, template: dict[str, Any]) -> None:
    audit = role_account(bp, "audit")
    events = forwarded_events(bp)
    if not events or not audit or not audit.id:
        return
    bus = security_bus_arn(bp, audit.id)
    resources = template["Resources"]
    resources["EventForwarderRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": {"Fn::Sub": event_forwarder_role(bp.name, REGION)},
            "AssumeRolePolicyDocument": _service_trust("events.amazonaws.com"),
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
                "Targets": [{"Id": "CentralSecurityBus", "Arn": bus,
                             "RoleArn": {"Fn::GetAtt": ["EventForwarderRole", "Arn"]}}],
            }}
    template["Description"] += "; security event forwarding"


def _add_access_role(bp: Blueprint, template: dict[str, Any]) -> None:
    ids = sorted({a.id for a in bp.organization.accounts if a.name in set(bp.logging.invited_accounts) and a.id})
    if not ids:
        return
    template["Conditions"]["IsInvitedAccount"] = _any_account(ids)
    template["Conditions"]["CreatesAccessRole"] = {"Fn::And": [
        {"Condition": "IsHomeRegion"}, {"Condition": "IsInvitedAccount"}]}
    template["Resources"]["OrganizationAccountAccessRole"] = {
        "Type": "AWS::IAM::Role", "Condition": "CreatesAccessRole",
        "Properties": {
            "RoleName": "OrganizationAccountAccessRole",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"AWS": f"arn:{partition(bp.home_region)}:iam::"
                                     f"{bp.organization.management_account_id}:root"}}]},
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
