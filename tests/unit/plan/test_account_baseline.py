"""account_baseline: in the Config baseline body for Root (and the management account's baseline stacks),
in a StackSet of its own for other targets; the settings the custom resource gets, global ones in the home
region only; the handler's code inline; pending while the EBS key's owner has no id."""
from __future__ import annotations

import json

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.account_baseline import STACKSET_BODY_LIMIT, handler_source
from landing_zone.plan.cfn import resolve_for
from landing_zone.plan.targets import Target
from tests.helpers import minimal, write

EBS_KEY = {"alias": "alias/lz/ebs", "account": "audit", "primary_region": "us-east-1", "replica_regions": ["eu-west-1"],
           "services": ["ec2"], "grants": {"units": ["Root"]}}
EVERYTHING = {"ebs_default_encryption": {"key": "alias/lz/ebs"}, "s3_block_public_access": True,
              "iam_password_policy": {"max_age_days": None}, "imdsv2_default": True, "delete_default_vpcs": True}


def plan_of(tmp_path, baseline: dict, mutate=None):
    data = minimal()
    data["keys"] = [dict(EBS_KEY)]
    data["account_baseline"] = baseline
    if mutate:
        mutate(data)
    return build_plan(load_blueprint(write(tmp_path, data)))


def stackset(plan, suffix):
    return next(s for s in plan.stacksets if s.name.endswith(suffix))


def test_root_puts_it_in_the_config_baseline_and_the_management_account(tmp_path):
    plan = plan_of(tmp_path, EVERYTHING)
    assert not any(s.name.endswith("-account-baseline") for s in plan.stacksets)
    body = stackset(plan, "-config-baseline").template
    resource = body["Resources"]["AccountBaseline"]
    assert resource["Type"] == "Custom::AccountBaseline"
    assert {k: v for k, v in resource["Properties"].items() if k not in ("ServiceToken", "ServiceTimeout")} == {
        "AccountId": {"Ref": "AWS::AccountId"}, "EbsEncryption": "enable",
        "EbsKmsKeyId": {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:333333333333:alias/lz/ebs"},
        "S3BlockPublicAccess": {"Fn::If": ["IsHomeRegion", "enable", {"Ref": "AWS::NoValue"}]},
        "PasswordPolicy": {"Fn::If": ["IsHomeRegion", {
            "MinimumPasswordLength": 14, "RequireSymbols": True, "RequireNumbers": True,
            "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True, "AllowUsersToChangePassword": True,
            "HardExpiry": False, "PasswordReusePrevention": 24}, {"Ref": "AWS::NoValue"}]},
        "ImdsDefaults": "require-v2", "DeleteDefaultVpc": "true"}
    assert body["Resources"]["AccountBaselineFunction"]["Properties"]["Code"] == {"ZipFile": handler_source()}
    management = {s.region: s.payload.template for s in plan.stacks if s.component == "management-baseline"}
    home, other = (management[r]["Resources"]["AccountBaseline"]["Properties"] for r in ("us-east-1", "eu-west-1"))
    assert home["S3BlockPublicAccess"] == "enable" and "PasswordPolicy" in home
    assert "S3BlockPublicAccess" not in other and "PasswordPolicy" not in other
    assert len(json.dumps(body, separators=(",", ":"))) < STACKSET_BODY_LIMIT


def test_other_targets_get_a_stackset_of_their_own(tmp_path):
    plan = plan_of(tmp_path, {"units": ["Workloads"], "imdsv2_default": False})
    own = stackset(plan, "-account-baseline")
    assert own.targets == (Target("ou", "Workloads"),)
    assert own.depends_on == (stackset(plan, "-config-baseline").logical_id,)
    assert "AccountBaseline" not in stackset(plan, "-config-baseline").template["Resources"]
    properties = own.template["Resources"]["AccountBaseline"]["Properties"]
    assert properties["ImdsDefaults"] == "no-preference"
    # The management account is in no OU: a baseline for Workloads never reaches it.
    assert not any("AccountBaseline" in s.payload.template["Resources"]
                   for s in plan.stacks if s.component == "management-baseline")


@pytest.mark.parametrize("baseline, settings, actions", [
    ({"ebs_default_encryption": False, "iam_password_policy": False},
     {"EbsEncryption": "disable", "PasswordPolicy": {"Fn::If": ["IsHomeRegion", "delete", {"Ref": "AWS::NoValue"}]}},
     ["ec2:DisableEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId",
      "ec2:ResetEbsDefaultKmsKeyId", "iam:DeleteAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy"]),
    ({"ebs_default_encryption": True}, {"EbsEncryption": "enable"},
     ["ec2:DisableEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId",
      "ec2:ResetEbsDefaultKmsKeyId"]),
    ({"s3_block_public_access": False},
     {"S3BlockPublicAccess": {"Fn::If": ["IsHomeRegion", "disable", {"Ref": "AWS::NoValue"}]}},
     ["s3:PutAccountPublicAccessBlock"]),
], ids=["false-puts-defaults-back", "aws-managed-key", "public-access-block-removed"])
def test_only_the_settings_named_and_only_their_actions(tmp_path, baseline, settings, actions):
    body = stackset(plan_of(tmp_path, baseline), "-config-baseline").template
    properties = body["Resources"]["AccountBaseline"]["Properties"]
    assert {k: v for k, v in properties.items() if k not in ("ServiceToken", "ServiceTimeout", "AccountId")} == settings
    statements = body["Resources"]["AccountBaselineRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == actions


def test_a_key_whose_owner_has_no_id_waits(tmp_path):
    plan = plan_of(tmp_path, EVERYTHING, lambda d: d["organization"]["accounts"][1].pop("id"))
    assert "EBS default key alias/lz/ebs" in {p.subject for p in plan.pending}


def test_the_management_baseline_matches_the_body_resolved(tmp_path):
    plan = plan_of(tmp_path, EVERYTHING)
    body = stackset(plan, "-config-baseline").template
    stack = next(s for s in plan.stacks if s.component == "management-baseline" and s.region == "eu-west-1")
    assert stack.payload.template == resolve_for(body, account="111111111111", region="eu-west-1")
