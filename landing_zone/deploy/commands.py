"""The `lz preflight`, `lz deploy` and `lz import-mapping` commands: user mistakes and AWS failures
become one-line messages and exit 1, never a traceback."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.deploy.aws import DEFAULT_ROLE, AwsError

_BLUEPRINT_OPTIONS = [
    click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
                 help="Jinja2 variable (repeatable); the value is read as a YAML scalar."),
    click.option("--vars", "vars_file", type=click.Path(dir_okay=False), default=None,
                 help="YAML file of Jinja2 variables (NAME: value)."),
    click.option("--allow-dir", "allow_dirs", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
                 help="Folder the blueprint may also read files from (repeatable), as `lz validate --allow-dir`."),
]
_AWS_OPTIONS = [
    click.option("--profile", default=None, help="AWS profile of the management account."),
    click.option("--assume-role", default=DEFAULT_ROLE, show_default=True, metavar="NAME",
                 help="Role assumed in member accounts to read them (Config recorders, CDK bootstrap)."),
]


def _options(options):
    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


def _stop(command: str, message: str) -> None:
    click.echo(f"lz {command}: {message}", err=True)
    sys.exit(1)


def _request(blueprint, variables, vars_file, allow_dirs, **extra):
    from landing_zone.deploy.runner import DeployRequest

    return DeployRequest(blueprint=blueprint, variables=tuple(variables), vars_file=vars_file,
                         allow_dirs=tuple(allow_dirs), **extra)


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False))
@_options(_AWS_OPTIONS + _BLUEPRINT_OPTIONS)
def preflight(blueprint, profile, assume_role, variables, vars_file, allow_dirs) -> None:
    """Check online, read-only, that the organization is ready for BLUEPRINT's deploy: one line per
    check, with the exact fix for each problem (exit 1 on any problem)."""
    from landing_zone.deploy.aws import Accounts, fatal_errors
    from landing_zone.deploy.findings import problems
    from landing_zone.deploy.preflight import run_preflight
    from landing_zone.plan.shared import partition

    request = _request(blueprint, variables, vars_file, allow_dirs, profile=profile, assume_role=assume_role)
    try:
        loaded, plan = request.load()
        with fatal_errors():
            accounts = Accounts(plan.management_account_id, partition(plan.home_region), profile=profile,
                                role=assume_role)
            findings = run_preflight(plan, loaded.model, accounts, blueprint=blueprint, profile=profile)
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except AwsError as exc:
        _stop("preflight", str(exc))
    for finding in findings:
        click.echo("\n".join(finding.lines()))
    found = problems(findings)
    click.echo(f"{loaded.display}: {len(findings)} checks, " + (f"{len(found)} problem{'s' * (len(found) != 1)}"
                                                                if found else "no problems"))
    sys.exit(1 if found else 0)


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the phases, stacks, accounts, regions and roles; no AWS call.")
@click.option("--from", "start", default=None, metavar="PHASE", help="Resume at PHASE (the preflight still runs).")
@click.option("--concurrency", type=click.IntRange(min=1), default=None,
              help="At most N stacks at once within a phase. Default: each phase's own limit.")
@_options(_AWS_OPTIONS + _BLUEPRINT_OPTIONS)
def deploy(blueprint, dry_run, start, concurrency, profile, assume_role, variables, vars_file, allow_dirs) -> None:
    """Deploy BLUEPRINT phase by phase with the pinned CDK CLI: preflight, organization, account shards,
    sync of the new ids, bootstrap, ... organization policies last. Stops at the first failure."""
    from landing_zone.deploy.runner import Deployer, DeployStopped

    request = _request(blueprint, variables, vars_file, allow_dirs, profile=profile, concurrency=concurrency,
                       start=start, assume_role=assume_role)
    try:
        if dry_run:
            from landing_zone.deploy.dryrun import describe

            _, plan = request.load()
            click.echo("\n".join(describe(plan, request)))
            return
        Deployer(request, echo=click.echo).deploy()
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except (DeployStopped, AwsError) as exc:
        _stop("deploy", str(exc))


@click.command("import-mapping")
@click.argument("blueprint", type=click.Path(dir_okay=False))
@click.option("--stack", required=True, help="The organization stack or an accounts shard stack.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="File to write. Default: standard output.")
@_options(_BLUEPRINT_OPTIONS)
def import_mapping(blueprint, stack, output, variables, vars_file, allow_dirs) -> None:
    """Print the `cdk import --resource-mapping` JSON of STACK: its OUs and accounts that have ids."""
    from landing_zone.deploy.import_mapping import UnknownStack
    from landing_zone.deploy.import_mapping import import_mapping as mapping_of

    try:
        _, plan = _request(blueprint, variables, vars_file, allow_dirs).load()
        text = json.dumps(mapping_of(plan, stack), indent=2) + "\n"
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except UnknownStack as exc:
        _stop("import-mapping", str(exc))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _stop("import-mapping", f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"wrote {output}: {len(json.loads(text))} resources of {stack}", err=True)
