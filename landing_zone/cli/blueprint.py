"""`lz validate`, `lz render`, `lz schema` and `lz sync`: blueprints from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.blueprint.load import load_with_variables, render_blueprint
from landing_zone.blueprint.variables import parse_variables

VAR_OPTION = click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
                          help="Jinja2 variable (repeatable); the value is read as a YAML scalar.")
VARS_OPTION = click.option("--vars", "vars_file", type=click.Path(dir_okay=False), default=None,
                           help="YAML file of Jinja2 variables (NAME: value).")
ALLOW_DIR_OPTION = click.option(
    "--allow-dir", "allow_dirs", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
    help="Folder the blueprint may also read files from (repeatable). By default includes, policy files "
         "and SAML metadata must lie in the blueprint's own folder.")


def _fail(exc: BlueprintError) -> None:
    click.echo(format_issues(exc.issues), err=True)
    sys.exit(1)


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False))
@VAR_OPTION
@VARS_OPTION
@ALLOW_DIR_OPTION
def validate(blueprint: str, variables: tuple[str, ...], vars_file: str | None, allow_dirs: tuple[str, ...]) -> None:
    """Check BLUEPRINT; print every issue (exit 1) or a summary of what would be synthesized."""
    from landing_zone.plan import build_plan

    try:
        loaded = load_with_variables(blueprint, list(variables), vars_file, allow_dirs)
        plan = build_plan(loaded)
    except BlueprintError as exc:
        _fail(exc)
    for warning in loaded.warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"{loaded.display}: valid")
    click.echo(f"  organizational units: {len(plan.units)}")
    click.echo(f"  accounts: {len(plan.accounts)}")
    click.echo(f"  stacks to synthesize: {len(plan.stacks)}")
    for stack in plan.stacks:
        click.echo(f"    {stack.name:<40} {stack.account_id} {stack.region:<15} {stack.resources} resources")
    click.echo(f"  pending: {len(plan.pending)}")
    for item in plan.pending:
        click.echo(f"    {item.subject}: {item.reason}")


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False))
@VAR_OPTION
@VARS_OPTION
@ALLOW_DIR_OPTION
def render(blueprint: str, variables: tuple[str, ...], vars_file: str | None, allow_dirs: tuple[str, ...]) -> None:
    """Print BLUEPRINT after Jinja2 (the line numbers issues refer to)."""
    try:
        rendered = render_blueprint(blueprint, parse_variables(list(variables), vars_file), allow_dirs)
    except BlueprintError as exc:
        _fail(exc)
    # Jinja2 can output a lone surrogate (no UTF-8 for it): show it escaped instead of failing.
    click.echo(rendered.text.encode("utf-8", "backslashreplace").decode("utf-8"), nl=False)


@click.command()
def schema() -> None:
    """Print the JSON Schema of blueprints (for editor completion)."""
    from landing_zone.blueprint.model import Blueprint

    click.echo(json.dumps(Blueprint.model_json_schema(by_alias=True), indent=2, sort_keys=True))


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False, exists=True))
@click.option("--profile", default=None, help="AWS profile of the management account.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the ids. Default: <blueprint>.ids.yaml beside it.")
def sync(blueprint: str, profile: str | None, output: str | None) -> None:
    """Record ids of existing OUs and accounts (online: AWS Organizations, read-only)."""
    from landing_zone.sync import SyncError, sync_ids

    try:
        written, summary = sync_ids(Path(blueprint), profile=profile, output=Path(output) if output else None)
    except BlueprintError as exc:
        _fail(exc)
    except SyncError as exc:
        click.echo(f"lz sync: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {written}: {summary}")
