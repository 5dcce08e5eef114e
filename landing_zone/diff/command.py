"""The `lz diff` command: options, exit codes (0 safe, 2 data-loss risk, 1 bad input), output format."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from landing_zone.blueprint.issues import BlueprintError, format_issues
from landing_zone.explain.requests import UsageError

FALLBACK_BLUEPRINT = "blueprints/standard.yaml"
DATA_LOSS_EXIT = 2


def default_blueprint() -> str:
    """The blueprint `cdk synth` uses here: cdk.json's context, else the shipped default."""
    try:
        context = json.loads(Path("cdk.json").read_text(encoding="utf-8")).get("context", {})
    except (OSError, ValueError, AttributeError):
        return FALLBACK_BLUEPRINT
    value = context.get("blueprint") if isinstance(context, dict) else None
    return value if isinstance(value, str) and value else FALLBACK_BLUEPRINT


@click.command()
@click.option("--base", "base_ref", metavar="GIT_REF", default=None,
              help="Compare with the blueprint at this commit, synthesized with the current code. Default: HEAD.")
@click.option("--base-out", type=click.Path(), default=None, metavar="DIR",
              help="Compare with an existing cdk.out instead (e.g. `lz diff --out DIR` of the base branch, DIR/head).")
@click.option("--blueprint", "-b", default=None, type=click.Path(dir_okay=False),
              help="Blueprint to compare. Default: cdk.json's `blueprint` (blueprints/standard.yaml).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE",
              help="Jinja2 variable (repeatable), for both sides.")
@click.option("--vars", "vars_file", type=click.Path(dir_okay=False), default=None,
              help="YAML file of Jinja2 variables; the base reads its version at GIT_REF when it is in the repository.")
@click.option("--allow-dir", "allow_dirs", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
              help="Folder the blueprint may also read files from (repeatable), as `lz validate --allow-dir`.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown is ready to paste as a pull-request comment.")
@click.option("--actions", "actions_file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="More requests for the decision delta, as `lz matrix --actions`.")
@click.option("--allow-data-loss", is_flag=True, help="Exit 0 even when a change risks data.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Keep the synthesized outputs in DIR/base and DIR/head. Default: temporary folders.")
def diff(base_ref, base_out, blueprint, variables, vars_file, allow_dirs, output_format, actions_file,
         allow_data_loss, out_dir) -> None:
    """What the blueprint change does, offline: stacks and resources added, removed, modified or replaced,
    data-loss risks, SCP/RCP statements per target and every (account, request) whose decision changes.

    Exit 0 without data-loss risk, 2 with one (unless --allow-data-loss), 1 on bad input."""
    from landing_zone.diff.build import BaseBlueprintError, DiffOptions, run_diff
    from landing_zone.diff.jsonout import render_json
    from landing_zone.diff.markdown import render_markdown
    from landing_zone.diff.text import render_text

    options = DiffOptions(blueprint or default_blueprint(), tuple(variables), vars_file, tuple(allow_dirs),
                          base_ref, base_out, actions_file, out_dir)
    try:
        result = run_diff(options)
    except BaseBlueprintError as exc:
        click.echo(f"lz diff: the blueprint at {base_ref or 'HEAD'} has issues:", err=True)
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except BlueprintError as exc:
        click.echo(format_issues(exc.issues), err=True)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"lz diff: {exc}", err=True)
        sys.exit(1)
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[output_format]
    click.echo(render(result), nl=False)
    if result.data_loss and not allow_data_loss:
        click.echo(f"lz diff: {len(result.data_loss)} data-loss risk(s); review them, then pass "
                   "--allow-data-loss to accept", err=True)
        sys.exit(DATA_LOSS_EXIT)
