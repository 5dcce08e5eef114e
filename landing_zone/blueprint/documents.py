"""Checks the documents of `policies:` (inline, or JSON files the loader has read) and keeps each one."""
from __future__ import annotations

from landing_zone.blueprint.files import NamedFiles
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.policy.document import ORGANIZATIONS_LIMITS, minify
from landing_zone.policy.grammar import check_grammar
from landing_zone.policy.lint import lint_document

LINT_KIND = {"service_control": "scp", "resource_control": "rcp"}


def load_policy_documents(bp: Blueprint, files: NamedFiles) -> tuple[dict[str, dict], list[Issue]]:
    """policies[].name → document; a problem inside a JSON file is reported at its line in that file."""
    documents: dict[str, dict] = {}
    issues: list[Issue] = []
    for i, policy in enumerate(bp.policies):
        named = None
        if policy.document is not None:
            document, loc = policy.document, ("policies", i, "document")
        else:
            loc = ("policies", i, "file")
            named = files.json.get(policy.file)
            if named is None:     # the loader has reported why it could not be read
                continue
            document = named.content

        def add(issue: Issue, pointer: str = "") -> None:
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
