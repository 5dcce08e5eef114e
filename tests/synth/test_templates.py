"""Every stack of every shipped blueprint: snapshot, cfn-lint clean, retention of stateful resources."""
from __future__ import annotations

import json

import pytest
from cfnlint.api import ManualArgs, lint
from syrupy.extensions.json import JSONSnapshotExtension

from tests.synth.conftest import masked, stack_cases

CASES = stack_cases()
IDS = [f"{blueprint}.{stack}" for blueprint, stack in CASES]
RETAINED_TYPES = {"AWS::Organizations::Account", "AWS::Organizations::OrganizationalUnit"}


@pytest.fixture
def json_snapshot(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("blueprint, stack", CASES, ids=IDS)
def test_snapshot(synthesized, json_snapshot, blueprint, stack):
    assert masked(synthesized(blueprint).templates()[stack]) == json_snapshot


@pytest.mark.parametrize("blueprint, stack", CASES, ids=IDS)
def test_cfn_lint_has_no_errors(synthesized, blueprint, stack):
    result = synthesized(blueprint)
    template = result.templates()[stack]
    region = result.plan.stack(stack).region
    matches = lint(json.dumps(template), config=ManualArgs(regions=[region]))
    errors = [str(m) for m in matches if m.rule.id.startswith("E")]
    assert errors == []


@pytest.mark.parametrize("blueprint, stack", CASES, ids=IDS)
def test_stateful_resources_are_retained(synthesized, blueprint, stack):
    for logical_id, resource in synthesized(blueprint).templates()[stack]["Resources"].items():
        if resource["Type"] in RETAINED_TYPES:
            assert (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")) == \
                ("Retain", "Retain"), logical_id


@pytest.mark.parametrize("blueprint", ["standard", "enterprise", "many-accounts"])
def test_templates_match_the_plan(synthesized, blueprint):
    result = synthesized(blueprint)
    templates = result.templates()
    assert sorted(templates) == sorted(s.name for s in result.plan.stacks)
    for account in result.plan.accounts:
        resource = templates[account.stack]["Resources"][account.logical_id]
        assert resource["Properties"]["AccountName"] == account.name
        assert resource["Properties"]["Email"] == account.email
        assert {t["Key"]: t["Value"] for t in resource["Properties"]["Tags"]} == dict(account.tags)
        assert resource.get("DependsOn", [account.after] if account.after else None) == (
            [account.after] if account.after else None)
    for stack in result.plan.stacks:
        assert len(templates[stack.name]["Resources"]) == stack.resources
        assert len(templates[stack.name]["Resources"]) <= 450


def test_accounts_reference_their_ou_through_a_stable_export(synthesized):
    result = synthesized("standard")
    templates = result.templates()
    app1 = next(a for a in result.plan.accounts if a.name == "app1-prod")
    parent = templates[app1.stack]["Resources"][app1.logical_id]["Properties"]["ParentIds"]
    ou = result.plan.unit("Workloads/Prod")
    assert parent == [{"Fn::ImportValue": f"acme-{ou.logical_id}"}]
    outputs = templates[ou.stack]["Outputs"]
    assert outputs[f"{ou.logical_id}Id"]["Export"]["Name"] == f"acme-{ou.logical_id}"
    # Every OU is exported, used or not (see constructs/organizational_unit.py).
    assert sum(len(templates[s]["Outputs"]) for s in {u.stack for u in result.plan.units}) == len(result.plan.units)


def test_nested_ous_point_at_their_parent(synthesized):
    """A top-level OU hangs off the root; a deeper one imports its parent's id from the stack of the
    depth above, which it depends on."""
    result = synthesized("standard")
    templates = result.templates()
    prod, workloads = result.plan.unit("Workloads/Prod"), result.plan.unit("Workloads")
    assert (workloads.stack, prod.stack != workloads.stack) == ("acme-organization", True)
    assert templates[workloads.stack]["Resources"][workloads.logical_id]["Properties"]["ParentId"] == "r-a1b2"
    assert templates[prod.stack]["Resources"][prod.logical_id]["Properties"]["ParentId"] == {
        "Fn::ImportValue": f"acme-{workloads.logical_id}"}
    assert workloads.stack in result.plan.stack(prod.stack).depends_on
