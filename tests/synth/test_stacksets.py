"""StackSet templates (baseline, detective, proactive) lint clean, and all our output passes our Guard rules."""
from __future__ import annotations

import json

import pytest
from cfn_guard_rs import run_checks
from cfnlint.api import ManualArgs, lint

from landing_zone.catalog import load_catalog
from landing_zone.catalog.load import GUARD_DIR
from landing_zone.plan.cfn import resolve_for
from tests.synth.conftest import SHIPPED

BLUEPRINTS = ["standard", "enterprise"]


def stackset_templates(result) -> dict[str, dict]:
    out = {}
    for stack, template in result.templates().items():
        for _logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::CloudFormation::StackSet":
                out[f"{stack}/{resource['Properties']['StackSetName']}"] = json.loads(
                    resource["Properties"]["TemplateBody"])
    return out


def stack_instances(result) -> dict[str, dict]:
    """Each StackSet body as one stack instance has it (a member account, the home region, the
    StackSet's parameters): what a Guard hook there evaluates."""
    out = {}
    for stack, template in result.templates().items():
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::CloudFormation::StackSet":
                props = resource["Properties"]
                parameters = {p["ParameterKey"]: p["ParameterValue"] for p in props.get("Parameters", [])}
                out[f"{stack}/{props['StackSetName']}"] = resolve_for(
                    json.loads(props["TemplateBody"]), account="444444444444", region=result.plan.home_region,
                    parameters=parameters)
    return out


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_stackset_templates_have_no_cfn_lint_errors(synthesized, blueprint):
    result = synthesized(blueprint)
    templates = stackset_templates(result)
    assert any("config-baseline" in name for name in templates)
    for name, template in templates.items():
        matches = lint(json.dumps(template), config=ManualArgs(regions=list(result.plan.governed_regions)))
        assert [str(m) for m in matches if m.rule.id.startswith("E")] == [], name


def test_enterprise_deploys_detective_and_proactive_controls(synthesized):
    result = synthesized("enterprise")
    names = {s.name.split("-")[1] for s in result.plan.stacksets}
    assert {"config", "detective", "proactive"} <= names
    proactive = next(s for s in result.plan.stacksets if "-proactive-" in s.name)
    hook = proactive.template["Resources"]["GuardHook"]["Properties"]
    assert hook["FailureMode"] == "FAIL" and hook["HookStatus"] == "ENABLED"
    # Each region's hook reads the rules bucket of its own region.
    bucket = result.plan.rules_bucket.removesuffix(result.plan.home_region)
    assert hook["RuleLocation"]["Uri"] == {"Fn::Sub": f"s3://{bucket}${{AWS::Region}}/{proactive.files[0][0]}"}
    assert "rule lz_ec2_pr1" in proactive.files[0][1]


PROACTIVE = sorted(c.id for c in load_catalog().values() if c.behavior == "proactive")


@pytest.mark.parametrize("control_id", PROACTIVE)
@pytest.mark.parametrize("blueprint", list(SHIPPED))
def test_our_templates_pass_our_proactive_rules(synthesized, blueprint, control_id):
    result = synthesized(blueprint)
    rules = (GUARD_DIR / load_catalog()[control_id].guard_rule.file).read_text()
    documents = {**result.templates(), **stack_instances(result)}
    for name, template in documents.items():
        report = run_checks(template, rules)
        assert report.status in ("PASS", "SKIP"), f"{name}: {report.not_compliant}"
