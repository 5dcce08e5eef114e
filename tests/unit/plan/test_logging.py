"""Logging component: stacks, deterministic names, pending when ids are missing, baseline extension."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from landing_zone.blueprint.cloudtrail import KNOWN_EVENTS, LOG_RETENTION_DAYS, trail_name_problems
from landing_zone.blueprint.load import load_blueprint
from landing_zone.cli import cli
from landing_zone.plan import build_plan
from landing_zone.plan.logging import (
    AuditPlan,
    LogArchivePlan,
    OrganizationTrailPlan,
    audit_resources,
    log_archive_resources,
    trail_resources,
)
from tests.helpers import minimal, write


def plan_of(tmp_path, data):
    return build_plan(load_blueprint(write(tmp_path, data)))


def stacks_by_component(plan):
    return {s.component: s for s in plan.stacks}


def test_three_stacks_in_their_accounts_with_deterministic_names(tmp_path):
    data = minimal()
    data["logging"] = {"notifications": {"emails": ["sec@example.com"], "events": ["DeleteTable"]}}
    plan = plan_of(tmp_path, data)
    stacks = stacks_by_component(plan)
    archive, trail, audit = stacks["log-archive"], stacks["organization-trail"], stacks["audit"]
    assert (archive.name, archive.account_id, archive.region) == ("acme-log-archive", "222222222222", "us-east-1")
    assert (trail.name, trail.account_id) == ("acme-organization-trail", "111111111111")
    assert (audit.name, audit.account_id) == ("acme-audit", "333333333333")
    assert trail.depends_on == ("acme-log-archive",)

    a: LogArchivePlan = archive.payload
    assert a.bucket_name == "acme-logs-222222222222-us-east-1"
    assert a.access_log_bucket_name == "acme-access-logs-222222222222-us-east-1"
    assert a.trail_arn == "arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail"
    assert a.reader_account_id == "333333333333" and a.reader_role_name.startswith("acme-")
    assert (a.retention_days, a.glacier_after_days, a.object_lock_mode) == (3650, 90, None)

    t: OrganizationTrailPlan = trail.payload
    assert t.bucket_name == a.bucket_name
    assert t.logs_key_arn == "arn:aws:kms:us-east-1:222222222222:alias/acme/logs"
    assert t.log_group_name.startswith("/acme/") and t.retention_days == 365
    assert t.logs_role_name.startswith("acme-") and t.topic_name.startswith("acme-")
    assert [x.item for x in t.alarms] == [f"4.{i}" for i in range(1, 16)]
    assert all(x.alarm_name.startswith("acme-cis-") for x in t.alarms)
    assert len({x.logical_id for x in t.alarms}) == 15

    u: AuditPlan = audit.payload
    assert u.bus_name == "acme-security-events" and u.organization_id == "o-a1b2c3d4e5"
    assert u.emails == ("sec@example.com",)
    assert archive.resources == log_archive_resources(a) == 7
    assert trail.resources == trail_resources(t) == 9 + 1 + 30
    assert audit.resources == audit_resources(u) == 10


def test_cis_alarms_off_removes_filters_and_alarms(tmp_path):
    data = minimal()
    data["logging"] = {"notifications": {"cis_alarms": False}}
    trail = stacks_by_component(plan_of(tmp_path, data))["organization-trail"]
    assert trail.payload.alarms == () and trail.resources == 9


def test_object_lock_and_data_events_reach_the_payload(tmp_path):
    data = minimal()
    data["logging"] = {"bucket": {"object_lock": {"mode": "COMPLIANCE", "days": 30}},
                       "trail": {"data_events": {"s3": True, "lambda": True}, "insights": True}}
    stacks = stacks_by_component(plan_of(tmp_path, data))
    assert (stacks["log-archive"].payload.object_lock_mode, stacks["log-archive"].payload.object_lock_days) == \
        ("COMPLIANCE", 30)
    trail = stacks["organization-trail"].payload
    assert trail.s3_data_events and trail.lambda_data_events and trail.insights


@pytest.mark.parametrize("account", [0, 1], ids=["log-archive", "audit"])
def test_until_the_landing_zone_accounts_exist_only_the_organization_is_synthesized(tmp_path, account):
    """A first `cdk deploy --all` creates the OUs and accounts only: every later phase (logging,
    StackSets, policies) needs those accounts, and the SCPs must come after all of it."""
    data = minimal()
    name = data["organization"]["accounts"][account]["name"]
    del data["organization"]["accounts"][account]["id"]
    plan = plan_of(tmp_path, data)
    assert set(stacks_by_component(plan)) == {"organization", "accounts"}
    subjects = {p.subject for p in plan.pending}
    assert {"stack acme-log-archive", "stack acme-organization-trail", "stack acme-audit", "stack acme-policies"} <= subjects

    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "blueprint.yaml")])
    assert result.exit_code == 0, result.output
    assert f"stack acme-policies: the landing zone account(s) {name} have no id yet" in result.output


def baseline(plan):
    return next(s for s in plan.stacksets if s.name == "acme-config-baseline").template


def test_baseline_forwards_each_event_to_the_central_bus(tmp_path):
    data = minimal()
    data["logging"] = {"notifications": {"events": ["DeleteTable", "AssumeRole", "RootConsoleLogin"]}}
    template = baseline(plan_of(tmp_path, data))
    rules = {r["Properties"]["Name"]: r["Properties"] for r in template["Resources"].values()
             if r["Type"] == "AWS::Events::Rule"}
    assert sorted(rules) == ["acme-forward-assumerole", "acme-forward-deletetable", "acme-forward-rootconsolelogin"]
    bus = "arn:aws:events:us-east-1:333333333333:event-bus/acme-security-events"
    assert all(r["Targets"][0]["Arn"] == bus for r in rules.values())
    assert rules["acme-forward-deletetable"]["EventPattern"] == {
        "source": ["aws.dynamodb"], "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["dynamodb.amazonaws.com"], "eventName": ["DeleteTable"]}}
    assert rules["acme-forward-rootconsolelogin"]["EventPattern"]["detail"]["userIdentity"] == {"type": ["Root"]}
    # A role per region, used by GetAtt: automatic deployments ignore the region order.
    role = template["Resources"]["EventForwarderRole"]
    assert "Condition" not in role and role["Properties"]["RoleName"] == {"Fn::Sub": "acme-event-forwarder-${AWS::Region}"}
    assert {r["Targets"][0]["RoleArn"]["Fn::GetAtt"][0] for r in rules.values()} == {"EventForwarderRole"}
    # Still one recorder: the logging component extends the baseline, it does not add a second one.
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::Config::ConfigurationRecorder") == 1


def test_baseline_without_events_has_no_forwarding(tmp_path):
    template = baseline(plan_of(tmp_path, minimal()))
    assert "EventForwarderRole" not in template["Resources"]
    assert not any(r["Type"] == "AWS::Events::Rule" for r in template["Resources"].values())


@pytest.mark.parametrize("invited", [1, 2, 12])
def test_invited_accounts_get_the_organization_access_role(tmp_path, invited):
    data = minimal()
    for i in range(invited):
        data["organization"]["accounts"].append({"name": f"old-{i}", "email": f"aws+old{i}@example.com",
                                                 "unit": "Workloads/Prod", "id": f"{900000000000 + i}"})
    data["logging"] = {"invited_accounts": [f"old-{i}" for i in range(invited)]}
    template = baseline(plan_of(tmp_path, data))
    role = template["Resources"]["OrganizationAccountAccessRole"]
    assert role["Condition"] == "CreatesAccessRole"
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::111111111111:root"}
    text = repr(template["Conditions"]["IsInvitedAccount"])
    assert all(f"{900000000000 + i}" in text for i in range(invited))


def test_no_invited_accounts_no_access_role(tmp_path):
    assert "OrganizationAccountAccessRole" not in baseline(plan_of(tmp_path, minimal()))["Resources"]


@pytest.mark.parametrize("name, ok", [
    ("organization-trail", True), ("a.b_c-d", True), ("abc", True), ("ab", False), ("t" * 129, False),
    ("-trail", False), ("trail-", False), ("my--trail", False), ("my-_trail", False), ("org trail", False),
    ("192.168.1.1", False)])
def test_trail_name_rules(name, ok):
    assert (trail_name_problems(name) == []) is ok


def test_known_events_cover_the_issue_list():
    for name, source in [("DeleteTable", "dynamodb.amazonaws.com"), ("AssumeRole", "sts.amazonaws.com"),
                         ("AuthorizeSecurityGroupIngress", "ec2.amazonaws.com"),
                         ("StopLogging", "cloudtrail.amazonaws.com"), ("DeleteTrail", "cloudtrail.amazonaws.com"),
                         ("LeaveOrganization", "organizations.amazonaws.com"),
                         ("RootConsoleLogin", "signin.amazonaws.com")]:
        assert KNOWN_EVENTS[name].event_source == source
    assert 365 in LOG_RETENTION_DAYS and 366 not in LOG_RETENTION_DAYS



@pytest.mark.parametrize(("readers", "principals"), [
    pytest.param(None, ("arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/*",),
                 id="default-identity-center-roles"),
    pytest.param(["role/team/forensics", "role/SecurityAnalyst"],
                 ("arn:aws:iam::333333333333:role/SecurityAnalyst", "arn:aws:iam::333333333333:role/team/forensics"),
                 id="named-roles-in-name-order"),
])
def test_log_reader_role_trusts_the_named_roles_of_the_audit_account(tmp_path, readers, principals):
    data = minimal()
    if readers is not None:
        data["logging"] = {"readers": readers}
    archive: LogArchivePlan = stacks_by_component(plan_of(tmp_path, data))["log-archive"].payload
    assert (archive.reader_role_name, archive.reader_role_path) == ("acme-log-reader", "/readers/")
    assert archive.reader_principals == principals
