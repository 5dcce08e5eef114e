"""Central logging component: log archive, organization trail with CIS alarms, audit account.

Every cross-account value is a deterministic name (bucket, key alias ARN, trail ARN, bus ARN),
never a lookup or an export (docs/architecture.md, design rules).

Keys: when the blueprint has a key whose `services` serve the use (`key_arn_for`), the stacks
encrypt with it by alias ARN and depend on the keys stack that creates it; otherwise each stack
keeps its own customer managed key, as before the keys component existed:
- the log bucket: `s3` for the log-archive account, home region (S3 default encryption takes an
  alias ARN; KMS resolves it in the owner's account named in the ARN);
- the organization trail's `KMSKeyId`: `cloudtrail` for the log-archive account (the key lives
  with, or is granted to, the account whose bucket holds the logs);
- SNS topics: `sns` for the topic's account (the management account is no blueprint account, so
  only a key granted to Root serves its alarm topic);
- the trail's CloudWatch Logs group always keeps its stack-local key: `AWS::Logs::LogGroup`
  `KmsKeyId` takes a key ARN, not an alias ARN, and the key ARN of another account's key is
  known only after it exists (a lookup or an export, which the design rules of docs/architecture.md
  rule out).
"""
from __future__ import annotations

from dataclasses import dataclass

from landing_zone.blueprint.cloudtrail import API_CALL, CONSOLE_SIGN_IN
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.findings import FindingRule, finding_rules
from landing_zone.plan.model import Pending, Plan, StackPlan
from landing_zone.plan.names import pascal, stack_name
from landing_zone.plan.shared import (
    LOG_READER_ROLE_PATH,
    access_log_bucket_name,
    config_bucket_name,
    config_recorder_role_pattern,
    key_arn_for,
    keys_stack_for,
    log_bucket_name,
    log_reader_role_name,
    organization_trail_arn,
    partition,
    security_bus_name,
)

LOG_ARCHIVE = "log-archive"
TRAIL = "organization-trail"
AUDIT = "audit"
# The management account is no blueprint account: asked for by this name, `key_arn_for` places it
# in Root, so only keys granted to Root serve it.
MANAGEMENT = ""
INCOMPLETE_UPLOAD_DAYS = 7
METRIC_NAMESPACE_SUFFIX = "CISBenchmark"


def logs_key_alias(name: str) -> str:
    return f"alias/{name}/logs"


# ---------- payloads ----------

@dataclass(frozen=True)
class LogArchivePlan:
    bucket_name: str
    access_log_bucket_name: str
    key_alias: str
    organization_id: str
    management_account_id: str
    trail_arn: str
    retention_days: int
    glacier_after_days: int
    incomplete_upload_days: int
    object_lock_mode: str | None            # GOVERNANCE | COMPLIANCE | None (no Object Lock)
    object_lock_days: int | None
    config_role_name: str                   # pattern of the baseline's recorder roles in every member account
    reader_role_name: str
    reader_account_id: str | None           # the audit account; None while it has no id
    reader_principals: tuple[str, ...] = ()     # ARN patterns in the audit account the reader role trusts
    reader_role_path: str = LOG_READER_ROLE_PATH
    bucket_key_arn: str | None = None       # the blueprint key of the log bucket (alias ARN); None: `key_alias`
    # S3 default encryption needs the key ARN (writers from other accounts would resolve an alias in
    # their own account): the keys stack of this account and region that creates the bucket's key.
    bucket_key_stack: str | None = None
    config_bucket_name: str | None = None   # AWS Config's own bucket when the log bucket has Object Lock
    local_key: bool = True                  # the stack creates its own logs key (`key_alias`)
    blueprint_key_arns: tuple[str, ...] = ()    # blueprint keys (alias ARNs) the reader role decrypts with


@dataclass(frozen=True)
class CisAlarm:
    item: str                               # CIS AWS Foundations v3 item, e.g. "4.1"
    title: str
    metric_name: str
    alarm_name: str
    pattern: str                            # CloudWatch Logs filter pattern
    logical_id: str


@dataclass(frozen=True)
class OrganizationTrailPlan:
    trail_name: str
    trail_arn: str
    bucket_name: str
    logs_key_arn: str                       # the trail's key by alias ARN: the blueprint's or the log archive's
    log_group_name: str
    retention_days: int
    logs_role_name: str
    s3_data_events: bool
    lambda_data_events: bool
    insights: bool
    key_alias: str                          # this account's key for the trail's log group (always local)
    topic_name: str
    topic_key_alias: str                    # the alarm topic's own key, when `topic_key_arn` is None
    emails: tuple[str, ...]
    metric_namespace: str
    alarms: tuple[CisAlarm, ...]
    topic_key_arn: str | None = None        # the blueprint key of the alarm topic (alias ARN)


@dataclass(frozen=True)
class AuditPlan:
    organization_id: str
    bus_name: str
    rule_name: str
    detail_types: tuple[str, ...]
    topic_name: str
    key_alias: str
    emails: tuple[str, ...]
    aggregator_name: str
    aggregator_role_name: str
    topic_key_arn: str | None = None        # the blueprint key of the topic (alias ARN); None: `key_alias`
    aggregator: bool = True                 # False under the control-tower engine: the landing zone's own
    finding_rules: tuple[FindingRule, ...] = ()   # security findings at or above notify_severity → topic


# ---------- CIS AWS Foundations v3, section 4: metric filters and alarms ----------

def _any(*names: str) -> str:
    return " || ".join(f"($.eventName = {n})" for n in names)


CIS_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    ("4.1", "unauthorized API calls", "UnauthorizedAPICalls",
     '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
     '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }'),
    ("4.2", "console sign-in without MFA", "ConsoleSignInWithoutMfa",
     '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
     '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'),
    ("4.3", "root account usage", "RootAccountUsage",
     '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
     '$.eventType != "AwsServiceEvent" }'),
    ("4.4", "IAM policy changes", "IamPolicyChanges",
     "{ " + _any("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
                 "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
                 "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy",
                 "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy") + " }"),
    ("4.5", "CloudTrail configuration changes", "CloudTrailChanges",
     "{ " + _any("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging") + " }"),
    ("4.6", "console authentication failures", "ConsoleAuthenticationFailures",
     '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
    ("4.7", "disabling or scheduled deletion of customer managed keys", "CmkDisableOrDeletion",
     "{ ($.eventSource = kms.amazonaws.com) && (" + _any("DisableKey", "ScheduleKeyDeletion") + ") }"),
    ("4.8", "S3 bucket policy changes", "S3BucketPolicyChanges",
     "{ ($.eventSource = s3.amazonaws.com) && (" + _any(
         "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
         "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication") + ") }"),
    ("4.9", "AWS Config configuration changes", "ConfigChanges",
     "{ ($.eventSource = config.amazonaws.com) && (" + _any(
         "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
         "PutConfigurationRecorder") + ") }"),
    ("4.10", "security group changes", "SecurityGroupChanges",
     "{ " + _any("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                 "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup") + " }"),
    ("4.11", "network ACL changes", "NaclChanges",
     "{ " + _any("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
                 "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation") + " }"),
    ("4.12", "network gateway changes", "NetworkGatewayChanges",
     "{ " + _any("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                 "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway") + " }"),
    ("4.13", "route table changes", "RouteTableChanges",
     "{ ($.eventSource = ec2.amazonaws.com) && (" + _any(
         "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation",
         "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable") + ") }"),
    ("4.14", "VPC changes", "VpcChanges",
     "{ " + _any("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                 "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
                 "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink",
                 "EnableVpcClassicLink") + " }"),
    ("4.15", "AWS Organizations changes", "OrganizationsChanges",
     "{ ($.eventSource = organizations.amazonaws.com) && (" + _any(
         "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
         "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
         "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
         "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit") + ") }"),
)


def cis_alarms(name: str) -> tuple[CisAlarm, ...]:
    return tuple(
        CisAlarm(item=item, title=title, metric_name=metric,
                 alarm_name=f"{name}-cis-{item.replace('.', '-')}-{pascal(metric).lower()}"[:255],
                 pattern=pattern, logical_id=pascal(metric))
        for item, title, metric, pattern in CIS_ITEMS)


# ---------- resource counts (the plan's budget must equal what the stack synthesizes) ----------

def log_archive_resources(p: LogArchivePlan) -> int:
    # [key, alias,] log bucket, its policy, access-log bucket, its policy, [Config bucket, its policy,]
    # reader role (inline policy)
    return 4 + (2 if p.local_key else 0) + (2 if p.config_bucket_name else 0) + (1 if p.reader_account_id else 0)


def trail_resources(p: OrganizationTrailPlan) -> int:
    # log group key + alias, log group, delivery role (inline policy), trail; [topic key + alias,]
    # topic, topic policy, subscriptions; a metric filter and an alarm per CIS item
    return 7 + (0 if p.topic_key_arn else 2) + len(p.emails) + 2 * len(p.alarms)


def audit_resources(p: AuditPlan) -> int:
    # [key, alias,] topic, topic policy, subscriptions, bus, bus policy, rule, [aggregator role, aggregator]
    return 5 + (2 if p.aggregator else 0) + (0 if p.topic_key_arn else 2) + len(p.emails) + \
        len(p.finding_rules)   # a rule per security service's findings


def key_stacks(bp: Blueprint, *arns: str | None) -> tuple[str, ...]:
    """The keys stacks a logging stack waits for: those creating the blueprint keys it uses."""
    return tuple(sorted({s for s in (keys_stack_for(bp, a) for a in arns if a) if s}))


def _bucket_key_stack(bp: Blueprint, bucket_key: str | None, log_archive_id: str,
                      result: ComponentResult) -> str | None:
    """The keys stack that creates the bucket's key in the log-archive account, or an issue: the key
    ARN of another account's key is unknown until it exists, and an alias would not do."""
    if bucket_key is None:
        return None
    owner, alias = bucket_key.split(":")[4], bucket_key.rsplit(":", 1)[1]
    if owner != log_archive_id:
        index = next(i for i, k in enumerate(bp.keys) if k.alias == alias)
        result.issues.append(Issue(
            "log-bucket-key-owner",
            f"key {alias} would encrypt the log bucket, but it belongs to account {bp.keys[index].account}, "
            "not to the log-archive account", loc=("keys", index, "account"),
            hint="S3 default encryption for writers in other accounts needs the key's ARN, which is known "
                 "offline only for a key of the log-archive account: own the key there, or drop `s3` from "
                 "its services so the log archive keeps its own key"))
        return None
    return keys_stack_for(bp, bucket_key)


# ---------- the planner ----------

def plan_logging(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    bp = loaded.model
    result = ComponentResult()
    log_archive = next((a for a in plan.accounts if a.role == LOG_ARCHIVE), None)
    audit = next((a for a in plan.accounts if a.role == AUDIT), None)
    if log_archive is None or audit is None:
        return result      # reported by landing_zone_roles_are_assigned
    logging = bp.logging
    lock = logging.bucket.object_lock
    home = bp.home_region
    bucket_key = key_arn_for(bp, service="s3", account=log_archive.name, region=home)
    trail_key = key_arn_for(bp, service="cloudtrail", account=log_archive.name, region=home)
    archive_stack: StackPlan | None = None
    if log_archive.id:
        config_bucket = config_bucket_name(bp, log_archive.id)
        archive = LogArchivePlan(
            bucket_name=log_bucket_name(bp, log_archive.id),
            access_log_bucket_name=access_log_bucket_name(bp.name, log_archive.id, bp.home_region),
            key_alias=logs_key_alias(bp.name), organization_id=plan.organization_id,
            management_account_id=plan.management_account_id, trail_arn=organization_trail_arn(bp),
            retention_days=logging.bucket.retention_days, glacier_after_days=logging.bucket.glacier_after_days,
            incomplete_upload_days=INCOMPLETE_UPLOAD_DAYS,
            object_lock_mode=lock.mode if lock else None, object_lock_days=lock.days if lock else None,
            config_role_name=config_recorder_role_pattern(bp.name), reader_role_name=log_reader_role_name(bp.name),
            reader_account_id=audit.id, bucket_key_arn=bucket_key,
            reader_principals=tuple(sorted(f"arn:{partition(home)}:iam::{audit.id}:{reader}"
                                           for reader in set(logging.readers))) if audit.id else (),
            bucket_key_stack=_bucket_key_stack(bp, bucket_key, log_archive.id, result),
            config_bucket_name=config_bucket if config_bucket != log_bucket_name(bp, log_archive.id) else None,
            local_key=bucket_key is None or trail_key is None,
            blueprint_key_arns=tuple(sorted({k for k in (bucket_key, trail_key) if k})))
        if not audit.id:
            result.pending.append(Pending(f"role {archive.reader_role_name}",
                                          f"account {audit.name} has no id yet, so the log archive's "
                                          "read-only role cannot trust it; run `lz sync` after it is created"))
    else:
        archive = None
    archive_stack = member_stack(
        plan, result, account=log_archive.name, component=LOG_ARCHIVE, region=bp.home_region, per_region=False,
        description=f"{bp.name} landing zone: log archive bucket, access-log bucket"
                    + (" and logs key" if archive is None or archive.local_key else ""),
        resources=log_archive_resources(archive) if archive else 0, payload=archive,
        depends_on=key_stacks(bp, bucket_key, trail_key))
    if archive_stack is None:
        result.pending.append(Pending(f"stack {stack_name(bp.name, TRAIL)}",
                                      f"the log bucket lives in account {log_archive.name}, which has no id "
                                      "yet; the trail is synthesized once it is known"))
    else:
        assert archive is not None      # the stack exists once the account has an id, and so does the archive
        trail = OrganizationTrailPlan(
            trail_name=logging.trail.name, trail_arn=organization_trail_arn(bp), bucket_name=archive.bucket_name,
            logs_key_arn=trail_key or f"arn:{plan.partition}:kms:{bp.home_region}:{log_archive.id}:{archive.key_alias}",
            log_group_name=f"/{bp.name}/cloudtrail", retention_days=logging.trail.cloudwatch_retention_days,
            logs_role_name=f"{bp.name}-cloudtrail-logs", s3_data_events=logging.trail.data_events.s3,
            lambda_data_events=logging.trail.data_events.lambda_, insights=logging.trail.insights,
            key_alias=f"alias/{bp.name}/monitoring", topic_name=f"{bp.name}-security-alarms",
            topic_key_alias=f"alias/{bp.name}/security-alarms",
            emails=tuple(dict.fromkeys(logging.notifications.emails)),
            metric_namespace=f"{pascal(bp.name)}/{METRIC_NAMESPACE_SUFFIX}",
            alarms=cis_alarms(bp.name) if logging.notifications.cis_alarms else (),
            topic_key_arn=key_arn_for(bp, service="sns", account=MANAGEMENT, region=home))
        result.stacks.append(StackPlan(
            name=stack_name(bp.name, TRAIL), component=TRAIL, account_id=plan.management_account_id,
            region=bp.home_region, description=f"{bp.name} landing zone: organization trail, CloudWatch Logs "
            "group, CIS metric filters and alarms", resources=trail_resources(trail),
            depends_on=(archive_stack.name, *key_stacks(bp, trail_key, trail.topic_key_arn)), payload=trail))
    audit_plan = AuditPlan(
        organization_id=plan.organization_id, bus_name=security_bus_name(bp.name),
        rule_name=f"{bp.name}-security-events-to-sns",
        detail_types=(API_CALL, CONSOLE_SIGN_IN),
        topic_name=f"{bp.name}-security-events", key_alias=f"alias/{bp.name}/security-events",
        emails=tuple(dict.fromkeys(logging.notifications.emails)),
        aggregator_name=f"{bp.name}-organization", aggregator_role_name=f"{bp.name}-config-aggregator",
        topic_key_arn=key_arn_for(bp, service="sns", account=audit.name, region=home),
        finding_rules=finding_rules(bp))
    member_stack(plan, result, account=audit.name, component=AUDIT, region=bp.home_region, per_region=False,
                 description=f"{bp.name} landing zone: central security event bus, notifications and the "
                             "organization Config aggregator",
                 resources=audit_resources(audit_plan), payload=audit_plan,
                 depends_on=key_stacks(bp, audit_plan.topic_key_arn))
    return result
