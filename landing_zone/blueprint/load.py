"""Loads a blueprint: Jinja2 → YAML with line marks → ids merge → pydantic model → semantic checks."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from landing_zone.blueprint.checks import run_checks
from landing_zone.blueprint.documents import load_policy_documents
from landing_zone.blueprint.ids import ids_path, merge_ids, read_ids
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.render import RenderIssue, Rendered, display_name, render_file
from landing_zone.blueprint.source import SourceMap, YamlIssue, display_path, parse_yaml
from landing_zone.blueprint.validate import issues_from_validation
from landing_zone.blueprint.variables import parse_variables

__all__ = ["LoadedBlueprint", "display_name", "load_blueprint", "load_with_variables", "render_blueprint"]


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
    documents: dict[str, dict] = field(default_factory=dict)   # policies[].name → document
    variables: Mapping[str, Any] = field(default_factory=dict)  # Jinja2 variables, for files read later

    def locate(self, issues: list[Issue]) -> list[Issue]:
        """Give issues found after loading (plan, quotas) a blueprint path and file:line."""
        return _located(issues, self.data, self.source)


def render_blueprint(path: str | os.PathLike, variables: Mapping[str, Any] | None = None) -> Rendered:
    try:
        return render_file(Path(path), variables or {})
    except RenderIssue as exc:
        raise BlueprintError([exc.issue]) from None


def load_blueprint(path: str | os.PathLike, variables: Mapping[str, Any] | None = None) -> LoadedBlueprint:
    """Everything wrong is collected and raised once as BlueprintError; nothing is half-loaded."""
    path = Path(path)
    display = display_name(path)
    rendered = render_blueprint(path, variables)
    try:
        data, smap = parse_yaml(rendered.text, display, rendered.origins)
    except YamlIssue as exc:
        raise BlueprintError([exc.issue]) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise BlueprintError([Issue("not-a-mapping", f"the blueprint is {kind}, not a mapping",
                                    hint="a blueprint starts with `version: 1` and `name: ...`",
                                    file=display, line=1)])
    try:
        ids, ids_smap, issues = read_ids(ids_path(path))
    except YamlIssue as exc:
        ids, ids_smap, issues = {}, None, [exc.issue]
    issues += merge_ids(data, ids, ids_smap)
    try:
        model = Blueprint.model_validate(data)
    except ValidationError as exc:
        issues += issues_from_validation(exc, data, Blueprint, smap)
        raise BlueprintError(_located(issues, data, smap)) from None
    issues += run_checks(model)
    documents, document_issues = load_policy_documents(model, path.parent, variables or {})
    located = _located(issues + document_issues, data, smap)
    if any(i.severity == "error" for i in located):
        raise BlueprintError(located)
    return LoadedBlueprint(model, path, display, rendered.text, data, smap, located, documents,
                           dict(variables or {}))


def load_with_variables(path: str | os.PathLike, pairs: list[str], vars_file: str | None) -> LoadedBlueprint:
    """Entry point for the CLI and the CDK app: NAME=value pairs and a vars file, then load."""
    return load_blueprint(path, parse_variables(pairs, vars_file))


def _located(issues: list[Issue], data: Any, smap: SourceMap) -> list[Issue]:
    out = []
    for issue in issues:
        if issue.file:
            out.append(issue)
            continue
        file, line = smap.position(issue.loc)
        if issue.related is not None:
            _, first = smap.position(issue.related)
            issue = issue.with_message(f"{issue.message} (line {first})") if first else issue
        out.append(issue.with_source(path=display_path(data, issue.loc), file=file, line=line))
    return out
