"""Who may assume the landing zone's roles and use its keys: each trust and key statement exactly."""
from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from landing_zone.explain.deployed import read_deployed
from landing_zone.plan.principals import landing_zone_principals
from landing_zone.policy.evaluate import evaluate
from landing_zone.policy.request import Request

THIS_ACCOUNT = {"Ref": "AWS::AccountId"}


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def root(account_id: str, partition: str = "aws") -> str:
    # The stack's region is known at synth, so CDK writes the partition as text, not as a reference.
    return f"arn:{partition}:iam::{account_id}:root"


def reader_role(result) -> dict:
    (role,) = resources(result.templates()[f"{result.plan.name}-log-archive"], "AWS::IAM::Role").values()
    return role["Properties"]


def account_id(plan, role: str) -> str:
    return next(a.id for a in plan.accounts if a.role == role)


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_log_reader_role_trusts_only_the_audit_accounts_identity_center_roles(synthesized, blueprint):
    result = synthesized(blueprint)
    audit = account_id(result.plan, "audit")
    role = reader_role(result)
    assert (role["RoleName"], role["Path"]) == (f"{result.plan.name}-log-reader", "/readers/")
    assert role["AssumeRolePolicyDocument"] == {"Version": "2012-10-17", "Statement": [{
        "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": root(audit)},
        "Condition": {"ArnLike": {"aws:PrincipalArn": [
            f"arn:aws:iam::{audit}:role/aws-reserved/sso.amazonaws.com/*"]}}}]}


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_log_reader_role_is_outside_the_exempt_namespace_and_assumable(synthesized, blueprint):
    # The guardrails exempt the landing zone's own roles by name and deny everyone else assuming them
    # (LZ-IAM-003): a reader role among them would be both an exemption for the audit account's people
    # and one they could not use. Its ARN is taken from the template, not from the plan.
    result = synthesized(blueprint)
    plan, role = result.plan, reader_role(result)
    arn = f"arn:aws:iam::{account_id(plan, 'log-archive')}:role{role['Path']}{role['RoleName']}"
    audit = next(a for a in plan.accounts if a.role == "audit")
    person = (f"arn:aws:iam::{audit.id}:role/aws-reserved/sso.amazonaws.com/us-east-1/"
              "AWSReservedSSO_Audit_0123456789ab")
    levels = read_deployed(result.outdir, plan).levels(audit.name)
    assume = evaluate(Request(action="sts:AssumeRole", resource=arn, principal=person), scps=levels)
    assert assume.decision != "explicit-deny", assume.reason
    assert not any(fnmatchcase(arn, pattern) for pattern in landing_zone_principals(plan.partition, plan.name, plan.qualifier))
    # the same request on a role inside the exempt namespace is denied: the evaluation above is not vacuous
    exempt_arn = f"arn:aws:iam::{account_id(plan, 'log-archive')}:role/{plan.name}-log-reader"
    inside = evaluate(Request(action="sts:AssumeRole", principal=person, resource=exempt_arn), scps=levels)
    assert inside.decision == "explicit-deny"


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_config_aggregator_role_is_assumed_by_config_for_this_account_only(synthesized, blueprint):
    result = synthesized(blueprint)
    roles = resources(result.templates()[f"{result.plan.name}-audit"], "AWS::IAM::Role")
    (role,) = [r for r in roles.values() if r["Properties"]["RoleName"].endswith("-config-aggregator")]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [{
        "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
        "Condition": {"StringEquals": {"aws:SourceAccount": THIS_ACCOUNT}}}]


def topic_arn(name: str) -> dict:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sns:", {"Ref": "AWS::Region"}, ":",
                              {"Ref": "AWS::AccountId"}, f":{name}"]]}


@pytest.mark.parametrize(("stack", "service", "condition"), [
    pytest.param("audit", "events.amazonaws.com",
                 {"StringEquals": {"kms:EncryptionContext:aws:sns:topicArn": topic_arn("acme-security-events")}},
                 id="eventbridge-topic-only"),
    pytest.param("organization-trail", "cloudwatch.amazonaws.com",
                 {"StringEquals": {"kms:EncryptionContext:aws:sns:topicArn": topic_arn("acme-security-alarms"),
                                   "aws:SourceAccount": THIS_ACCOUNT},
                  "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*"}},
                 id="cloudwatch-alarms-of-this-account"),
])
def test_topic_keys_let_the_publisher_encrypt_for_their_topic_only(synthesized, stack, service, condition):
    template = synthesized("standard").templates()[f"acme-{stack}"]
    statements = [s for k in resources(template, "AWS::KMS::Key").values()
                  for s in k["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "PublisherUsesKey"]
    assert statements == [{"Sid": "PublisherUsesKey", "Effect": "Allow", "Principal": {"Service": service},
                           "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
                           "Condition": condition}]


def test_guard_rules_buckets_log_their_access(synthesized):
    result = synthesized("enterprise")
    plan = result.plan
    stacks = {n: t for n, t in result.templates().items() if n.startswith(f"{plan.name}-guard-rules-")}
    assert len(stacks) == 3
    for name, template in stacks.items():
        region = name.removeprefix(f"{plan.name}-guard-rules-")
        buckets = {b["Properties"]["BucketName"]: (k, b)
                   for k, b in resources(template, "AWS::S3::Bucket").items()}
        rules_name = f"globex-guard-rules-{plan.management_account_id}-{region}"
        logs_name = f"globex-access-logs-{plan.management_account_id}-{region}"
        assert set(buckets) == {rules_name, logs_name}
        logs_id, logs = buckets[logs_name]
        _, rules = buckets[rules_name]
        assert rules["Properties"]["LoggingConfiguration"] == {"DestinationBucketName": {"Ref": logs_id},
                                                               "LogFilePrefix": f"{rules_name}/"}
        props = logs["Properties"]
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        assert "ObjectLockEnabled" not in props and "LoggingConfiguration" not in props
        assert (logs["DeletionPolicy"], logs["UpdateReplacePolicy"]) == ("Retain", "Retain")
        assert props["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 2555
        (policy,) = [p for p in resources(template, "AWS::S3::BucketPolicy").values()
                     if p["Properties"]["Bucket"] == {"Ref": logs_id}]
        delivery = next(s for s in policy["Properties"]["PolicyDocument"]["Statement"]
                        if s.get("Sid") == "S3ServerAccessLogsFromTheRulesBucket")
        assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
        assert delivery["Condition"] == {
            "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                                            f":s3:::{rules_name}"]]}},
            "StringEquals": {"aws:SourceAccount": THIS_ACCOUNT}}
