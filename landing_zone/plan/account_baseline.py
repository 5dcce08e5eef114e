"""`account_baseline`: the resources that harden one account in one region (a role, an inline function,
one custom resource), placed in the Config baseline's body when they apply to Root, or in a StackSet
of their own targeting the baseline's OUs and accounts.

The handler's code travels inline (AWS::Lambda::Function Code.ZipFile): a StackSet instance in a new
account, in any region, cannot read an asset bucket of the management account, and CloudFormation
accepts inline Python up to a 4 MB package (the StackSet body itself must stay under 51,200 bytes,
which plan/build.py checks). Settings that are global to an account (the S3 account public access
block, the IAM password policy) are applied in the home region only.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.baseline import AccountBaseline, EbsDefaultEncryption
from landing_zone.blueprint.model.common import ROOT
from landing_zone.plan.model import Pending
from landing_zone.plan.targets import Target, Tree

HANDLER = Path(__file__).resolve().parents[1] / "handlers" / "account_baseline.py"
REGION = "${AWS::Region}"
HOME_ONLY = "IsHomeRegion"
FUNCTION_TIMEOUT = 300
# The custom resource's answer comes well within the function's own timeout; CloudFormation stops
# waiting after this many seconds instead of its default hour.
SERVICE_TIMEOUT = FUNCTION_TIMEOUT + 60
ROLE_ID, FUNCTION_ID, RESOURCE_ID = "AccountBaselineRole", "AccountBaselineFunction", "AccountBaseline"
# StackSet TemplateBody is at most 51,200 bytes (CreateStackSet).
STACKSET_BODY_LIMIT = 51_200

# Actions the handler calls per setting (and nothing for a setting the blueprint leaves out).
ACTIONS: dict[str, tuple[str, ...]] = {
    "ebs_default_encryption": ("ec2:DisableEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault",
                               "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId"),
    "s3_block_public_access": ("s3:PutAccountPublicAccessBlock",),
    "iam_password_policy": ("iam:DeleteAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy"),
    "imdsv2_default": ("ec2:ModifyInstanceMetadataDefaults",),
    "delete_default_vpcs": ("ec2:DeleteInternetGateway", "ec2:DeleteSubnet", "ec2:DeleteVpc",
                            "ec2:DescribeInternetGateways", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                            "ec2:DescribeVpcs", "ec2:DetachInternetGateway"),
}


def function_name(name: str) -> str:
    return f"{name}-account-baseline"


def role_name(name: str) -> str:
    """Per region: StackSets create a new account's instances in any region order (plan/baseline.py)."""
    return f"{name}-account-baseline-{REGION}"


def applies_to_root_only(baseline: AccountBaseline) -> bool:
    return baseline.units == [ROOT] and not baseline.accounts


def handler_source() -> str:
    return HANDLER.read_text(encoding="utf-8")


def ebs_key_arn(bp: Blueprint, setting: EbsDefaultEncryption) -> str | None:
    """The blueprint key's alias ARN in the stack instance's region (the checks make sure the key has a
    key in every governed region); None when its owner has no id yet."""
    key = next((k for k in bp.keys if k.alias == setting.key), None)
    owner = next((a for a in bp.organization.accounts if key and a.name == key.account), None)
    if key is None or owner is None or not owner.id:
        return None
    return f"arn:${{AWS::Partition}}:kms:{REGION}:{owner.id}:{key.alias}"


def baseline_properties(bp: Blueprint, baseline: AccountBaseline, pending: list[Pending]) -> dict[str, Any]:
    """The custom resource's settings: only those the blueprint manages (`false` puts back the default)."""
    props: dict[str, Any] = {"AccountId": {"Ref": "AWS::AccountId"}}
    ebs = baseline.ebs_default_encryption
    if ebs is False:
        props["EbsEncryption"] = "disable"
    elif ebs is True or isinstance(ebs, EbsDefaultEncryption):
        props["EbsEncryption"] = "enable"
        if isinstance(ebs, EbsDefaultEncryption) and ebs.key:
            arn = ebs_key_arn(bp, ebs)
            if arn is None:
                pending.append(Pending(f"EBS default key {ebs.key}", "its owning account has no id yet, so "
                                       "EBS encryption by default uses the AWS managed key until `lz sync`"))
            else:
                props["EbsKmsKeyId"] = {"Fn::Sub": arn}
    if baseline.s3_block_public_access is not None:
        props["S3BlockPublicAccess"] = _home_only("enable" if baseline.s3_block_public_access else "disable")
    policy = baseline.password_policy()
    if policy is not None:
        given = {"MinimumPasswordLength": policy.minimum_length, "RequireSymbols": policy.require_symbols,
                 "RequireNumbers": policy.require_numbers, "RequireUppercaseCharacters": policy.require_uppercase,
                 "RequireLowercaseCharacters": policy.require_lowercase,
                 "AllowUsersToChangePassword": policy.allow_users_to_change, "HardExpiry": policy.hard_expiry,
                 "MaxPasswordAge": policy.max_age_days, "PasswordReusePrevention": policy.reuse_prevention}
        props["PasswordPolicy"] = _home_only({k: v for k, v in given.items() if v is not None})
    elif baseline.iam_password_policy is False:
        props["PasswordPolicy"] = _home_only("delete")
    if baseline.imdsv2_default is not None:
        props["ImdsDefaults"] = "require-v2" if baseline.imdsv2_default else "no-preference"
    if baseline.delete_default_vpcs:
        props["DeleteDefaultVpc"] = "true"
    return props


def _home_only(value: Any) -> dict[str, Any]:
    return {"Fn::If": [HOME_ONLY, value, {"Ref": "AWS::NoValue"}]}


def _policy(bp: Blueprint, baseline: AccountBaseline) -> dict[str, Any]:
    actions = sorted({a for setting in baseline.settings() for a in ACTIONS[setting]})
    log_group = f"arn:${{AWS::Partition}}:logs:{REGION}:${{AWS::AccountId}}:log-group:/aws/lambda/{function_name(bp.name)}"
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Settings", "Effect": "Allow", "Action": actions, "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [{"Fn::Sub": log_group}, {"Fn::Sub": log_group + ":*"}]}]}


def account_baseline_resources(bp: Blueprint, baseline: AccountBaseline, pending: list[Pending]) -> dict[str, Any]:
    """Role, function and custom resource for a template that has the IsHomeRegion condition."""
    name = bp.name
    return {
        ROLE_ID: {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": {"Fn::Sub": role_name(name)},
            "Description": "Applies the landing zone's account baseline settings in this region",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
            "Policies": [{"PolicyName": "account-baseline", "PolicyDocument": _policy(bp, baseline)}]}},
        FUNCTION_ID: {"Type": "AWS::Lambda::Function", "Properties": {
            "FunctionName": function_name(name),
            "Description": f"{name} landing zone: account baseline settings (custom resource)",
            "Runtime": "python3.12", "Handler": "index.handler", "Timeout": FUNCTION_TIMEOUT, "MemorySize": 128,
            "Role": {"Fn::GetAtt": [ROLE_ID, "Arn"]}, "Code": {"ZipFile": handler_source()}}},
        RESOURCE_ID: {"Type": "Custom::AccountBaseline", "Properties": {
            "ServiceToken": {"Fn::GetAtt": [FUNCTION_ID, "Arn"]}, "ServiceTimeout": SERVICE_TIMEOUT,
            **baseline_properties(bp, baseline, pending)}},
    }


def account_baseline_template(bp: Blueprint, baseline: AccountBaseline, pending: list[Pending]) -> dict[str, Any]:
    """The body of the account baseline's own StackSet (targets other than Root alone)."""
    return {"AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"{bp.name} landing zone account baseline: " + ", ".join(baseline.settings()),
            "Conditions": {HOME_ONLY: {"Fn::Equals": [{"Ref": "AWS::Region"}, bp.home_region]}},
            "Resources": account_baseline_resources(bp, baseline, pending)}


def baseline_targets(bp: Blueprint, baseline: AccountBaseline) -> tuple[Target, ...]:
    return tuple(sorted(set(Tree(bp).of(baseline))))
