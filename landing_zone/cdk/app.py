"""The CDK app: reads the context, loads and plans the blueprint, synthesizes; issues exit 1."""
from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

import aws_cdk as cdk

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.blueprint.load import context_dirs, load_with_variables
from landing_zone.cdk.deploy_proofs import add_deploy_proofs
from landing_zone.cdk.landing_zone import build_landing_zone
from landing_zone.cdk.nag import add_nag
from landing_zone.plan import Plan, build_plan

DEFAULT_BLUEPRINT = "blueprints/standard.yaml"
FEATURE_FLAGS_FILE = Path(__file__).with_name("feature_flags.json")


@cache
def feature_flags() -> dict:
    """The CDK feature flags every synthesis runs under: the pinned CLI's recommended set (what
    `cdk init` writes), held in the package so the CLI's `cdk synth` (cdk.json repeats them), the
    tests and `lz` produce the same templates."""
    return json.loads(FEATURE_FLAGS_FILE.read_text(encoding="utf-8"))


def new_app(outdir: str | None = None) -> cdk.App:
    # context= is the lowest layer: cdk.json and --context still win, and cdk.json holds the same flags.
    return cdk.App(outdir=outdir, analytics_reporting=False, context=feature_flags())


def synthesize_into(app: cdk.App, plan: Plan) -> cdk.App:
    """The one synthesis path (the CDK CLI's `main` and the tests' `synthesize`)."""
    build_landing_zone(app, plan)
    add_nag(app)  # cdk-nag AwsSolutions: an unacknowledged finding fails the synthesis
    add_deploy_proofs(app, plan)  # and so does a landing zone that would block its own deployment
    app.synth()
    return app


def synthesize(plan: Plan, outdir: str | None = None) -> cdk.App:
    return synthesize_into(new_app(outdir), plan)


def plan_from_context(context: dict) -> Plan:
    variables = [f"{key[4:]}={value}" for key, value in sorted(context.items()) if key.startswith("var:")]
    loaded = load_with_variables(context.get("blueprint") or DEFAULT_BLUEPRINT, variables,
                                 context.get("vars"), context_dirs(context.get("allow_dir")))
    for warning in loaded.warnings:
        print(warning.format(), file=sys.stderr)
    return build_plan(loaded)


def main() -> None:
    app = new_app()
    try:
        plan = plan_from_context(app.node.get_all_context())
    except BlueprintError as exc:
        # Fail before anything is written, so cdk.out never holds a half landing zone.
        print(format_issues(exc.issues), file=sys.stderr)
        sys.exit(1)
    for item in plan.pending:
        print(f"pending: {item.subject}: {item.reason}", file=sys.stderr)
    synthesize_into(app, plan)
