"""Condition operators and policy variables, exactly as the IAM condition-operator docs describe them."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from .matching import PolicyEvaluationError, as_list, compile_arn, compile_wildcard, literal_text
from .request import MISSING, Request, substitute

__all__ = ["Operator", "condition_holds", "evaluate_condition", "parse_operator", "substitute"]

# ------------------------------------------------------------------------------------------- value parsing

def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")


def _date(value: Any) -> float | None:
    """Seconds since the epoch from epoch seconds (number or digit string) or a W3C ISO 8601 date."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, bool):
        return None
    elif isinstance(value, (int, float)):
        return float(value)
    elif isinstance(value, str):
        text = value.strip()
        if _EPOCH.match(text):
            return float(text)
        try:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _binary(value: Any, policy_side: bool) -> bytes | None:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        if policy_side:
            raise PolicyEvaluationError(f"BinaryEquals value {value!r} is not base-64") from None
        return value.encode()


@lru_cache(maxsize=4096)
def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        raise PolicyEvaluationError(f"IpAddress value {cidr!r} is not an IPv4/IPv6 address or CIDR") from None


def _address(value: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------- operators

Test = Callable[[Any, Any], bool]    # (context value, policy value) → does this pair match?


def _ordered(parse: Callable[[Any], float | None], what: str, cmp: Callable[[float, float], bool]) -> Test:
    def test(ctx: Any, pol: Any) -> bool:
        left, right = parse(ctx), parse(pol)
        if right is None:
            raise PolicyEvaluationError(f"{what} condition value {pol!r} is not {_KINDS[what]}")
        return left is not None and cmp(left, right)
    return test


_KINDS = {"Numeric": "a number", "Date": "ISO 8601 or epoch seconds"}


def _numeric(cmp: Callable[[float, float], bool]) -> Test:
    return _ordered(_number, "Numeric", cmp)


def _dated(cmp: Callable[[float, float], bool]) -> Test:
    return _ordered(_date, "Date", cmp)


def _ptext(pol: Any) -> str:
    """A policy value of a String/Arn operator as text (JSON numbers and booleans are accepted)."""
    text = _text(pol)
    if text is None:
        raise PolicyEvaluationError(f"condition value {pol!r} must be a string")
    return text


def _string_equals(ctx: Any, pol: Any) -> bool:
    return _text(ctx) == literal_text(_ptext(pol))


def _string_equals_ignore_case(ctx: Any, pol: Any) -> bool:
    text = _text(ctx)
    return text is not None and text.lower() == literal_text(_ptext(pol)).lower()


def _string_like(ctx: Any, pol: Any) -> bool:
    text = _text(ctx)
    return text is not None and compile_wildcard(_ptext(pol))(text)


def _arn_like(ctx: Any, pol: Any) -> bool:
    return isinstance(ctx, str) and compile_arn(_ptext(pol))(ctx)


def _bool_equals(ctx: Any, pol: Any) -> bool:
    want = _bool(literal_text(pol) if isinstance(pol, str) else pol)
    if want is None:
        raise PolicyEvaluationError(f"Bool condition value {pol!r} is not true or false")
    return _bool(ctx) is want


def _binary_equals(ctx: Any, pol: Any) -> bool:
    left = _binary(ctx, policy_side=False)
    return left is not None and left == _binary(pol, policy_side=True)


def _ip_in(ctx: Any, pol: Any) -> bool:
    network = _network(str(pol))
    address = _address(ctx)
    return address is not None and address.version == network.version and address in network


@dataclass(frozen=True)
class _Base:
    name: str
    test: Test
    negated: bool = False
    variables: bool = False      # policy variables allowed in values (String, Arn, Bool)


_BASES = {b.name.lower(): b for b in [
    _Base("StringEquals", _string_equals, variables=True),
    _Base("StringNotEquals", _string_equals, True, True),
    _Base("StringEqualsIgnoreCase", _string_equals_ignore_case, variables=True),
    _Base("StringNotEqualsIgnoreCase", _string_equals_ignore_case, True, True),
    _Base("StringLike", _string_like, variables=True),
    _Base("StringNotLike", _string_like, True, True),
    _Base("NumericEquals", _numeric(lambda a, b: a == b)),
    _Base("NumericNotEquals", _numeric(lambda a, b: a == b), True),
    _Base("NumericLessThan", _numeric(lambda a, b: a < b)),
    _Base("NumericLessThanEquals", _numeric(lambda a, b: a <= b)),
    _Base("NumericGreaterThan", _numeric(lambda a, b: a > b)),
    _Base("NumericGreaterThanEquals", _numeric(lambda a, b: a >= b)),
    _Base("DateEquals", _dated(lambda a, b: a == b)),
    _Base("DateNotEquals", _dated(lambda a, b: a == b), True),
    _Base("DateLessThan", _dated(lambda a, b: a < b)),
    _Base("DateLessThanEquals", _dated(lambda a, b: a <= b)),
    _Base("DateGreaterThan", _dated(lambda a, b: a > b)),
    _Base("DateGreaterThanEquals", _dated(lambda a, b: a >= b)),
    _Base("Bool", _bool_equals, variables=True),
    _Base("BinaryEquals", _binary_equals),
    _Base("IpAddress", _ip_in),
    _Base("NotIpAddress", _ip_in, True),
    _Base("ArnEquals", _arn_like, variables=True),
    _Base("ArnLike", _arn_like, variables=True),
    _Base("ArnNotEquals", _arn_like, True, True),
    _Base("ArnNotLike", _arn_like, True, True),
]}


@dataclass(frozen=True)
class Operator:
    """A parsed condition operator such as `ForAnyValue:StringNotLikeIfExists`."""

    name: str
    base: _Base | None           # None for Null
    set_op: str | None = None    # "ForAllValues" | "ForAnyValue"
    if_exists: bool = False

    @property
    def is_null(self) -> bool:
        return self.base is None


@lru_cache(maxsize=1024)
def parse_operator(name: str) -> Operator:
    """Parse an operator name; unknown operators raise PolicyEvaluationError."""
    if not isinstance(name, str):
        raise PolicyEvaluationError(f"condition operator must be a string, got {name!r}")
    rest, set_op = name, None
    prefix, sep, tail = name.partition(":")
    if sep:
        qualifier = {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}.get(prefix.lower())
        if qualifier is None:
            raise PolicyEvaluationError(f"unknown condition set operator {prefix!r} in {name!r} "
                                        "(ForAllValues or ForAnyValue)")
        rest, set_op = tail, qualifier
    if rest.lower() == "null":
        if set_op:
            raise PolicyEvaluationError(f"{name!r}: Null cannot take a set operator")
        return Operator(name, None)
    if_exists = rest.lower().endswith("ifexists")
    core = rest[:-len("IfExists")] if if_exists else rest
    if core.lower() == "null":
        raise PolicyEvaluationError(f"{name!r}: IfExists cannot be added to the Null operator")
    base = _BASES.get(core.lower())
    if base is None:
        raise PolicyEvaluationError(f"unknown condition operator {name!r}; known: "
                                    + ", ".join(b.name for b in _BASES.values()) + ", Null "
                                    "(with optional IfExists suffix and ForAllValues:/ForAnyValue: prefix)")
    return Operator(name, base, set_op, if_exists)


def _values(op: Operator, raw: Any, request: Request, variables: bool) -> list[Any]:
    """Policy values after policy-variable substitution; unresolved values are dropped (match nothing)."""
    values = as_list(raw)
    if not (variables and op.base is not None and op.base.variables):
        return values
    out = []
    for value in values:
        if isinstance(value, str):
            value = substitute(value, request)
            if value is None:
                continue
        out.append(value)
    return out


def _show(value: Any) -> str:
    return repr(literal_text(value) if isinstance(value, str) else value)


def evaluate_condition(op: Operator, key: str, raw: Any, request: Request,
                       variables: bool = True, explain: bool = True) -> tuple[bool, str]:
    """Evaluate one `operator: {key: values}` entry; returns (holds?, explanation or "").

    Rules (reference_policies_elements_condition_operators, reference_policies_multi-value-conditions,
    reference_policies_condition-single-vs-multi-valued-context-keys):
    - several policy values: OR; for negated operators (…Not…, NotIpAddress): NOR;
    - missing key (or an empty list): false, true for negated operators and for …IfExists;
    - ForAllValues: true on a missing/empty key, else every request value must match (for a negated
      operator: match none of the policy values); ForAnyValue: false on a missing/empty key, else one
      request value must.  On a missing key the set qualifier decides even with IfExists (the behaviour
      AWS shows for ForAnyValue:StringEqualsIfExists; the docs do not spell the combination out);
    - choice: a list given for a plain (non-set) operator matches when ANY request value matches
      (negated: when none does), i.e. it behaves like ForAnyValue;
    - choice: a policy value whose variable has no value is dropped — it matches nothing (so a negated
      operator left with nothing to compare against is true).
    """
    ctx = request.context_value(key)
    if op.is_null:
        absent = ctx is MISSING or (isinstance(ctx, (list, tuple)) and not ctx)
        wants = []
        for value in as_list(raw):
            want = _bool(value)
            if want is None:
                raise PolicyEvaluationError(f"Null condition value {value!r} must be true or false")
            wants.append(want)
        holds = absent in wants
        if not explain:
            return holds, ""
        state = "absent" if absent else f"present ({_show(ctx)})"
        expects = " or ".join("absent" if w else "present" for w in wants)
        return holds, f"Null {key}: key is {state}, policy expects {expects} → {str(holds).lower()}"
    base = op.base
    assert base is not None     # only Null has no base, and Null returned above
    values = _values(op, raw, request, variables)
    items = ctx if isinstance(ctx, (list, tuple, set, frozenset)) else None
    empty = ctx is MISSING or (items is not None and len(items) == 0)
    members = list(items) if items is not None else [ctx]
    matched = None
    if op.set_op:
        empty = empty or ctx == ""       # "resolves to an empty data set (for example, an empty string)"
        if empty:
            holds = op.set_op == "ForAllValues"
        else:
            def ok(member: Any) -> bool:
                hit = any(base.test(member, v) for v in values)
                return not hit if base.negated else hit

            holds = all(map(ok, members)) if op.set_op == "ForAllValues" else any(map(ok, members))
    elif empty:
        holds = op.if_exists or base.negated
    else:
        matched = next(((m, v) for m in members for v in values if base.test(m, v)), None)
        holds = (matched is None) if base.negated else (matched is not None)
    if not explain:
        return holds, ""
    verdict = str(holds).lower()
    listed = "[" + ", ".join(_show(v) for v in values) + "]"
    if empty:
        if op.set_op:
            why = f"{op.set_op} on a missing or empty key"
        else:
            why = "IfExists" if op.if_exists else ("negated operator" if base.negated else "plain operator")
        return holds, f"{op.name} {key}: key is missing ({why}) → {verdict}"
    shown = _show(ctx) if items is None else "[" + ", ".join(_show(m) for m in members) + "]"
    if op.set_op:
        return holds, f"{op.name} {key}: request values {shown} vs {listed} → {verdict}"
    detail = f"matches {_show(matched[1])}" if matched else f"matches none of {listed}"
    return holds, f"{op.name} {key}: {shown} {detail} → {verdict}"


def condition_holds(condition: Mapping[str, Any] | None, request: Request,
                    variables: bool = True, explain: bool = True) -> tuple[bool, str]:
    """Evaluate a whole Condition block: operators AND, keys AND, values OR (NOR when negated).

    Returns (holds?, explanation): the explanation lists every entry when the block holds, or the
    first entry that failed.
    """
    if not condition:
        return True, "no condition"
    if not isinstance(condition, Mapping):
        raise PolicyEvaluationError(f"Condition must be an object, got {condition!r}")
    reasons = []
    for op_name, entries in condition.items():
        op = parse_operator(op_name)
        if not isinstance(entries, Mapping):
            raise PolicyEvaluationError(f"Condition {op_name!r} must map keys to values, got {entries!r}")
        for key, raw in entries.items():
            holds, why = evaluate_condition(op, key, raw, request, variables, explain)
            if not holds:
                return False, why
            if explain:
                reasons.append(why)
    return True, "; ".join(reasons)
