"""`lz explain` and `lz matrix`: is this action allowed in that account, answered from cdk.out offline."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import yaml

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.blueprint.load import load_with_variables
from landing_zone.blueprint.suggest import suggest
from landing_zone.catalog.proofs import stand_in_id
from landing_zone.plan import Plan, build_plan
from landing_zone.policy import actions
from landing_zone.policy.deployed import DeployedPolicies, DeployedPolicyError, read_deployed
from landing_zone.policy.evaluate import Decision, PolicyRef, evaluate
from landing_zone.policy.request import Request, parse_arn

MANAGEMENT = "management"
DEFAULT_PROBES = [
    {"action": "ec2:RunInstances"},
    {"action": "ec2:RunInstances", "region": "ap-southeast-2"},
    {"action": "iam:CreateAccessKey", "principal": "arn:aws:iam::{account}:root"},
    {"action": "organizations:LeaveOrganization"},
    {"action": "cloudtrail:StopLogging"},
    {"action": "s3:DeleteObject", "resource": "arn:aws:s3:::example-bucket/key"},
]


class UsageError(ValueError):
    """Bad input on the command line: printed as one clear line, exit 1."""


def load_plan_and_policies(blueprint: str, variables: tuple[str, ...], vars_file: str | None,
                           cdk_out: str | None) -> tuple[Plan, DeployedPolicies]:
    plan = build_plan(load_with_variables(blueprint, list(variables), vars_file))
    if cdk_out:
        return plan, read_deployed(cdk_out, plan)
    # What will be deployed, not what the catalog says: synthesize now into a scratch folder.
    from landing_zone.cdk.app import synthesize
    with tempfile.TemporaryDirectory(prefix="lz-explain-") as outdir:
        synthesize(plan, outdir)
        return plan, read_deployed(outdir, plan)


def parse_context(pairs: tuple[str, ...]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--context {pair!r} is not KEY=VALUE (e.g. aws:MultiFactorAuthPresent=true)")
        context[key] = value.split(",") if "," in value else value
    return context


def build_request(plan: Plan, account: str, action: str, region: str | None, resource: str | None,
                  principal: str | None, context: dict[str, Any]) -> Request:
    if account != MANAGEMENT and account not in {a.name for a in plan.accounts}:
        raise UsageError(f"unknown account {account!r}; " + suggest(account, [a.name for a in plan.accounts]
                                                                   + [MANAGEMENT]))
    if actions.has_wildcard(action) or not actions.is_known(action):
        close = actions.suggest(action)
        raise UsageError(f"unknown action {action!r}" + (f"; did you mean {close!r}?" if close else
                                                          "; write service:Action, e.g. s3:GetObject"))
    for flag, arn in (("--resource", resource), ("--principal", principal)):
        if arn not in (None, "*") and parse_arn(arn) is None:
            raise UsageError(f"{flag} {arn!r} is not an ARN (arn:partition:service:region:account:resource)")
    account_id = (plan.management_account_id if account == MANAGEMENT
                  else plan.account(account).id or stand_in_id(account))
    return Request(action=actions.canonical(action), resource=resource or "*",
                   principal=principal or f"arn:aws:iam::{account_id}:role/Developer",
                   region=region or plan.home_region, context=context)


def decide(deployed: DeployedPolicies, account: str, request: Request, **policies: Any) -> Decision:
    """Organization guardrails of the account, plus any identity/resource/boundary policies given."""
    if account == MANAGEMENT:
        return evaluate(request, scps=[[]], management_account=True, **policies)
    return evaluate(request, scps=deployed.levels(account), rcps=deployed.levels(account, "RESOURCE_CONTROL_POLICY")
                    if "RESOURCE_CONTROL_POLICY" in deployed.attached else None, **policies)


def read_policy(path: str | None, kind: str) -> list[PolicyRef]:
    if not path:
        return []
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"--{kind}-policy {path!r} is not a readable JSON policy: {exc}") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise UsageError(f"--{kind}-policy {path!r} has no Statement")
    return [PolicyRef(Path(path).name, kind, document)]


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
