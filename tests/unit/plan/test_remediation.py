"""guardrails.remediate: the control is switched on where nothing enables it, its instances split so each
detective StackSet holds it with or without the remediation, and the RemediationConfiguration, role and
runbook in that StackSet's body."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.remediation import RemediationSpec, with_remediations
from landing_zone.plan.targets import Target
from tests.helpers import minimal, write

SSH = "AWS-GR_RESTRICTED_SSH"          # strongly recommended, detective, AWS-owned runbook
TAGS = "LZ-TAG-004"                    # elective, by id only, the catalog's own runbook
ROOT, SECURITY, WORKLOADS = Target("root", "Root"), Target("ou", "Security"), Target("ou", "Workloads")


def load(tmp_path, guardrails: dict):
    data = minimal()
    data["tags"] = {"Owner": "platform", "CostCenter": "1000"}
    data["guardrails"] = guardrails
    return load_blueprint(write(tmp_path, data))


def split(tmp_path, guardrails: dict):
    bp = load(tmp_path, guardrails).model
    instances, issues = resolve_guardrails(bp, landing_zone_context(bp))
    assert issues == []
    return sorted(((i.targets, i.remediation) for i in with_remediations(bp, instances) if i.control.id == SSH),
                  key=repr)


def test_a_remediation_on_an_ou_splits_the_root_instance(tmp_path):
    got = split(tmp_path, {"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
                           "remediate": [{"control": SSH, "units": ["Workloads"], "mode": "manual"}]})
    assert got == [((SECURITY,), None), ((WORKLOADS,), RemediationSpec("manual", 5, 60))]


def test_a_remediation_alone_switches_the_control_on_there_only(tmp_path):
    got = split(tmp_path, {"remediate": [{"control": SSH, "units": ["Workloads"], "attempts": 2}]})
    assert got == [((WORKLOADS,), RemediationSpec("automatic", 2, 60))]


def test_a_remediation_everywhere_keeps_one_instance(tmp_path):
    got = split(tmp_path, {"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
                           "remediate": [{"control": SSH, "units": ["Root"]}]})
    assert got == [((ROOT,), RemediationSpec("automatic", 5, 60))]


def test_a_disabled_target_stays_disabled(tmp_path):
    got = split(tmp_path, {"remediate": [{"control": SSH, "units": ["Root"]}],
                           "disable": [{"control": SSH, "units": ["Workloads"]}]})
    assert got == [((SECURITY,), RemediationSpec("automatic", 5, 60))]


def body_of(plan, control_id):
    return next(s.template for s in plan.stacksets if control_id in s.controls)


def test_the_stackset_body_holds_rule_role_runbook_and_remediation(tmp_path):
    plan = build_plan(load(tmp_path, {"remediate": [{"control": TAGS, "units": ["Workloads"], "retry_seconds": 300}]}))
    stackset = next(s for s in plan.stacksets if TAGS in s.controls)
    assert stackset.targets == (WORKLOADS,)
    resources = stackset.template["Resources"]
    rule_id = next(k for k, r in resources.items() if r["Type"] == "AWS::Config::ConfigRule")
    assert resources[rule_id]["Properties"]["InputParameters"] == {
        "tag1Key": "CostCenter", "tag1Value": "1000", "tag2Key": "Owner", "tag2Value": "platform"}
    (remediation,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Config::RemediationConfiguration"]
    (document_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::SSM::Document"]
    (role_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role"]
    assert remediation == {
        "ConfigRuleName": {"Ref": rule_id}, "TargetType": "SSM_DOCUMENT", "TargetId": {"Ref": document_id},
        "Parameters": {"AutomationAssumeRole": {"StaticValue": {"Values": [{"Fn::GetAtt": [role_id, "Arn"]}]}},
                       "ResourceId": {"ResourceValue": {"Value": "RESOURCE_ID"}},
                       "RequiredTags": {"StaticValue": {"Values": ["CostCenter=1000", "Owner=platform"]}}},
        "Automatic": True, "MaximumAutomaticAttempts": 5, "RetryAttemptSeconds": 300,
        "ExecutionControls": {"SsmControls": {"ConcurrentExecutionRatePercentage": 10, "ErrorPercentage": 10}}}
    document = resources[document_id]["Properties"]
    assert (document["Name"], document["DocumentType"], document["Content"]["schemaVersion"]) == (
        "acme-lz-tag-004-SetRequiredTags", "Automation", "0.3")
    role = resources[role_id]["Properties"]
    assert role["RoleName"] == {"Fn::Sub": "acme-remediate-e2a58ba8-${AWS::Region}"}
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ssm.amazonaws.com"}
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} == {
        "config:SelectResourceConfig", "ec2:CreateTags", "iam:PassRole", "s3:GetBucketTagging",
        "s3:PutBucketTagging", "ssm:GetAutomationExecution", "ssm:StartAutomationExecution", "tag:GetResources",
        "tag:TagResources"}
    passing = next(s for s in statements if s["Action"] == "iam:PassRole")
    assert passing["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}


@pytest.mark.parametrize("control, document, parameters", [
    ("AWS-GR_S3_VERSIONING_ENABLED", "AWS-ConfigureS3BucketVersioning",
     {"BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}}, "VersioningState": {"StaticValue": {"Values": ["Enabled"]}}}),
    ("AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "AWSConfigRemediation-DisablePublicAccessToRDSInstance",
     {"DbiResourceId": {"ResourceValue": {"Value": "RESOURCE_ID"}}}),
], ids=["s3-versioning", "rds-public"])
def test_aws_owned_runbooks_are_named_not_created(tmp_path, control, document, parameters):
    plan = build_plan(load(tmp_path, {"remediate": [{"control": control, "units": ["Root"], "mode": "manual"}]}))
    resources = body_of(plan, control)["Resources"]
    assert not any(r["Type"] == "AWS::SSM::Document" for r in resources.values())
    (remediation,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Config::RemediationConfiguration"]
    assert remediation["TargetId"] == document and remediation["Automatic"] is False
    assert {k: v for k, v in remediation["Parameters"].items() if k != "AutomationAssumeRole"} == parameters


def test_reordering_remediations_changes_nothing(tmp_path):
    entries = [{"control": SSH, "units": ["Workloads", "Security"]}, {"control": TAGS, "units": ["Workloads"]}]
    first = build_plan(load(tmp_path, {"remediate": entries}))
    second = build_plan(load(tmp_path, {"remediate": [{"control": TAGS, "units": ["Workloads"]},
                                                      {"control": SSH, "units": ["Security", "Workloads"]}]}))
    assert [(s.name, s.template) for s in first.stacksets] == [(s.name, s.template) for s in second.stacksets]
