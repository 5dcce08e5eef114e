"""`lz`: the command line. Each command lives with its feature; this module only groups them."""
from __future__ import annotations

import click

from landing_zone.cli.blueprint import render, schema, sync, validate
from landing_zone.cli.explain import explain, matrix
from landing_zone.deploy.commands import deploy, import_mapping, preflight
from landing_zone.diff.command import diff
from landing_zone.report.command import report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="landing-zone")
def cli() -> None:
    """Landing zone generator: checks, renders and explains blueprints offline."""


for command in (validate, render, schema, sync, explain, matrix, report, preflight, deploy, import_mapping, diff):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="lz")
