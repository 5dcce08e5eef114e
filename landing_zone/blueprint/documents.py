"""Checks the documents of `policies:` (inline, or JSON files the loader has read) and keeps each one."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from landing_zone.blueprint.files import NamedFile, NamedFiles, json_references
from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.jsonpos import json_problem
from landing_zone.blueprint.model import Blueprint
from landing_zone.policy.document import ORGANIZATIONS_LIMITS, minify
from landing_zone.policy.elements import Kind
from landing_zone.policy.grammar import check_grammar
from landing_zone.policy.lint import lint_document

LINT_KIND: dict[str, Kind] = {"service_control": "scp", "resource_control": "rcp"}
NOT_JSON_HINT = ("quote it (\"2024-01-01\", \"1\"): a policy document is JSON, and YAML types unquoted dates, "
                 "numbers and booleans")


def inline_documents(bp: Blueprint) -> Iterator[tuple[Any, Loc]]:
    """Every policy document written inline in the blueprint, with its location."""
    for i, policy in enumerate(bp.policies):
        if policy.document is not None:
            yield policy.document, ("policies", i, "document")
    center = bp.identity.identity_center
    for i, ps in enumerate(center.permission_sets if center else []):
        if ps.inline_policy is not None and ps.inline_policy.document is not None:
            yield ps.inline_policy.document, ("identity", "identity_center", "permission_sets", i, "inline_policy",
                                              "document")
    for section in ("saml_providers", "oidc_providers"):
        for i, provider in enumerate(getattr(bp.identity, section)):
            for j, role in enumerate(provider.roles):
                if role.inline_policy is not None and role.inline_policy.document is not None:
                    yield role.inline_policy.document, ("identity", section, i, "roles", j, "inline_policy", "document")


def not_json_issues(bp: Blueprint, files: NamedFiles) -> list[Issue]:
    """Documents, inline or in files, that hold something JSON cannot: found before anything lints them."""
    issues = []
    for document, loc in inline_documents(bp):
        problem = json_problem(document)
        if problem is not None:
            where, message = problem
            issues.append(Issue("policy-not-json", message, hint=NOT_JSON_HINT, loc=loc + where))
    for written, loc in json_references(bp):
        named = files.json.get(written)
        if named is None:
            continue
        problem = json_problem(named.content)
        if problem is not None:
            where, message = problem
            issues.append(named.place(Issue("policy-not-json", message, hint="write a JSON number, or quote it",
                                            loc=loc), where))
    return issues


def load_policy_documents(bp: Blueprint, files: NamedFiles) -> tuple[dict[str, dict[str, Any]], list[Issue]]:
    """policies[].name → document; a problem inside a JSON file is reported at its line in that file."""
    documents: dict[str, dict[str, Any]] = {}
    issues: list[Issue] = []
    for i, policy in enumerate(bp.policies):
        named = None
        if policy.document is not None:
            document, loc = policy.document, ("policies", i, "document")
        else:
            loc = ("policies", i, "file")
            named = files.json.get(policy.file) if policy.file is not None else None
            if named is None:     # the loader has reported why it could not be read
                continue
            document = named.content

        def add(issue: Issue, pointer: str = "", named: NamedFile | None = named) -> None:
            issues.append(named.place(issue, pointer) if named is not None else issue)

        if policy.type in LINT_KIND:
            problems = lint_document(document, kind=LINT_KIND[policy.type])
        else:
            problems = check_grammar(document, policy.type)
            size, limit = len(minify(document)), ORGANIZATIONS_LIMITS[policy.type]
            if size > limit:
                add(Issue("policy-too-large", f"the {policy.type} policy has {size} characters "
                          f"(minified); allowed: at most {limit}", hint="split it into several policies", loc=loc))
        for p in problems:
            add(Issue(p.code, f"{p.pointer + ': ' if p.pointer else ''}{p.message}",
                      hint=p.hint or "see the policy grammar in the AWS Organizations guide", loc=loc), p.pointer)
        if isinstance(document, dict):
            documents[policy.name] = document
    return documents, issues
