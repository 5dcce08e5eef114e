"""Loads a blueprint: Jinja2 → YAML with line marks → ids merge → pydantic model → semantic checks."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from landing_zone.blueprint import limits
from landing_zone.blueprint.checks import run_checks
from landing_zone.blueprint.confine import Scope
from landing_zone.blueprint.documents import load_policy_documents, not_json_issues
from landing_zone.blueprint.files import NamedFiles, load_named_files
from landing_zone.blueprint.ids import ids_path, merge_ids, read_ids
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.render import Rendered, RenderIssue, display_name, render_file
from landing_zone.blueprint.source import SourceMap, YamlIssue, display_path, parse_yaml
from landing_zone.blueprint.validate import issues_from_validation
from landing_zone.blueprint.variables import parse_variables

__all__ = ["LoadedBlueprint", "context_dirs", "display_name", "load_blueprint", "load_with_variables",
           "render_blueprint"]


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
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)   # policies[].name → document
    variables: Mapping[str, Any] = field(default_factory=dict)  # the Jinja2 variables it was rendered with
    files: NamedFiles = field(default_factory=NamedFiles)      # every file it names, read and parsed
    scope: Scope | None = None                                  # the folders those files may come from

    def locate(self, issues: list[Issue]) -> list[Issue]:
        """Give issues found after loading (plan, quotas) a blueprint path and file:line."""
        return _located(issues, self.data, self.source)


def render_blueprint(path: str | os.PathLike[str], variables: Mapping[str, Any] | None = None,
                     allow_dirs: Iterable[str | os.PathLike[str]] = ()) -> Rendered:
    try:
        return render_file(Path(path), variables or {}, Scope.of(path, allow_dirs))
    except RenderIssue as exc:
        raise BlueprintError(exc.issues) from None


def load_blueprint(path: str | os.PathLike[str], variables: Mapping[str, Any] | None = None,
                   allow_dirs: Iterable[str | os.PathLike[str]] = ()) -> LoadedBlueprint:
    """Everything wrong is collected and raised once as BlueprintError; nothing is half-loaded.

    Files the blueprint names (includes, policy files, SAML metadata) must lie in its folder or in
    one of `allow_dirs`; the operator's own files (the blueprint, vars file) may be anywhere.
    """
    path = Path(path)
    display = display_name(path)
    scope = Scope.of(path, allow_dirs)
    rendered = render_blueprint(path, variables, allow_dirs)
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
        ids, ids_smap, issues = read_ids(ids_path(path), scope)
    except YamlIssue as exc:
        ids, ids_smap, issues = {}, None, [exc.issue]
    issues += merge_ids(data, ids, ids_smap)
    try:
        model = Blueprint.model_validate(data)
    except ValidationError as exc:
        issues += issues_from_validation(exc, data, Blueprint, smap)
        raise BlueprintError(_located(issues, data, smap)) from None
    issues += run_checks(model)
    files, file_issues = load_named_files(model, scope, variables or {})
    not_json = not_json_issues(model, files)
    if not_json:    # the policy lint takes JSON; these documents are not
        raise BlueprintError(_located(issues + file_issues + not_json, data, smap))
    documents, document_issues = load_policy_documents(model, files)
    located = _located(issues + file_issues + document_issues, data, smap)
    if any(i.severity == "error" for i in located):
        raise BlueprintError(located)
    return LoadedBlueprint(model, path, display, rendered.text, data, smap, located, documents,
                           dict(variables or {}), files, scope)


def load_with_variables(path: str | os.PathLike[str], pairs: list[str], vars_file: str | None,
                        allow_dirs: Iterable[str | os.PathLike[str]] = ()) -> LoadedBlueprint:
    """Entry point for the CLI and the CDK app: NAME=value pairs and a vars file, then load."""
    return load_blueprint(path, parse_variables(pairs, vars_file), allow_dirs)


def context_dirs(value: Any) -> list[str]:
    """`-c allow_dir=DIR` (cdk): one folder, several joined by os.pathsep, or a list in cdk.json."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return [part for part in str(value).split(os.pathsep) if part]


def _located(issues: list[Issue], data: Any, smap: SourceMap) -> list[Issue]:
    issues = _capped(issues, smap)
    out = []
    for issue in issues:
        if issue.file:
            # Placed in another file (a policy JSON line) but about a blueprint key: name the key.
            out.append(replace(issue, path=display_path(data, issue.loc)) if issue.loc and not issue.path
                       else issue)
            continue
        file, line = smap.position(issue.loc)
        message = issue.message
        if issue.related is not None:
            _, first = smap.position(issue.related)
            message = f"{message} (line {first})" if first else message
        # Built directly, not with dataclasses.replace: a broken blueprint can have 100,000 issues.
        out.append(Issue(issue.code, message, issue.hint, issue.loc, display_path(data, issue.loc), file, line,
                         issue.severity, issue.related))
    return out


def _capped(issues: list[Issue], smap: SourceMap) -> list[Issue]:
    """The first MAX_ISSUES (errors first, then by line) and one issue saying how many more there are.

    One mistake repeated by a loop or an alias can make 100,000 issues; nobody reads past the first
    screens, and locating and printing them all would take longer than anything else.
    """
    cap = limits.MAX_ISSUES
    if len(issues) <= cap:
        return issues
    ranked = sorted(issues, key=lambda i: (i.severity != "error", i.file, i.line or smap.line_of(i.loc) or 0))
    shown, hidden = ranked[:cap], ranked[cap:]
    errors = sum(1 for i in hidden if i.severity == "error")
    return shown + [Issue("too-many-issues", f"{len(hidden):,} more issues ({errors:,} errors) are not shown; "
                          f"these are the first {cap:,}", hint="fix these and run again: one mistake repeated "
                          "by a loop or an alias often causes them all", file=smap.file,
                          severity="error" if errors else "warning")]
