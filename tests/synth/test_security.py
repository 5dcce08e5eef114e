"""Security services, account baseline and remediation as synthesized: a small blueprint with the paths
no shipped blueprint takes (one governed region, a baseline for one OU, every setting), cfn-lint clean,
and what the enterprise blueprint's security stacks hold."""
from __future__ import annotations

import json

import pytest
from cfnlint.api import ManualArgs, lint

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from tests.synth.conftest import Synthesized, synth_plan

BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1]
tags: {Owner: platform}
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}, {name: Workloads, id: ou-a1b2-22222222}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: app, email: a+app@example.com, unit: Workloads, id: "444444444444"}
guardrails:
  remediate:
    - {control: LZ-TAG-004, units: [Workloads]}
security:
  guardduty: {}
  security_hub: {units: [Workloads]}
  access_analyzer: {external_access: true}
  notify_severity: MEDIUM
account_baseline:
  units: [Workloads]
  ebs_default_encryption: true
  s3_block_public_access: true
  iam_password_policy: true
  imdsv2_default: true
  delete_default_vpcs: true
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Synthesized:
    path = tmp_path_factory.mktemp("bp-security") / "bp.yaml"
    path.write_text(BLUEPRINT)
    return synth_plan(build_plan(load_blueprint(path)), tmp_path_factory.mktemp("cdk-security"))


def bodies(result: Synthesized) -> dict[str, dict]:
    return {r["Properties"]["StackSetName"]: json.loads(r["Properties"]["TemplateBody"])
            for t in result.templates().values() for r in t["Resources"].values()
            if r["Type"] == "AWS::CloudFormation::StackSet"}


def test_every_template_and_body_is_cfn_lint_clean(small):
    documents = {**small.templates(), **bodies(small)}
    errors = {name: [str(m) for m in lint(json.dumps(t), config=ManualArgs(regions=["us-east-1"]))
                     if m.rule.id.startswith("E")] for name, t in documents.items()}
    assert {name: e for name, e in errors.items() if e} == {}


def test_a_baseline_for_one_ou_has_a_stackset_of_its_own_after_the_config_baseline(small):
    guardrails = small.templates()["acme-guardrails"]["Resources"]
    stacksets = {r["Properties"]["StackSetName"]: (lid, r["Properties"]) for lid, r in guardrails.items()
                 if r["Type"] == "AWS::CloudFormation::StackSet"}
    _, own = stacksets["acme-account-baseline"]
    baseline_id, _ = stacksets["acme-config-baseline"]
    (units,) = [g["DeploymentTargets"]["OrganizationalUnitIds"] for g in own["StackInstancesGroup"]]
    assert len(units) == 1 and "Workloads" in json.dumps(units)     # the OU's id, by its export
    assert baseline_id in json.dumps(own["AutoDeployment"]["DependsOn"])
    body = json.loads(own["TemplateBody"])
    assert body["Resources"]["AccountBaseline"]["Type"] == "Custom::AccountBaseline"
    assert "AccountBaseline" not in bodies(small)["acme-config-baseline"]["Resources"]
    # Not in the management account: it is in no OU.
    assert not any("AccountBaseline" in t["Resources"] for n, t in small.templates().items()
                   if n.startswith("acme-management-baseline-"))


def test_one_region_aggregates_nothing_else_and_associates_the_units(small):
    resources = small.templates()["acme-security-services-us-east-1"]["Resources"]
    assert resources["FindingAggregator"]["Properties"] == {"RegionLinkingMode": "SPECIFIED_REGIONS"}
    (association,) = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::SecurityHub::PolicyAssociation"]
    assert (association["TargetType"], association["TargetId"]) == ("ORGANIZATIONAL_UNIT", "ou-a1b2-22222222")
    retained = {r["Type"] for r in resources.values() if r.get("DeletionPolicy") == "Retain"}
    assert retained == {"AWS::SecurityHub::FindingAggregator", "AWS::SecurityHub::OrganizationConfiguration",
                        "AWS::SecurityHub::ConfigurationPolicy", "AWS::SecurityHub::PolicyAssociation",
                        "AWS::AccessAnalyzer::Analyzer", "Custom::OrganizationAutoEnable",
                        "AWS::Logs::LogGroup"}     # the handler's own log group (a CDK feature flag)


def test_the_delegated_administrators_stack_waits_for_its_registration(small):
    manifest = json.loads((small.outdir / "manifest.json").read_text())
    assert "acme-security-admin-us-east-1" in manifest["artifacts"]["acme-security-services-us-east-1"]["dependencies"]


def test_findings_reach_the_topic_only_through_their_rules(small):
    audit = small.templates()["acme-audit"]["Resources"]
    rules = {r["Properties"]["Name"]: r["Properties"] for r in audit.values()
             if r["Type"] == "AWS::Events::Rule" and "findings" in r["Properties"]["Name"]}
    assert sorted(rules) == ["acme-findings-access-analyzer", "acme-findings-guardduty", "acme-findings-securityhub"]
    assert rules["acme-findings-guardduty"]["EventPattern"]["detail"] == {"severity": [{"numeric": [">=", 4]}]}
    (policy,) = [r["Properties"] for r in audit.values() if r["Type"] == "AWS::SNS::TopicPolicy"]
    publish = next(s for s in policy["PolicyDocument"]["Statement"] if s.get("Sid") == "ServicePublishes")
    sources = json.dumps(publish["Condition"]["ArnLike"]["aws:SourceArn"])
    assert all(f"rule/acme-security-events/{name}" in sources for name in rules)
    forwarded = small.templates()["acme-security-services-us-east-1"]["Resources"]
    targets = [t for r in forwarded.values() if r["Type"] == "AWS::Events::Rule" for t in r["Properties"]["Targets"]]
    assert len(targets) == 3 and {t["Arn"] for t in targets} == {
        "arn:aws:events:us-east-1:333333333333:event-bus/acme-security-events"}


def test_enterprise_registers_every_service_and_retains_what_would_switch_it_off(synthesized):
    templates = synthesized("enterprise").templates()
    home = templates["globex-security-admin-us-east-1"]["Resources"]
    registered = sorted(r["Properties"]["Service"] for r in home.values() if r["Type"] == "Custom::DelegatedAdmin")
    assert registered == ["access-analyzer", "guardduty", "inspector", "macie"]
    for kind in ("AWS::SecurityHub::DelegatedAdmin", "AWS::Detective::OrganizationAdmin"):
        (resource,) = [r for r in home.values() if r["Type"] == kind]
        assert resource["Properties"] == ({"AdminAccountId": "100000000003"} if "SecurityHub" in kind
                                          else {"AccountId": "100000000003"})
        assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    other = templates["globex-security-admin-eu-west-1"]["Resources"]
    assert not any(r["Type"] == "AWS::SecurityHub::DelegatedAdmin" for r in other.values())
    services = templates["globex-security-services-eu-central-1"]["Resources"]
    enabled = sorted(r["Properties"]["Service"] for r in services.values() if r["Type"] == "Custom::OrganizationAutoEnable")
    assert enabled == ["detective", "guardduty", "inspector", "macie"]
