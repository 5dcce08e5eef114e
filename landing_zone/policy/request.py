"""The request being authorized: action, resource, principal, region and condition context keys."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .matching import LITERAL_QMARK, LITERAL_STAR, PolicyEvaluationError

__all__ = ["MISSING", "Missing", "Request", "parse_arn", "substitute"]


class Missing:
    """Sentinel type for a condition key that is absent from the request context."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def parse_arn(arn: str) -> tuple[str, str, str, str, str] | None:
    """(partition, service, region, account, resource) of an ARN, or None if it is not an ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[4], parts[5]


def _principal_keys(principal: str) -> dict[str, Any]:
    """Context keys AWS derives from the requesting principal (reference_policies_condition-keys).

    - IAM user  arn:aws:iam::A:user/path/name   → PrincipalArn = the ARN, username = name, type User
    - role      arn:aws:iam::A:role/path/name   → treated as a session of that role: type AssumedRole
    - session   arn:aws:sts::A:assumed-role/R/s → PrincipalArn = arn:aws:iam::A:role/R (AWS reports the
      role ARN, not the session ARN; the role path is not recoverable from a session ARN)
    - root      arn:aws:iam::A:root             → type Account
    - federated arn:aws:sts::A:federated-user/n → type FederatedUser
    - a service principal "x.amazonaws.com"     → PrincipalServiceName, PrincipalIsAWSService = true
    aws:userid is never derived (it is a unique id such as AIDA..., give it in the context).
    """
    keys: dict[str, Any] = {}
    if not principal:
        return keys
    parsed = parse_arn(principal)
    if parsed is None:
        if principal.endswith(".amazonaws.com") or principal.endswith(".amazonaws.com.cn"):
            keys["aws:principalservicename"] = principal
            keys["aws:principalisawsservice"] = "true"
        return keys
    partition, service, _region, account, resource = parsed
    keys["aws:principalisawsservice"] = "false"
    if account:
        keys["aws:principalaccount"] = account
    keys["aws:principalarn"] = principal
    if service == "iam":
        if resource == "root":
            keys["aws:principaltype"] = "Account"
        elif resource.startswith("user/"):
            keys["aws:principaltype"] = "User"
            keys["aws:username"] = resource.rsplit("/", 1)[-1]
        elif resource.startswith("role/"):
            keys["aws:principaltype"] = "AssumedRole"
    elif service == "sts":
        if resource.startswith("assumed-role/"):
            keys["aws:principaltype"] = "AssumedRole"
            role = resource.split("/")[1] if resource.count("/") >= 1 else ""
            keys["aws:principalarn"] = f"arn:{partition}:iam::{account}:role/{role}"
        elif resource.startswith("federated-user/"):
            keys["aws:principaltype"] = "FederatedUser"
    return keys


@dataclass(frozen=True)
class Request:
    """One API request to authorize.

    `context` maps condition keys to values (str, bool, int, float, bytes, datetime, or a list for a
    multivalued key such as aws:TagKeys).  Keys are case-insensitive.  `context_value` merges derived
    keys — aws:RequestedRegion (region), aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
    aws:username (IAM users only), aws:PrincipalIsAWSService, aws:PrincipalServiceName, and
    aws:ResourceAccount (account field of the resource ARN, when it has one) — and an explicit
    context value always wins over a derived one.  aws:userid is absent unless given.
    """

    action: str
    resource: str = "*"
    principal: str = ""
    region: str = "us-east-1"
    context: Mapping[str, Any] = field(default_factory=dict)
    _keys: dict[str, Any] = field(init=False, repr=False, compare=False, hash=False)
    _action_lc: str = field(init=False, repr=False, compare=False, hash=False)
    _role_arn: str = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.action, str) or not self.action:
            raise ValueError(f"Request.action must be a non-empty string, got {self.action!r}")
        keys = _principal_keys(self.principal)
        if self.region:
            keys["aws:requestedregion"] = self.region
        parsed = parse_arn(self.resource) if self.resource else None
        if parsed and parsed[3]:
            keys["aws:resourceaccount"] = parsed[3]
        for key, value in self.context.items():
            keys[str(key).lower()] = value
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_action_lc", self.action.lower())
        object.__setattr__(self, "_role_arn", self._derive_role_arn())

    def __hash__(self) -> int:
        return hash((self.action, self.resource, self.principal, self.region))

    def context_value(self, key: str) -> Any:
        """The value of a condition key (case-insensitive), or MISSING when it is not in the request."""
        return self._keys.get(key.lower(), MISSING)

    @property
    def principal_account(self) -> str:
        """Account id of the requesting principal ("" when unknown)."""
        value = self._keys.get("aws:principalaccount", "")
        return value if isinstance(value, str) else ""

    @property
    def resource_account(self) -> str:
        """Account id owning the resource ("" when unknown: S3 ARNs carry no account)."""
        value = self._keys.get("aws:resourceaccount", "")
        return value if isinstance(value, str) else ""

    @property
    def role_arn(self) -> str:
        """The IAM role behind the principal when it is a role or role session, else ""."""
        return self._role_arn

    def _derive_role_arn(self) -> str:
        parsed = parse_arn(self.principal)
        if parsed is None:
            return ""
        if parsed[1] == "iam" and parsed[4].startswith("role/"):
            return self.principal
        if parsed[1] == "sts" and parsed[4].startswith("assumed-role/"):
            return str(_principal_keys(self.principal)["aws:principalarn"])
        return ""

    @property
    def principal_kind(self) -> str:
        """user | role | session | root | federated | service | anonymous | other."""
        if not self.principal:
            return "anonymous"
        parsed = parse_arn(self.principal)
        if parsed is None:
            return "service" if "aws:principalservicename" in _principal_keys(self.principal) else "other"
        service, resource = parsed[1], parsed[4]
        if service == "iam":
            if resource == "root":
                return "root"
            if resource.startswith("user/"):
                return "user"
            if resource.startswith("role/"):
                return "role"
        if service == "sts":
            if resource.startswith("assumed-role/"):
                return "session"
            if resource.startswith("federated-user/"):
                return "federated"
        return "other"

    @property
    def is_service_linked_role(self) -> bool:
        """True for a service-linked role or its session (path aws-service-role/ or AWSServiceRoleFor*)."""
        role = self.role_arn
        if not role:
            return False
        resource = role.split(":", 5)[5]
        return resource.startswith("role/aws-service-role/") or \
            resource.rsplit("/", 1)[-1].startswith("AWSServiceRoleFor")


# ----------------------------------------------------------------------------------------- policy variables

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SPECIAL = {"*": LITERAL_STAR, "?": LITERAL_QMARK, "$": "$"}


@lru_cache(maxsize=4096)
def _parse_variable(body: str) -> tuple[str, str | None]:
    """`aws:username` → (key, None); `aws:PrincipalTag/team, 'x'` → (key, default)."""
    if "," not in body:
        return body.strip(), None
    name, _, default = body.partition(",")
    default = default.strip()
    if len(default) < 2 or default[0] != "'" or default[-1] != "'":
        raise PolicyEvaluationError(f"policy variable ${{{body}}}: a default value must be in single quotes")
    return name.strip(), default[1:-1].replace("''", "'")


def _escape(text: str) -> str:
    return text.replace("*", LITERAL_STAR).replace("?", LITERAL_QMARK)


def substitute(value: str, request: Request) -> str | None:
    """Replace the policy variables in one policy string; None when a variable has no value.

    ${*}, ${?} and ${$} stand for a literal `*`, `?` and `$`; `${key, 'default'}` falls back to the
    quoted default.  A key that is missing or multivalued (a list) has no value.  Substituted text is
    literal: its `*` and `?` are not wildcards.  Only one round of substitution is made.
    """
    if "${" not in value:
        return value
    out: list[str] = []
    pos = 0
    for match in _VARIABLE.finditer(value):
        out.append(value[pos:match.start()])
        pos = match.end()
        body = match.group(1)
        if body.strip() in _SPECIAL:
            out.append(_SPECIAL[body.strip()])
            continue
        key, default = _parse_variable(body)
        resolved = request.context_value(key)
        if isinstance(resolved, bool):
            resolved = "true" if resolved else "false"
        elif isinstance(resolved, (int, float)):
            resolved = str(resolved)
        if not isinstance(resolved, str):
            if default is None:
                return None
            resolved = default
        out.append(_escape(resolved))
    out.append(value[pos:])
    return "".join(out)
