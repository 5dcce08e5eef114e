"""CDK feature flags: the pinned CLI's recommended set, the same for `cdk synth`, the tests and `lz`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk

from landing_zone.cdk.app import feature_flags, new_app
from tests.helpers import unavailable

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"

# Where the landing zone departs from `cdk init`, and why.
OVERRIDES = {
    # The partitions CDK writes regional facts for: GovCloud is supported, China refused (partition-unsupported).
    "@aws-cdk/core:target-partitions": ["aws", "aws-us-gov"],
}


def test_cdk_json_carries_the_packaged_flags():
    # `cdk synth` reads cdk.json; the tests and `lz` read the package. Equal, or the two template sets differ.
    context = json.loads((ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    flags = {key: value for key, value in context.items() if key.startswith("@aws-cdk")}
    assert flags == feature_flags()


def test_flags_are_the_pinned_cli_recommendation(tmp_path):
    if not CDK.exists() or shutil.which("node") is None:
        unavailable("the aws-cdk CLI", "npm ci")
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDK_DISABLE_VERSION_CHECK": "1"}
    subprocess.run([str(CDK), "init", "app", "--language=python", "--generate-only"], cwd=tmp_path, env=env,
                   check=True, capture_output=True, timeout=120)
    recommended = json.loads((tmp_path / "cdk.json").read_text(encoding="utf-8"))["context"]
    # An upgrade of the CLI that recommends a new flag fails here: adopt it (and review the snapshot diff).
    assert feature_flags() == {**recommended, **OVERRIDES}


def test_the_app_runs_under_the_flags():
    app = new_app()
    for flag, value in feature_flags().items():
        assert app.node.try_get_context(flag) == value, flag
    assert cdk.FeatureFlags.of(app).is_enabled("@aws-cdk/aws-lambda:useCdkManagedLogGroup")


def test_a_command_line_context_still_wins():
    # context= is the lowest layer: `cdk synth -c flag=false` (CDK_CONTEXT_JSON, read by the jsii kernel
    # when it starts, hence a fresh interpreter) overrides it.
    flag = "@aws-cdk/aws-lambda:useCdkManagedLogGroup"
    probe = f"from landing_zone.cdk.app import new_app; print(new_app().node.try_get_context({flag!r}))"
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({flag: False}),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True, timeout=120).stdout
    assert out.strip() == "False"
