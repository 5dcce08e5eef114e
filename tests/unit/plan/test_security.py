"""The security component: which stacks in which account and region, what each registers or enables,
Security Hub's aggregation and associations, pending items, and reordering changing nothing."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.security import SecurityAdminPayload, SecurityServicesPayload
from tests.helpers import minimal, write

ALL = {"guardduty": {"features": ["s3_data_events", "runtime_monitoring"]},
       "security_hub": {"standards": ["cis-aws-foundations-benchmark-v3", "aws-foundational-security-best-practices"],
                        "units": ["Workloads", "Security"]},
       "access_analyzer": {"unused_access_days": 90}, "macie": {}, "detective": {},
       "inspector": {"scans": ["lambda", "ec2"]}}


def plan_of(tmp_path, security: dict, mutate=None):
    data = minimal()
    data["organization"]["units"][0]["id"] = "ou-a1b2-11111111"
    data["organization"]["units"][1]["id"] = "ou-a1b2-22222222"
    data["security"] = security
    if mutate:
        mutate(data)
    return build_plan(load_blueprint(write(tmp_path, data)))


def stacks(plan, component):
    return {s.name: s for s in plan.stacks if s.component == component}


def test_no_service_no_stack_and_no_protection(tmp_path):
    plan = plan_of(tmp_path, {})
    assert stacks(plan, "security-admin") == stacks(plan, "security-services") == {}
    assert not any("LZ-SEC-001" in p.controls for p in plan.policies)


def test_registration_per_region_in_the_management_account(tmp_path):
    plan = plan_of(tmp_path, ALL)
    admin = stacks(plan, "security-admin")
    assert sorted(admin) == ["acme-security-admin-eu-west-1", "acme-security-admin-us-east-1"]
    home, other = admin["acme-security-admin-us-east-1"], admin["acme-security-admin-eu-west-1"]
    assert home.account_id == other.account_id == "111111111111"
    assert home.payload == SecurityAdminPayload("acme", "333333333333",
                                                ("guardduty", "macie", "inspector", "access-analyzer"),
                                                security_hub=True, detective=True)
    # Access Analyzer's registration is an Organizations one (once); Security Hub's in the aggregation region.
    assert other.payload.registrations == ("guardduty", "macie", "inspector")
    assert (other.payload.security_hub, other.payload.detective) == (False, True)


def test_configuration_in_the_delegated_administrator_after_its_registration(tmp_path):
    plan = plan_of(tmp_path, ALL)
    services = stacks(plan, "security-services")
    home = services["acme-security-services-us-east-1"]
    assert home.account_id == "333333333333"
    assert home.depends_on == ("acme-security-admin-us-east-1",)
    payload: SecurityServicesPayload = home.payload
    assert [(a.service, a.settings) for a in payload.auto_enable] == [
        ("guardduty", (("Features", ("RUNTIME_MONITORING", "S3_DATA_EVENTS")),
                       ("AdditionalConfiguration", ("EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT",
                                                    "EC2_AGENT_MANAGEMENT")))),
        ("macie", ()), ("inspector", (("Scans", ("ec2", "lambda")),)), ("detective", ())]
    assert [(a.name, a.type, a.unused_access_days) for a in payload.analyzers] == [
        ("acme-organization", "ORGANIZATION", None),
        ("acme-organization-unused-access", "ORGANIZATION_UNUSED_ACCESS", 90)]
    hub = payload.security_hub
    assert hub.linked_regions == ("eu-west-1",)
    assert hub.standards == (
        "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
        "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0")
    assert [(t.target_type, t.target_id) for t in hub.targets] == [
        ("ORGANIZATIONAL_UNIT", "ou-a1b2-11111111"), ("ORGANIZATIONAL_UNIT", "ou-a1b2-22222222")]
    assert [r.service for r in payload.findings] == ["guardduty", "securityhub", "macie", "access-analyzer"]
    other = services["acme-security-services-eu-west-1"].payload
    assert other.security_hub is None and [a.name for a in other.analyzers] == ["acme-organization"]
    assert [r.service for r in other.findings] == ["guardduty", "macie", "access-analyzer"]


def test_the_services_phase_deploys_registration_before_configuration(tmp_path):
    plan = plan_of(tmp_path, ALL)
    order = [p.name for p in plan.phases]
    assert order.index("stacksets") < order.index("services") < order.index("policies")
    for region in ("eu-west-1", "us-east-1"):
        admin, services = f"acme-security-admin-{region}", f"acme-security-services-{region}"
        assert plan.phase_of(admin).name == plan.phase_of(services).name == "services"
        assert admin in plan.stack(services).depends_on     # CDK deploys it first within the phase


def test_named_delegated_admin_and_pending_without_ids(tmp_path):
    def admin_without_id(data):
        data["organization"]["accounts"].append({"name": "secops", "email": "aws+secops@example.com",
                                                 "unit": "Security"})
    plan = plan_of(tmp_path, {"delegated_admin": "secops", "guardduty": {}}, admin_without_id)
    assert stacks(plan, "security-admin") == stacks(plan, "security-services") == {}
    assert sorted(p.subject for p in plan.pending if "security" in p.subject) == [
        "stack acme-security-admin-eu-west-1", "stack acme-security-admin-us-east-1",
        "stack acme-security-services-eu-west-1", "stack acme-security-services-us-east-1"]


def test_security_hub_waits_for_the_config_baseline_and_unit_ids(tmp_path):
    def no_ids(data):
        data["organization"]["accounts"][0].pop("id")
        data["organization"]["units"][1].pop("id")
    plan = plan_of(tmp_path, {"security_hub": {"units": ["Workloads"]}}, no_ids)
    assert stacks(plan, "security-services") == {}
    assert "Security Hub central configuration" in {p.subject for p in plan.pending}


def test_macie_and_inspector_skip_regions_they_do_not_run_in(tmp_path):
    def far(data):
        data["governed_regions"] = ["us-east-1", "ap-southeast-5"]
    plan = plan_of(tmp_path, {"macie": {}, "inspector": {}}, far)
    assert "acme-security-admin-ap-southeast-5" not in stacks(plan, "security-admin")
    assert stacks(plan, "security-admin")["acme-security-admin-us-east-1"].payload.registrations == (
        "macie", "inspector")


@pytest.mark.parametrize("severity, services", [
    ("LOW", ["guardduty", "macie", "access-analyzer"]),
    ("CRITICAL", ["guardduty", "access-analyzer"]),       # no Macie finding is critical
], ids=["low", "critical"])
def test_audit_gets_a_rule_per_service_that_can_reach_the_severity(tmp_path, severity, services):
    plan = plan_of(tmp_path, {"guardduty": {}, "macie": {}, "access_analyzer": {}, "notify_severity": severity})
    audit = next(s for s in plan.stacks if s.component == "audit")
    assert [r.service for r in audit.payload.finding_rules] == services
    assert audit.resources == 9 + len(services)


def test_reordering_every_list_changes_nothing(tmp_path):
    first = plan_of(tmp_path, ALL)
    reordered = {**ALL, "guardduty": {"features": ["runtime_monitoring", "s3_data_events"]},
                 "security_hub": {**ALL["security_hub"], "standards": ALL["security_hub"]["standards"][::-1],
                                  "units": ["Security", "Workloads"]},
                 "inspector": {"scans": ["ec2", "lambda"]}}
    second = plan_of(tmp_path, reordered, lambda d: d.update(governed_regions=["eu-west-1", "us-east-1"]))
    assert [s.payload for s in first.stacks if s.component.startswith("security")] == \
        [s.payload for s in second.stacks if s.component.startswith("security")]
