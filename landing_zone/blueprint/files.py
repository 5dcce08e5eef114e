"""Every file a blueprint names, read once by the loader (confined, bounded, rendered, parsed) for the plan.

Policy JSON files (`policies[].file`, inline policies of permission sets and federated roles) are
Jinja2 templates rendered with the blueprint's variables; SAML metadata is read as it is; DNS Firewall
domain lists (`network.dns_firewall[].block_domains_file`) are read as they are, one domain a line,
each checked where it stands (file:line). The plan takes them from here and never opens a file itself.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from landing_zone.blueprint.confine import FileProblem, Scope, read_named
from landing_zone.blueprint.domains import DOMAIN_HINT, domain_problem, parse_domain_lines
from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.jsonpos import json_lines, line_of, pointer_loc
from landing_zone.blueprint.limits import MAX_DEPTH
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.render import Rendered, RenderIssue, display_name, render_source

JSON_HINT = "check quotes, commas and brackets (JSON allows no trailing comma)"


@dataclass(frozen=True)
class NamedFile:
    written: str                     # the path as the blueprint writes it
    display: str                     # the file as issues name it
    content: Any                     # the parsed JSON document, or the text (SAML metadata)
    lines: Mapping[Loc, int] = field(default_factory=dict)   # JSON: location → rendered line
    rendered: Rendered | None = None

    def position(self, pointer: str | Loc = "") -> tuple[str, int | None]:
        """file:line of the element a policy problem's pointer (or a location) names, through Jinja2."""
        loc = pointer if isinstance(pointer, tuple) else pointer_loc(self.content, pointer)
        line = line_of(self.lines, loc)
        if line is not None and self.rendered is not None:
            return self.rendered.origin(line)
        return self.display, line

    def place(self, issue: Issue, pointer: str | Loc = "") -> Issue:
        """The issue at the JSON line of `pointer`; its blueprint path still comes from its loc."""
        file, line = self.position(pointer)
        return replace(issue, file=file, line=line)


@dataclass(frozen=True)
class NamedFiles:
    json: dict[str, NamedFile] = field(default_factory=dict)    # policy documents by written path
    text: dict[str, NamedFile] = field(default_factory=dict)    # SAML metadata by written path
    domains: dict[str, NamedFile] = field(default_factory=dict)  # DNS Firewall lists: content is a tuple


def json_references(bp: Blueprint) -> Iterator[tuple[str, Loc]]:
    """(written path, location of its `file` key) of every policy JSON file the blueprint names."""
    for i, policy in enumerate(bp.policies):
        if policy.file is not None:
            yield policy.file, ("policies", i, "file")
    center = bp.identity.identity_center
    for i, ps in enumerate(center.permission_sets if center else []):
        if ps.inline_policy is not None and ps.inline_policy.file is not None:
            yield ps.inline_policy.file, ("identity", "identity_center", "permission_sets", i, "inline_policy",
                                          "file")
    for section in ("saml_providers", "oidc_providers"):
        for i, provider in enumerate(getattr(bp.identity, section)):
            for j, role in enumerate(provider.roles):
                if role.inline_policy is not None and role.inline_policy.file is not None:
                    yield role.inline_policy.file, ("identity", section, i, "roles", j, "inline_policy", "file")


def text_references(bp: Blueprint) -> Iterator[tuple[str, Loc]]:
    for i, saml in enumerate(bp.identity.saml_providers):
        yield saml.metadata_file, ("identity", "saml_providers", i, "metadata_file")


def domain_references(bp: Blueprint) -> Iterator[tuple[str, Loc]]:
    for i, firewall in enumerate(bp.network.dns_firewall):
        if firewall.block_domains_file is not None:
            yield firewall.block_domains_file, ("network", "dns_firewall", i, "block_domains_file")


def load_named_files(bp: Blueprint, scope: Scope, variables: Mapping[str, Any]) -> tuple[NamedFiles, list[Issue]]:
    files, issues = NamedFiles(), []
    tried: set[tuple[str, str]] = set()     # a file named twice is read, and reported, once
    for written, loc in json_references(bp):
        if ("json", written) not in tried:
            tried.add(("json", written))
            named, problems = _json_file(written, loc, scope, variables)
            issues += problems
            if named is not None:
                files.json[written] = named
    for written, loc in text_references(bp):
        if ("text", written) in tried:
            continue
        tried.add(("text", written))
        try:
            real = scope.resolve(written)
            files.text[written] = NamedFile(written, display_name(real), read_named(real, written))
        except FileProblem as problem:
            code = {"not-found": "saml-metadata-not-found", "unreadable": "saml-metadata-invalid"}.get(
                problem.kind, problem.code)
            hint = ("the path is relative to the blueprint's folder; download the metadata from your identity "
                    "provider (AD FS: /FederationMetadata/2007-06/FederationMetadata.xml)"
                    if problem.kind == "not-found" else problem.hint)
            issues.append(Issue(code, f"SAML metadata file {problem.message}", hint=hint, loc=loc))
    for written, loc in domain_references(bp):
        if ("domains", written) not in tried:
            tried.add(("domains", written))
            named, problems = _domain_file(written, loc, scope)
            issues += problems
            if named is not None:
                files.domains[written] = named
    for i, firewall in enumerate(bp.network.dns_firewall):
        named = files.domains.get(firewall.block_domains_file or "")
        if named is not None and not named.content and not firewall.block_domains:
            issues.append(Issue("dns-firewall-domains-empty", f"rule group {firewall.name!r} would block "
                                f"nothing: {named.display} lists no domain and block_domains is empty",
                                hint="list at least one domain, one a line (`#` starts a comment)",
                                loc=("network", "dns_firewall", i, "block_domains_file")))
    return files, issues


def _domain_file(written: str, loc: Loc, scope: Scope) -> tuple[NamedFile | None, list[Issue]]:
    """A DNS Firewall domain list: every line a domain DNS Firewall accepts, reported at its line."""
    try:
        real = scope.resolve(written)
        text = read_named(real, written)
    except FileProblem as problem:
        code = "dns-firewall-file-not-found" if problem.kind == "not-found" else problem.code
        hint = ("the path is relative to the blueprint's folder; write one domain a line"
                if problem.kind == "not-found" else problem.hint)
        return None, [Issue(code, f"domain list file {problem.message}", hint=hint, loc=loc)]
    display = display_name(real)
    issues = []
    domains = []
    for line, domain in parse_domain_lines(text):
        reason = domain_problem(domain)
        if reason:
            issues.append(Issue("dns-firewall-domain-invalid", f"domain {quote(domain)} {reason}",
                                hint=DOMAIN_HINT, file=display, line=line, loc=loc))
        else:
            domains.append(domain)
    return NamedFile(written, display, tuple(domains)), issues


def _json_file(written: str, loc: Loc, scope: Scope, variables: Mapping[str, Any]
               ) -> tuple[NamedFile | None, list[Issue]]:
    try:
        real = scope.resolve(written)
        source = read_named(real, written)
    except FileProblem as problem:
        code = "policy-file-not-found" if problem.kind == "not-found" else problem.code
        return None, [Issue(code, f"policy file {problem.message}", hint=problem.hint, loc=loc)]
    try:
        rendered = render_source(source, real, variables, scope)
    except RenderIssue as exc:
        return None, [replace(issue, loc=loc) for issue in exc.issues]
    display = display_name(real)
    try:
        document = json.loads(rendered.text)
    except json.JSONDecodeError as exc:
        file, line = rendered.origin(exc.lineno)
        return None, [Issue("policy-file-invalid", f"not valid JSON: {exc.msg}", hint=JSON_HINT, file=file,
                            line=line, loc=loc)]
    except (ValueError, RecursionError) as exc:   # a 5,000-digit number; thousands of nested brackets
        why = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
        return None, [Issue("policy-file-invalid", f"not valid JSON: {why}", hint=JSON_HINT, file=display,
                            loc=loc)]
    lines = json_lines(rendered.text)
    deepest = max((len(k) for k in lines), default=0)
    if deepest > MAX_DEPTH:
        deep = next(k for k in lines if len(k) == deepest)
        file, line = rendered.origin(lines[deep])
        return None, [Issue("policy-file-invalid", f"the JSON nests more than {MAX_DEPTH} levels deep",
                            hint="a policy document needs about six levels", file=file, line=line, loc=loc)]
    return NamedFile(written, display, document, lines, rendered), []
