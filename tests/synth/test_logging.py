"""Central logging stacks: named resources and properties (checkov over every template: test_checkov.py)."""
from __future__ import annotations

import json

import pytest

BLUEPRINTS = ["standard", "enterprise"]
# enterprise's `alias/lz/logs` (owned by log-archive, 100000000002) serves cloudtrail, s3 and sns.
ENTERPRISE_LOGS_KEY = "arn:aws:kms:us-east-1:100000000002:alias/lz/logs"


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def one(template: dict, type_: str) -> dict:
    found = list(resources(template, type_).values())
    assert len(found) == 1, f"{type_}: {len(found)}"
    return found[0]


def statements_by_sid(policy: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in policy["Statement"] if "Sid" in s}


def templates(synthesized, blueprint):
    result = synthesized(blueprint)
    name = result.plan.name
    t = result.templates()
    return result.plan, t[f"{name}-log-archive"], t[f"{name}-organization-trail"], t[f"{name}-audit"]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_log_bucket_is_private_encrypted_versioned_and_retained(synthesized, blueprint):
    plan, archive, _, _ = templates(synthesized, blueprint)
    log_archive = next(a for a in plan.accounts if a.role == "log-archive")
    buckets = {b["Properties"]["BucketName"]: b for b in resources(archive, "AWS::S3::Bucket").values()}
    logs = buckets[f"{plan.name}-logs-{log_archive.id}-{plan.home_region}"]
    access = buckets[f"{plan.name}-access-logs-{log_archive.id}-{plan.home_region}"]
    for bucket in (logs, access):
        assert (bucket["DeletionPolicy"], bucket["UpdateReplacePolicy"]) == ("Retain", "Retain")
        props = bucket["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True}
        rule = props["LifecycleConfiguration"]["Rules"][0]
        assert rule["Transitions"][0]["StorageClass"] == "GLACIER"
        assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == rule["ExpirationInDays"]
        assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    sse = logs["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms" and sse["BucketKeyEnabled"] is True
    assert logs["Properties"]["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": next(
        k for k, v in resources(archive, "AWS::S3::Bucket").items() if v is access)}
    assert "LoggingConfiguration" not in access["Properties"]     # does not log to itself
    if blueprint == "enterprise":
        # The blueprint key instead of a key of its own, by key ARN from the keys stack of this
        # account and region: an alias would resolve in each writer's own account.
        key_id = sse["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]
        # A weak reference (Fn::GetStackOutput): the keys stack exports nothing that pins it.
        output = key_id["Fn::GetStackOutput"]
        assert (output["StackName"], output["Region"]) == ("globex-keys-log-archive-us-east-1", "us-east-1")
        assert resources(archive, "AWS::KMS::Key") == {} and resources(archive, "AWS::KMS::Alias") == {}
        return
    key = one(archive, "AWS::KMS::Key")
    assert key["Properties"]["EnableKeyRotation"] is True and key["DeletionPolicy"] == "Retain"
    assert sse["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == {
        "Fn::GetAtt": [next(iter(resources(archive, "AWS::KMS::Key"))), "Arn"]}


def test_enterprise_log_bucket_has_object_lock(synthesized):
    _, archive, _, _ = templates(synthesized, "enterprise")
    logs = next(b for b in resources(archive, "AWS::S3::Bucket").values() if "-logs-" in b["Properties"]["BucketName"]
                and "access" not in b["Properties"]["BucketName"])
    assert logs["Properties"]["ObjectLockEnabled"] is True
    assert logs["Properties"]["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 365}}}
    rule = logs["Properties"]["LifecycleConfiguration"]["Rules"][0]
    assert (rule["Transitions"][0]["TransitionInDays"], rule["ExpirationInDays"]) == (30, 2555)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_bucket_policy_statements(synthesized, blueprint):
    plan, archive, _, _ = templates(synthesized, blueprint)
    trail_arn = f"arn:aws:cloudtrail:{plan.home_region}:{plan.management_account_id}:trail/organization-trail"
    policies = [p["Properties"]["PolicyDocument"] for p in resources(archive, "AWS::S3::BucketPolicy").values()]
    log_policy = next(p for p in policies if "CloudTrailWrite" in statements_by_sid(p))
    config_policy = next(p for p in policies if "ConfigWrite" in statements_by_sid(p))
    sids = statements_by_sid(log_policy)
    assert set(sids) >= {"DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWrite"}
    # With Object Lock on the log bucket (enterprise), AWS Config delivers to a bucket of its own.
    assert (config_policy is log_policy) == (blueprint == "standard")
    sids.update(statements_by_sid(config_policy))
    assert {"ConfigAclCheck", "ConfigWrite", "ConfigRecorderRolesWrite"} <= set(statements_by_sid(config_policy))
    deny = sids["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    write = sids["CloudTrailWrite"]
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"} and write["Action"] == "s3:PutObject"
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                                   "aws:SourceArn": trail_arn}}
    prefixes = json.dumps(write["Resource"])
    assert f"/AWSLogs/{plan.management_account_id}/*" in prefixes and f"/AWSLogs/{plan.organization_id}/*" in prefixes
    assert sids["CloudTrailAclCheck"]["Action"] == "s3:GetBucketAcl"
    assert sids["ConfigWrite"]["Condition"]["StringEquals"]["aws:SourceOrgID"] == plan.organization_id
    access_policy = next(p for p in policies if "S3ServerAccessLogsFromTheLogBucket" in statements_by_sid(p))
    assert "DenyInsecureTransport" in statements_by_sid(access_policy)


def test_config_delivers_to_a_bucket_without_object_lock(synthesized):
    """AWS::Config::DeliveryChannel: AWS Config cannot deliver to a bucket with Object Lock. The
    enterprise log bucket has Object Lock, so Config gets a bucket of its own, as well protected and
    retained, and the baseline (StackSet and management account stacks) delivers there."""
    result = synthesized("enterprise")
    plan, archive, _, _ = templates(synthesized, "enterprise")
    log_archive = next(a for a in plan.accounts if a.role == "log-archive")
    buckets = {b["Properties"]["BucketName"]: b for b in resources(archive, "AWS::S3::Bucket").values()}
    config = buckets[f"globex-logs-config-{log_archive.id}-us-east-1"]
    assert "ObjectLockEnabled" not in config["Properties"]
    assert (config["DeletionPolicy"], config["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert config["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert config["Properties"]["LoggingConfiguration"]["LogFilePrefix"] == f"globex-logs-config-{log_archive.id}-us-east-1/"
    sse = config["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    channels = [r["Properties"]["S3BucketName"] for s in plan.stacksets if s.name.endswith("-config-baseline")
                for r in s.template["Resources"].values() if r["Type"] == "AWS::Config::DeliveryChannel"]
    channels += [r["Properties"]["S3BucketName"] for name, t in result.templates().items()
                 if "-management-baseline-" in name for r in resources(t, "AWS::Config::DeliveryChannel").values()]
    assert channels and set(channels) == {config["Properties"]["BucketName"]}


def test_log_reader_decrypts_with_the_blueprint_key_by_alias(synthesized):
    _, archive, _, _ = templates(synthesized, "enterprise")
    role = one(archive, "AWS::IAM::Role")["Properties"]
    sids = statements_by_sid(role["Policies"][0]["PolicyDocument"])
    decrypt = sids["DecryptLogsWithBlueprintKey1"]
    assert decrypt["Resource"] == "arn:aws:kms:us-east-1:100000000002:key/*"
    assert decrypt["Condition"] == {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/lz/logs"}}
    assert "DecryptLogs" not in sids


def test_enterprise_logs_key_admits_the_log_bucket_writers(synthesized):
    result = synthesized("enterprise")
    keys = result.templates()["globex-keys-log-archive-us-east-1"]
    key = next(r for r in resources(keys, "AWS::KMS::Key").values()
               if r["Properties"]["KeyPolicy"]["Statement"][0]["Principal"]["AWS"].endswith(":100000000002:root")
               and "CloudTrailEncrypt" in statements_by_sid(r["Properties"]["KeyPolicy"]))
    sids = statements_by_sid(key["Properties"]["KeyPolicy"])
    assert {"LogBucketConfigDelivery", "LogBucketFlowLogsDelivery", "LogBucketConfigRecorderRoles"} <= set(sids)
    assert sids["LogBucketConfigDelivery"]["Condition"] == {"StringEquals": {"aws:SourceOrgID": "o-z9y8x7w6v5"}}
    trail_arn = "arn:aws:cloudtrail:us-east-1:100000000001:trail/organization-trail"
    assert sids["CloudTrailEncrypt"]["Condition"] == {"StringEquals": {
        "aws:SourceArn": trail_arn, "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn}}
    # the replica in eu-west-1 encrypts no log bucket
    replica = one(result.templates()["globex-keys-log-archive-eu-west-1"], "AWS::KMS::ReplicaKey")
    assert "LogBucketConfigDelivery" not in statements_by_sid(replica["Properties"]["KeyPolicy"])


def test_key_policy_lets_cloudtrail_encrypt_only_for_this_trail(synthesized):
    blueprint = "standard"      # enterprise uses its blueprint key (test above, and tests/synth/test_keys.py)
    plan, archive, _, _ = templates(synthesized, blueprint)
    trail_arn = f"arn:aws:cloudtrail:{plan.home_region}:{plan.management_account_id}:trail/organization-trail"
    key = one(archive, "AWS::KMS::Key")
    sids = statements_by_sid(key["Properties"]["KeyPolicy"])
    encrypt = sids["CloudTrailEncryptsThisTrailOnly"]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"] == {"StringEquals": {
        "aws:SourceArn": trail_arn, "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn}}
    cloudtrail_statements = [s for s in key["Properties"]["KeyPolicy"]["Statement"]
                             if s.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}]
    assert all(s["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn for s in cloudtrail_statements)
    alias = one(archive, "AWS::KMS::Alias")
    assert alias["Properties"]["AliasName"] == f"alias/{plan.name}/logs"


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_organization_trail(synthesized, blueprint):
    plan, _, trail_template, _ = templates(synthesized, blueprint)
    log_archive = next(a for a in plan.accounts if a.role == "log-archive")
    trail = one(trail_template, "AWS::CloudTrail::Trail")
    props = trail["Properties"]
    assert (trail["DeletionPolicy"], trail["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert props["TrailName"] == "organization-trail"
    assert props["IsOrganizationTrail"] is True and props["IsMultiRegionTrail"] is True
    assert props["IncludeGlobalServiceEvents"] is True and props["EnableLogFileValidation"] is True
    assert props["IsLogging"] is True
    assert props["S3BucketName"] == f"{plan.name}-logs-{log_archive.id}-{plan.home_region}"
    assert props["KMSKeyId"] == {
        "standard": f"arn:aws:kms:{plan.home_region}:{log_archive.id}:alias/{plan.name}/logs",
        "enterprise": ENTERPRISE_LOGS_KEY}[blueprint]
    assert "CloudWatchLogsLogGroupArn" in props and "CloudWatchLogsRoleArn" in props
    group = one(trail_template, "AWS::Logs::LogGroup")
    assert group["DeletionPolicy"] == "Retain" and "KmsKeyId" in group["Properties"]
    # CloudWatch Logs takes a key ARN, never an alias ARN: the log group keeps the stack's own key.
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [next(iter(resources(trail_template, "AWS::KMS::Key"))),
                                                              "Arn"]}
    expected_retention = {"standard": 365, "enterprise": 400}[blueprint]
    assert group["Properties"]["RetentionInDays"] == expected_retention
    if blueprint == "enterprise":
        types = {d["Type"] for d in props["EventSelectors"][0]["DataResources"]}
        assert types == {"AWS::S3::Object", "AWS::Lambda::Function"}
        assert {i["InsightType"] for i in props["InsightSelectors"]} == {"ApiCallRateInsight", "ApiErrorRateInsight"}
    else:
        assert "EventSelectors" not in props and "InsightSelectors" not in props


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_fifteen_cis_alarms_notify_the_encrypted_topic(synthesized, blueprint):
    plan, _, trail_template, _ = templates(synthesized, blueprint)
    alarms = {a["Properties"]["AlarmName"]: a["Properties"] for a in resources(trail_template, "AWS::CloudWatch::Alarm").values()}
    items = sorted(a["AlarmDescription"].split(":")[0] for a in alarms.values())
    assert items == sorted(f"CIS AWS Foundations 4.{i}" for i in range(1, 16))
    assert f"{plan.name}-cis-4-1-unauthorizedapicalls" in alarms
    assert f"{plan.name}-cis-4-3-rootaccountusage" in alarms
    topic_id = next(iter(resources(trail_template, "AWS::SNS::Topic")))
    assert all(a["AlarmActions"] == [{"Ref": topic_id}] for a in alarms.values())
    filters = resources(trail_template, "AWS::Logs::MetricFilter")
    assert len(filters) == 15
    assert {f["Properties"]["MetricTransformations"][0]["MetricName"] for f in filters.values()} == \
        {a["MetricName"] for a in alarms.values()}
    topic = one(trail_template, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic["Properties"]
    policy = one(trail_template, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"]
    deny = statements_by_sid(policy)["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    emails = {s["Properties"]["Endpoint"] for s in resources(trail_template, "AWS::SNS::Subscription").values()}
    assert emails == set(next(s for s in plan.stacks if s.component == "organization-trail").payload.emails)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_audit_bus_admits_only_the_organization(synthesized, blueprint):
    plan, _, _, audit = templates(synthesized, blueprint)
    bus = one(audit, "AWS::Events::EventBus")
    assert bus["Properties"]["Name"] == f"{plan.name}-security-events"
    statement = one(audit, "AWS::Events::EventBusPolicy")["Properties"]["Statement"]
    assert statement["Action"] == "events:PutEvents" and statement["Principal"] == "*"
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": plan.organization_id}}
    (rule,) = [r["Properties"] for r in resources(audit, "AWS::Events::Rule").values()
               if r["Properties"]["Name"] == f"{plan.name}-security-events-to-sns"]
    topic_id = next(iter(resources(audit, "AWS::SNS::Topic")))
    assert rule["EventBusName"] == f"{plan.name}-security-events" and rule["Targets"][0]["Arn"] == {"Ref": topic_id}
    topic = one(audit, "AWS::SNS::Topic")["Properties"]
    if blueprint == "enterprise":   # audit is in Security, which alias/lz/logs grants, and it lists sns
        assert topic["KmsMasterKeyId"] == ENTERPRISE_LOGS_KEY and resources(audit, "AWS::KMS::Key") == {}
    else:
        assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [next(iter(resources(audit, "AWS::KMS::Key"))), "Arn"]}
    aggregator = one(audit, "AWS::Config::ConfigurationAggregator")["Properties"]
    assert aggregator["OrganizationAggregationSource"]["AllAwsRegions"] is True


def test_baseline_stackset_carries_the_forwarding_rules(synthesized):
    result = synthesized("enterprise")
    guardrails = result.templates()["globex-guardrails"]
    baseline = next(json.loads(r["Properties"]["TemplateBody"]) for r in guardrails["Resources"].values()
                    if r["Type"] == "AWS::CloudFormation::StackSet"
                    and r["Properties"]["StackSetName"] == "globex-config-baseline")
    names = {r["Properties"]["Name"] for r in baseline["Resources"].values() if r["Type"] == "AWS::Events::Rule"}
    assert names == {f"globex-forward-{e.lower()}" for e in
                     ["DeleteTable", "AssumeRole", "AuthorizeSecurityGroupIngress", "StopLogging", "DeleteTrail",
                      "LeaveOrganization"]}

