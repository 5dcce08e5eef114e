"""What the synthesis rejects, `lz validate` rejects first, with the same reason.

Each golden bad input below is a blueprint value cdk-nag would fail the synthesis on. The blueprint
check refuses it and names the nag rule; with that one check switched off the same blueprint plans
and the synthesis fails on exactly that rule, so the check and cdk-nag cannot drift apart unnoticed.
(Values the synthesis accepts as the blueprint's decision are acknowledged in landing_zone/cdk/nag.py
and covered by tests/synth/test_nag.py.)
"""
from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest

from landing_zone.blueprint import load as load_module
from landing_zone.blueprint.checks import CHECKS, key_checks
from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.cdk.app import new_app
from landing_zone.cdk.landing_zone import build_landing_zone
from landing_zone.cdk.nag import LandingZoneNag
from landing_zone.plan import build_plan

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints" / "bad"

CASES = [
    # (golden bad input, the check that refuses it, its issue code, the cdk-nag rule of the synthesis)
    pytest.param("key-rotation-off", key_checks.aws_kms_keys_rotate, "key-rotation-required",
                 "AwsSolutions-KMS5", id="key-rotation-off"),
]


@pytest.mark.parametrize(("case", "check", "code", "rule"), CASES)
def test_validate_rejects_what_the_synthesis_rejects_with_the_same_reason(case, check, code, rule, tmp_path,
                                                                           monkeypatch):
    blueprint = BAD / case / "blueprint.yaml"
    with pytest.raises(BlueprintError) as refused:
        load_blueprint(blueprint)
    assert [i.code for i in refused.value.issues] == [code]
    assert rule in refused.value.issues[0].message

    monkeypatch.setattr(load_module, "run_checks",
                        lambda bp: (i for c in CHECKS if c is not check for i in c(bp)))
    plan = build_plan(load_blueprint(blueprint))
    app = new_app(str(tmp_path))
    build_landing_zone(app, plan)
    plugin = LandingZoneNag()
    cdk.Validations.of(app).add_plugins(plugin)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    assert {f.rule for f in plugin.reported} == {rule}


def test_every_check_that_names_a_nag_rule_has_a_case():
    named = {c for c in CHECKS if "AwsSolutions-" in (c.__doc__ or "")}
    assert named == {p.values[1] for p in CASES}
