"""The control-tower engine's plan: where controls are enabled, what stays native, the landing zone
manifest, OU registrations and enrollment, and what AWS Control Tower owns (not synthesized twice)."""
from __future__ import annotations

import copy
import random

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.catalog import load_catalog
from landing_zone.catalog.control_tower import enforced_by_tower, landing_zone_versions, shape_problems
from landing_zone.plan import build_plan
from landing_zone.plan.control_tower import (
    CONTROLS,
    ENROLLMENT,
    LANDING_ZONE,
    REGISTRATIONS,
    TOWER_SCPS_PER_OU,
)
from landing_zone.plan.tower_manifest import KEY_ARN
from tests.helpers import minimal, write

RESTRICTED_SSH = "AWS-GR_RESTRICTED_SSH"            # strongly recommended, detective
ROOT_KEYS = "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS"  # strongly recommended, preventive
DELETE_MFA = "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA"  # elective, preventive


def tower(**changes) -> dict:
    """Security (log-archive, audit), Workloads/{Prod, NonProd}, Sandbox; accounts with ids."""
    data = minimal()
    data["organization"]["units"] = [{"name": "Security"}, {"name": "Workloads", "units": [
        {"name": "Prod"}, {"name": "NonProd"}]}, {"name": "Sandbox"}]
    data["organization"]["accounts"] += [
        {"name": "app1-dev", "email": "aws+dev@example.com", "unit": "Workloads/NonProd", "id": "555555555555"},
        {"name": "play", "email": "aws+play@example.com", "unit": "Sandbox", "id": "666666666666"}]
    data["organization"]["accounts"][2]["id"] = "444444444444"
    data["guardrails"] = {"engine": "control-tower", "enable": [{"level": "strongly-recommended", "units": ["Root"]}]}
    for key, value in changes.items():
        data[key] = value
    return data


def plan_of(tmp_path, data):
    return build_plan(load_blueprint(write(tmp_path, data)))


def controls(plan) -> dict[tuple[str, str], object]:
    stack = next(s for s in plan.stacks if s.component == CONTROLS)
    return {(c.control_id, c.path): c for c in stack.payload.controls}


def payload(plan, component):
    return next(s.payload for s in plan.stacks if s.component == component)


def test_detective_controls_go_on_every_registered_ou_and_preventive_once_at_the_top(tmp_path):
    data = tower()
    data["guardrails"]["disable"] = [{"control": RESTRICTED_SSH, "units": ["Workloads/NonProd"]}]
    enabled = controls(plan_of(tmp_path, data))
    assert sorted(p for c, p in enabled if c == RESTRICTED_SSH) == ["Sandbox", "Workloads", "Workloads/Prod"]
    # Preventive: inherited by nested OUs, so enabled on the top-level registered OUs only.
    assert sorted(p for c, p in enabled if c == ROOT_KEYS) == ["Sandbox", "Workloads"]
    # Never on the security unit, never a mandatory control.
    assert not [p for _, p in enabled if p.startswith("Security")]
    assert not [c for c, _ in enabled if load_catalog()[c].level == "mandatory"]


def test_a_preventive_control_below_the_top_is_enabled_where_asked(tmp_path):
    data = tower()
    data["guardrails"]["enable"].append({"control": DELETE_MFA, "units": ["Workloads/Prod"]})
    enabled = controls(plan_of(tmp_path, data))
    assert sorted(p for c, p in enabled if c == DELETE_MFA) == ["Workloads/Prod"]


def test_region_deny_is_the_ou_region_deny_with_its_parameters(tmp_path):
    data = tower()
    data["guardrails"]["region_deny"] = {"allowed_regions": ["us-east-1", "eu-west-1"],
                                         "exempt_principals": ["arn:aws:iam::*:role/BreakGlass"]}
    deny = {p: c for (cid, p), c in controls(plan_of(tmp_path, data)).items() if cid == "LZ-REGION-001"}
    assert sorted(deny) == ["Sandbox", "Workloads"]
    control = deny["Workloads"]
    assert control.arn == "arn:aws:controlcatalog:::control/ka8e3pkqefnjsxuyc26ji580"
    parameters = dict(control.parameters)
    assert parameters["AllowedRegions"] == ["eu-west-1", "us-east-1"]
    assert "arn:aws:iam::*:role/BreakGlass" in parameters["ExemptedPrincipalArns"]
    assert "arn:aws:iam::*:role/cdk-lzdeploy-*" in parameters["ExemptedPrincipalArns"]   # our deployers stay exempt
    assert control.model["Statement"][0]["Sid"] == "LZREGIONDENY"


def test_legacy_controls_use_the_regional_arn(tmp_path):
    control = controls(plan_of(tmp_path, tower()))[(ROOT_KEYS, "Workloads")]
    assert control.arn == f"arn:aws:controltower:us-east-1::control/{ROOT_KEYS}"


def test_what_control_tower_enforces_leaves_the_native_path(tmp_path):
    plan = plan_of(tmp_path, tower(logging={"notifications": {"events": ["AssumeRole"]}}))
    in_scps = {c for p in plan.policies for c in p.controls}
    catalog = load_catalog()
    assert in_scps and not {c for c in in_scps if enforced_by_tower(catalog[c])}
    assert {"LZ-IAM-003", "LZ-LOG-001"} <= in_scps   # our own controls stay
    components = {s.component for s in plan.stacks}
    assert "organization-trail" not in components
    audit = next(s for s in plan.stacks if s.component == "audit")
    assert audit.payload.aggregator is False
    baseline = next(s for s in plan.stacksets if s.name == "acme-config-baseline")
    assert not {"ConfigurationRecorder", "DeliveryChannel", "ConfigRecorderRole"} & set(baseline.template["Resources"])
    assert {"EventForwarderRole"} <= set(baseline.template["Resources"])   # the central event path stays
    # The management account, which AWS Control Tower does not govern, keeps its recorder.
    management = next(s for s in plan.stacks if s.component == "management-baseline")
    assert "ConfigurationRecorder" in management.payload.template["Resources"]


def test_a_baseline_left_empty_is_dropped_and_nothing_waits_for_it(tmp_path):
    data = tower(logging={"notifications": {"events": []}})
    data["guardrails"]["enable"].append({"control": "LZ-EC2-PR1", "units": ["Workloads"]})   # a native StackSet
    plan = plan_of(tmp_path, data)
    assert "acme-config-baseline" not in {s.name for s in plan.stacksets}
    assert plan.stacksets and all(s.depends_on == () for s in plan.stacksets)


def test_the_native_engine_is_unchanged(tmp_path):
    data = tower()
    data["guardrails"]["engine"] = "native"
    plan = plan_of(tmp_path, data)
    assert not {s.component for s in plan.stacks} & {LANDING_ZONE, REGISTRATIONS, CONTROLS, ENROLLMENT}
    assert "organization-trail" in {s.component for s in plan.stacks}
    assert "ROOTKEYS" not in str(plan.policies) and any("GRRESTRICTROOTUSERACCESSKEYS" in str(p.document)
                                                        for p in plan.policies)


def test_registrations_are_one_chain_parents_first(tmp_path):
    registrations = payload(plan_of(tmp_path, tower()), REGISTRATIONS)
    paths = [u.path for u in registrations.units]
    assert paths == ["Sandbox", "Workloads", "Workloads/NonProd", "Workloads/Prod"]
    assert [u.after for u in registrations.units] == [None] + [u.logical_id for u in registrations.units[:-1]]
    assert registrations.baseline_version == "4.0"
    assert registrations.identity_center_baseline_arn.endswith("::baseline/LN25R72TTG6IGPTQ")


@pytest.mark.parametrize(("version", "baseline"), [("3.3", "4.0"), ("4.0", "5.0")])
def test_the_baseline_version_follows_the_landing_zone_version(tmp_path, version, baseline):
    plan = plan_of(tmp_path, tower(control_tower={"landing_zone": {"version": version}}))
    assert payload(plan, REGISTRATIONS).baseline_version == baseline == landing_zone_versions()[version].baseline_version


def test_register_units_limits_registration_and_enrollment(tmp_path):
    data = tower(control_tower={"register_units": ["Workloads"], "landing_zone": {"access_management": False}})
    data["guardrails"]["enable"] = [{"control": DELETE_MFA, "units": ["Workloads"]}]
    plan = plan_of(tmp_path, data)
    registrations = payload(plan, REGISTRATIONS)
    assert [u.path for u in registrations.units] == ["Workloads", "Workloads/NonProd", "Workloads/Prod"]
    assert registrations.identity_center_baseline_arn is None
    assert [(u.path, u.account_ids) for u in payload(plan, ENROLLMENT).units] == [
        ("Workloads/NonProd", ("555555555555",)), ("Workloads/Prod", ("444444444444",))]


@pytest.mark.parametrize(("version", "key"), [("3.3", False), ("3.3", True), ("4.0", False), ("4.0", True)],
                         ids=["3.3", "3.3-key", "4.0", "4.0-key"])
def test_the_manifest_fits_its_version(tmp_path, version, key):
    data = tower(control_tower={"landing_zone": {"version": version}})
    data["logging"] = {"bucket": {"retention_days": 2555}}
    if key:
        data["keys"] = [{"alias": "alias/lz/logs", "account": "log-archive", "primary_region": "us-east-1",
                         "services": ["cloudtrail", "s3"]}]
    zone = payload(plan_of(tmp_path, data), LANDING_ZONE)
    assert list(shape_problems(zone.manifest, landing_zone_versions()[version].manifest)) == []
    manifest = zone.manifest
    assert manifest["centralizedLogging"]["accountId"] == "222222222222"
    assert manifest["securityRoles"]["accountId"] == "333333333333"
    assert manifest["centralizedLogging"]["configurations"]["loggingBucket"] == {"retentionDays": 2555}
    assert manifest["governedRegions"] == ["eu-west-1", "us-east-1"]
    assert ("organizationStructure" in manifest) == (version == "3.3")
    assert ("config" in manifest) == (version == "4.0")
    assert (zone.key is not None) == key
    for path in zone.key_paths:
        node = manifest
        for part in path:
            node = node[part]
        assert node == KEY_ARN
    assert len(zone.key_paths) == (0 if not key else 1 if version == "3.3" else 2)


def test_an_existing_landing_zone_is_not_a_stack(tmp_path):
    plan = plan_of(tmp_path, tower(control_tower={"landing_zone": {"manage": False}}))
    assert LANDING_ZONE not in {s.component for s in plan.stacks}
    assert REGISTRATIONS in {s.component for s in plan.stacks}


def test_the_landing_zone_waits_for_the_shared_account_ids(tmp_path):
    data = tower()
    del data["organization"]["accounts"][1]["id"]
    plan = plan_of(tmp_path, data)
    assert LANDING_ZONE not in {s.component for s in plan.stacks}
    assert any(p.subject == "stack acme-control-tower" for p in plan.pending)


def test_scp_budget_counts_control_towers_own_scps(tmp_path):
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]}
    data = tower(policies=[{"name": f"custom-{i}", "type": "service_control", "document": deny,
                            "targets": {"units": ["Sandbox"]}} for i in range(3)])
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, data)
    [issue] = info.value.issues
    assert issue.code == "policy-attachment-limit"
    assert f"up to {TOWER_SCPS_PER_OU} of AWS Control Tower" in issue.message and "allowed: 5" in issue.message
    data["guardrails"]["engine"] = "native"
    plan_of(tmp_path, data)   # the same SCPs fit without Control Tower's


def test_switching_a_control_on_one_ou_touches_no_other_control(tmp_path):
    base = tower(control_tower={"max_concurrent_operations": 3})
    more = copy.deepcopy(base)
    more["guardrails"]["enable"].append({"control": DELETE_MFA, "units": ["Workloads/NonProd"]})
    before = {c.logical_id: c for c in controls(plan_of(tmp_path, base)).values()}
    after = {c.logical_id: c for c in controls(plan_of(tmp_path, more)).values()}
    [added] = set(after) - set(before)
    assert set(before) <= set(after)
    same = ("arn", "path", "parameters", "lane", "unit_logical_id")
    assert all(tuple(getattr(before[k], f) for f in same) == tuple(getattr(after[k], f) for f in same) for k in before)
    # Only the control that now follows the new one in its lane waits for something else.
    moved = [k for k in before if before[k].after != after[k].after]
    assert len(moved) <= 1 and all(after[k].after == added for k in moved)


def test_reordering_the_blueprint_changes_nothing(tmp_path):
    data = tower(control_tower={"register_units": ["Workloads", "Sandbox"]})
    data["guardrails"]["enable"].append({"control": DELETE_MFA, "units": ["Workloads/Prod", "Sandbox"]})
    data["guardrails"]["region_deny"] = {"allowed_regions": ["us-east-1", "eu-west-1"]}
    first = plan_of(tmp_path, data)
    shuffled = copy.deepcopy(data)
    rng = random.Random(7)
    for values in (shuffled["control_tower"]["register_units"], shuffled["guardrails"]["enable"],
                   shuffled["guardrails"]["region_deny"]["allowed_regions"], shuffled["organization"]["accounts"],
                   shuffled["governed_regions"]):
        rng.shuffle(values)
    second = plan_of(tmp_path, shuffled)
    for component in (LANDING_ZONE, REGISTRATIONS, CONTROLS, ENROLLMENT):
        assert payload(first, component) == payload(second, component), component


def test_a_control_without_a_snapshot_identifier_stays_native_with_a_warning(tmp_path):
    data = tower()
    data["guardrails"]["enable"].append({"control": "LZ-EC2-PR1", "units": ["Workloads"]})
    loaded = load_blueprint(write(tmp_path, data))
    assert [(w.code, w.severity) for w in loaded.warnings] == [("control-tower-stays-native", "warning")]
    assert "LZ-EC2-PR1 (CT.EC2.PR.3)" in loaded.warnings[0].message
    plan = build_plan(loaded)
    assert any("LZ-EC2-PR1" in s.controls for s in plan.stacksets)      # its Guard hook, as under native
    assert not [c for c, _ in controls(plan) if c == "LZ-EC2-PR1"]


def test_the_json_schema_offers_what_works():
    """`lz schema`: the control-tower engine is a choice editors may offer, with its section."""
    import json

    from click.testing import CliRunner

    from landing_zone.cli import cli

    schema = json.loads(CliRunner().invoke(cli, ["schema"]).output)
    definitions = schema["$defs"]
    assert definitions["Guardrails"]["properties"]["engine"]["enum"] == ["native", "control-tower"]
    assert "not available" not in json.dumps(definitions["Guardrails"]) and "planned" not in json.dumps(
        definitions["Guardrails"])
    tower = definitions["ControlTower"]["properties"]
    assert set(tower) == {"landing_zone", "security_unit", "register_units", "max_concurrent_operations"}
    assert "1-100" in tower["max_concurrent_operations"]["description"]
    assert set(definitions["LandingZoneSettings"]["properties"]) == {"manage", "version", "access_management",
                                                                     "extra_manifest"}
    assert schema["properties"]["control_tower"]["$ref"] == "#/$defs/ControlTower"
