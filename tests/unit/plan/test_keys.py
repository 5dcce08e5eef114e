"""Keys planner and key policies: stacks per owner and region, replicas, policies by Sid."""
from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.key_policies import KeyPolicyContext, key_policy
from landing_zone.plan.keys import KeysStackPayload, stack_resources
from landing_zone.plan.shared import key_arn_for, keys_stack_for
from landing_zone.policy.lint import lint_document

ROOT = Path(__file__).resolve().parents[3]
BASE = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1, eu-central-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units:
    - {name: Security, id: ou-a1b2-11111111}
    - name: Workloads
      id: ou-a1b2-22222222
      units: [{name: Prod, id: ou-a1b2-33333333}, {name: Dev}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: app, email: a+app@example.com, unit: Workloads/Prod, id: "444444444444"}
    - {name: new, email: a+new@example.com, unit: Workloads/Prod}
"""


def plan_of(tmp_path: Path, keys: str, base: str = BASE):
    path = tmp_path / "bp.yaml"
    path.write_text(base + "keys:\n" + keys)
    return build_plan(load_blueprint(path))


def keys_stacks(plan):
    return {s.name: s for s in plan.stacks if s.component == "keys"}


def statements(policy: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in policy["Statement"]}


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


LOGS_KEY = """\
  - alias: alias/lz/logs
    account: log-archive
    primary_region: us-east-1
    replica_regions: [eu-west-1]
    services: [cloudtrail, logs, s3, sns, secretsmanager, backup, config, ds]
    grants: {units: [Workloads/Prod], accounts: [app]}
"""


def test_one_stack_per_owner_and_region_with_replicas_after_their_primary(tmp_path):
    plan = plan_of(tmp_path, LOGS_KEY + """\
  - {alias: alias/lz/other, account: log-archive, primary_region: eu-west-1}
  - {alias: alias/lz/app, account: app, primary_region: us-east-1}
""")
    stacks = keys_stacks(plan)
    assert list(stacks) == ["acme-keys-app-us-east-1", "acme-keys-log-archive-us-east-1",
                            "acme-keys-log-archive-eu-west-1"]
    replica_stack = stacks["acme-keys-log-archive-eu-west-1"]
    assert replica_stack.region == "eu-west-1" and replica_stack.account_id == "222222222222"
    assert replica_stack.depends_on == ("acme-keys-log-archive-us-east-1",)
    assert [k.alias for k in replica_stack.payload.primaries] == ["alias/lz/other"]
    replica = replica_stack.payload.replicas[0]
    primary = stacks["acme-keys-log-archive-us-east-1"].payload.primaries[0]
    assert (replica.alias, replica.primary_stack, replica.primary_logical_id) == (
        "alias/lz/logs", "acme-keys-log-archive-us-east-1", primary.logical_id)
    assert primary.multi_region and primary.rotation and primary.origin == "AWS_KMS"
    assert stacks["acme-keys-log-archive-us-east-1"].payload.export_regions == ("eu-west-1",)
    # key + alias each: the replica reads its primary's ARN with Fn::GetStackOutput, which costs no resource.
    assert [s.resources for s in stacks.values()] == [2, 2, 4]
    assert not stacks["acme-keys-app-us-east-1"].payload.primaries[0].multi_region


def test_owner_without_id_is_pending(tmp_path):
    plan = plan_of(tmp_path, "  - {alias: alias/lz/new, account: new, primary_region: us-east-1}\n")
    assert keys_stacks(plan) == {}
    assert any(p.subject == "stack acme-keys-new-us-east-1" for p in plan.pending)


def test_only_the_owning_account_administrators_get_kms_star(tmp_path):
    plan = plan_of(tmp_path, LOGS_KEY)
    for stack in keys_stacks(plan).values():
        for key in (*stack.payload.primaries, *stack.payload.replicas):
            for statement in key.policy_document["Statement"]:
                actions = as_list(statement["Action"])
                if any(a in ("kms:*", "*") for a in actions):
                    assert statement["Sid"] == "KeyAdministration"
                    assert statement["Principal"] == {"AWS": "arn:aws:iam::222222222222:root"}
                assert statement["Effect"] != "Deny"


def test_cloudtrail_encrypts_only_for_the_organization_trail(tmp_path):
    plan = plan_of(tmp_path, LOGS_KEY)
    key = keys_stacks(plan)["acme-keys-log-archive-us-east-1"].payload.primaries[0]
    by_sid = statements(key.policy_document)
    trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail"
    encrypt = by_sid["CloudTrailEncrypt"]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Condition"]["StringEquals"] == {
        "aws:SourceArn": trail, "kms:EncryptionContext:aws:cloudtrail:arn": trail}
    reader = by_sid["CloudTrailLogReaderDecrypt"]
    assert reader["Action"] == "kms:Decrypt"
    assert reader["Principal"] == {"AWS": "arn:aws:iam::222222222222:root"}
    assert reader["Condition"]["StringEquals"]["aws:PrincipalArn"] == \
        "arn:aws:iam::222222222222:role/readers/acme-log-reader"


@pytest.mark.parametrize(("grants", "sid", "statement"), [
    pytest.param("", "SnsCloudWatchAlarms", {
        "Sid": "SnsCloudWatchAlarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ["222222222222", "444444444444"]},
                      "ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:us-east-1:*:*",
                                  "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:*:alarm:*"}}},
        id="cloudwatch-alarms-of-the-callers"),
    pytest.param("", "SnsEventBridge", {
        "Sid": "SnsEventBridge", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": [
            "arn:aws:sns:us-east-1:222222222222:*", "arn:aws:sns:us-east-1:444444444444:*"]}}},
        id="eventbridge-to-topics-of-the-callers"),
    pytest.param(", units: [Workloads]", "SnsEventBridge", {
        "Sid": "SnsEventBridge", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:us-east-1:*:*"}}},
        id="eventbridge-with-ou-grants-to-topics-of-the-region"),
])
def test_sns_publishers_are_bound_to_their_sources_and_topics(tmp_path, grants, sid, statement):
    plan = plan_of(tmp_path, "  - {alias: alias/lz/alerts, account: log-archive, primary_region: us-east-1, "
                             f"services: [sns], grants: {{accounts: [app]{grants}}}}}\n")
    key = keys_stacks(plan)["acme-keys-log-archive-us-east-1"].payload.primaries[0]
    assert statements(key.policy_document)[sid] == statement


def test_services_are_scoped_by_region_and_caller_accounts(tmp_path):
    plan = plan_of(tmp_path, LOGS_KEY)
    stacks = keys_stacks(plan)
    for stack, region in (("acme-keys-log-archive-us-east-1", "us-east-1"),
                          ("acme-keys-log-archive-eu-west-1", "eu-west-1")):
        payload = stacks[stack].payload
        key = (payload.primaries or payload.replicas)[0]
        by_sid = statements(key.policy_document)
        logs = by_sid["CloudWatchLogs"]
        assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
        assert logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"] == [
            f"arn:aws:logs:{region}:{a}:log-group:*" for a in ("111111111111", "222222222222", "444444444444")]
        for sid, service in (("S3ViaService", "s3"), ("SnsViaService", "sns"),
                             ("SecretsManagerViaService", "secretsmanager"), ("BackupViaService", "backup"),
                             ("DirectoryServiceViaService", "ds")):
            condition = by_sid[sid]["Condition"]["StringEquals"]
            assert condition["kms:ViaService"] == f"{service}.{region}.amazonaws.com"
            assert condition["kms:CallerAccount"] == ["222222222222", "444444444444"]
        assert by_sid["AwsResourceGrants"]["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
        assert by_sid["ConfigDelivery"]["Condition"]["StringEquals"]["aws:SourceAccount"] == [
            "222222222222", "444444444444"]
        org = by_sid["OrgUnitsUse"]["Condition"]
        assert org["ForAnyValue:StringLike"]["aws:PrincipalOrgPaths"] == "o-a1b2c3d4e5/r-a1b2/ou-a1b2-22222222/ou-a1b2-33333333/*"
        assert f"s3.{region}.amazonaws.com" in org["StringEquals"]["kms:ViaService"]
        assert "AccountsUse" not in by_sid     # with via-services, cross-account use goes through them
        assert lint_document(key.policy_document, kind="resource", max_size=32768) == []


def test_grants_without_services_give_direct_use_and_unknown_ou_ids_are_pending(tmp_path):
    plan = plan_of(tmp_path, """\
  - {alias: alias/lz/data, account: log-archive, primary_region: us-east-1,
     grants: {units: [Workloads/Dev, Root], accounts: [app, new]}}
""")
    key = keys_stacks(plan)["acme-keys-log-archive-us-east-1"].payload.primaries[0]
    by_sid = statements(key.policy_document)
    assert by_sid["AccountsUse"]["Principal"] == {"AWS": "arn:aws:iam::444444444444:root"}
    assert by_sid["OrgUnitsUse"]["Condition"] == {
        "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-a1b2/*"}}
    subjects = {p.subject for p in plan.pending}
    assert {"key alias/lz/data grant to OU Workloads/Dev", "key alias/lz/data grant to account new"} <= subjects


def test_external_key_has_no_rotation_and_custom_key_store_key_is_a_custom_resource(tmp_path):
    plan = plan_of(tmp_path, """\
  - {alias: alias/lz/byok, account: log-archive, primary_region: us-east-1, origin: EXTERNAL}
  - {alias: alias/lz/hsm, account: log-archive, primary_region: us-east-1, rotation: false,
     custom_key_store_id: cks-1234567890abcdef0}
  - {alias: alias/lz/rot, account: log-archive, primary_region: us-east-1, rotation_period_days: 180,
     pending_window_days: 7}
""")
    stack = keys_stacks(plan)["acme-keys-log-archive-us-east-1"]
    keys = {k.alias: k for k in stack.payload.primaries}
    assert set(keys) == {"alias/lz/byok", "alias/lz/rot"}
    assert (keys["alias/lz/byok"].origin, keys["alias/lz/byok"].rotation) == ("EXTERNAL", False)
    assert (keys["alias/lz/rot"].rotation_period_days, keys["alias/lz/rot"].pending_window_days) == (180, 7)
    (hsm,) = stack.payload.custom_store_keys
    assert (hsm.alias, hsm.custom_key_store_id) == ("alias/lz/hsm", "cks-1234567890abcdef0")
    assert statements(hsm.policy_document)["KeyAdministration"]["Principal"] == {
        "AWS": "arn:aws:iam::222222222222:root"}
    assert not any("alias/lz/hsm" in p.subject for p in plan.pending)
    # key + alias for two keys, the custom key store key and its alias, and the handler provider
    # (two functions, each with a role, a policy and a log group)
    assert stack.resources == stack_resources(stack.payload) == 2 * 3 + 8


def test_custom_key_store_key_serves_services_and_is_never_rotated(tmp_path):
    plan = plan_of(tmp_path, """\
  - {alias: alias/lz/hsm, account: log-archive, primary_region: us-east-1, services: [s3],
     custom_key_store_id: cks-1234567890abcdef0}
""")
    bp = load_blueprint(tmp_path / "bp.yaml").model
    assert key_arn_for(bp, service="s3", account="log-archive", region="us-east-1") == \
        "arn:aws:kms:us-east-1:222222222222:alias/lz/hsm"
    assert keys_stack_for(bp, "arn:aws:kms:us-east-1:222222222222:alias/lz/hsm") == \
        "acme-keys-log-archive-us-east-1"
    (stack,) = keys_stacks(plan).values()
    assert stack.payload.primaries == () and len(stack.payload.custom_store_keys) == 1


def test_replicating_both_ways_between_two_regions_is_an_issue(tmp_path):
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, """\
  - {alias: alias/lz/a, account: log-archive, primary_region: us-east-1, replica_regions: [eu-west-1]}
  - {alias: alias/lz/b, account: log-archive, primary_region: eu-west-1, replica_regions: [us-east-1]}
""")
    assert [i.code for i in info.value.issues] == ["key-replica-cycle"]


def test_key_arn_for_prefers_the_own_key_then_grants_by_ou(tmp_path):
    plan_of(tmp_path, LOGS_KEY + """\
  - {alias: alias/lz/app, account: app, primary_region: us-east-1, services: [s3]}
""")
    bp = load_blueprint(tmp_path / "bp.yaml").model
    assert key_arn_for(bp, service="s3", account="app", region="us-east-1") == \
        "arn:aws:kms:us-east-1:444444444444:alias/lz/app"
    assert key_arn_for(bp, service="s3", account="app", region="eu-west-1") == \
        "arn:aws:kms:eu-west-1:222222222222:alias/lz/logs"
    assert key_arn_for(bp, service="cloudtrail", account="log-archive", region="us-east-1") == \
        "arn:aws:kms:us-east-1:222222222222:alias/lz/logs"
    assert key_arn_for(bp, service="s3", account="audit", region="us-east-1") is None
    assert key_arn_for(bp, service="s3", account="log-archive", region="eu-central-1") is None


def test_enterprise_blueprint_keys():
    plan = build_plan(load_blueprint(ROOT / "blueprints/enterprise.yaml"))
    stacks = keys_stacks(plan)
    assert sorted(stacks) == ["globex-keys-audit-eu-central-1", "globex-keys-audit-eu-west-1",
                              "globex-keys-audit-us-east-1", "globex-keys-identity-us-east-1",
                              "globex-keys-log-archive-eu-west-1", "globex-keys-log-archive-us-east-1"]


def test_policy_without_services_is_administration_only():
    ctx = KeyPolicyContext(partition="aws", region="us-east-1", owner_account_id="222222222222",
                           management_account_id="111111111111", trail_arn="arn:aws:cloudtrail:x",
                           log_reader_account_id=None, log_reader_role_arn="", services=())
    assert [s["Sid"] for s in key_policy(ctx)["Statement"]] == ["KeyAdministration"]


def test_cross_region_references_cost_no_resource():
    # Under the pinned feature flags a key ARN read in another region is an output and Fn::GetStackOutput,
    # not CDK's export writer and reader functions.
    assert stack_resources(KeysStackPayload()) == 0
    assert stack_resources(KeysStackPayload(export_regions=("a", "b"))) == 0
