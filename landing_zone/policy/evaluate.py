"""IAM/SCP/RCP evaluation engine: "is this request allowed?" answered offline, as AWS documents it."""
# Sources: reference_policies_evaluation-logic (and its policy-eval-denyallow page),
# orgs_manage_policies_scps_evaluation, orgs_manage_policies_rcps_evaluation, access_policies_boundaries.
# Pure standard library; a PolicyRef's document is compiled once, wildcard patterns are lru-cached.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .conditions import evaluate_condition, parse_operator, substitute
from .matching import (
    PolicyEvaluationError,
    as_list,
    compile_actions,
    compile_arn,
    iter_strings,
    match_principal,
)
from .request import MISSING, Request

__all__ = [
    "Decision", "FULL_AWS_ACCESS", "MISSING", "PolicyEvaluationError", "PolicyRef", "RCP_FULL_AWS_ACCESS",
    "Request", "evaluate", "evaluate_chain", "evaluate_policy_set", "statement_matches",
]

# The AWS managed policies Organizations attaches when SCPs / RCPs are enabled.
FULL_AWS_ACCESS: Mapping[str, Any] = {
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
RCP_FULL_AWS_ACCESS: Mapping[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}

_GRANT_RANK = {"direct": 3, "role": 2, "account": 1}


def _short(values: list[str], limit: int = 4) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return f"[{shown}{', ...' if len(values) > limit else ''}] ({len(values)} entries)" \
        if len(values) > limit else f"[{shown}]"


class _Statement:
    """A statement compiled once: action matcher, resource matchers, principal, parsed conditions."""

    __slots__ = ("sid", "effect", "actions", "action_list", "not_action", "resources", "resource_list",
                 "not_resource", "principal", "not_principal", "conditions", "variables")

    def __init__(self, raw: Any, variables: bool = True) -> None:
        if not isinstance(raw, Mapping):
            raise PolicyEvaluationError(f"a statement must be an object, got {raw!r}")
        self.sid = raw.get("Sid")
        self.effect = raw.get("Effect")
        if self.effect not in ("Allow", "Deny"):
            raise PolicyEvaluationError(f"statement {self.sid or '(no Sid)'}: Effect must be \"Allow\" or "
                                        f"\"Deny\", got {self.effect!r}")
        if ("Action" in raw) == ("NotAction" in raw):
            raise PolicyEvaluationError(f"statement {self.sid or '(no Sid)'}: exactly one of Action / "
                                        "NotAction is required")
        self.not_action = "NotAction" in raw
        self.action_list = as_list(raw["NotAction" if self.not_action else "Action"])
        self.actions = compile_actions(tuple(self.action_list))
        if "Resource" in raw and "NotResource" in raw:
            raise PolicyEvaluationError(f"statement {self.sid or '(no Sid)'}: Resource and NotResource "
                                        "cannot be used together")
        self.not_resource = "NotResource" in raw
        element = "NotResource" if self.not_resource else "Resource"
        # no Resource at all (role trust policies) covers every resource
        self.resource_list = list(iter_strings(as_list(raw.get(element, "*")), element))
        self.variables = variables
        has_vars = variables and any("${" in r for r in self.resource_list)
        self.resources = None if has_vars else [compile_arn(r) for r in self.resource_list]
        if "Principal" in raw and "NotPrincipal" in raw:
            raise PolicyEvaluationError(f"statement {self.sid or '(no Sid)'}: Principal and NotPrincipal "
                                        "cannot be used together")
        self.principal = raw.get("Principal")
        self.not_principal = raw.get("NotPrincipal")
        condition = raw.get("Condition") or {}
        if not isinstance(condition, Mapping):
            raise PolicyEvaluationError(f"statement {self.sid or '(no Sid)'}: Condition must be an object")
        self.conditions: list[tuple[Any, str, Any]] = []
        for op_name, entries in condition.items():
            op = parse_operator(op_name)
            if not isinstance(entries, Mapping):
                raise PolicyEvaluationError(f"Condition {op_name!r} must map keys to values, got {entries!r}")
            self.conditions.extend((op, key, value) for key, value in entries.items())

    # -------------------------------------------------------------------------------------------- parts
    def _resource_hit(self, request: Request) -> tuple[bool, str]:
        resource = request.resource
        if self.resources is not None:
            hit = next((p for p, m in zip(self.resource_list, self.resources, strict=False) if m(resource)), None)
        else:
            hit = None
            for pattern in self.resource_list:
                resolved = substitute(pattern, request)
                if resolved is not None and compile_arn(resolved)(resource):
                    hit = pattern
                    break
        return hit is not None, hit or ""

    def grant(self, request: Request) -> str | None:
        """How this statement's Principal covers the requester (direct | role | account), or None."""
        if self.principal is None:      # no Principal, or NotPrincipal already checked by check()
            return "direct"
        return match_principal(self.principal, request.principal, request.principal_account,
                               request.role_arn)

    def check(self, request: Request, explain: bool = False) -> tuple[bool, str]:
        """Does the statement apply to the request?  With explain, also say why (or why not)."""
        hit = self.actions(request._action_lc)
        if hit == self.not_action:
            if not explain:
                return False, ""
            element = "NotAction" if self.not_action else "Action"
            verb = "is listed in" if self.not_action else "is not matched by"
            return False, f"action {request.action} {verb} {element} {_short(self.action_list)}"
        found, pattern = self._resource_hit(request)
        if found == self.not_resource:
            if not explain:
                return False, ""
            if self.not_resource:
                return False, f"resource {request.resource} is excluded by NotResource {pattern!r}"
            return False, (f"resource {request.resource} is not matched by Resource "
                           f"{_short(self.resource_list)}")
        if self.principal is not None or self.not_principal is not None:
            if self.principal is not None:
                ok = self.grant(request) is not None
            else:
                ok = match_principal(self.not_principal, request.principal, request.principal_account,
                                     request.role_arn) is None
            if not ok:
                return False, (f"principal {request.principal or '(anonymous)'} is not covered by "
                               f"{'Principal' if self.principal is not None else 'NotPrincipal'}") \
                    if explain else ""
        reasons = []
        for op, key, raw in self.conditions:
            holds, why = evaluate_condition(op, key, raw, request, self.variables, explain)
            if not holds:
                return False, (f"condition fails: {why}" if explain else "")
            if explain:
                reasons.append(why)
        if not explain:
            return True, ""
        if self.not_action:
            head = f"action {request.action} is not in NotAction {_short(self.action_list)}"
        else:
            head = f"action {request.action} matches Action {_short(self.action_list)}"
        if self.not_resource:
            head += f"; resource {request.resource} is outside NotResource {_short(self.resource_list)}"
        elif self.resource_list != ["*"]:
            head += f"; resource {request.resource} matches {pattern!r}"
        return True, "; ".join([head] + reasons)


def _compile_document(document: Mapping[str, Any]) -> tuple[_Statement, ...]:
    if not isinstance(document, Mapping):
        raise PolicyEvaluationError(f"a policy document must be an object, got {type(document).__name__}")
    # policy variables exist only in policy language version 2012-10-17 (reference_policies_variables)
    variables = document.get("Version") == "2012-10-17"
    return tuple(_Statement(s, variables) for s in as_list(document.get("Statement")))


def statement_matches(statement: Mapping[str, Any], request: Request, *,
                      variables: bool = True) -> tuple[bool, str]:
    """(applies?, why): does one statement (Action/Resource/Principal/Condition) cover the request?

    Effect is validated but not used.  `variables=False` treats `${...}` literally, as AWS does for
    documents without Version 2012-10-17.
    """
    return _Statement(statement, variables).check(request, explain=True)


@dataclass(frozen=True)
class PolicyRef:
    """A deployed policy: its name, where it is attached (Root, OU path, account name) and its document.

    The document is compiled on first use and treated as immutable afterwards.
    """

    name: str
    target: str
    document: Mapping[str, Any]
    _compiled: Any = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __hash__(self) -> int:
        return hash((self.name, self.target))

    @property
    def statements(self) -> tuple[_Statement, ...]:
        compiled = self._compiled
        if compiled is None:
            compiled = _compile_document(self.document)
            object.__setattr__(self, "_compiled", compiled)
        return compiled  # type: ignore[no-any-return]  # set once above, always a tuple of statements


@dataclass(frozen=True)
class Decision:
    """The answer: allow, explicit-deny or implicit-deny, and what decided it."""

    decision: Literal["allow", "explicit-deny", "implicit-deny"]
    policy: str | None = None
    target: str | None = None
    sid: str | None = None
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    def as_json(self) -> dict[str, Any]:
        return {"decision": self.decision, "policy": self.policy, "target": self.target, "sid": self.sid,
                "reason": self.reason}


# ------------------------------------------------------------------------------------------- primitives

def _first(policies: Sequence[PolicyRef], request: Request,
           effect: str) -> tuple[PolicyRef, _Statement] | None:
    for policy in policies:
        for statement in policy.statements:
            if statement.effect == effect and statement.check(request)[0]:
                return policy, statement
    return None


def _explicit_deny(found: tuple[PolicyRef, _Statement], request: Request, kind: str) -> Decision:
    policy, statement = found
    why = statement.check(request, explain=True)[1]
    label = f"statement {statement.sid!r}" if statement.sid else "a statement without Sid"
    return Decision("explicit-deny", policy.name, policy.target, statement.sid,
                    f"{label} of {kind} {policy.name!r} attached to {policy.target!r} denies "
                    f"{request.action}: {why}")


def _allow_reason(found: tuple[PolicyRef, _Statement], request: Request, kind: str) -> str:
    policy, statement = found
    label = f"statement {statement.sid!r}" if statement.sid else "a statement without Sid"
    return f"{label} of {kind} {policy.name!r} ({policy.target}) allows: {statement.check(request, True)[1]}"


def evaluate_policy_set(policies: Sequence[PolicyRef], request: Request, *, kind: str = "policy") -> Decision:
    """One set of policies (one level): an explicit Deny wins (the first, in order), then any Allow."""
    denied = _first(policies, request, "Deny")
    if denied:
        return _explicit_deny(denied, request, kind)
    allowed = _first(policies, request, "Allow")
    if allowed:
        return Decision("allow", reason=_allow_reason(allowed, request, kind))
    targets = {p.target for p in policies}
    names = ", ".join(repr(p.name) for p in policies) or "none"
    return Decision("implicit-deny", target=targets.pop() if len(targets) == 1 else None,
                    reason=f"no {kind} statement allows {request.action} on {request.resource} "
                           f"(policies: {names})")


def evaluate_chain(levels: Sequence[Sequence[PolicyRef]], request: Request, *, kind: str = "SCP") -> Decision:
    """Organizations semantics (orgs_manage_policies_scps_evaluation): levels run Root → OUs → account.

    An explicit Deny at any level wins (the first in level order is reported); otherwise every level
    needs at least one matching Allow, else implicit-deny naming the first level without one.
    """
    for level in levels:
        denied = _first(level, request, "Deny")
        if denied:
            return _explicit_deny(denied, request, kind)
    reasons = []
    for index, level in enumerate(levels):
        allowed = _first(level, request, "Allow")
        if allowed is None:
            target = level[0].target if level else None
            names = ", ".join(repr(p.name) for p in level) or f"no {kind} attached"
            where = repr(target) if target else f"level {index}"
            return Decision("implicit-deny", target=target,
                            reason=f"no {kind} attached to {where} allows {request.action} on "
                                   f"{request.resource} ({names}); an Allow is needed at every level")
        reasons.append(f"{allowed[0].target}: {allowed[0].name}")
    return Decision("allow", reason=f"every {kind} level allows ({'; '.join(reasons)})")


def _chain_applies(levels: Sequence[Sequence[PolicyRef]] | None) -> bool:
    return levels is not None and len(levels) > 0


def evaluate(request: Request, *, scps: Sequence[Sequence[PolicyRef]] | None = None,
             rcps: Sequence[Sequence[PolicyRef]] | None = None, identity: Sequence[PolicyRef] = (),
             resource: Sequence[PolicyRef] = (), boundary: PolicyRef | Sequence[PolicyRef] | None = None,
             session: Sequence[PolicyRef] = (), management_account: bool = False,
             resource_account_is_management: bool = False) -> Decision:
    """Decide a request the way AWS's enforcement code does (reference_policies_evaluation-logic).

    1. Explicit deny: a matching Deny in any applicable policy — SCPs, RCPs, resource-based,
       identity-based, permissions boundary, session policies (reported in that order) — denies.
    2. RCP chain (skipped when absent or `resource_account_is_management`): every level needs an
       Allow.  AWS attaches RCPFullAWSAccess (cannot be detached) at every level, so pass it
       (RCP_FULL_AWS_ACCESS) at each level you model; a level without an Allow is an implicit deny.
    3. SCP chain (skipped when absent, for `management_account`, for service-linked roles and for
       service principals, which SCPs never restrict): every level needs an Allow.
    4. Guardrail-only evaluation: when no identity and no resource policy is given the answer is the
       SCP/RCP verdict (plus the boundary and session policies if given) — "would the guardrails let
       this through?".
    5. Resource-based policies, same account: an Allow naming the requester directly (user, session
       ARN, or "*") allows outright; naming the role of a session skips the identity check but the
       boundary and session policies still apply; naming the account defers to identity policies.
       Cross-account (both account ids known and different): resource and identity must both allow.
    6. Identity-based policies must allow (the account root user needs none in its own account).
    7. Permissions boundary, if given, must allow.  8. Session policies, if given, must allow.
    """
    boundaries = [boundary] if isinstance(boundary, PolicyRef) else list(boundary or ())
    skip_scps = (management_account or request.is_service_linked_role
                 or request.principal_kind == "service")
    scp_levels = scps if _chain_applies(scps) and not skip_scps else None
    rcp_levels = rcps if _chain_applies(rcps) and not resource_account_is_management else None

    # 1. explicit deny anywhere
    sets: list[tuple[Sequence[PolicyRef], str]] = []
    sets += [(level, "SCP") for level in scp_levels or ()]
    sets += [(level, "RCP") for level in rcp_levels or ()]
    sets += [(resource, "resource-based policy"), (identity, "identity-based policy"),
             (boundaries, "permissions boundary"), (session, "session policy")]
    for policies, kind in sets:
        denied = _first(policies, request, "Deny")
        if denied:
            return _explicit_deny(denied, request, kind)

    # 2-3. organization guardrails
    notes = []
    for levels, kind in ((rcp_levels, "RCP"), (scp_levels, "SCP")):
        if levels is not None:
            verdict = evaluate_chain(levels, request, kind=kind)
            if not verdict.allowed:
                return verdict
            notes.append(verdict.reason)
    if scps and skip_scps:
        notes.append("SCPs do not apply (" + ("management account" if management_account else
                                              "service-linked role" if request.is_service_linked_role
                                              else "service principal") + ")")
    if rcps and resource_account_is_management:
        notes.append("RCPs do not apply (resource in the management account)")

    def limits() -> Decision | None:
        for policies, kind in ((boundaries, "permissions boundary"), (session, "session policy")):
            if policies and _first(policies, request, "Allow") is None:
                p = policies[0]
                return Decision("implicit-deny", p.name, p.target, None,
                                f"the {kind} {p.name!r} does not allow {request.action} on "
                                f"{request.resource}")
        return None

    # 4. guardrail-only
    if not identity and not resource:
        limited = limits()
        return limited or Decision("allow", reason="guardrail-only evaluation (no identity or resource "
                                   "policy given): " + ("; ".join(notes) or "no guardrail applies"))

    # 5. resource-based policies
    grant, granted_by = None, None
    for policy in resource:
        for statement in policy.statements:
            if statement.effect == "Allow" and statement.check(request)[0]:
                how = statement.grant(request)
                if how and (grant is None or _GRANT_RANK[how] > _GRANT_RANK[grant]):
                    grant, granted_by = how, (policy, statement)
    pa, ra = request.principal_account, request.resource_account
    cross_account = bool(pa and ra and pa != ra)
    if granted_by and not cross_account and grant == "direct":
        return Decision("allow", reason=_allow_reason(granted_by, request, "resource-based policy")
                        + " (granted directly to the requester)")

    # 6. identity-based policies
    id_allow = _first(identity, request, "Allow")
    root_self = request.principal_kind == "root" and not cross_account
    if cross_account and granted_by is None:
        return Decision("implicit-deny", reason=f"cross-account request ({pa} → {ra}): no resource-based "
                        f"policy allows {request.action} on {request.resource}")
    if id_allow is None and not root_self and not (grant == "role" and not cross_account):
        which = "identity-based" if cross_account else "identity-based or resource-based"
        return Decision("implicit-deny",
                        reason=f"no {which} policy allows {request.action} on {request.resource}")

    # 7-8. boundary and session policies
    limited = limits()
    if limited:
        return limited
    source = granted_by if (grant == "role" and id_allow is None) else id_allow
    kind = "resource-based policy" if source is granted_by else "identity-based policy"
    reason = _allow_reason(source, request, kind) if source else "the account root user has full access"
    return Decision("allow", reason=reason)
