"""Offline checks of one policy document: SCPs, RCPs and every IAM document we emit.

`lint_document(document, kind=...)` returns every problem it finds (never raises for a bad
document), each with a stable `code`, a `pointer` to the offending element and a hint. Statements
are named by their Sid when they have one, else by their index: `Statement[DenyRoot].Action[1]`.

Rules and where they come from (AWS documentation pages, by file name):
- reference_policies_elements_version: Version "2012-10-17" (the older "2008-10-17" lacks policy
  variables; we emit only the current version).
- reference_policies_elements_sid: Sid is ASCII letters and digits, unique in the policy
  (resource policies of some services accept more, e.g. the default KMS key policy's
  "Enable IAM User Permissions": for kind "resource" any unique string is accepted).
- reference_policies_elements_action / _notaction / _resource: exactly one of Action/NotAction
  and one of Resource/NotResource; actions are "service:Action", wildcards '*' and '?' allowed.
  Trust policies take no Resource (IAM rejects it: "Has prohibited field Resource").
- reference_policies_elements_principal / _notprincipal: identity policies and permission sets
  take no Principal; resource and trust policies need one; NotPrincipal only with Deny, and never
  in trust policies, SCPs or RCPs.
- reference_policies_elements_condition_operators: the operator list; `...IfExists` on any
  operator except Null; `ForAllValues:` / `ForAnyValue:` set prefixes.
- orgs_manage_policies_scps_syntax: no Principal / NotPrincipal in SCPs. Since September 2025 SCPs
  take the full IAM language (AWS Security Blog, "AWS Organizations service control policy now
  supports full IAM language"): wildcards anywhere in actions, NotResource, NotAction and
  conditions with Allow, so none of those are flagged.
- orgs_manage_policies_rcps_syntax: Principal must be "*"; Effect Allow only in the AWS-managed
  RCPFullAWSAccess; elements are Version, Statement, Sid, Effect, Principal, Action, Resource,
  NotResource, Condition (no NotAction, no NotPrincipal). RCPs apply only to the services listed
  on orgs_manage_policies_rcps, and the Action element must name one of those service prefixes
  (IAM Access Analyzer check "RCP syntax error - action"), so "*" alone is rejected.
- orgs_reference_limits / reference_iam-quotas: size limits, see `document.py`.
- reference_iam-quotas: IAM documents may contain only U+0009, U+000A, U+000D, U+0020-U+00FF.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from landing_zone.policy import actions as db
from landing_zone.policy import document as doc
from landing_zone.policy.elements import (  # noqa: F401 - re-exported: lint is the public entry point
    BASE_CONDITION_OPERATORS,
    IAM_KINDS,
    KIND_NAMES,
    KINDS,
    PRINCIPAL_TYPES,
    SET_PREFIXES,
    SIZE_LIMITS,
    STATEMENT_ELEMENTS,
    TOP_LEVEL_ELEMENTS,
    VERSION,
    Kind,
    Problem,
    condition_operators,
    is_condition_operator,
)

_ALL_OPERATORS = condition_operators()


def _did_you_mean(value: str, options: Any, cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(value, sorted(options), n=1, cutoff=cutoff)
    return f"did you mean {close[0]!r}? " if close else ""


def _items(value: Any) -> list[tuple[str, Any]]:
    """(pointer suffix, item) for a string-or-list element: ("", v) or ("[0]", v0), ..."""
    if isinstance(value, list):
        return [(f"[{i}]", item) for i, item in enumerate(value)]
    return [("", value)]


def _is_strings(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


class _Linter:
    def __init__(self, kind: str, max_size: int | None) -> None:
        self.kind = kind
        self.max_size = max_size
        self.problems: list[Problem] = []

    def add(self, code: str, pointer: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, pointer, message, hint))

    # -- document ---------------------------------------------------------------------------------

    def document(self, document: Any) -> None:
        if not isinstance(document, Mapping):
            self.add("policy-not-object", "",
                     f"a policy document must be a JSON object, got {type(document).__name__}",
                     'write {"Version": "2012-10-17", "Statement": [...]}')
            return
        for key in document:
            if key not in TOP_LEVEL_ELEMENTS:
                self.add("policy-unknown-element", str(key),
                         f"unknown top-level element {key!r}; a policy has {', '.join(TOP_LEVEL_ELEMENTS)}",
                         _did_you_mean(str(key), TOP_LEVEL_ELEMENTS) + "remove it or fix its name")
        self.version(document)
        self.statements(document)
        try:
            doc.minify(document)
        except (TypeError, ValueError) as exc:
            self.add("policy-json", "", f"the policy holds a value JSON cannot represent: {exc}",
                     "use only strings, numbers, booleans, lists and objects")
            return
        self.size(document)
        if self.kind in IAM_KINDS:
            self.characters(document)

    def version(self, document: Mapping[str, Any]) -> None:
        if "Version" not in document:
            self.add("policy-version", "Version", "the policy has no Version",
                     f'add "Version": "{VERSION}" (without it IAM falls back to the 2008 grammar)')
        elif document["Version"] != VERSION:
            value = document["Version"]
            why = (" (the 2008 grammar has no policy variables)" if value == "2008-10-17" else "")
            self.add("policy-version", "Version",
                     f"Version is {value!r}{why}; we accept only {VERSION!r}",
                     f'use "Version": "{VERSION}"')

    def statements(self, document: Mapping[str, Any]) -> None:
        if "Statement" not in document:
            self.add("statement-missing", "Statement", "the policy has no Statement",
                     "add a Statement list with at least one statement")
            return
        value = document["Statement"]
        if isinstance(value, Mapping):
            entries = [("", value)]
        elif isinstance(value, list):
            if not value:
                self.add("statement-shape", "Statement", "Statement is an empty list",
                         "add at least one statement, or drop the policy")
                return
            entries = [(f"[{i}]", item) for i, item in enumerate(value)]
        else:
            self.add("statement-shape", "Statement",
                     f"Statement must be an object or a list of objects, got {type(value).__name__}",
                     "write Statement as a list of {Effect, Action, Resource, ...} objects")
            return
        seen_sids: dict[str, str] = {}
        for index, (suffix, statement) in enumerate(entries):
            if not isinstance(statement, Mapping):
                self.add("statement-shape", f"Statement{suffix or '[0]'}",
                         f"a statement must be an object, got {type(statement).__name__}",
                         "write the statement as {Effect, Action, Resource, ...}")
                continue
            sid = statement.get("Sid")
            name = f"Statement[{sid}]" if isinstance(sid, str) and sid else f"Statement[{index}]"
            self.sid(name, sid, seen_sids)
            self.statement(name, statement)

    # -- statement --------------------------------------------------------------------------------

    def sid(self, name: str, sid: Any, seen: dict[str, str]) -> None:
        if sid is None:
            return
        pointer = f"{name}.Sid"
        if not isinstance(sid, str):
            self.add("sid-format", pointer, f"Sid must be a string, got {sid!r}",
                     "use letters and digits, e.g. \"DenyLeaveOrganization\"")
            return
        if self.kind != "resource" and not (sid.isascii() and sid.isalnum()) and sid:
            self.add("sid-format", pointer,
                     f"Sid {sid!r} may contain only ASCII letters and digits",
                     "remove spaces, dashes and underscores, e.g. " + repr("".join(
                         c for c in sid if c.isascii() and c.isalnum()) or "Statement1"))
        if sid in seen:
            self.add("sid-duplicate", pointer, f"Sid {sid!r} is used by more than one statement",
                     "give every statement its own Sid")
        seen[sid] = name

    def statement(self, name: str, st: Mapping[str, Any]) -> None:
        for key in st:
            if key not in STATEMENT_ELEMENTS:
                self.add("statement-unknown-element", f"{name}.{key}",
                         f"unknown statement element {key!r}",
                         _did_you_mean(str(key), STATEMENT_ELEMENTS)
                         + f"a statement has {', '.join(STATEMENT_ELEMENTS)}")
        effect = st.get("Effect")
        if effect not in ("Allow", "Deny"):
            got = "is missing" if "Effect" not in st else f"is {effect!r}"
            self.add("statement-effect", f"{name}.Effect",
                     f"Effect {got}; it must be \"Allow\" or \"Deny\"",
                     _did_you_mean(str(effect), ("Allow", "Deny"), 0.5)
                     + "Effect is case-sensitive")
        self.principal(name, st, effect)
        self.action(name, st)
        self.resource(name, st)
        if "Condition" in st:
            self.condition(f"{name}.Condition", st["Condition"])
        if self.kind == "rcp" and effect == "Allow":
            self.add("rcp-allow", f"{name}.Effect",
                     "an RCP statement has Effect \"Allow\"; only the AWS-managed RCPFullAWSAccess "
                     "may allow",
                     "RCPs only restrict: write a Deny statement (RCPFullAWSAccess stays attached "
                     "and allows the rest)")
        if self.kind == "scp" and effect == "Allow":
            # An allow-list SCP only works where FullAWSAccess is detached; the landing zone keeps it
            # attached everywhere (deny-list strategy), so such a statement silently does nothing.
            self.add("scp-allow-no-effect", f"{name}.Effect",
                     "an SCP statement has Effect \"Allow\", which does nothing here: FullAWSAccess stays "
                     "attached to the root, every OU and every account, so every action is already "
                     "allowed at each level",
                     "write what must not happen as a Deny (with NotAction or conditions for an allow "
                     "list); allow-list SCPs that detach FullAWSAccess are not supported")

    def principal(self, name: str, st: Mapping[str, Any], effect: Any) -> None:
        kind = self.kind
        has_p, has_np = "Principal" in st, "NotPrincipal" in st
        if kind == "scp":
            for key in ("Principal", "NotPrincipal"):
                if key in st:
                    self.add("scp-principal", f"{name}.{key}",
                             f"an SCP cannot have {key}: SCPs apply to every principal of the "
                             "accounts they are attached to",
                             "remove it; to exempt principals use a Condition such as "
                             "ArnNotLike on aws:PrincipalArn")
            return
        if kind == "rcp":
            if has_np:
                self.add("rcp-principal", f"{name}.NotPrincipal", "an RCP cannot have NotPrincipal",
                         'use "Principal": "*" with a Condition on aws:PrincipalArn or '
                         "aws:PrincipalOrgID")
            if not has_p:
                self.add("rcp-principal", f"{name}.Principal", "an RCP statement has no Principal",
                         'add "Principal": "*"')
            elif st["Principal"] != "*":
                self.add("rcp-principal", f"{name}.Principal",
                         f"an RCP Principal must be \"*\", got {json.dumps(st['Principal'])}",
                         'use "Principal": "*" and narrow with a Condition on aws:PrincipalArn, '
                         "aws:PrincipalAccount or aws:PrincipalOrgID")
            return
        if kind in ("identity", "permission_set"):
            for key in ("Principal", "NotPrincipal"):
                if key in st:
                    self.add("principal-not-allowed", f"{name}.{key}",
                             f"{KIND_NAMES[kind]} cannot have {key}: it applies to the identity "
                             "it is attached to",
                             "remove it; only resource-based and trust policies name principals")
            return
        if kind == "trust" and has_np:
            self.add("principal-not-allowed", f"{name}.NotPrincipal",
                     "a role trust policy cannot have NotPrincipal",
                     "name the principals that may assume the role in Principal")
            has_np = False
        if has_p and has_np:
            self.add("statement-principal", name, "the statement has both Principal and NotPrincipal",
                     "keep exactly one of them")
        elif not has_p and not has_np:
            self.add("principal-missing", f"{name}.Principal",
                     f"{KIND_NAMES[kind]} statement needs a Principal",
                     'name who the statement applies to, e.g. {"Service": "cloudtrail.amazonaws.com"}'
                     if kind == "resource" else
                     'name who may assume the role, e.g. {"AWS": "arn:aws:iam::111122223333:root"}')
        if has_np and effect == "Allow":
            self.add("not-principal-allow", f"{name}.NotPrincipal",
                     "NotPrincipal can only be used with Effect \"Deny\"",
                     "use Principal with Allow, or turn the statement into a Deny")
        for key in ("Principal", "NotPrincipal"):
            if key in st:
                self.principal_value(f"{name}.{key}", st[key])

    def principal_value(self, pointer: str, value: Any) -> None:
        if value == "*":
            return
        if not isinstance(value, Mapping) or not value:
            self.add("principal-shape", pointer,
                     f"a principal must be \"*\" or an object like {{\"AWS\": [...]}}, got "
                     f"{json.dumps(value)}",
                     f"use one of the principal types {', '.join(PRINCIPAL_TYPES)}")
            return
        for key, names in value.items():
            if key not in PRINCIPAL_TYPES:
                self.add("principal-shape", f"{pointer}.{key}", f"unknown principal type {key!r}",
                         _did_you_mean(str(key), PRINCIPAL_TYPES)
                         + f"principal types are {', '.join(PRINCIPAL_TYPES)}")
            elif not _is_strings(names):
                self.add("principal-shape", f"{pointer}.{key}",
                         f"{key} must be a non-empty string or list of strings, got {json.dumps(names)}",
                         "list ARNs, account ids or service principals as strings")

    # -- actions ----------------------------------------------------------------------------------

    def action(self, name: str, st: Mapping[str, Any]) -> None:
        present = [key for key in ("Action", "NotAction") if key in st]
        if len(present) != 1:
            got = "both Action and NotAction" if present else "neither Action nor NotAction"
            self.add("statement-action", name, f"the statement has {got}",
                     "give exactly one of Action or NotAction")
        for key in present:
            pointer = f"{name}.{key}"
            value = st[key]
            if self.kind == "rcp" and key == "NotAction":
                self.add("rcp-not-action", pointer, "an RCP cannot have NotAction",
                         "list the denied actions of the RCP-supported services in Action")
            if not isinstance(value, (str, list)) or (isinstance(value, list) and not value):
                self.add("action-shape", pointer,
                         f"{key} must be a string or a non-empty list of strings, got {json.dumps(value)}",
                         'e.g. "s3:GetObject" or ["s3:GetObject", "s3:PutObject"]')
                continue
            for suffix, item in _items(value):
                self.one_action(f"{pointer}{suffix}", item, check_rcp=key == "Action")

    def one_action(self, pointer: str, action: Any, *, check_rcp: bool) -> None:
        if not isinstance(action, str):
            self.add("action-shape", pointer, f"an action must be a string, got {json.dumps(action)}",
                     'write it as "service:ActionName"')
            return
        wildcard_only = bool(action) and set(action) == {"*"}
        if not wildcard_only and db.split(action) is None:
            self.add("action-format", pointer,
                     f"{action!r} is not an action: actions are \"service:ActionName\"",
                     'e.g. "s3:GetObject", "ec2:Describe*" or "*"')
            return
        if self.kind == "rcp" and check_rcp:
            self.rcp_service(pointer, action, wildcard_only)
        if wildcard_only:
            return
        service = action.partition(":")[0]
        if db.has_wildcard(action):
            if not db.expand(action):
                hint = "check the spelling; IAM action names are listed per service in the " \
                       "Service Authorization Reference"
                if not db.has_wildcard(service) and service.lower() not in db.known_services():
                    guess = _did_you_mean(service.lower(), db.known_services())
                    hint = f"service prefix {service!r} is not known. {guess}".strip()
                self.add("action-matches-nothing", pointer,
                         f"the pattern {action!r} matches no known action", hint)
            return
        if not db.is_known(action):
            suggestion = db.suggest(action)
            if service.lower() not in db.known_services():
                what = f"{action!r} is not a known action: there is no service prefix {service!r}"
            else:
                what = f"{action!r} is not a known action of {service.lower()!r}"
            hint = (f"did you mean {suggestion!r}?" if suggestion else
                    "check the spelling against the Service Authorization Reference")
            self.add("unknown-action", pointer, what, hint)

    def rcp_service(self, pointer: str, action: str, wildcard_only: bool) -> None:
        supported = db.rcp_supported_services()
        shown = _rcp_services_shown(supported)
        if wildcard_only:
            self.add("rcp-unsupported-service", pointer,
                     "an RCP Action cannot be \"*\": RCPs name the service prefixes they restrict",
                     f"write e.g. \"s3:*\", \"sts:*\"; RCPs support: {shown}")
            return
        service = (db.split(action) or ("", ""))[0].lower()
        if db.has_wildcard(service):
            self.add("rcp-unsupported-service", pointer,
                     f"an RCP action must name its service prefix, got {action!r}",
                     f"spell out the service; RCPs support: {shown}")
        elif service not in supported:
            self.add("rcp-unsupported-service", pointer,
                     f"RCPs do not apply to service {service!r} (action {action!r})",
                     f"use an SCP for it, or drop it; RCPs support: {shown}")

    # -- resources --------------------------------------------------------------------------------

    def resource(self, name: str, st: Mapping[str, Any]) -> None:
        present = [key for key in ("Resource", "NotResource") if key in st]
        if self.kind == "trust":
            for key in present:
                self.add("trust-resource", f"{name}.{key}",
                         f"a role trust policy cannot have {key}: the resource is the role itself",
                         "remove it")
            return
        if len(present) != 1:
            got = "both Resource and NotResource" if present else "neither Resource nor NotResource"
            self.add("statement-resource", name, f"the statement has {got}",
                     'give exactly one of them, e.g. "Resource": "*"')
        for key in present:
            if not _is_strings(st[key]):
                self.add("resource-shape", f"{name}.{key}",
                         f"{key} must be a non-empty string or list of strings, got {json.dumps(st[key])}",
                         'e.g. "*" or ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]')

    # -- conditions -------------------------------------------------------------------------------

    def condition(self, pointer: str, block: Any) -> None:
        if not isinstance(block, Mapping) or not block:
            self.add("condition-shape", pointer,
                     f"Condition must be a non-empty object of operator -> {{key: value}}, got "
                     f"{json.dumps(block)}",
                     'e.g. {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}')
            return
        for operator, keys in block.items():
            op_pointer = f"{pointer}.{operator}"
            if not is_condition_operator(str(operator)):
                self.add("unknown-condition-operator", op_pointer,
                         f"unknown condition operator {operator!r}",
                         _did_you_mean(str(operator), _ALL_OPERATORS)
                         + "operators are e.g. StringEquals, StringLike, ArnNotLike, Bool, Null, "
                         "with optional ...IfExists and ForAllValues:/ForAnyValue:")
            if not isinstance(keys, Mapping) or not keys:
                self.add("condition-shape", op_pointer,
                         f"{operator} must be a non-empty object of condition key -> value(s), got "
                         f"{json.dumps(keys)}",
                         f'e.g. {{"{operator}": {{"aws:RequestedRegion": ["eu-west-1"]}}}}')
                continue
            for key, value in keys.items():
                if not _condition_value_ok(value):
                    self.add("condition-value", f"{op_pointer}.{key}",
                             f"the value of {key!r} must be a string, number, boolean or a non-empty "
                             f"list of them, got {json.dumps(value)}",
                             "list the values the key may take")

    # -- whole document ---------------------------------------------------------------------------

    def size(self, document: Mapping[str, Any]) -> None:
        limit, measure, unit = SIZE_LIMITS[self.kind]
        if self.max_size is not None:
            limit = self.max_size
        n = measure(document)
        if n > limit:
            self.add("policy-too-large", "",
                     f"{KIND_NAMES[self.kind]} is {n:,} {unit} (minified), over the limit of "
                     f"{limit:,} by {n - limit:,}",
                     "split it into several policies, or shorten it: merge statements with the same "
                     "Effect/Resource/Condition, use wildcards like \"s3:Get*\", drop Sids")

    def characters(self, document: Mapping[str, Any]) -> None:
        text = doc.minify(document)
        bad = sorted({c for c in text if not (c in "\t\n\r" or " " <= c <= "\u00ff")})
        if bad:
            shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
            self.add("policy-characters", "",
                     f"IAM documents may contain only tab, newline, carriage return and U+0020-U+00FF; "
                     f"found {shown}",
                     "replace the characters (typographic quotes and dashes are common culprits)")


def _rcp_services_shown(supported: frozenset[str]) -> str:
    first = [s for s in ("s3", "sts", "kms", "sqs", "secretsmanager") if s in supported]
    rest = sorted(supported - set(first))
    shown = first + rest[: max(0, 10 - len(first))]
    more = len(supported) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _condition_value_ok(value: Any) -> bool:
    scalar = (str, int, float, bool)
    if isinstance(value, scalar):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, scalar) for v in value)


def lint_document(document: Any, *, kind: Kind, max_size: int | None = None) -> list[Problem]:
    """Every problem of one policy document of the given kind (empty list when it is fine).

    `document` is the parsed JSON (a dict) or its text. `max_size` replaces the kind's default size
    limit, e.g. `doc.KMS_KEY_POLICY_MAX` for a key policy or `doc.IAM_INLINE_ROLE_POLICY_MAX`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown policy kind {kind!r}; expected one of {sorted(KINDS)}")
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError as exc:
            return [Problem("policy-json", "", f"the policy is not valid JSON: {exc}",
                            "check quotes, commas and brackets")]
    linter = _Linter(kind, max_size)
    linter.document(document)
    return linter.problems


def codes(problems: list[Problem]) -> list[str]:
    """The codes of some problems, in order (handy in tests and golden files)."""
    return [p.code for p in problems]

