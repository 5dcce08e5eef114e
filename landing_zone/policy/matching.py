"""Wildcard, action, ARN and principal matching for IAM policy evaluation (stdlib only, cached)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

__all__ = [
    "LITERAL_QMARK", "LITERAL_STAR", "PolicyEvaluationError", "as_list", "compile_actions", "compile_arn",
    "compile_wildcard", "literal_text", "match_action", "match_arn", "match_principal", "match_wildcard",
]

# A policy variable such as ${*} or ${?} yields a character that must be matched literally, and so do
# substituted variable values.  Substitution writes them as these private-use code points, which the
# compilers below translate to an escaped literal; everything else is ordinary text.
LITERAL_STAR = "\ue000"
LITERAL_QMARK = "\ue001"
_LITERALS = {LITERAL_STAR: re.escape("*"), LITERAL_QMARK: re.escape("?")}


class PolicyEvaluationError(ValueError):
    """A policy document cannot be evaluated: unknown condition operator, bad Effect, malformed value."""


Matcher = Callable[[str], bool]


def as_list(value: Any) -> list[Any]:
    """A policy element given as one value or a list of values, as a list (None → [])."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def literal_text(pattern: str) -> str:
    """Turn the literal placeholders back into the characters they stand for (for equality tests)."""
    if LITERAL_STAR in pattern or LITERAL_QMARK in pattern:
        return pattern.replace(LITERAL_STAR, "*").replace(LITERAL_QMARK, "?")
    return pattern


def _translate(pattern: str, star: str = ".*", qmark: str = ".") -> str:
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(star)
        elif ch == "?":
            out.append(qmark)
        else:
            out.append(_LITERALS.get(ch) or re.escape(ch))
    return "".join(out)


def _always(_: str) -> bool:
    return True


@lru_cache(maxsize=8192)
def compile_wildcard(pattern: str, ignore_case: bool = False) -> Matcher:
    """Compile an IAM wildcard pattern: `*` = any run of characters (colons included), `?` = one.

    The whole value must match.  With ignore_case both sides are lower-cased (str.lower), as AWS does
    for action names.  Results are cached on (pattern, ignore_case).
    """
    if ignore_case:
        pattern = pattern.lower()
    if pattern == "*":
        return _always
    if "*" not in pattern and "?" not in pattern:
        exact = literal_text(pattern)
        if ignore_case:
            return lambda value: value.lower() == exact
        return lambda value: value == exact
    regex = re.compile(_translate(pattern), re.DOTALL)
    if ignore_case:
        return lambda value: regex.fullmatch(value.lower()) is not None
    return lambda value: regex.fullmatch(value) is not None


def match_wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """True when `value` matches the IAM wildcard `pattern` (see compile_wildcard)."""
    return compile_wildcard(pattern, ignore_case)(value)


@lru_cache(maxsize=4096)
def compile_actions(patterns: tuple[str, ...]) -> Matcher:
    """One matcher for a statement's Action/NotAction list; call it with a LOWER-CASED action name.

    Action names are case-insensitive and wildcards may appear anywhere (`s3:*Object*`, `ec2:Describe?*`).
    Exact names go in a set, wildcard names in one alternation regex.
    """
    exact: set[str] = set()
    wild: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise PolicyEvaluationError(f"Action entries must be strings, got {pattern!r}")
        low = pattern.lower()
        if low == "*":
            return _always
        if "*" in low or "?" in low:
            wild.append(_translate(low))
        else:
            exact.add(low)
    if not wild:
        return exact.__contains__
    regex = re.compile("|".join(f"(?:{w})" for w in wild), re.DOTALL)
    if not exact:
        return lambda action: regex.fullmatch(action) is not None
    return lambda action: action in exact or regex.fullmatch(action) is not None


def match_action(pattern: str, action: str) -> bool:
    """True when the action name matches the Action pattern (case-insensitive, wildcards anywhere)."""
    return compile_actions((pattern,))(action.lower())


@lru_cache(maxsize=8192)
def compile_arn(pattern: str) -> Matcher:
    """Compile an ARN pattern matched component by component (Resource element and Arn* operators).

    An ARN has six colon-separated components, the last one (resource) keeping any further colons.
    Wildcards in the first five components stay inside their component (`*` never crosses a colon);
    in the resource component they may span colons.  A pattern that is not a six-component ARN
    (for example "*") is matched as a plain wildcard over the whole value.  Case-sensitive.
    """
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return compile_wildcard(pattern)
    if "*" not in pattern and "?" not in pattern:
        exact = literal_text(pattern)
        return lambda value: value == exact
    head = ":".join(_translate(p, "[^:]*", "[^:]") for p in parts[:5])
    regex = re.compile(head + ":" + _translate(parts[5]), re.DOTALL)
    return lambda value: regex.fullmatch(value) is not None


def match_arn(pattern: str, value: str) -> bool:
    """True when the ARN `value` matches `pattern` component by component (see compile_arn)."""
    return compile_arn(pattern)(value)


# ---------------------------------------------------------------------------------------------- principals

_ACCOUNT = re.compile(r"^\d{12}$")


def _aws_principal_grant(entry: str, principal: str, account: str, role_arn: str) -> str | None:
    """How one Principal {"AWS": entry} covers the requesting principal: direct | role | account | None."""
    if entry == "*":
        return "direct"
    if _ACCOUNT.match(entry):
        return "account" if entry == account else None
    if entry.endswith(":root") and entry.startswith("arn:"):
        return "account" if entry.split(":")[4:5] == [account] else None
    if entry == principal:
        return "direct"
    # a role ARN covers every session of that role (the session ARN drops the role path)
    if role_arn and entry.startswith("arn:") and ":role/" in entry and (
            entry == role_arn or (entry.split(":", 5)[4] == account
                                  and entry.rsplit("/", 1)[-1] == role_arn.rsplit("/", 1)[-1])):
        return "role"
    return None


def match_principal(spec: Any, principal: str, account: str = "", role_arn: str = "") -> str | None:
    """Does a statement's Principal value cover the requester?  Returns how, or None.

    "direct": granted to this exact principal (or to "*"); "role": granted to the role whose session
    is asking; "account": granted to the requester's account (delegated to its IAM policies).
    `principal` is an IAM/STS ARN, a service principal ("cloudtrail.amazonaws.com") or a federated
    provider; `account` is the requester's account id; `role_arn` the role behind a session, if any.
    """
    if spec == "*":
        return "direct"
    if not isinstance(spec, Mapping):
        raise PolicyEvaluationError(f"Principal must be \"*\" or an object, got {spec!r}")
    best: str | None = None
    rank = {"direct": 3, "role": 2, "account": 1}
    for kind, entries in spec.items():
        for entry in as_list(entries):
            if not isinstance(entry, str):
                raise PolicyEvaluationError(f"Principal entries must be strings, got {entry!r}")
            if kind == "AWS":
                how = _aws_principal_grant(entry, principal, account, role_arn) if principal else (
                    "direct" if entry == "*" else None)
            elif kind == "Service":
                how = "direct" if entry == "*" or entry.lower() == principal.lower() else None
            elif kind in ("Federated", "CanonicalUser"):
                how = "direct" if entry == "*" or entry == principal else None
            else:
                raise PolicyEvaluationError(f"unknown Principal type {kind!r} (AWS, Service, Federated, "
                                            "CanonicalUser)")
            if how and (best is None or rank[how] > rank[best]):
                best = how
    return best


def iter_strings(values: Iterable[Any], element: str) -> Iterable[str]:
    """Validate that every entry of a Resource/NotResource element is a string."""
    for value in values:
        if not isinstance(value, str):
            raise PolicyEvaluationError(f"{element} entries must be strings, got {value!r}")
        yield value
