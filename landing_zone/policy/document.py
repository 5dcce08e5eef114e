"""Policy documents as data: minify, measure, normalize, and the size limits AWS enforces.

Minified form (what we emit and what we measure):
- `json.dumps(..., separators=(",", ":"), ensure_ascii=False)`: no whitespace outside strings, which
  is what AWS Organizations counts ("All characters in your SCP count against its maximum size ...
  you can delete any white space ... outside quotation marks", orgs_manage_policies_scps_syntax);
- keys stay in the order they were given (Version before Statement, Sid/Effect/Action/Resource in
  the order authors wrote them), so documents read naturally in templates and diffs;
- `ensure_ascii=False` keeps a non-ASCII character as one character instead of a six-character
  `\\uXXXX` escape, so `size()` counts characters the way Organizations does and never overstates
  them. (IAM only accepts U+0009, U+000A, U+000D and U+0020-U+00FF in its documents anyway.)

`canonical()` is the same with keys sorted: two documents that differ only in key order have the
same canonical text, which is what hashing, de-duplication and stable names need.

IAM counts differently from Organizations: it ignores all white space, also inside strings
(reference_iam-quotas: "IAM doesn't count white space when calculating the size of a policy");
`iam_size()` measures that way.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# AWS Organizations policy content (characters of the minified JSON; orgs_reference_limits).
SCP_MAX = 5120
RCP_MAX = 5120
TAG_POLICY_MAX = 10000
BACKUP_POLICY_MAX = 10000
AI_OPT_OUT_POLICY_MAX = 2500

# IAM (non-white-space characters; reference_iam-quotas).
IAM_MANAGED_POLICY_MAX = 6144
IAM_INLINE_ROLE_POLICY_MAX = 10240      # the sum of all inline policies of one role
IAM_TRUST_POLICY_MAX = 2048             # default role trust policy quota (can be raised to 4,096)

# Other services.
PERMISSION_SET_INLINE_POLICY_MAX = 10240    # IAM Identity Center inline policy of a permission set
S3_BUCKET_POLICY_MAX = 20480                # 20 KB
KMS_KEY_POLICY_MAX = 32768                  # 32 KB

ORGANIZATIONS_LIMITS: dict[str, int] = {
    "service_control": SCP_MAX,
    "resource_control": RCP_MAX,
    "tag": TAG_POLICY_MAX,
    "backup": BACKUP_POLICY_MAX,
    "ai_opt_out": AI_OPT_OUT_POLICY_MAX,
}


def minify(document: Any) -> str:
    """The compact JSON text of a document, keys in their given order."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def canonical(document: Any) -> str:
    """Like `minify`, with keys sorted: the stable text to hash or compare documents by."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def size(document: Any) -> int:
    """Characters of the minified document: how Organizations measures SCPs, RCPs and friends."""
    return len(minify(document))


def iam_size(document: Any) -> int:
    """Non-white-space characters of the document: how IAM measures its policies."""
    return sum(1 for c in minify(document) if not c.isspace())


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a policy as a list: a single statement object becomes a one-item list.

    The statement objects themselves are returned (not copies). Anything that is not a statement
    object (a missing `Statement`, a string, a number inside the
    list) is left out; `lint.lint_document` reports those shapes.
    """
    if not isinstance(document, Mapping):
        return []
    value = document.get("Statement")
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else dict(item) for item in value if isinstance(item, Mapping)]
