"""Loads the documents of `policies:` (inline or Jinja2-rendered JSON files) and checks each one."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.render import RenderIssue, render_file
from landing_zone.policy.document import ORGANIZATIONS_LIMITS, minify
from landing_zone.policy.grammar import check_grammar
from landing_zone.policy.lint import lint_document

LINT_KIND = {"service_control": "scp", "resource_control": "rcp"}


def load_policy_documents(bp: Blueprint, base: Path, variables: Mapping[str, Any]
                          ) -> tuple[dict[str, dict], list[Issue]]:
    documents: dict[str, dict] = {}
    issues: list[Issue] = []
    for i, policy in enumerate(bp.policies):
        if policy.document is not None:
            document, loc = policy.document, ("policies", i, "document")
        else:
            loc = ("policies", i, "file")
            document, problem = _read(base / policy.file, policy.file, variables, loc,
                                      f"policies[{policy.name}].file")
            if problem:
                issues.append(problem)
                continue
        if policy.type in LINT_KIND:
            problems = lint_document(document, kind=LINT_KIND[policy.type])
        else:
            problems = check_grammar(document, policy.type)
            size, limit = len(minify(document)), ORGANIZATIONS_LIMITS[policy.type]
            if size > limit:
                issues.append(Issue("policy-too-large", f"the {policy.type} policy has {size} characters "
                                    f"(minified); allowed: at most {limit}",
                                    hint="split it into several policies", loc=loc))
        for p in problems:
            issues.append(Issue(p.code, f"{p.pointer + ': ' if p.pointer else ''}{p.message}",
                                hint=p.hint or "see the policy grammar in the AWS Organizations guide",
                                loc=loc))
        documents[policy.name] = document
    return documents, issues


def _read(path: Path, written: str, variables: Mapping[str, Any], loc: tuple,
          shown: str) -> tuple[Any, Issue | None]:
    try:
        rendered = render_file(path, variables)
    except RenderIssue as exc:
        issue = exc.issue
        if issue.code == "file-not-found":
            return None, Issue("policy-file-not-found", f"policy file {written!r} does not exist",
                               hint="the path is relative to the blueprint's folder", loc=loc)
        return None, issue
    try:
        return json.loads(rendered.text), None
    except json.JSONDecodeError as exc:
        file, line = rendered.origin(exc.lineno)
        return None, Issue("policy-file-invalid", f"not valid JSON: {exc.msg}",
                           hint="check quotes, commas and brackets (JSON allows no trailing comma)",
                           file=file, line=line, path=shown)
