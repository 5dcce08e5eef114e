"""The control-tower engine on the synthesized templates: bounded control chains, registrations
parents first, nothing Control Tower owns synthesized twice, stable controls, proofs on the models,
and `lz explain` saying what it modelled."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from landing_zone.catalog import load_catalog
from landing_zone.catalog.control_tower import enforced_by_tower
from landing_zone.cli import cli
from landing_zone.explain.deployed import read_deployed
from landing_zone.explain.proofs import concrete, proof_values
from landing_zone.plan.control_tower import CONTROLS, LANDING_ZONE, MODELLED, REGISTRATIONS
from landing_zone.plan.names import unit_export_name
from landing_zone.policy.evaluate import evaluate
from tests.synth.conftest import ROOT, SHIPPED, synth_subset

BLUEPRINTS = ["control-tower", "control-tower-enterprise"]


def _depends(resource: dict) -> list[str]:
    value = resource.get("DependsOn", [])
    return [value] if isinstance(value, str) else list(value)


def _of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _stack(result, component: str) -> str:
    return next(s.name for s in result.plan.stacks if s.component == component)


def _ou_path(result, target: dict) -> str:
    imported = target["Fn::Join"][1][1]["Fn::ImportValue"]
    return next(u.path for u in result.plan.units if unit_export_name(result.plan.name, u.logical_id) == imported)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_the_control_chains_keep_at_most_n_operations_in_flight(synthesized, blueprint):
    result = synthesized(blueprint)
    template = result.templates()[_stack(result, CONTROLS)]
    controls = _of_type(template, "AWS::ControlTower::EnabledControl")
    limit = result.plan.stack(_stack(result, CONTROLS)).payload.lanes
    waits = {k: [d for d in _depends(v) if d in controls] for k, v in controls.items()}
    heads = [k for k, deps in waits.items() if not deps]
    assert 0 < len(heads) <= limit
    assert all(len(deps) <= 1 for deps in waits.values())
    followers: dict[str, int] = {}
    for deps in waits.values():
        for d in deps:
            followers[d] = followers.get(d, 0) + 1
    assert all(n == 1 for n in followers.values())   # chains, never a fork: one operation per chain at a time


def test_the_enterprise_controls_are_counted_in_the_report(synthesized):
    result = synthesized("control-tower-enterprise")
    controls = _of_type(result.templates()[_stack(result, CONTROLS)], "AWS::ControlTower::EnabledControl")
    assert len(controls) == len(result.plan.stack(_stack(result, CONTROLS)).payload.controls) == 125


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_baselines_are_registered_parent_first_one_at_a_time(synthesized, blueprint):
    result = synthesized(blueprint)
    baselines = _of_type(result.templates()[_stack(result, REGISTRATIONS)], "AWS::ControlTower::EnabledBaseline")
    after = {k: [d for d in _depends(v) if d in baselines] for k, v in baselines.items()}
    [head] = [k for k, deps in after.items() if not deps]
    order, current = [head], head
    while True:
        nxt = [k for k, deps in after.items() if deps == [current]]
        if not nxt:
            break
        [current] = nxt
        order.append(current)
    assert len(order) == len(baselines)                    # one chain through every registration
    paths = [_ou_path(result, baselines[k]["Properties"]["TargetIdentifier"]) for k in order]
    for index, path in enumerate(paths):
        parent = path.rpartition("/")[0]
        assert not parent or parent not in paths or paths.index(parent) < index, paths
    assert not [p for p in paths if p == "Security" or p.startswith("Security/")]
    identity = {json.dumps(v["Properties"]["Parameters"]) for v in baselines.values()}
    assert identity == {json.dumps([{"Key": "IdentityCenterEnabledBaselineArn",
                                     "Value": {"Fn::GetAtt": ["IdentityCenterEnabledBaseline", "Arn"]}}])}


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_every_control_waits_for_its_ous_registration(synthesized, blueprint):
    result = synthesized(blueprint)
    registered = {_ou_path(result, b["Properties"]["TargetIdentifier"]) for b in _of_type(
        result.templates()[_stack(result, REGISTRATIONS)], "AWS::ControlTower::EnabledBaseline").values()}
    controls = _of_type(result.templates()[_stack(result, CONTROLS)], "AWS::ControlTower::EnabledControl")
    assert {_ou_path(result, c["Properties"]["TargetIdentifier"]) for c in controls.values()} <= registered
    # The controls stack is deployed after the registrations stack (phase order, a CDK stack dependency).
    assert _stack(result, REGISTRATIONS) in result.plan.stack(_stack(result, CONTROLS)).after


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_nothing_control_tower_owns_is_synthesized(synthesized, blueprint):
    result = synthesized(blueprint)
    templates = result.templates()
    bodies = {f"{name}:{k}": json.loads(v["Properties"]["TemplateBody"]) for name, t in templates.items()
              for k, v in _of_type(t, "AWS::CloudFormation::StackSet").items()}
    everything = {**templates, **bodies}
    kinds = {name: {r["Type"] for r in t["Resources"].values()} for name, t in everything.items()}
    assert not [n for n, k in kinds.items() if "AWS::CloudTrail::Trail" in k]
    assert not [n for n, k in kinds.items() if "AWS::Config::ConfigurationAggregator" in k]
    # AWS Config: only the management account's own recorder, which Control Tower does not govern.
    recorders = sorted(n for n, k in kinds.items() if "AWS::Config::ConfigurationRecorder" in k)
    assert recorders and all("management-baseline" in n for n in recorders)
    tower_sids = {s["Sid"] for c in load_catalog().values() if c.scp and enforced_by_tower(c) for s in c.scp}
    scp_sids = {s.get("Sid") for t in templates.values()
                for p in _of_type(t, "AWS::Organizations::Policy").values()
                if p["Properties"]["Type"] == "SERVICE_CONTROL_POLICY"
                for s in (p["Properties"]["Content"]["Statement"])}
    assert scp_sids and not scp_sids & tower_sids


def test_the_landing_zone_is_retained_and_names_its_key_by_arn(synthesized):
    result = synthesized("control-tower-enterprise")
    template = result.templates()[_stack(result, LANDING_ZONE)]
    [(name, zone)] = _of_type(template, "AWS::ControlTower::LandingZone").items()
    assert (zone["DeletionPolicy"], zone["UpdateReplacePolicy"]) == ("Retain", "Retain")
    key = zone["Properties"]["Manifest"]["centralizedLogging"]["configurations"]["kmsKeyArn"]
    assert key == {"Fn::GetAtt": ["ControlTowerKey", "Arn"]}
    assert _of_type(template, "AWS::KMS::Key")["ControlTowerKey"]["Properties"]["EnableKeyRotation"] is True
    assert "MultiRegion" not in _of_type(template, "AWS::KMS::Key")["ControlTowerKey"]["Properties"]


def test_switching_a_control_on_one_ou_changes_no_other_enabled_control(tmp_path):
    from landing_zone.blueprint.load import load_blueprint
    from landing_zone.plan import build_plan

    path, variables = SHIPPED["control-tower"]
    source = (ROOT / path).read_text()
    switched = source.replace("    - {control: AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA, units: [Workloads/Prod]}\n",
                              "    - {control: AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA, units: [Workloads/Prod]}\n"
                              "    - {control: AWS-GR_S3_VERSIONING_ENABLED, units: [Workloads/NonProd]}\n", 1)
    assert switched != source
    out = {}
    for name, text in (("before", source), ("after", switched)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "bp.yaml").write_text(text)
        plan = build_plan(load_blueprint(tmp_path / name / "bp.yaml", variables))
        # With the organization stack, which exports the OU ids the controls import.
        synthesized = synth_subset(plan, lambda c: c in (CONTROLS, "organization"), tmp_path / f"cdk-{name}")
        out[name] = _of_type(synthesized.templates()[_stack(synthesized, CONTROLS)], "AWS::ControlTower::EnabledControl")
    before, after = out["before"], out["after"]
    [added] = set(after) - set(before)
    assert set(before) <= set(after)
    assert all(before[k]["Properties"] == after[k]["Properties"] for k in before)
    # DependsOn is no property (CloudFormation updates nothing for it): only the lane successor of the
    # new control now waits for it.
    moved = [k for k in before if _depends(before[k]) != _depends(after[k])]
    assert len(moved) <= 1 and all(_depends(after[k]) == [added] for k in moved)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_proofs_hold_on_the_modelled_controls(synthesized, blueprint):
    """Every preventive control AWS Control Tower enforces denies what its proofs say, in the accounts
    of the OUs it is enabled on (inherited by nested OUs), evaluated through its model."""
    result = synthesized(blueprint)
    deployed = read_deployed(result.outdir, result.plan)
    catalog = load_catalog()
    enabled = {(c.control_id, c.path) for c in result.plan.stack(_stack(result, CONTROLS)).payload.controls
               if c.model}
    checked = 0
    for account in result.plan.accounts:
        chain = account.unit.split("/") if account.unit != "Root" else []
        ous = {"/".join(chain[: i + 1]) for i in range(len(chain))}
        values = proof_values(result.plan, account.name, "organization-trail")
        levels = deployed.levels(account.name)
        for control_id in {c for c, p in enabled if p in ous}:
            for proof in catalog[control_id].proofs.deny:
                decision = evaluate(concrete(proof, values), scps=levels)
                assert decision.decision == "explicit-deny", (account.name, control_id, proof.note, decision.reason)
                checked += 1
            for proof in catalog[control_id].proofs.allow:
                decision = evaluate(concrete(proof, values), scps=levels)
                assert not (decision.decision == "explicit-deny" and decision.policy.endswith(f"({MODELLED})")
                            and control_id in decision.policy), (account.name, control_id, proof.note)
    assert checked > 0


def test_lz_explain_says_it_evaluated_a_model(synthesized):
    result = synthesized("control-tower")
    path, _ = SHIPPED["control-tower"]
    output = CliRunner().invoke(cli, ["explain", "-b", str(ROOT / path), "--cdk-out", str(result.outdir),
                                      "--account", "app1-prod", "--action", "ec2:RunInstances",
                                      "--region", "me-south-1"]).output
    assert "decision: explicit-deny" in output
    assert f"policy:   CT.MULTISERVICE.PV.1 ({MODELLED})" in output
    assert "modelled: control-tower" in output.splitlines()[-1]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_control_tower_stacks_hold_what_the_plan_counts(synthesized, blueprint):
    result = synthesized(blueprint)
    templates = result.templates()
    for stack in result.plan.stacks:
        if stack.component.startswith("control-tower"):
            assert len(templates[stack.name]["Resources"]) == stack.resources, stack.name
    assert Path(result.outdir).is_dir()


@pytest.mark.parametrize(("change", "found"), [
    (lambda r: r.pop("DependsOn"), "start 2 operations at once (allowed: 1)"),
    (lambda r: r.update(DependsOn=[]), "start 2 operations at once (allowed: 1)"),
], ids=["baseline-chain-broken", "baseline-chain-emptied"])
def test_the_template_rule_refuses_a_second_registration_in_flight(synthesized, change, found):
    from landing_zone.checks.template_rules import control_tower_chains

    result = synthesized("control-tower")
    templates = json.loads(json.dumps(result.templates()))
    baselines = _of_type(templates[_stack(result, REGISTRATIONS)], "AWS::ControlTower::EnabledBaseline")
    assert list(control_tower_chains(result.plan, templates)) == []
    second = next(v for v in baselines.values() if v.get("DependsOn"))
    change(second)
    findings = list(control_tower_chains(result.plan, templates))
    assert [f.rule for f in findings] == ["control-tower-operations"] and found in findings[0].message


def test_the_template_rule_bounds_the_control_chains(synthesized):
    from landing_zone.checks.template_rules import control_tower_chains

    result = synthesized("control-tower")
    templates = json.loads(json.dumps(result.templates()))
    controls = _of_type(templates[_stack(result, CONTROLS)], "AWS::ControlTower::EnabledControl")
    for resource in controls.values():
        resource.pop("DependsOn", None)
    [finding] = control_tower_chains(result.plan, templates)
    assert f"{len(controls)} EnabledControl resources start {len(controls)} operations at once (allowed: 10)" \
        in finding.message
