"""`lz explain` and `lz matrix`: decisions for requests in accounts, from the synthesized policies."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.blueprint.load import load_with_variables
from landing_zone.cli.synth_cache import synthesized
from landing_zone.explain.deployed import DeployedPolicies, DeployedPolicyError, read_deployed
from landing_zone.explain.proofs import stand_in_id
from landing_zone.explain.requests import (
    DEFAULT_PROBES,
    UsageError,
    build_request,
    decide,
    parse_context,
    read_policy,
)
from landing_zone.plan import Plan, build_plan
from landing_zone.plan.control_tower import MODELLED


def load_plan_and_policies(blueprint: str, variables: tuple[str, ...], vars_file: str | None,
                           cdk_out: str | None) -> tuple[Plan, DeployedPolicies]:
    plan = build_plan(load_with_variables(blueprint, list(variables), vars_file))
    # What will be deployed, not what the catalog says: the synthesized policies (cached by content).
    return plan, read_deployed(cdk_out or synthesized(plan), plan)


def _common(function):
    for option in reversed([
        click.option("--blueprint", "-b", required=True, type=click.Path(dir_okay=False)),
        click.option("--var", "variables", multiple=True, metavar="NAME=VALUE"),
        click.option("--vars", "vars_file", type=click.Path(dir_okay=False)),
        click.option("--cdk-out", type=click.Path(file_okay=False, exists=True), default=None,
                     help="Read an existing synth output. Default: synthesize now (offline)."),
    ]):
        function = option(function)
    return function


@click.command()
@_common
@click.option("--account", required=True, help="Account name, or 'management'.")
@click.option("--action", required=True, help="service:Action, e.g. s3:DeleteBucket.")
@click.option("--region", default=None, help="Default: the home region.")
@click.option("--resource", default=None, help="Resource ARN. Default: *.")
@click.option("--principal", default=None, help="Principal ARN. Default: role/Developer in the account.")
@click.option("--context", "context_pairs", multiple=True, metavar="KEY=VALUE",
              help="Condition key value (repeatable); a,b gives a list.")
@click.option("--identity-policy", type=click.Path(dir_okay=False), default=None,
              help="JSON identity policy of the principal (evaluated with the guardrails).")
@click.option("--resource-policy", type=click.Path(dir_okay=False), default=None,
              help="JSON resource-based policy of the resource.")
@click.option("--boundary", type=click.Path(dir_okay=False), default=None,
              help="JSON permissions boundary of the principal.")
@click.option("--json", "as_json", is_flag=True, help="Print {decision, policy, target, sid, reason}.")
def explain(blueprint, variables, vars_file, cdk_out, account, action, region, resource, principal,
            context_pairs, identity_policy, resource_policy, boundary, as_json) -> None:
    """Would ACTION be allowed in ACCOUNT by the organization's policies? (Exit 0 whatever the answer.)"""
    try:
        plan, deployed = load_plan_and_policies(blueprint, variables, vars_file, cdk_out)
        request = build_request(plan, account, action, region, resource, principal, parse_context(context_pairs))
        policies = {"identity": read_policy(identity_policy, "identity"),
                    "resource": read_policy(resource_policy, "resource"),
                    "boundary": read_policy(boundary, "boundary") or None}
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except (UsageError, DeployedPolicyError) as exc:
        click.echo(f"lz explain: {exc}", err=True)
        sys.exit(1)
    decision = decide(deployed, account, request, **policies)
    if as_json:
        click.echo(json.dumps(decision.as_json(), sort_keys=True))
        return
    click.echo(f"{request.action} by {request.principal} on {request.resource} in {request.region}")
    click.echo(f"decision: {decision.decision}")
    for label, value in (("policy", decision.policy), ("target", decision.target), ("sid", decision.sid)):
        if value:
            click.echo(f"{label + ':':<10}{value}")
    click.echo(f"why:      {decision.reason}")
    if decision.policy and decision.policy.endswith(f"({MODELLED})"):
        # An enabled control of AWS Control Tower, evaluated through the catalog's native SCP text.
        click.echo(f"{'modelled:':<10}control-tower (AWS Control Tower enforces it; its native SCP text is the model)")


@click.command()
@_common
@click.option("--actions", "actions_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="YAML list of actions or {action, region, resource, principal, context}.")
def matrix(blueprint, variables, vars_file, cdk_out, actions_file) -> None:
    """Accounts × actions with decisions, for reviewers."""
    try:
        plan, deployed = load_plan_and_policies(blueprint, variables, vars_file, cdk_out)
        probes = DEFAULT_PROBES if not actions_file else [
            p if isinstance(p, dict) else {"action": p} for p in yaml.safe_load(Path(actions_file).read_text())]
        rows = []
        for account in [a.name for a in plan.accounts]:
            cells = []
            for probe in probes:
                account_id = plan.account(account).id or stand_in_id(account)
                principal = probe.get("principal", "").replace("{account}", account_id) or None
                request = build_request(plan, account, probe["action"], probe.get("region"),
                                        probe.get("resource"), principal, probe.get("context", {}))
                cells.append(decide(deployed, account, request).decision)
            rows.append((account, cells))
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except (UsageError, DeployedPolicyError, OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        click.echo(f"lz matrix: {exc}", err=True)
        sys.exit(1)
    headers = [p["action"] + (f"@{p['region']}" if p.get("region") else "") for p in probes]
    click.echo("| account | " + " | ".join(headers) + " |")
    click.echo("|---" * (len(headers) + 1) + "|")
    for account, cells in rows:
        click.echo(f"| {account} | " + " | ".join(cells) + " |")
