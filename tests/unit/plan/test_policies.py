"""Organization policies: packing per target is stable, budgets and attachment limits are issues."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from tests.helpers import minimal, write

DENY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}


def plan_of(tmp_path, guardrails: dict, policies: list | None = None):
    data = minimal()
    data["organization"]["units"].append({"name": "Sandbox"})
    data["guardrails"] = guardrails
    data["policies"] = policies or []
    return build_plan(load_blueprint(write(tmp_path, data)))


def scps_by_target(plan) -> dict:
    return {p.targets: p.document for p in plan.policies if p.policy_type == "SERVICE_CONTROL_POLICY"
            and p.controls}


def test_enabling_a_control_on_one_ou_changes_no_other_target(tmp_path):
    base = {"enable": [{"level": "strongly-recommended", "units": ["Root"]},
                       {"control": "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA", "units": ["Sandbox"]}]}
    before = scps_by_target(plan_of(tmp_path, base))
    base["enable"].append({"control": "AWS-GR_DISALLOW_VPN_CONNECTIONS", "units": ["Workloads/Prod"]})
    after = scps_by_target(plan_of(tmp_path, base))
    assert {t: d for t, d in after.items() if t in before} == before
    assert len(after) == len(before) + 1


def test_every_preventive_statement_lands_once_on_its_target(tmp_path):
    plan = plan_of(tmp_path, {"enable": [{"level": "strongly-recommended", "units": ["Root"]},
                                         {"level": "elective", "units": ["Sandbox"]}]})
    root = [s["Sid"] for p in plan.policies if p.targets[0].kind == "root" for s in p.document["Statement"]]
    assert len(root) == len(set(root))
    assert "GRRESTRICTROOTUSERACCESSKEYS" in root


def test_a_target_that_cannot_fit_its_guardrails(tmp_path):
    custom = [{"name": f"custom-{i}", "type": "service_control", "document": DENY,
               "targets": {"units": ["Sandbox"]}} for i in range(3)]
    with pytest.raises(BlueprintError) as exc:
        plan_of(tmp_path, {"enable": [{"level": "elective", "units": ["Sandbox"]},
                                      {"level": "strongly-recommended", "units": ["Sandbox"]}]}, custom)
    (issue,) = exc.value.issues
    assert issue.code == "scp-budget-exceeded"
    assert issue.message.startswith("Sandbox cannot fit its guardrails: it needs ")
    assert "but only 1 can be attached; controls and sizes: " in issue.message
    assert "FullAWSAccess and 3 custom SCP(s)" in issue.hint


def test_six_custom_scps_on_one_ou(tmp_path):
    custom = [{"name": f"custom-{i}", "type": "service_control", "document": DENY,
               "targets": {"units": ["Sandbox"]}} for i in range(5)]
    with pytest.raises(BlueprintError) as exc:
        plan_of(tmp_path, {}, custom)
    (issue,) = exc.value.issues
    assert (issue.code, issue.path) == ("policy-attachment-limit", "policies")
    assert issue.message == ("Sandbox would have 6 SERVICE_CONTROL_POLICY policies attached (acme-custom-0, "
                             "acme-custom-1, acme-custom-2, acme-custom-3, acme-custom-4 and the AWS managed "
                             "full-access policy); allowed: 5")


def test_policy_types_in_use_are_enabled(tmp_path):
    plan = plan_of(tmp_path, {}, [{"name": "tags", "type": "tag", "targets": {"units": ["Root"]},
                                   "document": {"tags": {"cc": {"tag_key": {"@@assign": "CostCenter"}}}}}])
    assert plan.policy_types == ("SERVICE_CONTROL_POLICY", "TAG_POLICY")
