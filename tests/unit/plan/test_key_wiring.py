"""Keys wiring: the logging stacks use the blueprint's keys by alias ARN when one serves them,
and keep keys of their own otherwise; the key policy admits who uses it."""
from __future__ import annotations

import json

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.logging import audit_resources, log_archive_resources, trail_resources
from tests.helpers import minimal, write

LOGS_KEY = "arn:aws:kms:us-east-1:222222222222:alias/lz/logs"
KEYS_STACK = "acme-keys-log-archive-us-east-1"


def plan_with(tmp_path, keys=None):
    data = minimal()
    data["logging"] = {"notifications": {"emails": ["sec@example.com"]}}
    if keys is not None:
        data["keys"] = keys
    return build_plan(load_blueprint(write(tmp_path, data)))


def logging_stacks(plan):
    by = {s.component: s for s in plan.stacks}
    return by["log-archive"], by["organization-trail"], by["audit"]


def key_policy_sids(plan, stack=KEYS_STACK, alias="alias/lz/logs"):
    keys = next(s for s in plan.stacks if s.name == stack)
    key = next(k for k in keys.payload.primaries if k.alias == alias)
    return {s["Sid"]: s for s in json.loads(key.policy)["Statement"]}


def test_without_blueprint_keys_every_stack_keeps_its_own_key(tmp_path):
    archive, trail, audit = logging_stacks(plan_with(tmp_path))
    assert archive.payload.bucket_key_arn is None and archive.payload.local_key is True
    assert archive.payload.blueprint_key_arns == ()
    assert trail.payload.logs_key_arn == "arn:aws:kms:us-east-1:222222222222:alias/acme/logs"
    assert trail.payload.topic_key_arn is None and audit.payload.topic_key_arn is None
    assert (archive.depends_on, trail.depends_on, audit.depends_on) == ((), ("acme-log-archive",), ())
    assert archive.resources == log_archive_resources(archive.payload) == 7
    assert trail.resources == trail_resources(trail.payload) == 9 + 1 + 30
    assert audit.resources == audit_resources(audit.payload) == 10


def test_a_logs_key_serving_cloudtrail_s3_and_sns_replaces_the_stack_keys(tmp_path):
    plan = plan_with(tmp_path, [{"alias": "alias/lz/logs", "account": "log-archive", "primary_region": "us-east-1",
                                 "replica_regions": ["eu-west-1"], "services": ["cloudtrail", "logs", "s3", "sns"],
                                 "grants": {"accounts": ["audit"]}}])
    archive, trail, audit = logging_stacks(plan)
    assert archive.payload.bucket_key_arn == LOGS_KEY and archive.payload.local_key is False
    assert archive.payload.blueprint_key_arns == (LOGS_KEY,)
    assert trail.payload.logs_key_arn == LOGS_KEY
    # the management account is no blueprint account and the key does not grant Root
    assert trail.payload.topic_key_arn is None
    assert audit.payload.topic_key_arn == LOGS_KEY          # audit is granted by name
    assert archive.depends_on == (KEYS_STACK,) and audit.depends_on == (KEYS_STACK,)
    assert trail.depends_on == ("acme-log-archive", KEYS_STACK)
    assert archive.resources == log_archive_resources(archive.payload) == 5      # no key, no alias
    assert trail.resources == trail_resources(trail.payload) == 9 + 1 + 30       # log group key stays
    assert audit.resources == audit_resources(audit.payload) == 8                # no topic key
    assert "and logs key" not in archive.description

    sids = key_policy_sids(plan)
    # the trail (management account) encrypts only with its own context
    trail_arn = "arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail"
    assert sids["CloudTrailEncrypt"]["Condition"]["StringEquals"] == {
        "aws:SourceArn": trail_arn, "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn}
    # the management account's log groups may use it (not wired: CloudWatch Logs needs a key ARN)
    groups = sids["CloudWatchLogs"]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert "arn:aws:logs:us-east-1:111111111111:log-group:*" in groups
    # the audit account's topic goes through SNS
    assert sids["SnsViaService"]["Condition"]["StringEquals"]["kms:CallerAccount"] == ["222222222222", "333333333333"]
    # the log bucket's writers that rely on its default encryption
    org = {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}
    assert sids["LogBucketConfigDelivery"]["Condition"] == org
    assert sids["LogBucketFlowLogsDelivery"]["Condition"] == org
    recorders = sids["LogBucketConfigRecorderRoles"]["Condition"]
    assert recorders["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5",
                                         "kms:ViaService": "s3.us-east-1.amazonaws.com"}
    assert recorders["ArnLike"] == {"aws:PrincipalArn": "arn:aws:iam::*:role/acme-config-recorder-*"}
    # the replica does not encrypt the log bucket
    replica = next(s for s in plan.stacks if s.name == "acme-keys-log-archive-eu-west-1").payload.replicas[0]
    assert not any(s["Sid"].startswith("LogBucket") for s in json.loads(replica.policy)["Statement"])


def test_a_key_for_the_bucket_only_keeps_the_logs_key_for_the_trail(tmp_path):
    plan = plan_with(tmp_path, [{"alias": "alias/lz/logs", "account": "log-archive", "primary_region": "us-east-1",
                                 "services": ["s3"]}])
    archive, trail, audit = logging_stacks(plan)
    assert archive.payload.bucket_key_arn == LOGS_KEY and archive.payload.local_key is True
    assert trail.payload.logs_key_arn == "arn:aws:kms:us-east-1:222222222222:alias/acme/logs"
    assert archive.resources == log_archive_resources(archive.payload) == 7
    assert audit.payload.topic_key_arn is None and audit.depends_on == ()
    assert "LogBucketConfigDelivery" in key_policy_sids(plan)


def test_a_key_granted_to_root_serves_the_management_accounts_alarm_topic(tmp_path):
    plan = plan_with(tmp_path, [{"alias": "alias/lz/alerts", "account": "audit", "primary_region": "us-east-1",
                                 "services": ["sns"], "grants": {"units": ["Root"]}}])
    archive, trail, audit = logging_stacks(plan)
    alerts = "arn:aws:kms:us-east-1:333333333333:alias/lz/alerts"
    assert trail.payload.topic_key_arn == alerts and audit.payload.topic_key_arn == alerts
    assert trail.depends_on == ("acme-log-archive", "acme-keys-audit-us-east-1")
    assert trail.resources == trail_resources(trail.payload) == 7 + 1 + 30
    assert archive.payload.bucket_key_arn is None and archive.payload.local_key is True
    sids = key_policy_sids(plan, "acme-keys-audit-us-east-1", "alias/lz/alerts")
    # the management account's CloudWatch alarms publish through an OU grant, to SNS topics of the region
    any_topic = {"kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:us-east-1:*:*"}
    assert sids["SnsCloudWatchAlarmsForOrgUnits"]["Condition"] == {
        "ForAnyValue:StringLike": {"aws:SourceOrgPaths": "o-a1b2c3d4e5/r-a1b2/*"},
        "ArnLike": {**any_topic, "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:*:alarm:*"}}
    assert sids["SnsEventBridge"]["Condition"] == {"ArnLike": any_topic}
    assert "LogBucketConfigDelivery" not in sids


def test_a_key_in_another_region_or_for_other_services_is_not_used(tmp_path):
    plan = plan_with(tmp_path, [
        {"alias": "alias/lz/eu", "account": "log-archive", "primary_region": "eu-west-1",
         "services": ["cloudtrail", "s3", "sns"], "grants": {"accounts": ["audit"]}},
        {"alias": "alias/lz/logs", "account": "log-archive", "primary_region": "us-east-1", "services": ["logs"]}])
    archive, trail, audit = logging_stacks(plan)
    assert archive.payload.bucket_key_arn is None and archive.payload.local_key is True
    assert trail.payload.logs_key_arn.endswith(":alias/acme/logs") and audit.payload.topic_key_arn is None
