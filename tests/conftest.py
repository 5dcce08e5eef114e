"""Settings for the whole suite, applied before any test starts a CDK (jsii) kernel."""
from __future__ import annotations

import os

# aws-cdk-lib validates every synthesized template with its built-in CloudFormation rules (a WASM
# engine: about 2.5 s to start in each kernel, then roughly 0.15 s per template). The suite lints
# every template with cfn-lint itself, so in-process syntheses skip it; the CLI tests
# (tests/synth/test_cdk_cli.py) keep it on for the standard and enterprise blueprints, where the
# recommended feature flags make its findings errors.
os.environ.setdefault("CDK_VALIDATION", "false")
