"""The `lz report` command: blueprint in, one self-contained HTML file out (offline, no synth)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.blueprint.load import load_with_variables
from landing_zone.explain.requests import UsageError


@click.command()
@click.argument("blueprint", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="HTML file to write, e.g. report.html.")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Jinja2 variable (repeatable); the value is read as a YAML scalar.")
@click.option("--vars", "vars_file", type=click.Path(dir_okay=False), default=None,
              help="YAML file of Jinja2 variables (NAME: value).")
@click.option("--allow-dir", "allow_dirs", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
              help="Folder the blueprint may also read files from (repeatable), as `lz validate --allow-dir`.")
@click.option("--actions", "actions_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="YAML list of actions or {action, region, resource, principal, context} for the "
                   "'Is it allowed?' table (as `lz matrix --actions`). Default: a few telling requests.")
def report(blueprint: str, output: str, variables: tuple[str, ...], vars_file: str | None,
           allow_dirs: tuple[str, ...], actions_file: str | None) -> None:
    """Write an HTML review of BLUEPRINT: OUs and accounts, guardrails, SCP budget, stacks, network,
    keys, Identity Center, pending items and which requests the SCPs allow."""
    from landing_zone.explain.probes import read_probes
    from landing_zone.plan import build_plan
    from landing_zone.report import build_report, render_report

    try:
        loaded = load_with_variables(blueprint, list(variables), vars_file, allow_dirs)
        plan = build_plan(loaded)
        html = render_report(build_report(loaded, plan, read_probes(actions_file)))
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"lz report: {exc}", err=True)
        sys.exit(1)
    for warning in loaded.warnings:
        click.echo(warning.format(), err=True)
    try:
        Path(output).write_text(html, encoding="utf-8")
    except OSError as exc:
        click.echo(f"lz report: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(1)
    click.echo(f"wrote {output} ({len(html.encode('utf-8')):,} bytes)")
