"""Guardrail resolution: where each control attaches, parameters, region deny, disable push-down."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.targets import Target
from tests.helpers import minimal, write

ROOT_KEYS = "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS"   # strongly recommended, preventive
SSH = "AWS-GR_RESTRICTED_SSH"                          # strongly recommended, detective


def resolve(tmp_path, guardrails: dict, mutate=None):
    data = minimal()
    data["organization"]["units"] += [{"name": "Sandbox"}, {"name": "Empty"}]
    data["organization"]["accounts"].append(
        {"name": "in-root", "email": "aws+root@example.com", "unit": "Root"})
    data["guardrails"] = guardrails
    if mutate:
        mutate(data)
    bp = load_blueprint(write(tmp_path, data)).model
    instances, issues = resolve_guardrails(bp, landing_zone_context(bp))
    return {i.control.id: i for i in instances}, issues


def ou(path):
    return Target("ou", path)


def test_mandatory_controls_are_always_at_root(tmp_path):
    instances, _ = resolve(tmp_path, {})
    mandatory = [i for i in instances.values() if i.control.level == "mandatory"]
    assert mandatory and all(i.targets == (Target("root", "Root"),) for i in mandatory)
    assert ROOT_KEYS not in instances


@pytest.mark.parametrize("guardrails, expected", [
    ({"enable": [{"level": "strongly-recommended", "units": ["Root"]}]}, (Target("root", "Root"),)),
    ({"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
      "disable": [{"control": ROOT_KEYS, "units": ["Sandbox"]}]},
     (Target("account", "in-root"), ou("Empty"), ou("Security"), ou("Workloads"))),
    ({"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
      "disable": [{"control": ROOT_KEYS, "accounts": ["app1"]}]},
     (Target("account", "in-root"), ou("Empty"), ou("Sandbox"), ou("Security"))),
    ({"enable": [{"control": ROOT_KEYS, "units": ["Workloads/Prod", "Empty"]}]},
     (ou("Empty"), ou("Workloads/Prod"))),
    ({"enable": [{"control": ROOT_KEYS, "units": ["Workloads"]}],
      "disable": [{"control": ROOT_KEYS, "units": ["Workloads"]}]}, None),
], ids=["root", "disable-ou-pushes-down", "disable-account-pushes-down", "empty-ou-still-attached",
        "disable-beats-enable-on-same-node"])
def test_attachment_points(tmp_path, guardrails, expected):
    instances, issues = resolve(tmp_path, guardrails)
    assert issues == []
    assert (instances[ROOT_KEYS].targets if ROOT_KEYS in instances else None) == expected


def test_detective_controls_resolve_the_same_way(tmp_path):
    instances, _ = resolve(tmp_path, {"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
                                      "disable": [{"control": SSH, "units": ["Workloads/Prod"]}]})
    assert instances[SSH].control.behavior == "detective"
    assert instances[SSH].targets == (Target("account", "in-root"), ou("Empty"), ou("Sandbox"), ou("Security"))


def test_region_deny_defaults_to_governed_regions_and_keeps_deployers_exempt(tmp_path):
    instances, _ = resolve(tmp_path, {"region_deny": {"exempt_principals": ["arn:aws:iam::*:role/BreakGlass"]}})
    region = instances["LZ-REGION-001"]
    assert region.targets == (Target("root", "Root"),)
    assert region.values["allowed_regions"] == ["eu-west-1", "us-east-1"]
    assert "arn:aws:iam::*:role/BreakGlass" in region.values["exempt_principals"]
    assert "arn:aws:iam::*:role/acme-*" in region.values["exempt_principals"]


def test_a_control_entry_on_an_ou_overrides_the_region_deny_section_there(tmp_path):
    data = minimal()
    data["guardrails"] = {"region_deny": {"units": ["Root"]}, "enable": [
        {"control": "LZ-REGION-001", "units": ["Workloads"], "parameters": {"allowed_regions": ["us-east-1"]}}]}
    bp = load_blueprint(write(tmp_path, data)).model
    instances, _ = resolve_guardrails(bp, landing_zone_context(bp))
    regions = {i.targets: i.values["allowed_regions"] for i in instances if i.control.id == "LZ-REGION-001"}
    assert regions == {(ou("Security"),): ["eu-west-1", "us-east-1"], (ou("Workloads"),): ["us-east-1"]}


def test_a_level_never_switches_on_organization_specific_controls(tmp_path):
    instances, _ = resolve(tmp_path, {"enable": [{"level": "elective", "units": ["Root"]}]})
    assert not {"LZ-REGION-001", "LZ-TAG-001", "LZ-TAG-002", "LZ-TAG-003"} & set(instances)


@pytest.mark.parametrize("guardrails, code, path", [
    ({"disable": [{"control": "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED", "units": ["Sandbox"]}]},
     "guardrail-mandatory-disabled", "guardrails.disable[AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED].control"),
    ({"enable": [{"control": "AWS-GR_RESTRICT_ROOT_USER_ACESS_KEYS", "units": ["Root"]}]},
     "guardrail-unknown-control", "guardrails.enable[AWS-GR_RESTRICT_ROOT_USER_ACESS_KEYS].control"),
    ({"enable": [{"control": "LZ-REGION-001", "units": ["Root"], "parameters": {"regions": ["us-east-1"]}}]},
     "guardrail-parameter-unknown", "guardrails.enable[LZ-REGION-001].parameters.regions"),
    ({"enable": [{"control": "LZ-REGION-001", "units": ["Root"], "parameters": {"allowed_regions": "us-east-1"}}]},
     "guardrail-parameter-type", "guardrails.enable[LZ-REGION-001].parameters.allowed_regions"),
    ({"enable": [{"level": "elective", "units": ["Root"], "parameters": {"x": 1}}]},
     "guardrail-level-parameters", "guardrails.enable[elective].parameters"),
    ({"engine": "control-tower", "enable": [{"control": "AWS-GR_CLOUDTRAIL_ENABLED", "units": ["Root"]}]},
     "control-tower-not-api", "guardrails.enable[AWS-GR_CLOUDTRAIL_ENABLED].control"),
    ({"region_deny": {"allowed_regions": ["eu-west-1"]}}, "region-deny-home-region",
     "guardrails.region_deny.allowed_regions"),
], ids=["mandatory-disabled", "unknown-control", "unknown-parameter", "parameter-type", "level-parameters",
        "engine", "region-deny-without-home"])
def test_guardrail_mistakes(tmp_path, guardrails, code, path):
    with pytest.raises(BlueprintError) as exc:
        resolve(tmp_path, guardrails)
    assert [(i.code, i.path) for i in exc.value.issues] == [(code, path)]
    assert exc.value.issues[0].hint


def test_level_enable_below_keeps_the_ancestors_parameters(tmp_path):
    retention = "AWS-GR_AUDIT_BUCKET_RETENTION_POLICY"
    instances, _ = resolve(tmp_path, {"enable": [
        {"control": retention, "units": ["Root"], "parameters": {"bucket_arns": ["arn:aws:s3:::archive"]}},
        {"level": "elective", "units": ["Workloads/Prod"]}]})
    assert instances[retention].targets == (Target("root", "Root"),)
    assert instances[retention].values["bucket_arns"] == ["arn:aws:s3:::archive"]


def test_a_required_parameter_must_be_given():
    # No shipped control has one today; the check guards future catalog entries.
    from landing_zone.blueprint.checks.guardrails import _parameters
    from landing_zone.catalog.model import Control

    control = Control.model_validate({
        "id": "LZ-TEST-001", "title": "t", "level": "elective", "behavior": "detective", "rationale": "r",
        "parameters": [{"name": "tag_key", "type": "string", "description": "The tag key."}],
        "config_rule": {"identifier": "REQUIRED_TAGS"}})
    issues = list(_parameters(control, {}, ("guardrails", "enable", 0)))
    assert [(i.code, i.loc) for i in issues] == [("guardrail-parameter-missing", ("guardrails", "enable", 0))]
    assert list(_parameters(control, {"tag_key": "CostCenter"}, ())) == []
