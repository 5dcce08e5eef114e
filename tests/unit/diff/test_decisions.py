"""The decision delta on planned policies (the documents synthesis writes): who changes, once per chain."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.diff.decisions import ACTIONS_SOURCE, SideDecisions, check_probes, decision_delta, request_specs
from landing_zone.explain.probes import Probe, planned_policies
from landing_zone.explain.requests import UsageError
from landing_zone.plan import build_plan
from tests.helpers import minimal, write

ROOT = Path(__file__).resolve().parents[3]
VPC_CONTROL = "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"


def side(tmp_path: Path, data: dict, probes: list[Probe] = (), name: str = "bp.yaml", variables=None):
    loaded = load_blueprint(write(tmp_path, data, name) if isinstance(data, dict) else data, variables or {})
    plan = build_plan(loaded)
    return SideDecisions(plan, planned_policies(plan), loaded.model.logging.trail.name, request_specs(list(probes)),
                         " ".join(f"{p.principal or ''} {p.resource or ''}" for p in probes))


def with_guardrails(*enable: dict, **extra) -> dict:
    data = minimal()
    data["organization"]["units"].append({"name": "Sandbox"})
    data["organization"]["accounts"].append({"name": "play", "email": "aws+play@example.com", "unit": "Sandbox"})
    data["guardrails"] = {"enable": [{"level": "strongly-recommended", "units": ["Root"]}, *enable]}
    data.update(extra)
    return data


def test_a_control_on_one_ou_changes_only_the_accounts_under_it(tmp_path):
    base = side(tmp_path, with_guardrails(), name="base.yaml")
    head = side(tmp_path, with_guardrails({"control": VPC_CONTROL, "units": ["Workloads/Prod"]}), name="head.yaml")
    changes = decision_delta(base, head)
    assert changes and {c.accounts for c in changes} == {("app1",)}
    assert {(c.before, c.after) for c in changes} == {("allow", "explicit-deny")}
    assert {c.cause for c in changes} == {f"GRDISALLOWVPCINTERNETACCESS: {VPC_CONTROL}"}
    assert all(VPC_CONTROL in c.source for c in changes)
    assert "ec2:CreateInternetGateway@us-east-1 on arn:aws:ec2:us-east-1:{account}:internet-gateway/*" in {
        c.request for c in changes}


def test_the_reverse_change_lifts_the_deny_and_names_what_denied(tmp_path):
    enabled = side(tmp_path, with_guardrails({"control": VPC_CONTROL, "units": ["Workloads/Prod"]}), name="a.yaml")
    changes = decision_delta(enabled, side(tmp_path, with_guardrails(), name="b.yaml"))
    assert {(c.before, c.after, c.accounts) for c in changes} == {("explicit-deny", "allow", ("app1",))}
    assert {c.cause for c in changes} == {f"GRDISALLOWVPCINTERNETACCESS: {VPC_CONTROL}"}


def test_same_blueprint_no_change_and_new_accounts_have_no_before(tmp_path):
    data = with_guardrails()
    base = side(tmp_path, data, name="a.yaml")
    data["organization"]["accounts"].append({"name": "app2", "email": "aws+app2@example.com", "unit": "Workloads/Prod"})
    assert decision_delta(base, side(tmp_path, data, name="b.yaml")) == ()


def test_an_account_named_in_a_policy_is_evaluated_on_its_own(tmp_path):
    """audit (333333333333) shares its chain with log-archive: a policy naming audit's id must change
    audit's decision and nobody else's, so audit cannot borrow another account's evaluation."""
    deny = {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyAuditBuckets", "Effect": "Deny", "Action": "s3:CreateBucket", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": "333333333333"}}}]}
    probes = [Probe("s3:CreateBucket")]
    base = side(tmp_path, with_guardrails(), probes, name="a.yaml")
    head = side(tmp_path, with_guardrails(policies=[{"name": "audit-no-buckets", "type": "service_control",
                                                     "document": deny, "targets": {"units": ["Root"]}}]),
                probes, name="b.yaml")
    assert head.group_of["audit"][1] == "audit" and head.group_of["app1"][1] is None
    changes = decision_delta(base, head)
    assert {(c.accounts, c.before, c.after, c.cause) for c in changes} == {
        (("audit",), "allow", "explicit-deny", "DenyAuditBuckets in acme-audit-no-buckets")}
    assert ("s3:CreateBucket@us-east-1", ACTIONS_SOURCE) in {(c.request, c.source) for c in changes}


def test_requests_are_deduplicated_across_controls_and_actions():
    specs = request_specs([Probe("ec2:RunInstances", region="ap-south-1")])
    keys = [(s.template.action, s.template.principal, s.template.resource, s.template.region,
             repr(sorted(s.template.context.items()))) for s in specs]
    assert len(keys) == len(set(keys))
    asked = [s for s in specs if s.template.action == "ec2:RunInstances" and s.template.region == "ap-south-1"
             and s.template.resource == "*"]
    assert len(asked) == 1 and ACTIONS_SOURCE in asked[0].sources


@pytest.mark.parametrize("probe, message", [
    (Probe("s3:GetObjekt"), "unknown action 's3:GetObjekt'; did you mean 's3:GetObject'?"),
    (Probe("s3:GetObject", resource="bucket/key"), "--resource 'bucket/key' is not an ARN"),
], ids=["unknown-action", "not-an-arn"])
def test_bad_actions_entries_fail_early(tmp_path, probe, message):
    plan = build_plan(load_blueprint(write(tmp_path, minimal())))
    with pytest.raises(UsageError, match=message.replace("?", r"\?")):
        check_probes(plan, [probe])


def test_1000_accounts_in_100_ous_once_per_chain_under_two_seconds(tmp_path):
    source = (ROOT / "blueprints/examples/many-accounts.yaml").read_text()
    base_text = source + "guardrails:\n  enable:\n    - {level: strongly-recommended, units: [Root]}\n"
    head_text = base_text + f"    - {{control: {VPC_CONTROL}, units: [Workloads/team-007]}}\n"
    variables = {"accounts": 1000, "units": 100}
    loaded = [load_blueprint(write(tmp_path, text, f"{n}.yaml"), variables)
              for n, text in (("base", base_text), ("head", head_text))]
    plans = [build_plan(one) for one in loaded]
    specs = request_specs([])
    started = time.perf_counter()
    base, head = (SideDecisions(p, planned_policies(p), "organization-trail", specs) for p in plans)
    changes = decision_delta(base, head)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f}s"
    assert len(head.results) <= 5        # Security, Workloads teams, the log archive on its own, team-007
    assert {c.accounts for c in changes} == {tuple(f"workload-{i:04d}" for i in range(7, 1000, 100))}
