"""The real `npx cdk synth`: context variables reach the blueprint; a bad blueprint writes nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import minimal, unavailable, write
from tests.synth.conftest import ROOT

NPX_CDK = ["npx", "--no-install", "cdk"]


@pytest.fixture(autouse=True)
def _cdk_cli_installed():
    if not (ROOT / "node_modules" / ".bin" / "cdk").exists():
        unavailable("the pinned aws-cdk CLI (node_modules)", "npm ci")


def cdk_synth(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDK_DISABLE_VERSION_CHECK": "1",
           "CDK_DISABLE_CLI_TELEMETRY": "true"}
    # CDK_VALIDATION: the built-in template validation runs here, as it does for users (tests/conftest.py)
    for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CDK_VALIDATION"):
        env.pop(key, None)
    return subprocess.run(NPX_CDK + ["synth", "--quiet", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_context_variables_reach_the_blueprint(tmp_path):
    out = tmp_path / "out"
    proc = cdk_synth("-c", "blueprint=blueprints/examples/many-accounts.yaml", "-c", "var:accounts=3",
                     "-c", "var:units=2", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    names = {json.loads(p.read_text())["Resources"][r]["Properties"]["AccountName"]
             for p in out.glob("many-accounts-*.template.json")
             for r in json.loads(p.read_text())["Resources"]}
    assert names == {"log-archive", "audit", "workload-0000", "workload-0001", "workload-0002"}


def test_bad_blueprint_prints_issues_and_writes_nothing(tmp_path):
    data = minimal()
    data["organization"]["accounts"][2]["email"] = "aws+log@example.com"
    path = write(tmp_path, data)
    out = tmp_path / "out"
    proc = cdk_synth("-c", f"blueprint={path}", "-o", str(out))
    assert proc.returncode != 0
    assert "[account-email-duplicate]" in proc.stderr
    assert "organization.accounts[app1].email" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.glob("*.template.json"))


def test_the_bootstrap_stackset_carries_the_pinned_clis_template():
    """The <name>-bootstrap StackSet deploys what `cdk bootstrap` of the pinned CLI would; when the CLI
    is bumped, refresh it with `npx cdk bootstrap --show-template > landing_zone/plan/data/cdk-bootstrap.yaml`."""
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDK_DISABLE_VERSION_CHECK": "1",
           "CDK_DISABLE_CLI_TELEMETRY": "true"}
    proc = subprocess.run(NPX_CDK + ["bootstrap", "--show-template"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    vendored = (ROOT / "landing_zone" / "plan" / "data" / "cdk-bootstrap.yaml").read_text()
    assert proc.stdout == vendored


def test_synth_prints_nothing_but_its_result(tmp_path):
    # No banner, no deprecation warning, no cdk-nag chatter: what a CI log shows is the landing zone's own.
    proc = cdk_synth("-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    cli_summary = ("Successfully synthesized to ", "Supply a stack id ")
    assert [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith(cli_summary)] == []


def test_constructs_use_no_deprecated_cdk_api(tmp_path):
    # The enterprise blueprint reaches every construct; cdk-nag is left out (it reads deprecated properties
    # itself), so JSII_DEPRECATED=fail fails on our code alone. CDK's built-in template validation runs
    # (its findings are errors under the recommended flags): enterprise's templates pass it.
    probe = ("import sys; from landing_zone.blueprint.load import load_blueprint; from landing_zone.plan import "
             "build_plan; from landing_zone.cdk.app import new_app; "
             "from landing_zone.cdk.landing_zone import build_landing_zone; "
             "app = new_app(sys.argv[1]); build_landing_zone(app, build_plan(load_blueprint("
             "'blueprints/enterprise.yaml'))); app.synth()")
    env = {**os.environ, "JSII_DEPRECATED": "fail", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("CDK_VALIDATION", None)
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
