"""account_baseline against moto (EC2, S3 Control, IAM, KMS), Stubber for what moto lacks (the instance
metadata defaults, resetting the EBS default key): each setting applied, put back only when asked,
idempotent, nothing on delete, default VPCs kept when in use, and the answer sent to CloudFormation."""
from __future__ import annotations

import json

import boto3
import pytest

from landing_zone.handlers import account_baseline
from landing_zone.handlers.account_baseline import PHYSICAL_ID, BaselineError, handler, on_event
from tests.unit.handlers.support import REGION, cfn_event

ACCOUNT = "123456789012"     # moto's account
POLICY = {"MinimumPasswordLength": "14", "RequireSymbols": "true", "RequireNumbers": "true",
          "RequireUppercaseCharacters": "true", "RequireLowercaseCharacters": "true",
          "AllowUsersToChangePassword": "true", "HardExpiry": "false", "MaxPasswordAge": "90",
          "PasswordReusePrevention": "24"}
ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


@pytest.fixture
def key_alias_arn(aws) -> str:
    kms = boto3.client("kms")
    kms.create_alias(AliasName="alias/lz/ebs", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/lz/ebs"


def default_vpcs() -> list[str]:
    return [v["VpcId"] for v in boto3.client("ec2").describe_vpcs(
        Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]]


def test_create_applies_every_setting_it_names(stubs, key_alias_arn):
    vpc = default_vpcs()[0]
    props = {"AccountId": ACCOUNT, "EbsEncryption": "enable", "EbsKmsKeyId": key_alias_arn,
             "S3BlockPublicAccess": "enable", "PasswordPolicy": POLICY, "ImdsDefaults": "require-v2",
             "DeleteDefaultVpc": "true"}
    # moto has no instance metadata defaults: the stub checks what the handler asks for.
    stubs.response("ec2", "modify_instance_metadata_defaults", {"Return": True},
                   {"HttpTokens": "required", "HttpPutResponseHopLimit": 2})

    result = on_event(cfn_event("Create", props))

    assert result == {"PhysicalResourceId": PHYSICAL_ID, "Data": {
        "EbsEncryption": f"enabled with {key_alias_arn}", "S3BlockPublicAccess": "all four settings on",
        "PasswordPolicy": "set", "ImdsDefaults": "IMDSv2 required", "DeleteDefaultVpc": f"{vpc} deleted"}}
    assert boto3.client("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
    assert boto3.client("s3control").get_public_access_block(AccountId=ACCOUNT)[
        "PublicAccessBlockConfiguration"] == ALL_ON
    policy = boto3.client("iam").get_account_password_policy()["PasswordPolicy"]
    assert (policy["MinimumPasswordLength"], policy["MaxPasswordAge"], policy["PasswordReusePrevention"],
            policy["RequireSymbols"], policy["HardExpiry"]) == (14, 90, 24, True, False)
    assert default_vpcs() == []


def test_settings_left_out_are_not_touched(aws, monkeypatch):
    calls = []
    real = boto3.client
    monkeypatch.setattr(boto3, "client", lambda service, *a, **k: calls.append(service) or real(service, *a, **k))

    result = on_event(cfn_event("Update", {"AccountId": ACCOUNT, "S3BlockPublicAccess": "enable"},
                                old={"AccountId": ACCOUNT, "S3BlockPublicAccess": "enable", "EbsEncryption": "enable"},
                                physical_id=PHYSICAL_ID))

    assert result["Data"] == {"S3BlockPublicAccess": "all four settings on"}
    assert calls == ["s3control"]      # EBS, dropped from the blueprint, stays as it is


def test_false_puts_the_aws_defaults_back(stubs):
    boto3.client("ec2").enable_ebs_encryption_by_default()
    boto3.client("s3control").put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_ON)
    boto3.client("iam").update_account_password_policy(MinimumPasswordLength=20)
    stubs.response("ec2", "modify_instance_metadata_defaults", {"Return": True},
                   {"HttpTokens": "no-preference", "HttpPutResponseHopLimit": -1})
    props = {"AccountId": ACCOUNT, "EbsEncryption": "disable", "S3BlockPublicAccess": "disable",
             "PasswordPolicy": "delete", "ImdsDefaults": "no-preference"}

    result = on_event(cfn_event("Create", props))

    assert result["Data"] == {"EbsEncryption": "disabled", "S3BlockPublicAccess": "removed",
                              "PasswordPolicy": "deleted", "ImdsDefaults": "no preference"}
    assert boto3.client("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    with pytest.raises(boto3.client("iam").exceptions.NoSuchEntityException):
        boto3.client("iam").get_account_password_policy()


def test_enable_without_a_key_resets_to_the_aws_managed_key(stubs):
    stubs.response("ec2", "reset_ebs_default_kms_key_id", {"KmsKeyId": "alias/aws/ebs"}, {})

    assert on_event(cfn_event("Create", {"AccountId": ACCOUNT, "EbsEncryption": "enable"}))["Data"] == {
        "EbsEncryption": "enabled with the AWS managed key"}


def test_applying_twice_changes_nothing_more(aws, key_alias_arn):
    props = {"AccountId": ACCOUNT, "EbsEncryption": "enable", "EbsKmsKeyId": key_alias_arn,
             "S3BlockPublicAccess": "enable", "PasswordPolicy": "delete", "DeleteDefaultVpc": "true"}

    first = on_event(cfn_event("Create", props))
    second = on_event(cfn_event("Update", props, old=props, physical_id=PHYSICAL_ID))

    assert first["Data"]["DeleteDefaultVpc"].endswith(" deleted")
    assert {k: v for k, v in second["Data"].items() if k != "DeleteDefaultVpc"} == {
        k: v for k, v in first["Data"].items() if k != "DeleteDefaultVpc"}
    assert second["Data"]["DeleteDefaultVpc"] == "none"


def test_a_default_vpc_in_use_is_kept(aws):
    ec2 = boto3.client("ec2")
    vpc = default_vpcs()[0]
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"][0]["SubnetId"]
    ec2.create_network_interface(SubnetId=subnet)

    result = on_event(cfn_event("Create", {"AccountId": ACCOUNT, "DeleteDefaultVpc": "true"}))

    assert result["Data"] == {"DeleteDefaultVpc": f"{vpc} kept (in use)"}
    assert default_vpcs() == [vpc]


def test_delete_changes_nothing_in_the_account(aws, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)

    assert on_event(cfn_event("Delete", {"AccountId": ACCOUNT, "EbsEncryption": "enable"},
                              physical_id=PHYSICAL_ID)) == {"PhysicalResourceId": PHYSICAL_ID}


@pytest.mark.parametrize("props, message", [
    ({"EbsEncryption": "on"}, "EbsEncryption: 'on' is not one of enable, disable"),
    ({"ImdsDefaults": "optional"}, "ImdsDefaults: 'optional' is not one of require-v2, no-preference"),
    ({"PasswordPolicy": {"MinimumLength": "14"}}, "PasswordPolicy: unknown parameters MinimumLength"),
], ids=["ebs", "imds", "password-policy"])
def test_bad_values_fail_clearly(aws, props, message):
    with pytest.raises(BaselineError, match=f"^{message}$"):
        on_event(cfn_event("Create", {"AccountId": ACCOUNT, **props}))


def test_a_refused_call_names_the_setting(stubs):
    stubs.error("iam", "update_account_password_policy", "AccessDenied", "explicit deny in a service control policy")

    with pytest.raises(BaselineError, match="^PasswordPolicy: AccessDenied: explicit deny in a service control policy$"):
        on_event(cfn_event("Create", {"AccountId": ACCOUNT, "PasswordPolicy": POLICY}))


class Answers:
    """Captures what the handler PUTs to CloudFormation's pre-signed URL."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[tuple[str, str, dict]] = []

        class Response:
            status = 200

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        def urlopen(request, timeout):
            self.sent.append((request.get_method(), request.full_url, json.loads(request.data)))
            return Response()

        monkeypatch.setattr(account_baseline.urllib.request, "urlopen", urlopen)


def test_the_entry_point_answers_success_to_cloudformation(aws, monkeypatch):
    answers = Answers(monkeypatch)
    event = cfn_event("Create", {"AccountId": ACCOUNT, "S3BlockPublicAccess": "enable"})

    handler(event)

    ((method, url, body),) = answers.sent
    assert (method, url) == ("PUT", event["ResponseURL"])
    assert body == {"Status": "SUCCESS", "Reason": "see the function's log", "PhysicalResourceId": PHYSICAL_ID,
                    "StackId": event["StackId"], "RequestId": event["RequestId"],
                    "LogicalResourceId": "Resource", "Data": {"S3BlockPublicAccess": "all four settings on"}}


def test_the_entry_point_answers_failed_with_the_reason(aws, monkeypatch):
    answers = Answers(monkeypatch)

    handler(cfn_event("Create", {"AccountId": ACCOUNT, "ImdsDefaults": "optional"}))

    ((_, _, body),) = answers.sent
    assert (body["Status"], body["Reason"], body["PhysicalResourceId"]) == (
        "FAILED", "ImdsDefaults: 'optional' is not one of require-v2, no-preference", PHYSICAL_ID)
