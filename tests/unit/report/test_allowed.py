"""The "is it allowed?" table: probes from --actions, policies from the plan, decisions by the evaluator."""
from __future__ import annotations

import pytest

from landing_zone.explain.probes import Probe, planned_policies, read_probes
from landing_zone.explain.proofs import stand_in_id
from landing_zone.explain.requests import DEFAULT_PROBES, UsageError, build_request, decide
from landing_zone.report.allowed import evaluate_probes
from tests.unit.report.common import shipped


@pytest.mark.parametrize("text,expected", [
    ("- s3:GetObject\n", [Probe("s3:GetObject")]),
    ("- {action: ec2:RunInstances, region: ap-southeast-2}\n", [Probe("ec2:RunInstances", "ap-southeast-2")]),
    ("- action: s3:PutObject\n  resource: arn:aws:s3:::b/k\n  principal: arn:aws:iam::{account}:role/Ci\n"
     "  context: {aws:MultiFactorAuthPresent: 'false'}\n",
     [Probe("s3:PutObject", None, "arn:aws:s3:::b/k", "arn:aws:iam::{account}:role/Ci",
            (("aws:MultiFactorAuthPresent", "false"),))]),
], ids=["plain-action", "action-in-region", "everything"])
def test_read_probes(tmp_path, text, expected):
    path = tmp_path / "actions.yaml"
    path.write_text(text)
    assert read_probes(str(path)) == expected


@pytest.mark.parametrize("text,message", [
    ("{action: s3:GetObject}\n", "must be a YAML list of actions"),
    ("[]\n", "must be a YAML list of actions"),
    ("- {region: us-east-1}\n", "item 1: {'region': 'us-east-1'} is not an action"),
    ("- s3:GetObject\n- {action: s3:GetObject, bucket: x}\n", "item 2:"),
    ("- {action: s3:GetObject, context: [a]}\n", "item 1: context must map condition keys to values"),
    ("- [unclosed\n", "is not a readable YAML file"),
], ids=["mapping", "empty", "no-action", "unknown-key", "context-not-mapping", "bad-yaml"])
def test_read_probes_rejects(tmp_path, text, message):
    path = tmp_path / "actions.yaml"
    path.write_text(text)
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("{", r"\{")):
        read_probes(str(path))


def test_default_probes_are_those_of_lz_matrix():
    assert [p.action for p in read_probes(None)] == [p["action"] for p in DEFAULT_PROBES]


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_planned_policies_hold_every_scp_at_its_target(name):
    _, plan, _ = shipped(name)
    deployed = planned_policies(plan)
    expected = sorted((p.name, t.key) for p in plan.policies if p.policy_type == "SERVICE_CONTROL_POLICY"
                      for t in p.targets)
    got = sorted((ref.name, key) for key, refs in deployed.attached["SERVICE_CONTROL_POLICY"].items()
                 for ref in refs)
    assert got == expected


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_table_matches_the_evaluator_cell_by_cell(name):
    _, plan, report = shipped(name)
    deployed = planned_policies(plan)
    assert [r.account for r in report.allowed.rows] == ["management"] + [a.name for a in plan.accounts]
    for row in report.allowed.rows[1:]:
        account_id = plan.account(row.account).id or stand_in_id(row.account)
        for probe, cell in zip(report.allowed.probes, row.cells, strict=False):
            principal = probe.principal.replace("{account}", account_id) if probe.principal else None
            request = build_request(plan, row.account, probe.action, probe.region, probe.resource, principal,
                                    dict(probe.context))
            assert cell.decision == decide(deployed, row.account, request).decision, (row.account, probe)


@pytest.mark.parametrize("account,action,decision", [
    ("management", "organizations:LeaveOrganization", "allow"),
    ("app1-dev", "organizations:LeaveOrganization", "explicit-deny"),
    ("app1-dev", "ec2:RunInstances", "allow"),
    ("app1-prod", "s3:DeleteObject", "explicit-deny"),
    ("app1-dev", "s3:DeleteObject", "allow"),
    ("sandbox-alice", "iam:CreateAccessKey", "explicit-deny"),
], ids=["management-exempt", "leave-org", "run-instances", "prod-delete-needs-mfa", "dev-delete",
        "root-access-keys"])
def test_standard_blueprint_literal_decisions(account, action, decision):
    report = shipped("standard")[2]
    row = next(r for r in report.allowed.rows if r.account == account)
    column = next(i for i, p in enumerate(report.allowed.probes) if p.action == action and not p.region)
    assert row.cells[column].decision == decision


def test_region_deny_reason_names_the_policy_and_statement():
    report = shipped("standard")[2]
    column = next(i for i, p in enumerate(report.allowed.probes) if p.region == "ap-southeast-2")
    cell = next(r for r in report.allowed.rows if r.account == "app1-dev").cells[column]
    assert cell.decision == "explicit-deny"
    assert report.allowed.reasons[cell.why].endswith("attached to Root, statement LZREGIONDENY")


def test_unknown_action_is_a_usage_error():
    _, plan, _ = shipped("standard")
    with pytest.raises(UsageError, match="unknown action 's3:GetObjekt'; did you mean 's3:GetObject'"):
        evaluate_probes(plan, [Probe("s3:GetObjekt")])
