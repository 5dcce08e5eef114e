"""cdk-nag AwsSolutions on every synthesis: blueprints pass, new findings fail, no stale acknowledgements."""
from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from landing_zone.cdk.nag import ACKNOWLEDGEMENTS, REPORT_FILE, Acknowledgement, LandingZoneNag, read_report
from tests.synth.conftest import SHIPPED


def synth_small(tmp_path: Path, plugin: LandingZoneNag) -> None:
    app = cdk.App(outdir=str(tmp_path), analytics_reporting=False)
    stack = cdk.Stack(app, "Small")
    s3.Bucket(stack, "Plain")  # no access logs, no TLS-only policy: AwsSolutions-S1 and -S10
    cdk.Validations.of(app).add_plugins(plugin)
    app.synth()


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_blueprint_has_no_unacknowledged_finding(synthesized, name):
    # The session synthesis runs the plugin (landing_zone.cdk.app.synthesize): a new finding fails it
    # with ValidationFailed, listing the rule and construct path.
    result = synthesized(name)
    assert list(result.outdir.glob("*.template.json"))
    assert read_report(result.outdir), f"{name}: the acknowledgement report {REPORT_FILE} is missing"


def test_every_acknowledgement_is_used_by_a_shipped_blueprint(synthesized, custom_store_keys,
                                                              connector_directory):
    # Plus the small custom key store and AD Connector blueprints (conftest.py): no shipped blueprint
    # has such a key or directory.
    used = {(entry["rule"], entry["path"])
            for outdir in (*(synthesized(name).outdir for name in SHIPPED), custom_store_keys.outdir,
                           connector_directory.outdir)
            for entry in read_report(outdir)}
    stale = [f"{a.rule} at {a.path}" for a in ACKNOWLEDGEMENTS if (a.rule, a.path) not in used]
    assert stale == [], "acknowledgements no shipped blueprint needs any more: remove them from nag.py"


def test_acknowledgements_are_unique_and_have_a_specific_reason():
    keys = [(a.rule, a.path) for a in ACKNOWLEDGEMENTS]
    assert len(keys) == len(set(keys))
    for a in ACKNOWLEDGEMENTS:
        assert a.rule.startswith("AwsSolutions-") and a.path.startswith("*/"), a
        assert len(a.reason) >= 60, f"reason too thin for {a.rule} at {a.path}: {a.reason!r}"


def test_a_new_finding_fails_the_synthesis(tmp_path):
    plugin = LandingZoneNag()
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        synth_small(tmp_path, plugin)
    assert {(f.rule, f.path) for f in plugin.reported} == {("AwsSolutions-S1", "Small/Plain/Resource"),
                                                            ("AwsSolutions-S10", "Small/Plain/Resource")}
    assert "AwsSolutions-S10" in str(failure.value) and "landing_zone/cdk/nag.py" in str(failure.value)
    assert not (tmp_path / REPORT_FILE).exists()


def test_an_acknowledgement_drops_only_what_it_matches(tmp_path):
    plugin = LandingZoneNag([
        Acknowledgement("AwsSolutions-S1", "*/Plain/Resource", "test: access logs out of scope here"),
        Acknowledgement("AwsSolutions-S10", "*/Elsewhere/*", "test: matches no construct of this app"),
    ])
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth_small(tmp_path, plugin)
    assert "AwsSolutions-S1" not in {f.rule for f in plugin.reported}
    assert "AwsSolutions-S10" in {f.rule for f in plugin.reported}
    (entry,) = read_report(tmp_path)
    assert entry["findings"] == ["AwsSolutions-S1 at Small/Plain/Resource"]


def test_acknowledging_everything_found_lets_the_synthesis_pass(tmp_path):
    plugin = LandingZoneNag([Acknowledgement("AwsSolutions-S1", "Small/*", "test"),
                             Acknowledgement("AwsSolutions-S10", "Small/*", "test")])
    synth_small(tmp_path, plugin)
    assert plugin.reported == []


@pytest.mark.parametrize(("rule", "finding", "expected"), [
    ("AwsSolutions-IAM5", "AwsSolutions-IAM5[Resource::*]", True),
    ("AwsSolutions-IAM5", "AwsSolutions-IAM5", True),
    ("AwsSolutions-IAM5", "AwsSolutions-IAM51", False),
    # `*` in a finding is literal: [Resource::*] does not cover named resources
    ("AwsSolutions-IAM5[Resource::*]", "AwsSolutions-IAM5[Resource::*]", True),
    ("AwsSolutions-IAM5[Resource::*]", "AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]", False),
    ("AwsSolutions-IAM5[Resource::<{*}.Arn>:*]", "AwsSolutions-IAM5[Resource::<OnEvent21F.Arn>:*]", True),
    ("AwsSolutions-IAM5[Resource::<{*}.Arn>:*]", "AwsSolutions-IAM5[Resource::<OnEvent21F.Arn>/*]", False),
])
def test_rule_matching(rule, finding, expected):
    assert Acknowledgement(rule, "*", "test").matches(finding, "Stack/X/Resource") is expected


def test_path_glob_spans_levels():
    ack = Acknowledgement("AwsSolutions-L1", "*/OnEvent/Resource", "test")
    assert ack.matches("AwsSolutions-L1", "acme-directory/Share/Handler/OnEvent/Resource")
    assert not ack.matches("AwsSolutions-L1", "acme-directory/Share/Handler/OnEvent/Alias/Resource")
