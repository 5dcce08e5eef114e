"""The vocabulary of IAM policy documents: kinds, elements, condition operators, size limits, Problem."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from landing_zone.policy import document as doc

Kind = Literal["scp", "rcp", "identity", "resource", "trust", "permission_set"]
KINDS: frozenset[str] = frozenset(get_args(Kind))

KIND_NAMES: dict[str, str] = {
    "scp": "a service control policy (SCP)",
    "rcp": "a resource control policy (RCP)",
    "identity": "an IAM identity policy",
    "resource": "a resource-based policy",
    "trust": "a role trust policy",
    "permission_set": "a permission set inline policy",
}

# (limit, measure, unit) per kind; `lint_document(max_size=...)` overrides the limit.
SIZE_LIMITS: dict[str, tuple[int, Callable[[Any], int], str]] = {
    "scp": (doc.SCP_MAX, doc.size, "characters"),
    "rcp": (doc.RCP_MAX, doc.size, "characters"),
    "identity": (doc.IAM_MANAGED_POLICY_MAX, doc.iam_size, "non-white-space characters"),
    "permission_set": (doc.PERMISSION_SET_INLINE_POLICY_MAX, doc.size, "characters"),
    "trust": (doc.IAM_TRUST_POLICY_MAX, doc.iam_size, "non-white-space characters"),
    "resource": (doc.S3_BUCKET_POLICY_MAX, doc.size, "characters"),
}

VERSION = "2012-10-17"
TOP_LEVEL_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
    "Resource", "NotResource", "Condition",
)
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")

BASE_CONDITION_OPERATORS: tuple[str, ...] = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
    "DateGreaterThan", "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
    "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    "Null",
)
SET_PREFIXES = ("ForAllValues:", "ForAnyValue:")
IAM_KINDS = frozenset({"identity", "trust", "permission_set"})


def condition_operators() -> frozenset[str]:
    """Every valid spelling: base, base + IfExists (not Null), each with an optional set prefix."""
    singles = set(BASE_CONDITION_OPERATORS) | {
        f"{op}IfExists" for op in BASE_CONDITION_OPERATORS if op != "Null"
    }
    return frozenset(singles | {p + op for p in SET_PREFIXES for op in singles})


_OPERATORS = condition_operators()


def is_condition_operator(name: str) -> bool:
    return name in _OPERATORS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy document."""

    code: str
    pointer: str        # "Statement[DenyRoot].Action[1]"; "" for the document itself
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.pointer}: " if self.pointer else ""
        text = f"{where}{self.message} [{self.code}]"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")
