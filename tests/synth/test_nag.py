"""cdk-nag AwsSolutions on every synthesis: blueprints pass, new findings fail, no stale acknowledgements."""
from __future__ import annotations

import re
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
                                                              connector_directory, blueprint_edges, network_peering):
    # Plus the small custom key store, AD Connector, edge-case and peering blueprints (conftest.py): no
    # shipped blueprint has such a key, directory, VPC, role or peering.
    used = {(entry["rule"], entry["path"])
            for outdir in (*(synthesized(name).outdir for name in SHIPPED), custom_store_keys.outdir,
                           connector_directory.outdir, blueprint_edges.outdir, network_peering.outdir)
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


# Blueprint values the synthesis accepts as the blueprint's own decision: each failed the synthesis on
# cdk-nag before its acknowledgement, although `lz validate` accepted the blueprint.
@pytest.mark.parametrize(("rule", "path"), [
    ("AwsSolutions-KMS5", "acme-keys-audit-us-east-1/KeyLzByok{hash}/ImportedKeyMaterial"),
    ("AwsSolutions-VPC7", "acme-network-identity-us-east-1/Vpcquiet/VpcWithoutFlowLogs"),
    ("AwsSolutions-IAM5[Action::ec2:Describe*]", "acme-federation/FederatedRoleDescribers{hash}/Resource"),
    ("AwsSolutions-IAM5[Resource::*]", "acme-federation/FederatedRoleDescribers{hash}/Resource"),
], ids=["external-key-rotation", "vpc-without-flow-logs", "inline-action-wildcard", "inline-resource-star"])
def test_blueprint_decisions_the_synthesis_accepts_are_acknowledged(blueprint_edges, rule, path):
    findings = {f for entry in read_report(blueprint_edges.outdir) for f in entry["findings"]}
    pattern = re.compile(re.escape(f"{rule} at {path}").replace(re.escape("{hash}"), "[0-9a-f]{8}"))
    assert [f for f in findings if pattern.fullmatch(f)], sorted(findings)


def test_only_the_blueprint_decisions_are_acknowledged_for_keys_and_vpcs(synthesized):
    # An AWS_KMS key and a VPC with flow logs keep their default construct ids: the KMS5 and VPC7
    # acknowledgements can never hide a key the landing zone forgot to rotate or a VPC it forgot to log.
    for name in SHIPPED:
        rules = {f.split(" at ")[0] for entry in read_report(synthesized(name).outdir) for f in entry["findings"]}
        assert not rules & {"AwsSolutions-KMS5", "AwsSolutions-VPC7"}, name
