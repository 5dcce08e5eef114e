"""Deterministic names: logical ids and stack names come from blueprint names, never positions."""
from __future__ import annotations

import hashlib
import re

MAX_LOGICAL_ID = 255


def digest(key: str, length: int = 8) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def pascal(text: str) -> str:
    """'Workloads/Non prod' → 'WorkloadsNonProd' (only the characters logical ids accept)."""
    words = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def logical_id(prefix: str, key: str) -> str:
    """Readable and collision-free: sanitizing can merge names ('a-b', 'ab'), the hash cannot."""
    readable = pascal(key)[: MAX_LOGICAL_ID - len(prefix) - 8]
    return f"{prefix}{readable}{digest(key)}"


def stack_name(blueprint_name: str, component: str, region: str | None = None) -> str:
    return "-".join(p for p in (blueprint_name, component, region) if p)


def bucket_of(key: str, buckets: int) -> int:
    """A number in [0, buckets) that depends only on the key (stable as other keys come and go)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % buckets


def unit_export_name(blueprint_name: str, unit_logical_id: str) -> str:
    """Every OU id is exported under a name derived from its path, used or not: an export that
    comes and goes with its importers deadlocks deploys when an account changes OU."""
    return f"{blueprint_name}-{unit_logical_id}"
