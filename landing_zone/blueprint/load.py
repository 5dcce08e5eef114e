"""Loads a blueprint: Jinja2 → YAML with line marks → ids merge → pydantic model → semantic checks."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from landing_zone.blueprint.checks import run_checks
from landing_zone.blueprint.ids import ids_path, merge_ids, read_ids
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.render import RenderIssue, parse_variables, render_file
from landing_zone.blueprint.source import SourceMap, YamlIssue, display_path, parse_yaml
from landing_zone.blueprint.validate import issues_from_validation


@dataclass(frozen=True)
class LoadedBlueprint:
    """A blueprint that passed every check, with where it came from."""

    model: Blueprint
    path: Path
    display: str
    rendered: str
    data: dict[str, Any]
    source: SourceMap
    warnings: list[Issue] = field(default_factory=list)

    def locate(self, issues: list[Issue]) -> list[Issue]:
        """Give issues found after loading (plan, quotas) a blueprint path and file:line."""
        return _located(issues, self.data, self.source)


def display_name(path: Path) -> str:
    """Paths relative to the working directory read best in issues."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)


def render_blueprint(path: str | os.PathLike, variables: Mapping[str, Any] | None = None) -> str:
    path = Path(path)
    try:
        return render_file(path, variables or {}, display_name(path))
    except RenderIssue as exc:
        raise BlueprintError([exc.issue]) from None


def load_blueprint(path: str | os.PathLike, variables: Mapping[str, Any] | None = None) -> LoadedBlueprint:
    """Everything wrong is collected and raised once as BlueprintError; nothing is half-loaded."""
    path = Path(path)
    display = display_name(path)
    rendered = render_blueprint(path, variables)
    try:
        data, smap = parse_yaml(rendered, display)
        ids_file = ids_path(path)
        ids, ids_smap, issues = read_ids(ids_file)
    except YamlIssue as exc:
        raise BlueprintError([exc.issue]) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise BlueprintError([Issue("not-a-mapping", f"the blueprint is {kind}, not a mapping",
                                    hint="a blueprint starts with `version: 1` and `name: ...`",
                                    file=display, line=1)])
    issues += merge_ids(data, ids, display_name(ids_file), ids_smap)
    try:
        model = Blueprint.model_validate(data)
    except ValidationError as exc:
        issues += issues_from_validation(exc, data, Blueprint)
        raise BlueprintError(_located(issues, data, smap)) from None
    issues += run_checks(model)
    located = _located(issues, data, smap)
    if any(i.severity == "error" for i in located):
        raise BlueprintError(located)
    return LoadedBlueprint(model, path, display, rendered, data, smap, located)


def _located(issues: list[Issue], data: Any, smap: SourceMap) -> list[Issue]:
    out = []
    for issue in issues:
        if issue.file:
            out.append(issue)
        else:
            out.append(issue.with_source(path=display_path(data, issue.loc), file=smap.file,
                                         line=smap.line_of(issue.loc)))
    return out


def load_with_variables(path: str | os.PathLike, pairs: list[str], vars_file: str | None) -> LoadedBlueprint:
    """Entry point for the CLI and the CDK app: NAME=value pairs and a vars file, then load."""
    try:
        variables = parse_variables(pairs, vars_file)
    except RenderIssue as exc:
        raise BlueprintError([exc.issue]) from None
    return load_blueprint(path, variables)
