"""Generates GUARDRAILS.md from the catalog, so the list of controls can never drift from the data.

    python -m landing_zone.catalog.docs --write GUARDRAILS.md   # regenerate
    python -m landing_zone.catalog.docs --check GUARDRAILS.md   # exit 1 when the file is stale
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from landing_zone.catalog.load import load_catalog
from landing_zone.catalog.model import Control

LEVELS = ("mandatory", "strongly-recommended", "elective")
BEHAVIORS = ("preventive", "detective", "proactive")
WRITE_COMMAND = "python -m landing_zone.catalog.docs --write GUARDRAILS.md"


def _cell(text: str) -> str:
    """Markdown table cells cannot hold a pipe or a line break."""
    return " ".join(text.split()).replace("|", "\\|")


def _sorted(controls: Mapping[str, Control]) -> list[Control]:
    return sorted(controls.values(), key=lambda c: (LEVELS.index(c.level), c.id))


def guardrails_markdown(controls: Mapping[str, Control] | None = None) -> str:
    """The whole of GUARDRAILS.md: a count per level and behaviour, then every control."""
    controls = load_catalog() if controls is None else controls
    lines = [
        "# Guardrails",
        "",
        f"<!-- Generated from landing_zone/catalog/guardrails/ by `{WRITE_COMMAND}`; do not edit. -->",
        "",
        "The guardrail catalog: one YAML file per control under `landing_zone/catalog/guardrails/`.",
        "Preventive controls are SCP statements, detective controls AWS Config managed rules,",
        "proactive controls CloudFormation Guard rules (`landing_zone/catalog/guard/`). Mandatory",
        "controls are always on at Root; enable the others by level or by id under `guardrails:`.",
        "",
        "## Count",
        "",
        "| level | " + " | ".join(BEHAVIORS) + " | total |",
        "|---|" + "---:|" * (len(BEHAVIORS) + 1),
    ]
    for level in LEVELS:
        counts = [sum(1 for c in controls.values() if c.level == level and c.behavior == b) for b in BEHAVIORS]
        lines.append(f"| {level} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    totals = [sum(1 for c in controls.values() if c.behavior == b) for b in BEHAVIORS]
    lines.append("| **total** | " + " | ".join(map(str, totals)) + f" | **{len(controls)}** |")
    lines += [
        "",
        "## Controls",
        "",
        "| id | level | behaviour | title | Control Tower id |",
        "|---|---|---|---|---|",
    ]
    for control in _sorted(controls):
        tower = f"`{control.control_tower.identifier}`" if control.control_tower else ""
        lines.append(f"| `{control.id}` | {control.level} | {control.behavior} | {_cell(control.title)} | {tower} |")
    lines += _remediations(controls)
    return "\n".join(lines) + "\n"


def _remediations(controls: Mapping[str, Control]) -> list[str]:
    """The detective controls `guardrails.remediate` can turn into fixes, with their runbooks."""
    remediated = [c for c in _sorted(controls) if c.remediation is not None]
    lines = ["", "## Remediations", "",
             "Detective controls with a runbook: `guardrails.remediate` makes AWS Config run it on every",
             "non-compliant resource (automatically or on request), as a role allowed exactly the runbook's",
             "actions. `LZ-` runbooks are the catalog's own (`landing_zone/catalog/runbooks/`), created",
             "beside the rule; the others are owned by AWS.", "",
             "| control | runbook | what it changes | the role may |", "|---|---|---|---|"]
    for control in remediated:
        runbook = control.remediation
        actions = ", ".join(sorted(set(runbook.permissions)))
        lines.append(f"| {control.id} | `{runbook.document}` | {_cell(runbook.note)} | {_cell(actions)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m landing_zone.catalog.docs", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="PATH", type=Path, help="write the generated markdown to PATH")
    mode.add_argument("--check", metavar="PATH", type=Path, help="exit 1 when PATH differs from the catalog")
    args = parser.parse_args(argv)
    text = guardrails_markdown()
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write} ({len(load_catalog())} controls)")
        return 0
    current = args.check.read_text(encoding="utf-8") if args.check.exists() else None
    if current != text:
        print(f"{args.check} is {'missing' if current is None else 'out of date'} with the catalog; "
              f"run `{WRITE_COMMAND}`", file=sys.stderr)
        return 1
    print(f"{args.check} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
