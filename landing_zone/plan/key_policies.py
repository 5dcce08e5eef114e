"""KMS key policies built from a key's `services` and `grants`: least privilege, one Sid per purpose.

Pure data in, a policy document out (no blueprint lookups here: `plan/keys.py` resolves the
context). Who gets what:

- `KeyAdministration`: the owning account (its root, i.e. delegated to the account's IAM) gets
  `kms:*`. No other principal ever gets `kms:*` (tests assert it).
- `cloudtrail`: CloudTrail may encrypt only for the organization trail (`aws:SourceArn` and
  `kms:EncryptionContext:aws:cloudtrail:arn` both equal the trail ARN) and describe the key;
  the log reader role (in the log-archive account, assumed from the audit account) may decrypt
  trail logs (named by `aws:PrincipalArn`, so the key can be created before the role exists).
- `logs`: `logs.<region>.amazonaws.com` for log groups of the caller accounts (plus the
  management account's, where the organization trail's log group lives, when `cloudtrail` is
  listed too), by `kms:EncryptionContext:aws:logs:arn`.
- `s3`, `sns`, `secretsmanager`, `backup`, `ds`, `ec2`: principals of the caller accounts, only through
  that service in the key's region (`kms:ViaService`, `kms:CallerAccount`); `backup`, `ds` and `ec2`
  may also create grants for AWS resources (`kms:GrantIsForAWSResource`), `ec2` in granted OUs too
  (EBS encryption by default of the account baseline).
- `sns` also lets CloudWatch alarms (of the caller accounts, `aws:SourceAccount`, and of granted OUs,
  `aws:SourceOrgPaths`; alarms of the key's region, `aws:SourceArn`) and EventBridge publish to SNS
  topics of the key's region (`kms:EncryptionContext:aws:sns:topicArn`, which SNS puts on every data
  key of a topic). EventBridge passes no `aws:Source*` keys to KMS, so for it the topic ARN is the only
  condition: topics of the caller accounts (of any account of the region when OUs are granted).
- `config`: AWS Config delivery for the caller accounts (`aws:SourceAccount`).
- the log bucket: when the key encrypts the log archive's bucket (`log_bucket_organization_id` is
  set: it serves `s3` for the log-archive account in the home region), everything that writes
  there with the bucket's default encryption may use it: AWS Config and VPC flow-log delivery for
  the whole organization (`aws:SourceOrgID`) and the baseline's Config recorder roles of every
  member account (`aws:PrincipalOrgID`, by role name, only through S3). CloudTrail names the key
  itself (the `cloudtrail` statements above).
- grants: caller accounts = the owner plus the named accounts. OUs are matched by
  `aws:PrincipalOrgPaths` (and `aws:SourceOrgPaths` for Config). When the key lists services used
  through principals (s3, sns, ...), cross-account use goes only through those services;
  otherwise granted accounts and OUs get direct cryptographic use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CRYPTO = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]

# Services used by principals through the service: (Sid prefix, endpoint prefix, actions).
VIA_SERVICES: dict[str, tuple[str, str, list[str]]] = {
    "s3": ("S3", "s3", CRYPTO),
    "sns": ("Sns", "sns", ["kms:Decrypt", "kms:GenerateDataKey*"]),
    "secretsmanager": ("SecretsManager", "secretsmanager", CRYPTO),
    "backup": ("Backup", "backup", CRYPTO),
    "ds": ("DirectoryService", "ds", CRYPTO),
    "ec2": ("Ebs", "ec2", CRYPTO),
}
# EBS, like Backup and Directory Service, creates grants for the volumes it encrypts.
GRANTING_SERVICES = ("backup", "ds", "ec2")
# SNS encrypts each topic's messages under this encryption context (the topic ARN).
SNS_TOPIC = "kms:EncryptionContext:aws:sns:topicArn"
SERVICES = ("cloudtrail", "logs", "s3", "sns", "secretsmanager", "backup", "config", "ds", "ec2")


@dataclass(frozen=True)
class KeyPolicyContext:
    """Everything a key policy depends on, resolved (ids known; what is not known is left out)."""

    partition: str
    region: str                         # the key's region (primary or replica)
    owner_account_id: str
    management_account_id: str
    trail_arn: str                      # the organization trail
    log_reader_account_id: str | None   # the log-archive account; None while it has no id
    log_reader_role_arn: str
    services: tuple[str, ...]
    grant_account_ids: tuple[str, ...] = ()
    grant_org_paths: tuple[str, ...] = ()   # o-.../r-.../ou-.../ ... /
    log_bucket_organization_id: str | None = None   # set when the key encrypts the log archive's bucket
    config_role_name: str = ""          # the baseline's Config recorder role in every member account

    def root(self, account_id: str) -> str:
        return f"arn:{self.partition}:iam::{account_id}:root"

    @property
    def callers(self) -> list[str]:
        return sorted({self.owner_account_id, *self.grant_account_ids})

    def endpoint(self, service: str) -> str:
        return f"{service}.{self.region}.amazonaws.com"

    def arn(self, service: str, account_id: str, resource: str) -> str:
        """An ARN of `service` in the key's region."""
        return f"arn:{self.partition}:{service}:{self.region}:{account_id}:{resource}"


def _one(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def _allow(sid: str, principal: dict[str, Any], actions: list[str], condition: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    statement = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": _one(actions),
                 "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return statement


def key_policy(ctx: KeyPolicyContext) -> dict[str, Any]:
    """The key policy document (Resource "*" in a key policy means this key)."""
    services = set(ctx.services)
    callers = ctx.callers
    roots = {"AWS": _one([ctx.root(a) for a in callers])}
    statements = [_allow("KeyAdministration", {"AWS": ctx.root(ctx.owner_account_id)}, ["kms:*"])]
    if "cloudtrail" in services:
        trail = {"aws:SourceArn": ctx.trail_arn}
        statements.append(_allow(
            "CloudTrailEncrypt", {"Service": "cloudtrail.amazonaws.com"}, ["kms:GenerateDataKey*"],
            {"StringEquals": {**trail, "kms:EncryptionContext:aws:cloudtrail:arn": ctx.trail_arn}}))
        statements.append(_allow("CloudTrailDescribeKey", {"Service": "cloudtrail.amazonaws.com"},
                                 ["kms:DescribeKey"], {"StringEquals": trail}))
        if ctx.log_reader_account_id:
            statements.append(_allow(
                "CloudTrailLogReaderDecrypt", {"AWS": ctx.root(ctx.log_reader_account_id)}, ["kms:Decrypt"],
                {"StringEquals": {"aws:PrincipalArn": ctx.log_reader_role_arn,
                                  "kms:EncryptionContext:aws:cloudtrail:arn": ctx.trail_arn}}))
    if "logs" in services:
        log_accounts = sorted(set(callers) | ({ctx.management_account_id} if "cloudtrail" in services else set()))
        statements.append(_allow(
            "CloudWatchLogs", {"Service": ctx.endpoint("logs")},
            ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": _one(
                [f"arn:{ctx.partition}:logs:{ctx.region}:{a}:log-group:*" for a in log_accounts])}}))
    via = [s for s in SERVICES if s in VIA_SERVICES and s in services]
    for service in via:
        prefix, endpoint, actions = VIA_SERVICES[service]
        statements.append(_allow(f"{prefix}ViaService", roots, actions, {"StringEquals": {
            "kms:ViaService": ctx.endpoint(endpoint), "kms:CallerAccount": _one(callers)}}))
    granting = [s for s in SERVICES if s in GRANTING_SERVICES and s in services]
    if granting:
        statements.append(_allow("AwsResourceGrants", roots, GRANT_ACTIONS, {
            "Bool": {"kms:GrantIsForAWSResource": "true"},
            "StringEquals": {"kms:ViaService": _one([ctx.endpoint(VIA_SERVICES[s][1]) for s in granting]),
                             "kms:CallerAccount": _one(callers)}}))
    if "sns" in services:
        # aws:SourceAccount names the alarms' accounts; the ARN patterns only pin alarms and SNS topics of
        # the key's region (per-account lists would repeat the accounts and cost the policy's size).
        any_topic = {"ArnLike": {SNS_TOPIC: ctx.arn("sns", "*", "*")}}
        alarms_to_topics = {"ArnLike": {**any_topic["ArnLike"],
                                        "aws:SourceArn": ctx.arn("cloudwatch", "*", "alarm:*")}}
        statements.append(_allow(
            "SnsCloudWatchAlarms", {"Service": "cloudwatch.amazonaws.com"},
            ["kms:Decrypt", "kms:GenerateDataKey*"],
            {"StringEquals": {"aws:SourceAccount": _one(callers)}, **alarms_to_topics}))
        topics = {"ArnLike": {SNS_TOPIC: _one([ctx.arn("sns", a, "*") for a in callers])}}
        if ctx.grant_org_paths:
            statements.append(_allow(
                "SnsCloudWatchAlarmsForOrgUnits", {"Service": "cloudwatch.amazonaws.com"},
                ["kms:Decrypt", "kms:GenerateDataKey*"],
                {"ForAnyValue:StringLike": {"aws:SourceOrgPaths": _one(list(ctx.grant_org_paths))},
                 **alarms_to_topics}))
        # EventBridge passes no aws:Source* keys to KMS (a condition on them would drop every event): the
        # SNS encryption context, present on every data key of a topic, names the topic instead.
        statements.append(_allow("SnsEventBridge", {"Service": "events.amazonaws.com"},
                                 ["kms:Decrypt", "kms:GenerateDataKey*"], any_topic if ctx.grant_org_paths
                                 else topics))
    if "config" in services:
        statements.append(_allow("ConfigDelivery", {"Service": "config.amazonaws.com"},
                                 ["kms:Decrypt", "kms:GenerateDataKey"],
                                 {"StringEquals": {"aws:SourceAccount": _one(callers)}}))
        if ctx.grant_org_paths:
            statements.append(_allow(
                "ConfigDeliveryForOrgUnits", {"Service": "config.amazonaws.com"},
                ["kms:Decrypt", "kms:GenerateDataKey"],
                {"ForAnyValue:StringLike": {"aws:SourceOrgPaths": _one(list(ctx.grant_org_paths))}}))
    if "s3" in services and ctx.log_bucket_organization_id:
        statements += _log_bucket_writers(ctx)
    endpoints = [ctx.endpoint(VIA_SERVICES[s][1]) for s in via]
    if ctx.grant_org_paths:
        condition: dict[str, Any] = {
            "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": _one(list(ctx.grant_org_paths))}}
        if endpoints:
            condition["StringEquals"] = {"kms:ViaService": _one(endpoints)}
        statements.append(_allow("OrgUnitsUse", {"AWS": "*"}, CRYPTO, condition))
        if "ec2" in granting:
            # EBS in the granted OUs' accounts (encryption by default with this key) creates grants for its
            # volumes; only for AWS resources, only through EC2.
            statements.append(_allow("OrgUnitsEbsGrants", {"AWS": "*"}, GRANT_ACTIONS, {
                "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": _one(list(ctx.grant_org_paths))},
                "Bool": {"kms:GrantIsForAWSResource": "true"},
                "StringEquals": {"kms:ViaService": ctx.endpoint("ec2")}}))
    grantees = sorted(set(ctx.grant_account_ids) - {ctx.owner_account_id})
    if grantees and not endpoints:
        statements.append(_allow("AccountsUse", {"AWS": _one([ctx.root(a) for a in grantees])}, CRYPTO))
    return {"Version": "2012-10-17", "Statement": statements}


def _log_bucket_writers(ctx: KeyPolicyContext) -> list[dict[str, Any]]:
    """Writers of the log bucket that rely on its default SSE-KMS encryption (the same grants the
    log-archive stack's own logs key gives when the blueprint has no key for the bucket)."""
    org = {"aws:SourceOrgID": ctx.log_bucket_organization_id}
    statements = [
        _allow("LogBucketConfigDelivery", {"Service": "config.amazonaws.com"},
               ["kms:Decrypt", "kms:GenerateDataKey"], {"StringEquals": org}),
        _allow("LogBucketFlowLogsDelivery", {"Service": "delivery.logs.amazonaws.com"},
               ["kms:GenerateDataKey*"], {"StringEquals": org}),
    ]
    if ctx.config_role_name:
        statements.append(_allow(
            "LogBucketConfigRecorderRoles", {"AWS": "*"}, ["kms:Decrypt", "kms:GenerateDataKey"],
            {"StringEquals": {"aws:PrincipalOrgID": ctx.log_bucket_organization_id,
                              "kms:ViaService": ctx.endpoint("s3")},
             "ArnLike": {"aws:PrincipalArn": f"arn:{ctx.partition}:iam::*:role/{ctx.config_role_name}"}}))
    return statements
