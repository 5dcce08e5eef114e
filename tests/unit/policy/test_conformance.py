"""Conformance: AWS documentation examples (SCPs, RCPs, IAM policies) and the decisions AWS documents.

Every case id starts with the documentation page it comes from (docs.aws.amazon.com, IAM User Guide
or Organizations User Guide; a shortened page name where the id would get long).
"""
from __future__ import annotations

from typing import Any

import pytest

from landing_zone.policy.evaluate import (
    FULL_AWS_ACCESS,
    RCP_FULL_AWS_ACCESS,
    PolicyRef,
    Request,
    evaluate,
    evaluate_chain,
    evaluate_policy_set,
)

V = "2012-10-17"
ACCT = "111122223333"
EXT = "999999999999"
DEV = f"arn:aws:iam::{ACCT}:role/Developer"
USER = f"arn:aws:iam::{ACCT}:user/alice"
ORG = "o-a1b2c3d4e5"


def doc(*statements: dict, version: str | None = V) -> dict:
    return {"Version": version, "Statement": list(statements)} if version else {"Statement": list(statements)}


def allow(action: Any = "*", resource: Any = "*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def full(target: str) -> PolicyRef:
    return PolicyRef("FullAWSAccess", target, FULL_AWS_ACCESS)


def rcp_full(target: str) -> PolicyRef:
    return PolicyRef("RCPFullAWSAccess", target, RCP_FULL_AWS_ACCESS)


def chain(extra: dict[str, list[PolicyRef]] | None = None, full_access: bool = True) -> list[list[PolicyRef]]:
    """Root → Workloads → Workloads/Prod → app1-prod, FullAWSAccess everywhere plus `extra`."""
    extra = extra or {}
    return [([full(t)] if full_access else []) + extra.get(t, [])
            for t in ("Root", "Workloads", "Workloads/Prod", "app1-prod")]


ADMIN = PolicyRef("AdministratorAccess", "role/Developer", doc(allow()))

# ------------------------------------------------------------------ orgs_manage_policies_scps_examples_general
REGION_DENY = PolicyRef("deny-outside-eu", "Root", doc({
    "Sid": "DenyAllOutsideEU", "Effect": "Deny",
    "NotAction": ["a4b:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*",
                  "budgets:*", "ce:*", "chime:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
                  "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*",
                  "globalaccelerator:*", "health:*", "iam:*", "importexport:*", "kms:*", "mobileanalytics:*",
                  "networkmanager:*", "organizations:*", "pricing:*", "route53:*", "route53domains:*",
                  "s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:PutAccountPublic*", "shield:*", "sts:*",
                  "support:*", "supportplans:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*",
                  "wellarchitected:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]},
                  "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/Role1AllowedToBypassThisSCP",
                                                      "arn:aws:iam::*:role/Role2AllowedToBypassThisSCP"]}}}))
REGION = {"scps": chain({"Root": [REGION_DENY]})}
REGION_DENIED = ("explicit-deny", "deny-outside-eu", "Root", "DenyAllOutsideEU")

ROLE_NAME = "arn:aws:iam::*:role/name-of-role-to-deny"
IAM_ROLE_ACTIONS = ["iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
                    "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
                    "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
                    "iam:UpdateRoleDescription"]
PROTECT_ROLE = PolicyRef("protect-role", "Workloads", doc({
    "Sid": "DenyAccessToASpecificRole", "Effect": "Deny", "Action": IAM_ROLE_ACTIONS, "Resource": [ROLE_NAME]}))
PROTECT_ROLE_EXC = PolicyRef("protect-role-except-admin", "Workloads", doc({
    "Sid": "DenyAccessWithException", "Effect": "Deny", "Action": IAM_ROLE_ACTIONS, "Resource": [ROLE_NAME],
    "Condition": {"StringNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/name-of-admin-role-to-allow"}}}))
MFA = PolicyRef("require-mfa", "Workloads/Prod", doc({
    "Sid": "DenyStopAndTerminateWhenMFAIsNotPresent", "Effect": "Deny",
    "Action": ["ec2:StopInstances", "ec2:TerminateInstances"], "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": False}}}))
ROOT_EC2 = PolicyRef("restrict-root", "Root", doc({
    "Sid": "RestrictEC2ForRoot", "Effect": "Deny", "Action": ["ec2:*"], "Resource": ["*"],
    "Condition": {"StringLike": {"aws:PrincipalArn": ["arn:aws:iam::*:root"]}}}))
LEAVE_ORG = PolicyRef("deny-leave-org", "Root", doc({
    "Effect": "Deny", "Action": ["organizations:LeaveOrganization"], "Resource": "*"}))

# ------------------------------------------------------------------ orgs_manage_policies_scps_examples_tagging
TAG_ON_CREATE = PolicyRef("require-tags", "Workloads", doc(*[
    {"Sid": f"Deny{what}WithNo{tag}Tag", "Effect": "Deny", "Action": action, "Resource": resource,
     "Condition": {"Null": {f"aws:RequestTag/{tag}": "true"}}}
    for tag in ("Project", "CostCenter")
    for what, action, resource in (
        ("CreateSecret", "secretsmanager:CreateSecret", "*"),
        ("RunInstance", "ec2:RunInstances", ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*"]))]))
ADMIN_ROLE = f"arn:aws:iam::{ACCT}:role/org-admins/iam-admin"
ABAC = PolicyRef("protect-authz-tags", "Root", doc(
    {"Sid": "DenyModifyTagsIfResAuthzTagAndPrinTagDontMatch", "Effect": "Deny",
     "Action": ["ec2:CreateTags", "ec2:DeleteTags"], "Resource": ["*"],
     "Condition": {"StringNotEquals": {"ec2:ResourceTag/access-project": "${aws:PrincipalTag/access-project}",
                                       "aws:PrincipalArn": ADMIN_ROLE},
                   "Null": {"ec2:ResourceTag/access-project": False}}},
    {"Sid": "DenyModifyResAuthzTagIfPrinTagDontMatch", "Effect": "Deny",
     "Action": ["ec2:CreateTags", "ec2:DeleteTags"], "Resource": ["*"],
     "Condition": {"StringNotEquals": {"aws:RequestTag/access-project": "${aws:PrincipalTag/access-project}",
                                       "aws:PrincipalArn": ADMIN_ROLE},
                   "ForAnyValue:StringEquals": {"aws:TagKeys": ["access-project"]}}},
    {"Sid": "DenyModifyTagsIfPrinTagNotExists", "Effect": "Deny",
     "Action": ["ec2:CreateTags", "ec2:DeleteTags"], "Resource": ["*"],
     "Condition": {"StringNotEquals": {"aws:PrincipalArn": ADMIN_ROLE},
                   "Null": {"aws:PrincipalTag/access-project": True}}}))
INSTANCE = f"arn:aws:ec2:us-east-1:{ACCT}:instance/i-0123456789abcdef0"

# --------------------------------------------------------------------------- orgs_manage_policies_scps_evaluation
ALLOW_EC2 = PolicyRef("allow-ec2", "Workloads", doc(dict(allow("ec2:*"), Sid="AllowEC2")))
ALLOW_S3_ACCT = PolicyRef("allow-s3", "app1-prod", doc(dict(allow("s3:*"), Sid="AllowS3")))
DENY_S3_DELETE = PolicyRef("deny-s3-delete", "Workloads/Prod", doc(
    {"Sid": "DenyDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}, allow()))
DENY_ROOT_ALL = PolicyRef("deny-everything", "Root", doc({"Sid": "DenyAll", "Effect": "Deny", "Action": "*",
                                                          "Resource": "*"}))
DENY_ACCT_ALL = PolicyRef("deny-everything-acct", "app1-prod", doc({"Sid": "DenyAll", "Effect": "Deny",
                                                                    "Action": "*", "Resource": "*"}))
ALLOW_EU_ONLY = PolicyRef("allow-eu", "Workloads/Prod", doc(dict(
    allow("*"), Sid="AllowEU", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})))
ALLOW_NOT_SECRET = PolicyRef("allow-but-secret", "Workloads", doc({
    "Sid": "AllowAllButSecret", "Effect": "Allow", "Action": "*",
    "NotResource": ["arn:aws:s3:::secret-bucket", "arn:aws:s3:::secret-bucket/*"]}))

# ---------------------------------------------------------------------------------- RCPs (rcps_examples etc.)
RCP_PERIMETER = PolicyRef("rcp-identity-perimeter", "Root", doc({
    "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*",
    "Action": ["s3:*", "sqs:*", "kms:*", "secretsmanager:*", "sts:AssumeRole"], "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG},
                  "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}))
RCP_TLS = PolicyRef("rcp-secure-transport", "Workloads", doc({
    "Sid": "EnforceSecureTransport", "Effect": "Deny", "Principal": "*", "Action": ["s3:*"],
    "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}))
RCP_DEPUTY = PolicyRef("rcp-confused-deputy", "Root", doc({
    "Sid": "EnforceConfusedDeputyProtection", "Effect": "Deny", "Principal": "*", "Action": ["s3:*"],
    "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:SourceOrgID": ORG},
                  "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}}))


def rcps(*root: PolicyRef, workloads: tuple = (), account_full: bool = True) -> list[list[PolicyRef]]:
    return [[rcp_full("Root"), *root], [rcp_full("Workloads"), *workloads],
            [rcp_full("app1-prod")] if account_full else []]


BUCKET_OBJ = "arn:aws:s3:::app1-data/report.csv"

# ---------------------------------------------------------------------------- reference_policies_evaluation-logic
CARLOS = "arn:aws:iam::123456789012:user/carlossalazar"
CARLOS_ID = PolicyRef("carlos-inline", "user/carlossalazar", doc(
    {"Sid": "AllowS3ListRead", "Effect": "Allow", "Action": ["s3:GetBucketLocation",
     "s3:GetAccountPublicAccessBlock", "s3:ListAccessPoints", "s3:ListAllMyBuckets"], "Resource": "arn:aws:s3:::*"},
    {"Sid": "AllowS3Self", "Effect": "Allow", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]},
    {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}))
CARLOS_BUCKET = PolicyRef("carlossalazar-bucket-policy", "carlossalazar", doc({
    "Effect": "Allow", "Principal": {"AWS": CARLOS}, "Action": "s3:*",
    "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]}))
GET_LIST = PolicyRef("get-list-no-reports", "role/Auditor", doc(
    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}))
SESSION_ARN = f"arn:aws:sts::{ACCT}:assumed-role/Developer/alice"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCT}:orders"


def bucket_policy(principal: str, resource: str = "arn:aws:s3:::app1-data/*") -> PolicyRef:
    return PolicyRef("app1-data-policy", "app1-data", doc({
        "Sid": "Grant", "Effect": "Allow", "Principal": {"AWS": principal}, "Action": "s3:GetObject",
        "Resource": resource}))


BOUNDARY = PolicyRef("developer-boundary", "role/Developer", doc(
    allow(["s3:*", "cloudwatch:*", "ec2:*"])))
BOUNDARY_DENY = PolicyRef("developer-boundary", "role/Developer", doc(
    allow(), {"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}))
CREATE_USER_ID = PolicyRef("create-users", "user/alice", doc(allow("iam:CreateUser", f"arn:aws:iam::{ACCT}:user/*")))
EC2_ONLY = PolicyRef("ec2-only", "role/Developer", doc(allow("ec2:*")))
S3_ID = PolicyRef("s3-all", "role/Developer", doc(allow("s3:*")))
SESSION_GET = PolicyRef("session-read-only", "session/alice", doc(allow("s3:GetObject")))

# ------------------------------------------------------------------- reference_policies_elements_condition_operators
ACCESS_KEYS = PolicyRef("access-key-admins", "group/admins", doc(allow(
    "iam:*AccessKey*", f"arn:aws:iam::{ACCT}:user/*",
    Condition={"StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}})))
HOME_DIR = PolicyRef("home-directory", "group/staff", doc(
    allow(["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "arn:aws:s3:::*"),
    allow("s3:ListBucket", "arn:aws:s3:::BUCKET-NAME",
          Condition={"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/"]}}),
    allow("s3:*", ["arn:aws:s3:::BUCKET-NAME/home/${aws:username}", "arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*"])))
MAX_KEYS = PolicyRef("list-10", "group/staff", doc(allow(
    "s3:ListBucket", "arn:aws:s3:::example_bucket", Condition={"NumericLessThanEquals": {"s3:max-keys": "10"}})))
FRESH_TOKEN = PolicyRef("fresh-credentials", "group/staff", doc(allow(
    "iam:*AccessKey*", f"arn:aws:iam::{ACCT}:user/*",
    Condition={"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}})))
TLS_DENY = PolicyRef("deny-insecure", "DOC-EXAMPLE-BUCKET", doc({
    "Sid": "BooleanExample", "Action": "s3:*", "Effect": "Deny",
    "Resource": ["arn:aws:s3:::DOC-EXAMPLE-BUCKET", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))
SOURCE_IP = PolicyRef("corporate-ip", "group/staff", doc(allow(
    "iam:*AccessKey*", f"arn:aws:iam::{ACCT}:user/*",
    Condition={"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}})))
SNS_TO_SQS = PolicyRef("queue-policy", "QUEUE-ID", doc({
    "Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "SQS:SendMessage",
    "Resource": "arn:aws:sqs:us-east-1:123456789012:QUEUE-ID",
    "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:TOPIC-ID"}}}))
ARN_LIKE = PolicyRef("finance-arn-like", "x", doc(allow("someservice:*", "*", Condition={
    "ArnLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}})))
STRING_LIKE = PolicyRef("finance-string-like", "x", doc(allow("someservice:*", "*", Condition={
    "StringLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}})))
TRICKY_ARN = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
RUN_IFEXISTS = PolicyRef("run-small", "group/staff", doc(
    {"Sid": "RunInstance", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
     "Condition": {"StringLikeIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}}}))
RUN_PLAIN = PolicyRef("run-small-broken", "group/staff", doc(
    {"Sid": "THISPOLICYDOESNOTWORK", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
     "Condition": {"StringLike": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}}}))
NO_TEMP_CREDS = PolicyRef("no-temporary-credentials", "group/staff", doc(
    {"Action": "ec2:*", "Effect": "Allow", "Resource": "*", "Condition": {"Null": {"aws:TokenIssueTime": "true"}}}))
BINARY = PolicyRef("binary", "x", doc(allow("s3:*", "*", Condition={
    "BinaryEquals": {"s3:x-amz-meta-key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})))
TEAM_DENY = PolicyRef("team-only", "Workloads", doc({"Sid": "DenyOtherTeams", "Effect": "Deny",
                                                     "Action": "ec2:*", "Resource": "*",
                                                     "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "platform"}}}))
TEAM_DENY_IFEXISTS = PolicyRef("team-only-ifexists", "Workloads", doc({
    "Sid": "DenyOtherTeams", "Effect": "Deny", "Action": "ec2:*", "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalTag/team": "platform"}}}))
IGNORE_CASE = PolicyRef("env-ignore-case", "x", doc(allow("s3:*", "*", Condition={
    "StringEqualsIgnoreCase": {"aws:PrincipalTag/env": "Production"}})))

# ------------------------------------------------------------------------------ reference_policies_multi-value-*
GET_ITEM = PolicyRef("thread-readers", "x", doc(allow(
    "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Thread",
    Condition={"ForAllValues:StringLike": {"dynamodb:requestedAttributes": ["PostDateTime", "Message", "Tags"]}})))
PUT_ITEM = PolicyRef("thread-writers", "x", doc(
    allow("dynamodb:*"),
    {"Sid": "DenyKeyAttributes", "Effect": "Deny", "Action": "dynamodb:PutItem",
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Thread",
     "Condition": {"ForAnyValue:StringLike": {"dynamodb:requestedAttributes": ["ID", "PostDateTime"]}}}))
TABLE = "arn:aws:dynamodb:us-east-1:111122223333:table/Thread"
KEY1 = PolicyRef("restricted-tags", "x", doc(allow(), {
    "Sid": "DenyRestrictedTags", "Effect": "Deny", "Action": ["iam:Tag*", "iam:UnTag*"], "Resource": ["*"],
    "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}}))
TWO_KEYS = PolicyRef("two-keys", "x", doc(allow("s3:*", "*", Condition={
    "StringEquals": {"aws:PrincipalTag/department": ["finance", "hr"], "aws:PrincipalTag/role": ["audit", "security"]},
    "ArnLike": {"aws:PrincipalArn": [f"arn:aws:iam::{ACCT}:user/*"]}})))

# ---------------------------------------------------------------------------------- reference_policies_variables
DEPT = PolicyRef("department-bucket", "group/staff", doc(allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/department}")))
QUEUES = PolicyRef("own-queue", "group/staff", doc(
    {"Sid": "ListForConsole", "Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"},
    {"Sid": "AllQueueActions", "Effect": "Allow", "Action": "sqs:*",
     "Resource": "arn:aws:sqs:us-east-2:*:${aws:username}-queue"}))
DEFAULT_VAR = PolicyRef("team-prefix", "group/staff", doc(allow(
    "s3:GetObject", "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*")))
STAR_VAR = PolicyRef("literal-star", "group/staff", doc(allow("s3:GetObject", "arn:aws:s3:::bucket/a${*}b")))
SAME_ACCOUNT = PolicyRef("same-account-only", "x", doc(allow("s3:*", "*", Condition={
    "StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}})))
SAME_ORG = PolicyRef("same-org-only", "x", doc(allow("s3:*", "*", Condition={
    "StringEquals": {"aws:ResourceOrgID": "${aws:PrincipalOrgID}"}})))
REGION_VAR = PolicyRef("regional-logs", "x", doc(allow("logs:*", f"arn:aws:logs:${{aws:RequestedRegion}}:{ACCT}:log-group:*")))
NO_VERSION = PolicyRef("no-version", "group/staff", doc(allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:username}"), version=None))


def R(action: str, resource: str = "*", principal: str = DEV, region: str = "us-east-1", **context) -> Request:
    return Request(action, resource, principal, region, context)


ALLOW = ("allow", None, None, None)
IMPLICIT = ("implicit-deny", None, None, None)

CASES = [
    # ----- orgs_manage_policies_scps_examples_general: region deny with NotAction exemptions
    ("scps_examples_general-deny-region-regional-service-outside-region", R("ec2:RunInstances", region="us-west-2"), REGION, REGION_DENIED),
    ("scps_examples_general-deny-region-regional-service-in-us-east-1", R("s3:ListBucket", "arn:aws:s3:::b"), REGION, REGION_DENIED),
    ("scps_examples_general-deny-region-allowed-region-passes", R("ec2:RunInstances", region="eu-west-1"), REGION, ALLOW),
    ("scps_examples_general-deny-region-second-allowed-region", R("lambda:InvokeFunction", region="eu-central-1"), REGION, ALLOW),
    ("scps_examples_general-deny-region-with-notaction-exempt-iam", R("iam:CreateRole"), REGION, ALLOW),
    ("scps_examples_general-deny-region-global-service-outside-region", R("cloudfront:CreateDistribution", region="ap-south-1"), REGION, ALLOW),
    ("scps_examples_general-deny-region-notaction-single-action-exempt", R("ec2:DescribeRegions"), REGION, ALLOW),
    ("scps_examples_general-deny-region-notaction-sibling-action-denied", R("ec2:DescribeInstances"), REGION, REGION_DENIED),
    ("scps_examples_general-deny-region-notaction-wildcard-suffix-exempt", R("s3:GetAccountPublicAccessBlock"), REGION, ALLOW),
    ("scps_examples_general-deny-region-notaction-case-insensitive", R("IAM:createrole", region="us-west-2"), REGION, ALLOW),
    ("scps_examples_general-deny-region-action-case-insensitive", R("EC2:runinstances", region="us-west-2"), REGION, REGION_DENIED),
    ("scps_examples_general-deny-region-exempt-role-arnnotlike", R("ec2:RunInstances", principal=f"arn:aws:iam::{ACCT}:role/Role1AllowedToBypassThisSCP", region="us-west-2"), REGION, ALLOW),
    ("scps_examples_general-deny-region-exempt-role-session", R("ec2:RunInstances", principal=f"arn:aws:sts::{ACCT}:assumed-role/Role2AllowedToBypassThisSCP/ops", region="us-west-2"), REGION, ALLOW),
    ("scps_examples_general-deny-region-non-exempt-role-denied", R("ec2:RunInstances", principal=f"arn:aws:iam::{ACCT}:role/Role3", region="us-west-2"), REGION, REGION_DENIED),
    ("scps_examples_general-deny-region-explicit-context-wins", R("ec2:RunInstances", region="us-west-2", **{"aws:RequestedRegion": "eu-west-1"}), REGION, ALLOW),
    ("aws_deny-requested-region-identity-policy-support-allowed", R("support:DescribeCases"), {"identity": [ADMIN, PolicyRef("deny-outside-eu", "role/Developer", doc({"Sid": "DenyAllOutsideEU", "Effect": "Deny", "NotAction": ["cloudfront:*", "iam:*", "route53:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}))]}, ALLOW),
    ("aws_deny-requested-region-identity-policy-ec2-denied", R("ec2:RunInstances"), {"identity": [ADMIN, PolicyRef("deny-outside-eu", "role/Developer", doc({"Sid": "DenyAllOutsideEU", "Effect": "Deny", "NotAction": ["cloudfront:*", "iam:*", "route53:*", "support:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}))]}, ("explicit-deny", "deny-outside-eu", "role/Developer", "DenyAllOutsideEU")),
    ("scps_evaluation-management-account-not-affected", R("ec2:RunInstances", region="us-west-2"), dict(REGION, management_account=True), ALLOW),
    # ----- orgs_manage_policies_scps_examples_general: other examples
    ("scps_examples_general-deny-access-to-specific-role", R("iam:DeleteRole", f"arn:aws:iam::{ACCT}:role/name-of-role-to-deny"), {"scps": chain({"Workloads": [PROTECT_ROLE]})}, ("explicit-deny", "protect-role", "Workloads", "DenyAccessToASpecificRole")),
    ("scps_examples_general-deny-access-to-specific-role-other-role-ok", R("iam:DeleteRole", f"arn:aws:iam::{ACCT}:role/other"), {"scps": chain({"Workloads": [PROTECT_ROLE]})}, ALLOW),
    ("scps_examples_general-role-exception-admin-role-allowed", R("iam:PutRolePolicy", f"arn:aws:iam::{ACCT}:role/name-of-role-to-deny", principal=f"arn:aws:iam::{ACCT}:role/name-of-admin-role-to-allow"), {"scps": chain({"Workloads": [PROTECT_ROLE_EXC]})}, ALLOW),
    ("scps_examples_general-role-exception-other-principal-denied", R("iam:PutRolePolicy", f"arn:aws:iam::{ACCT}:role/name-of-role-to-deny"), {"scps": chain({"Workloads": [PROTECT_ROLE_EXC]})}, ("explicit-deny", "protect-role-except-admin", "Workloads", "DenyAccessWithException")),
    ("scps_examples_general-mfa-boolifexists-missing-key-denies", R("ec2:StopInstances"), {"scps": chain({"Workloads/Prod": [MFA]})}, ("explicit-deny", "require-mfa", "Workloads/Prod", "DenyStopAndTerminateWhenMFAIsNotPresent")),
    ("scps_examples_general-mfa-boolifexists-false-denies", R("ec2:TerminateInstances", **{"aws:MultiFactorAuthPresent": False}), {"scps": chain({"Workloads/Prod": [MFA]})}, ("explicit-deny", "require-mfa", "Workloads/Prod", "DenyStopAndTerminateWhenMFAIsNotPresent")),
    ("scps_examples_general-mfa-present-allowed", R("ec2:StopInstances", **{"aws:MultiFactorAuthPresent": True}), {"scps": chain({"Workloads/Prod": [MFA]})}, ALLOW),
    ("scps_examples_general-mfa-present-as-string-allowed", R("ec2:StopInstances", **{"aws:multifactorauthpresent": "true"}), {"scps": chain({"Workloads/Prod": [MFA]})}, ALLOW),
    ("scps_examples_general-root-user-ec2-denied", R("ec2:RunInstances", principal=f"arn:aws:iam::{ACCT}:root"), {"scps": chain({"Root": [ROOT_EC2]})}, ("explicit-deny", "restrict-root", "Root", "RestrictEC2ForRoot")),
    ("scps_examples_general-root-user-rule-spares-roles", R("ec2:RunInstances"), {"scps": chain({"Root": [ROOT_EC2]})}, ALLOW),
    ("scps_examples_general-leave-org-denied-statement-without-sid", R("organizations:LeaveOrganization"), {"scps": chain({"Root": [LEAVE_ORG]})}, ("explicit-deny", "deny-leave-org", "Root", None)),
    # ----- orgs_manage_policies_scps_examples_tagging
    ("condition-operators-null-tag-on-create", R("secretsmanager:CreateSecret"), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ("explicit-deny", "require-tags", "Workloads", "DenyCreateSecretWithNoProjectTag")),
    ("scps_examples_tagging-require-tag-second-tag-missing", R("secretsmanager:CreateSecret", **{"aws:RequestTag/Project": "blue"}), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ("explicit-deny", "require-tags", "Workloads", "DenyCreateSecretWithNoCostCenterTag")),
    ("scps_examples_tagging-require-tag-both-present", R("secretsmanager:CreateSecret", **{"aws:RequestTag/Project": "blue", "aws:RequestTag/CostCenter": "42"}), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ALLOW),
    ("scps_examples_tagging-require-tag-key-names-case-insensitive", R("secretsmanager:CreateSecret", **{"aws:requesttag/project": "blue", "AWS:REQUESTTAG/COSTCENTER": "42"}), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ALLOW),
    ("scps_examples_tagging-require-tag-runinstances-instance", R("ec2:RunInstances", INSTANCE), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ("explicit-deny", "require-tags", "Workloads", "DenyRunInstanceWithNoProjectTag")),
    ("scps_examples_tagging-require-tag-runinstances-image-not-covered", R("ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-0abcdef"), {"scps": chain({"Workloads": [TAG_ON_CREATE]})}, ALLOW),
    ("scps_examples_tagging-abac-matching-tags-allowed", R("ec2:CreateTags", INSTANCE, **{"ec2:ResourceTag/access-project": "alpha", "aws:PrincipalTag/access-project": "alpha", "aws:TagKeys": ["Name"]}), {"scps": chain({"Root": [ABAC]})}, ALLOW),
    ("scps_examples_tagging-abac-resource-tag-mismatch", R("ec2:CreateTags", INSTANCE, **{"ec2:ResourceTag/access-project": "beta", "aws:PrincipalTag/access-project": "alpha", "aws:TagKeys": ["Name"]}), {"scps": chain({"Root": [ABAC]})}, ("explicit-deny", "protect-authz-tags", "Root", "DenyModifyTagsIfResAuthzTagAndPrinTagDontMatch")),
    ("scps_examples_tagging-abac-change-authz-tag-value", R("ec2:CreateTags", INSTANCE, **{"ec2:ResourceTag/access-project": "alpha", "aws:PrincipalTag/access-project": "alpha", "aws:RequestTag/access-project": "beta", "aws:TagKeys": ["access-project"]}), {"scps": chain({"Root": [ABAC]})}, ("explicit-deny", "protect-authz-tags", "Root", "DenyModifyResAuthzTagIfPrinTagDontMatch")),
    ("scps_examples_tagging-abac-untagged-principal", R("ec2:CreateTags", INSTANCE, **{"aws:TagKeys": ["Name"]}), {"scps": chain({"Root": [ABAC]})}, ("explicit-deny", "protect-authz-tags", "Root", "DenyModifyTagsIfPrinTagNotExists")),
    ("scps_examples_tagging-abac-admin-role-exempt", R("ec2:CreateTags", INSTANCE, principal=ADMIN_ROLE, **{"ec2:ResourceTag/access-project": "beta", "aws:TagKeys": ["access-project"], "aws:RequestTag/access-project": "gamma"}), {"scps": chain({"Root": [ABAC]})}, ALLOW),
    # ----- orgs_manage_policies_scps_evaluation: deny-list and allow-list strategies
    ("scps_evaluation-deny-list-fullawsaccess-every-level", R("s3:GetObject", BUCKET_OBJ), {"scps": chain()}, ALLOW),
    ("scp-allow-list-without-fullawsaccess-at-ou-level", R("s3:GetObject", BUCKET_OBJ), {"scps": [[full("Root")], [ALLOW_EC2], [full("Workloads/Prod")], [full("app1-prod")]]}, ("implicit-deny", None, "Workloads", None)),
    ("scps_evaluation-allow-list-listed-service-allowed", R("ec2:RunInstances", INSTANCE), {"scps": [[full("Root")], [ALLOW_EC2], [full("Workloads/Prod")], [full("app1-prod")]]}, ALLOW),
    ("scps_evaluation-allow-list-missing-at-account-level", R("ec2:RunInstances", INSTANCE), {"scps": [[full("Root")], [full("Workloads")], [full("Workloads/Prod")], [ALLOW_S3_ACCT]]}, ("implicit-deny", None, "app1-prod", None)),
    ("scps_evaluation-allow-list-first-level-without-allow-named", R("sqs:SendMessage", QUEUE), {"scps": [[full("Root")], [ALLOW_EC2], [full("Workloads/Prod")], [ALLOW_S3_ACCT]]}, ("implicit-deny", None, "Workloads", None)),
    ("scps_evaluation-deny-at-ou-inherited-by-account", R("s3:DeleteObject", BUCKET_OBJ), {"scps": chain({"Workloads/Prod": [DENY_S3_DELETE]})}, ("explicit-deny", "deny-s3-delete", "Workloads/Prod", "DenyDelete")),
    ("scps_evaluation-deny-overrides-allow-in-same-policy", R("s3:DeleteBucket", "arn:aws:s3:::app1-data"), {"scps": [[full("Root")], [full("Workloads")], [DENY_S3_DELETE], [full("app1-prod")]]}, ("explicit-deny", "deny-s3-delete", "Workloads/Prod", "DenyDelete")),
    ("scps_evaluation-first-deny-in-level-order-reported", R("s3:GetObject", BUCKET_OBJ), {"scps": chain({"Root": [DENY_ROOT_ALL], "app1-prod": [DENY_ACCT_ALL]})}, ("explicit-deny", "deny-everything", "Root", "DenyAll")),
    ("scps_evaluation-deny-anywhere-beats-allow-list", R("ec2:RunInstances", INSTANCE), {"scps": [[full("Root")], [ALLOW_EC2], [full("Workloads/Prod")], [DENY_ACCT_ALL]]}, ("explicit-deny", "deny-everything-acct", "app1-prod", "DenyAll")),
    ("scps_syntax-allow-with-condition-not-met", R("ec2:RunInstances", INSTANCE), {"scps": [[full("Root")], [full("Workloads")], [ALLOW_EU_ONLY], [full("app1-prod")]]}, ("implicit-deny", None, "Workloads/Prod", None)),
    ("scps_syntax-allow-with-condition-met", R("ec2:RunInstances", INSTANCE, region="eu-west-1"), {"scps": [[full("Root")], [full("Workloads")], [ALLOW_EU_ONLY], [full("app1-prod")]]}, ALLOW),
    ("scps_syntax-allow-with-notresource-excluded", R("s3:GetObject", "arn:aws:s3:::secret-bucket/key"), {"scps": [[full("Root")], [ALLOW_NOT_SECRET], [full("Workloads/Prod")], [full("app1-prod")]]}, ("implicit-deny", None, "Workloads", None)),
    ("scps_syntax-allow-with-notresource-other-bucket", R("s3:GetObject", BUCKET_OBJ), {"scps": [[full("Root")], [ALLOW_NOT_SECRET], [full("Workloads/Prod")], [full("app1-prod")]]}, ALLOW),
    ("scps_evaluation-management-account-ignores-allow-list", R("s3:GetObject", BUCKET_OBJ), {"scps": [[full("Root")], [ALLOW_EC2]], "management_account": True}, ALLOW),
    ("orgs_manage_policies_scps-service-linked-role-not-affected", R("s3:GetObject", BUCKET_OBJ, principal=f"arn:aws:iam::{ACCT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"), {"scps": chain({"Root": [DENY_ROOT_ALL]})}, ALLOW),
    # ----- RCPs: orgs_manage_policies_rcps_evaluation / rcps_examples / data perimeter examples
    ("rcp-deny-external-access-aws-PrincipalOrgID", R("s3:GetObject", BUCKET_OBJ, principal=f"arn:aws:iam::{EXT}:role/partner", **{"aws:PrincipalOrgID": "o-otherorg01"}), {"rcps": rcps(RCP_PERIMETER)}, ("explicit-deny", "rcp-identity-perimeter", "Root", "EnforceOrgIdentities")),
    ("rcps_examples-identity-perimeter-org-principal-allowed", R("s3:GetObject", BUCKET_OBJ, **{"aws:PrincipalOrgID": ORG}), {"rcps": rcps(RCP_PERIMETER)}, ALLOW),
    ("rcps_examples-identity-perimeter-aws-service-exempt", R("s3:PutObject", BUCKET_OBJ, principal="cloudtrail.amazonaws.com"), {"rcps": rcps(RCP_PERIMETER)}, ALLOW),
    ("rcps_examples-identity-perimeter-orgid-missing-ifexists-true", R("sts:AssumeRole", DEV, principal=f"arn:aws:iam::{EXT}:user/bob"), {"rcps": rcps(RCP_PERIMETER)}, ("explicit-deny", "rcp-identity-perimeter", "Root", "EnforceOrgIdentities")),
    ("rcps_examples-identity-perimeter-unlisted-service", R("ec2:DescribeInstances", principal=f"arn:aws:iam::{EXT}:user/bob"), {"rcps": rcps(RCP_PERIMETER)}, ALLOW),
    ("rcps_evaluation-management-account-resources-not-affected", R("s3:GetObject", BUCKET_OBJ, principal=f"arn:aws:iam::{EXT}:user/bob"), {"rcps": rcps(RCP_PERIMETER), "resource_account_is_management": True}, ALLOW),
    ("rcps_examples-enforce-secure-transport-denied", R("s3:GetObject", BUCKET_OBJ, **{"aws:SecureTransport": False, "aws:PrincipalOrgID": ORG}), {"rcps": rcps(RCP_PERIMETER, workloads=(RCP_TLS,))}, ("explicit-deny", "rcp-secure-transport", "Workloads", "EnforceSecureTransport")),
    ("rcps_examples-enforce-secure-transport-tls-allowed", R("s3:GetObject", BUCKET_OBJ, **{"aws:SecureTransport": True, "aws:PrincipalOrgID": ORG}), {"rcps": rcps(RCP_PERIMETER, workloads=(RCP_TLS,))}, ALLOW),
    ("rcps_examples-confused-deputy-foreign-source-denied", R("s3:PutObject", BUCKET_OBJ, principal="cloudtrail.amazonaws.com", **{"aws:SourceAccount": EXT, "aws:SourceOrgID": "o-otherorg01"}), {"rcps": rcps(RCP_DEPUTY)}, ("explicit-deny", "rcp-confused-deputy", "Root", "EnforceConfusedDeputyProtection")),
    ("rcps_examples-confused-deputy-own-org-allowed", R("s3:PutObject", BUCKET_OBJ, principal="cloudtrail.amazonaws.com", **{"aws:SourceAccount": ACCT, "aws:SourceOrgID": ORG}), {"rcps": rcps(RCP_DEPUTY)}, ALLOW),
    ("rcps_examples-confused-deputy-no-source-account", R("s3:PutObject", BUCKET_OBJ, principal="cloudtrail.amazonaws.com"), {"rcps": rcps(RCP_DEPUTY)}, ALLOW),
    ("rcps_evaluation-level-without-rcpfullawsaccess", R("s3:GetObject", BUCKET_OBJ, **{"aws:PrincipalOrgID": ORG}), {"rcps": rcps(account_full=False)}, ("implicit-deny", None, None, None)),
    ("evaluation-logic-rcp-and-scp-both-apply", R("s3:GetObject", BUCKET_OBJ, principal=f"arn:aws:iam::{EXT}:role/partner"), {"rcps": rcps(RCP_PERIMETER), "scps": chain()}, ("explicit-deny", "rcp-identity-perimeter", "Root", "EnforceOrgIdentities")),
    # ----- reference_policies_evaluation-logic
    ("evaluation-logic-explicit-deny-wins", R("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/f.txt", principal=CARLOS), {"identity": [CARLOS_ID], "resource": [CARLOS_BUCKET]}, ("explicit-deny", "carlos-inline", "user/carlossalazar", "DenyS3Logs")),
    ("evaluation-logic-identity-and-resource-both-allow", R("s3:PutObject", "arn:aws:s3:::carlossalazar/f.txt", principal=CARLOS), {"identity": [CARLOS_ID], "resource": [CARLOS_BUCKET]}, ALLOW),
    ("evaluation-logic-implicit-deny-no-allow", R("iam:CreatePolicy", principal=USER), {"identity": [GET_LIST]}, IMPLICIT),
    ("evaluation-logic-explicit-deny-wildcard-suffix", R("iam:GetOrganizationsAccessReport", principal=USER), {"identity": [GET_LIST]}, ("explicit-deny", "get-list-no-reports", "role/Auditor", "DenyReports")),
    ("evaluation-logic-wildcard-prefix-allowed", R("iam:GetUser", principal=USER), {"identity": [GET_LIST]}, ALLOW),
    ("evaluation-logic-resource-policy-alone-grants-user", R("s3:GetObject", BUCKET_OBJ, principal=USER), {"resource": [bucket_policy(USER)]}, ALLOW),
    ("evaluation-logic-resource-policy-other-principal", R("s3:GetObject", BUCKET_OBJ, principal=USER), {"resource": [bucket_policy(f"arn:aws:iam::{ACCT}:user/bob")]}, IMPLICIT),
    ("evaluation-logic-resource-policy-role-grant-limited-by-boundary", R("s3:GetObject", BUCKET_OBJ, principal=SESSION_ARN), {"resource": [bucket_policy(DEV)], "boundary": EC2_ONLY}, ("implicit-deny", "ec2-only", "role/Developer", None)),
    ("evaluation-logic-resource-policy-session-grant-not-limited", R("s3:GetObject", BUCKET_OBJ, principal=SESSION_ARN), {"resource": [bucket_policy(SESSION_ARN)], "boundary": EC2_ONLY}, ALLOW),
    ("evaluation-logic-resource-policy-account-grant-needs-identity", R("s3:GetObject", BUCKET_OBJ, principal=USER), {"resource": [bucket_policy(ACCT)]}, IMPLICIT),
    ("evaluation-logic-cross-account-resource-only", R("sqs:SendMessage", QUEUE, principal=f"arn:aws:iam::{EXT}:user/bob"), {"resource": [PolicyRef("orders-policy", "orders", doc({"Effect": "Allow", "Principal": {"AWS": EXT}, "Action": "sqs:SendMessage", "Resource": QUEUE}))]}, IMPLICIT),
    ("evaluation-logic-cross-account-needs-both", R("sqs:SendMessage", QUEUE, principal=f"arn:aws:iam::{EXT}:user/bob"), {"identity": [PolicyRef("send", "user/bob", doc(allow("sqs:SendMessage")))], "resource": [PolicyRef("orders-policy", "orders", doc({"Effect": "Allow", "Principal": {"AWS": EXT}, "Action": "sqs:SendMessage", "Resource": QUEUE}))]}, ALLOW),
    ("evaluation-logic-cross-account-identity-only", R("sqs:SendMessage", QUEUE, principal=f"arn:aws:iam::{EXT}:user/bob"), {"identity": [PolicyRef("send", "user/bob", doc(allow("sqs:SendMessage")))], "resource": [PolicyRef("orders-policy", "orders", doc({"Effect": "Allow", "Principal": {"AWS": ACCT}, "Action": "sqs:SendMessage", "Resource": QUEUE}))]}, IMPLICIT),
    ("evaluation-logic-scp-implicit-deny-overrides-identity-allow", R("s3:GetObject", BUCKET_OBJ), {"identity": [ADMIN], "scps": [[full("Root")], [ALLOW_EC2]]}, ("implicit-deny", None, "Workloads", None)),
    ("evaluation-logic-scp-deny-overrides-identity-allow", R("organizations:LeaveOrganization"), {"identity": [ADMIN], "scps": chain({"Root": [LEAVE_ORG]})}, ("explicit-deny", "deny-leave-org", "Root", None)),
    ("evaluation-logic-root-user-full-access", R("s3:GetObject", BUCKET_OBJ, principal=f"arn:aws:iam::{ACCT}:root"), {"resource": [bucket_policy(f"arn:aws:iam::{ACCT}:user/bob")], "scps": chain()}, ALLOW),
    ("evaluation-logic-session-policy-must-allow", R("s3:PutObject", BUCKET_OBJ, principal=SESSION_ARN), {"identity": [S3_ID], "session": [SESSION_GET]}, ("implicit-deny", "session-read-only", "session/alice", None)),
    ("evaluation-logic-session-policy-allows", R("s3:GetObject", BUCKET_OBJ, principal=SESSION_ARN), {"identity": [S3_ID], "session": [SESSION_GET]}, ALLOW),
    # ----- access_policies_boundaries
    ("boundaries-identity-allows-boundary-denies", R("iam:CreateUser", f"arn:aws:iam::{ACCT}:user/new", principal=USER), {"identity": [CREATE_USER_ID], "boundary": BOUNDARY}, ("implicit-deny", "developer-boundary", "role/Developer", None)),
    ("boundaries-both-allow", R("ec2:RunInstances", INSTANCE), {"identity": [ADMIN], "boundary": BOUNDARY}, ALLOW),
    ("boundaries-boundary-allows-identity-does-not", R("s3:GetObject", BUCKET_OBJ), {"identity": [EC2_ONLY], "boundary": BOUNDARY}, IMPLICIT),
    ("boundaries-explicit-deny-in-boundary", R("iam:CreateRole"), {"identity": [ADMIN], "boundary": BOUNDARY_DENY}, ("explicit-deny", "developer-boundary", "role/Developer", "NoIam")),
    ("boundaries-resource-policy-user-grant-not-limited", R("s3:GetObject", BUCKET_OBJ, principal=USER), {"resource": [bucket_policy(USER)], "boundary": EC2_ONLY}, ALLOW),
    # ----- reference_policies_elements_condition_operators
    ("condition-operators-string-principaltag-match", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:PrincipalTag/job-category": "iamuser-admin"}), {"identity": [ACCESS_KEYS]}, ALLOW),
    ("condition-operators-string-missing-key-false", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER), {"identity": [ACCESS_KEYS]}, IMPLICIT),
    ("condition-operators-string-values-case-sensitive", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:PrincipalTag/job-category": "IAMUSER-ADMIN"}), {"identity": [ACCESS_KEYS]}, IMPLICIT),
    ("condition-operators-wildcard-in-middle-of-action", R("iam:ListAccessKeys", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:PrincipalTag/job-category": "iamuser-admin"}), {"identity": [ACCESS_KEYS]}, ALLOW),
    ("condition-operators-wildcard-action-no-match", R("iam:ListUsers", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:PrincipalTag/job-category": "iamuser-admin"}), {"identity": [ACCESS_KEYS]}, IMPLICIT),
    ("condition-operators-stringlike-username-variable", R("s3:ListBucket", "arn:aws:s3:::BUCKET-NAME", principal=USER, **{"s3:prefix": "home/alice/"}), {"identity": [HOME_DIR]}, ALLOW),
    ("condition-operators-stringlike-other-home", R("s3:ListBucket", "arn:aws:s3:::BUCKET-NAME", principal=USER, **{"s3:prefix": "home/bob/"}), {"identity": [HOME_DIR]}, IMPLICIT),
    ("condition-operators-variable-in-resource-home", R("s3:PutObject", "arn:aws:s3:::BUCKET-NAME/home/alice/notes.txt", principal=USER), {"identity": [HOME_DIR]}, ALLOW),
    ("condition-operators-numeric-max-keys-within", R("s3:ListBucket", "arn:aws:s3:::example_bucket", principal=USER, **{"s3:max-keys": 10}), {"identity": [MAX_KEYS]}, ALLOW),
    ("condition-operators-numeric-max-keys-over", R("s3:ListBucket", "arn:aws:s3:::example_bucket", principal=USER, **{"s3:max-keys": "11"}), {"identity": [MAX_KEYS]}, IMPLICIT),
    ("condition-operators-date-token-issued-after", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:TokenIssueTime": "2020-06-01T00:00:00Z"}), {"identity": [FRESH_TOKEN]}, ALLOW),
    ("condition-operators-date-token-issued-before", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:TokenIssueTime": 1546300800}), {"identity": [FRESH_TOKEN]}, IMPLICIT),
    ("condition-operators-date-access-keys-no-token", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER), {"identity": [FRESH_TOKEN]}, IMPLICIT),
    ("condition-operators-bool-securetransport-false-denied", R("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a", **{"aws:SecureTransport": "false"}), {"identity": [ADMIN], "resource": [TLS_DENY]}, ("explicit-deny", "deny-insecure", "DOC-EXAMPLE-BUCKET", "BooleanExample")),
    ("condition-operators-bool-securetransport-true", R("s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/a", **{"aws:SecureTransport": True}), {"identity": [ADMIN], "resource": [TLS_DENY]}, ALLOW),
    ("condition-operators-ip-address-ipv4-in-range", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:SourceIp": "203.0.113.42"}), {"identity": [SOURCE_IP]}, ALLOW),
    ("condition-operators-ip-address-ipv4-out-of-range", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:SourceIp": "198.51.100.7"}), {"identity": [SOURCE_IP]}, IMPLICIT),
    ("condition-operators-ip-address-ipv6", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER, **{"aws:SourceIp": "2001:db8:1234:5678::abcd"}), {"identity": [SOURCE_IP]}, ALLOW),
    ("condition-operators-ip-address-missing-key-vpc-endpoint", R("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/bob", principal=USER), {"identity": [SOURCE_IP]}, IMPLICIT),
    ("condition-operators-arnequals-sourcearn-match", R("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:QUEUE-ID", principal="arn:aws:iam::123456789012:user/svc", **{"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:TOPIC-ID"}), "set:SNS_TO_SQS", ALLOW),
    ("condition-operators-arnequals-sourcearn-other-topic", R("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:QUEUE-ID", principal="arn:aws:iam::123456789012:user/svc", **{"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:OTHER"}), "set:SNS_TO_SQS", ("implicit-deny", None, "QUEUE-ID", None)),
    ("condition-operators-arnlike-components-do-not-span-colons", R("someservice:Read", **{"aws:SourceArn": TRICKY_ARN}), {"identity": [ARN_LIKE]}, IMPLICIT),
    ("condition-operators-stringlike-spans-colons", R("someservice:Read", **{"aws:SourceArn": TRICKY_ARN}), {"identity": [STRING_LIKE]}, ALLOW),
    ("condition-operators-ifexists-key-missing", R("ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1", principal=USER), {"identity": [RUN_IFEXISTS]}, ALLOW),
    ("condition-operators-ifexists-key-present-match", R("ec2:RunInstances", INSTANCE, principal=USER, **{"ec2:InstanceType": "t2.micro"}), {"identity": [RUN_IFEXISTS]}, ALLOW),
    ("condition-operators-ifexists-key-present-no-match", R("ec2:RunInstances", INSTANCE, principal=USER, **{"ec2:InstanceType": "m5.large"}), {"identity": [RUN_IFEXISTS]}, IMPLICIT),
    ("condition-operators-without-ifexists-missing-key-fails", R("ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1", principal=USER), {"identity": [RUN_PLAIN]}, IMPLICIT),
    ("condition-operators-null-true-no-temporary-credentials", R("ec2:DescribeInstances", principal=USER), {"identity": [NO_TEMP_CREDS]}, ALLOW),
    ("condition-operators-null-true-with-temporary-credentials", R("ec2:DescribeInstances", principal=USER, **{"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}), {"identity": [NO_TEMP_CREDS]}, IMPLICIT),
    ("condition-operators-binaryequals-match", R("s3:PutObject", BUCKET_OBJ, principal=USER, **{"s3:x-amz-meta-key": b"BinaryValueInBase64"}), {"identity": [BINARY]}, ALLOW),
    ("condition-operators-binaryequals-other-bytes", R("s3:PutObject", BUCKET_OBJ, principal=USER, **{"s3:x-amz-meta-key": b"other"}), {"identity": [BINARY]}, IMPLICIT),
    ("condition-operators-stringnotequals-missing-key-true", R("ec2:RunInstances", INSTANCE), {"scps": chain({"Workloads": [TEAM_DENY]})}, ("explicit-deny", "team-only", "Workloads", "DenyOtherTeams")),
    ("condition-operators-stringnotequalsifexists-missing-key-still-denied", R("ec2:RunInstances", INSTANCE), {"scps": chain({"Workloads": [TEAM_DENY_IFEXISTS]})}, ("explicit-deny", "team-only-ifexists", "Workloads", "DenyOtherTeams")),
    ("condition-operators-stringnotequalsifexists-matching-value", R("ec2:RunInstances", INSTANCE, **{"aws:PrincipalTag/team": "platform"}), {"scps": chain({"Workloads": [TEAM_DENY_IFEXISTS]})}, ALLOW),
    ("condition-operators-stringequalsignorecase", R("s3:GetObject", BUCKET_OBJ, principal=USER, **{"aws:PrincipalTag/env": "PRODUCTION"}), {"identity": [IGNORE_CASE]}, ALLOW),
    # ----- reference_policies_multi-value-conditions / condition_examples-multi-valued-context-keys
    ("multi-value-forallvalues-missing-key", R("dynamodb:GetItem", TABLE, principal=USER), {"identity": [GET_ITEM]}, ALLOW),
    ("multi-value-forallvalues-subset-allowed", R("dynamodb:GetItem", TABLE, principal=USER, **{"dynamodb:requestedAttributes": ["PostDateTime", "Message"]}), {"identity": [GET_ITEM]}, ALLOW),
    ("multi-value-forallvalues-extra-value-denied", R("dynamodb:GetItem", TABLE, principal=USER, **{"dynamodb:requestedAttributes": ["PostDateTime", "UserName"]}), {"identity": [GET_ITEM]}, IMPLICIT),
    ("multi-value-foranyvalue-one-match-denied", R("dynamodb:PutItem", TABLE, principal=USER, **{"dynamodb:requestedAttributes": ["UserName", "Message", "PostDateTime"]}), {"identity": [PUT_ITEM]}, ("explicit-deny", "thread-writers", "x", "DenyKeyAttributes")),
    ("multi-value-foranyvalue-no-match-not-denied", R("dynamodb:PutItem", TABLE, principal=USER, **{"dynamodb:requestedAttributes": ["UserName"]}), {"identity": [PUT_ITEM]}, ALLOW),
    ("multi-value-foranyvalue-missing-key", R("dynamodb:PutItem", TABLE, principal=USER), {"identity": [PUT_ITEM]}, ALLOW),
    ("multi-valued-context-keys-forallvalues-stringnotlike-allowed-prefix", R("iam:TagRole", DEV, principal=USER, **{"aws:TagKeys": ["key1:hr", "key1:personnel"]}), {"identity": [KEY1]}, ALLOW),
    ("multi-valued-context-keys-forallvalues-stringnotlike-other-prefix", R("iam:TagRole", DEV, principal=USER, **{"aws:TagKeys": ["key2:audit"]}), {"identity": [KEY1]}, ("explicit-deny", "restricted-tags", "x", "DenyRestrictedTags")),
    ("multi-valued-context-keys-forallvalues-stringnotlike-missing-key", R("iam:UntagRole", DEV, principal=USER), {"identity": [KEY1]}, ("explicit-deny", "restricted-tags", "x", "DenyRestrictedTags")),
    ("multi-value-conditions-several-keys-and-values-or", R("s3:GetObject", BUCKET_OBJ, principal=USER, **{"aws:PrincipalTag/department": "hr", "aws:PrincipalTag/role": "audit"}), {"identity": [TWO_KEYS]}, ALLOW),
    ("multi-value-conditions-one-key-fails", R("s3:GetObject", BUCKET_OBJ, principal=USER, **{"aws:PrincipalTag/department": "hr", "aws:PrincipalTag/role": "dev"}), {"identity": [TWO_KEYS]}, IMPLICIT),
    ("multi-value-conditions-second-operator-fails", R("s3:GetObject", BUCKET_OBJ, principal=DEV, **{"aws:PrincipalTag/department": "hr", "aws:PrincipalTag/role": "audit"}), {"identity": [TWO_KEYS]}, IMPLICIT),
    ("multi-value-conditions-values-or-denies-listed-region", R("ec2:RunInstances", region="eu-west-1"), {"scps": chain({"Root": [PolicyRef("deny-listed", "Root", doc({"Sid": "D", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ["ap-south-1", "eu-west-1"]}}}))]})}, ("explicit-deny", "deny-listed", "Root", "D")),
    # ----- reference_policies_variables
    ("variables-principaltag-in-resource", R("s3:GetObject", "arn:aws:s3:::bucket/hr", principal=USER, **{"aws:PrincipalTag/department": "hr"}), {"identity": [DEPT]}, ALLOW),
    ("variables-principaltag-in-resource-other-department", R("s3:GetObject", "arn:aws:s3:::bucket/finance", principal=USER, **{"aws:PrincipalTag/department": "hr"}), {"identity": [DEPT]}, IMPLICIT),
    ("variables-principaltag-missing-no-value", R("s3:GetObject", "arn:aws:s3:::bucket/", principal=USER), {"identity": [DEPT]}, IMPLICIT),
    ("variables-username-in-resource-own-queue", R("sqs:SendMessage", f"arn:aws:sqs:us-east-2:{ACCT}:alice-queue", principal=USER), {"identity": [QUEUES]}, ALLOW),
    ("variables-username-absent-for-roles", R("sqs:SendMessage", f"arn:aws:sqs:us-east-2:{ACCT}:Developer-queue"), {"identity": [QUEUES]}, IMPLICIT),
    ("variables-default-value-used", R("s3:GetObject", "arn:aws:s3:::bucket/company-wide/doc", principal=USER), {"identity": [DEFAULT_VAR]}, ALLOW),
    ("variables-default-value-ignored-when-tag-present", R("s3:GetObject", "arn:aws:s3:::bucket/company-wide/doc", principal=USER, **{"aws:PrincipalTag/team": "blue"}), {"identity": [DEFAULT_VAR]}, IMPLICIT),
    ("variables-special-character-star-literal", R("s3:GetObject", "arn:aws:s3:::bucket/a*b", principal=USER), {"identity": [STAR_VAR]}, ALLOW),
    ("variables-special-character-star-not-wildcard", R("s3:GetObject", "arn:aws:s3:::bucket/axxb", principal=USER), {"identity": [STAR_VAR]}, IMPLICIT),
    ("variables-principalaccount-in-condition", R("s3:GetObject", f"arn:aws:s3:us-east-1:{ACCT}:accesspoint/ap", principal=USER), "set:SAME_ACCOUNT", ALLOW),
    ("variables-principalaccount-other-account", R("s3:GetObject", f"arn:aws:s3:us-east-1:{EXT}:accesspoint/ap", principal=USER), "set:SAME_ACCOUNT", ("implicit-deny", None, "x", None)),
    ("variables-principalorgid-in-condition", R("s3:GetObject", BUCKET_OBJ, principal=USER, **{"aws:PrincipalOrgID": ORG, "aws:ResourceOrgID": ORG}), {"identity": [SAME_ORG]}, ALLOW),
    ("variables-requestedregion-in-resource", R("logs:PutLogEvents", f"arn:aws:logs:eu-west-1:{ACCT}:log-group:app:log-stream:1", principal=USER, region="eu-west-1"), {"identity": [REGION_VAR]}, ALLOW),
    ("variables-requestedregion-other-region", R("logs:PutLogEvents", f"arn:aws:logs:eu-west-1:{ACCT}:log-group:app:log-stream:1", principal=USER, region="us-east-1"), {"identity": [REGION_VAR]}, IMPLICIT),
    ("variables-need-version-2012-10-17", R("s3:GetObject", "arn:aws:s3:::bucket/alice", principal=USER), {"identity": [NO_VERSION]}, IMPLICIT),
]

SETS = {"SNS_TO_SQS": [SNS_TO_SQS], "SAME_ACCOUNT": [SAME_ACCOUNT]}


def decide(request: Request, setup: Any):
    if isinstance(setup, str):
        return evaluate_policy_set(SETS[setup.removeprefix("set:")], request)
    return evaluate(request, **setup)


@pytest.mark.parametrize("request_, setup, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_conformance(request_, setup, expected):
    decision = decide(request_, setup)
    assert decision.decision == expected[0], decision.reason
    if decision.decision != "allow":
        assert (decision.policy, decision.target, decision.sid) == expected[1:], decision.reason
    assert decision.reason


def test_case_count_and_unique_ids():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 85


def test_as_json_shape():
    decision = evaluate(R("ec2:RunInstances", region="us-west-2"), **REGION)
    assert decision.as_json() == {"decision": "explicit-deny", "policy": "deny-outside-eu", "target": "Root",
                                  "sid": "DenyAllOutsideEU", "reason": decision.reason}
    assert "StringNotEquals aws:RequestedRegion" in decision.reason and "ArnNotLike" in decision.reason


def test_chain_reason_names_the_level_without_allow():
    decision = evaluate_chain([[full("Root")], [ALLOW_EC2]], R("s3:GetObject", BUCKET_OBJ))
    assert decision.decision == "implicit-deny" and decision.target == "Workloads"
    assert "'Workloads'" in decision.reason and "every level" in decision.reason
