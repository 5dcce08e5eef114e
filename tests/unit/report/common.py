"""Shared helpers for the report tests: load a blueprint, build its plan and its report."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from landing_zone.blueprint.load import LoadedBlueprint, load_blueprint
from landing_zone.explain.probes import read_probes
from landing_zone.plan import Plan, build_plan
from landing_zone.report import Report, build_report

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = {"standard": ROOT / "blueprints/standard.yaml", "enterprise": ROOT / "blueprints/enterprise.yaml"}


def report_for(path: Path, variables: dict[str, Any] | None = None) -> tuple[LoadedBlueprint, Plan, Report]:
    loaded = load_blueprint(path, variables or {})
    plan = build_plan(loaded)
    return loaded, plan, build_report(loaded, plan, read_probes(None))


@cache
def shipped(name: str) -> tuple[LoadedBlueprint, Plan, Report]:
    return report_for(SHIPPED[name])
