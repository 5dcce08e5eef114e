"""`lz explain` and `lz matrix` on the synthesized standard blueprint."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from landing_zone.cli import cli
from tests.synth.conftest import ROOT, SHIPPED

STANDARD = str(ROOT / SHIPPED["standard"][0])


def run(synthesized, *args):
    out = str(synthesized("standard").outdir)
    return CliRunner().invoke(cli, ["explain", "-b", STANDARD, "--cdk-out", out, *args])


@pytest.mark.parametrize("args, expected", [
    (["--account", "app1-prod", "--action", "ec2:RunInstances"],
     {"decision": "allow", "policy": None, "target": None, "sid": None}),
    (["--account", "app1-prod", "--action", "ec2:RunInstances", "--region", "ap-south-1"],
     {"decision": "explicit-deny", "target": "Root", "sid": "LZREGIONDENY"}),
    (["--account", "app1-prod", "--action", "iam:CreateAccessKey", "--principal", "arn:aws:iam::666666666666:root"],
     {"decision": "explicit-deny", "target": "Root", "sid": "GRRESTRICTROOTUSER"}),
    (["--account", "app1-prod", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::data/x"],
     {"decision": "explicit-deny", "target": "Workloads/Prod"}),
    (["--account", "app1-prod", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::data/x",
      "--context", "aws:MultiFactorAuthPresent=true"], {"decision": "allow"}),
    (["--account", "app1-dev", "--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::data/x"],
     {"decision": "allow"}),
    (["--account", "management", "--action", "ec2:RunInstances", "--region", "ap-south-1"],
     {"decision": "allow"}),
], ids=["plain-allow", "region-deny", "root-user", "s3-delete-without-mfa-in-prod", "with-mfa",
        "not-enabled-in-nonprod", "management-account-unaffected"])
def test_explain_json(synthesized, args, expected):
    result = run(synthesized, *args, "--json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert {k: decision[k] for k in expected} == expected
    if decision["decision"] == "explicit-deny":
        assert decision["policy"].startswith("acme-guardrails-") and decision["reason"]


def test_explain_text_names_policy_target_and_why(synthesized):
    result = run(synthesized, "--account", "sandbox-alice", "--action", "organizations:LeaveOrganization")
    assert result.exit_code == 0
    assert "decision: explicit-deny" in result.output and "why:" in result.output


@pytest.mark.parametrize("args, message", [
    (["--account", "app1-prd", "--action", "s3:GetObject"], "unknown account 'app1-prd'; did you mean 'app1-prod'?"),
    (["--account", "app1-prod", "--action", "s3:GetObjects"], "unknown action 's3:GetObjects'; did you mean 's3:GetObject'?"),
    (["--account", "app1-prod", "--action", "s3:GetObject", "--resource", "bucket/key"], "--resource 'bucket/key' is not an ARN"),
    (["--account", "app1-prod", "--action", "s3:GetObject", "--context", "novalue"], "is not KEY=VALUE"),
], ids=["unknown-account", "unknown-action", "malformed-arn", "bad-context"])
def test_explain_bad_input_exits_1(synthesized, args, message):
    result = run(synthesized, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_matrix(synthesized, tmp_path):
    actions = tmp_path / "actions.yaml"
    actions.write_text("- ec2:RunInstances\n- {action: ec2:RunInstances, region: ap-south-1}\n")
    result = CliRunner().invoke(cli, ["matrix", "-b", STANDARD, "--cdk-out", str(synthesized("standard").outdir),
                                      "--actions", str(actions)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "| account | ec2:RunInstances | ec2:RunInstances@ap-south-1 |"
    assert "| app1-dev | allow | explicit-deny |" in lines
    assert len(lines) == 2 + 7


def test_explain_synthesizes_when_no_cdk_out_is_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)           # the synthesis is cached under ./cdk.out/.lz-cache
    result = CliRunner().invoke(cli, ["explain", "-b", STANDARD, "--account", "audit", "--action",
                                      "cloudtrail:StopLogging", "--resource",
                                      "arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decision"] == "explicit-deny"
    assert "synthesizing acme (offline)" in result.stderr
    assert list((tmp_path / "cdk.out" / ".lz-cache").iterdir())


@pytest.mark.parametrize("identity, boundary, expected", [
    ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, None, "allow"),
    ({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}, None, "implicit-deny"),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
     {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}, "explicit-deny"),
], ids=["identity-allows", "identity-silent", "boundary-denies"])
def test_explain_with_identity_policy_and_boundary(synthesized, tmp_path, identity, boundary, expected):
    def policy(name, statement):
        path = tmp_path / name
        path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
        return str(path)
    args = ["--account", "app1-dev", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::data/x",
            "--identity-policy", policy("identity.json", identity), "--json"]
    if boundary:
        args += ["--boundary", policy("boundary.json", boundary)]
    result = run(synthesized, *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["decision"] == expected


def test_a_second_explain_reuses_the_synthesis_until_the_plan_changes(synthesized, tmp_path, monkeypatch):
    """`lz explain` without --cdk-out synthesizes once per distinct plan (and code), then reads the cache."""
    import shutil

    from landing_zone.cdk import app as cdk_app
    from landing_zone.cli import synth_cache

    plan = synthesized("standard").plan
    calls = []

    def fake_synthesize(p, outdir):       # copy the session's synthesis instead of running the CDK again
        calls.append(p.name)
        shutil.copytree(synthesized("standard").outdir, outdir, dirs_exist_ok=True)
    monkeypatch.setattr(cdk_app, "synthesize", fake_synthesize)
    first = synth_cache.synthesized(plan, tmp_path)
    second = synth_cache.synthesized(plan, tmp_path)
    assert first == second and calls == ["acme"]
    import dataclasses
    changed = dataclasses.replace(plan, qualifier="other")
    assert synth_cache.synthesized(changed, tmp_path) != first and calls == ["acme", "acme"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("synth-")]   # no half-written synthesis left
