"""The CloudFormation resource provider schemas that cfn-lint ships, per region."""
from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

# Located, not imported: importing cfnlint costs about half a second (sympy, networkx) on every
# synthesis, and only its data files are read here.
_SPEC = find_spec("cfnlint")
assert _SPEC is not None and _SPEC.origin is not None, "cfn-lint is a pinned dependency"
_SCHEMAS = Path(_SPEC.origin).parent / "data" / "schemas"
# What CloudFormation needs to do to a resource when it deploys, updates or deletes it.
DEPLOY_HANDLERS = ("create", "update", "delete")


@cache
def _region_index(region: str) -> dict[str, str]:
    path = _SCHEMAS / "providers" / f"{region}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def region_types(region: str) -> frozenset[str]:
    """The resource types CloudFormation offers in a region (empty for a region cfn-lint does not know)."""
    return frozenset(_region_index(region))


@cache
def resource_schema(resource_type: str, region: str = "us-east-1") -> dict[str, Any] | None:
    digest = _region_index(region).get(resource_type) or _region_index("us-east-1").get(resource_type)
    if digest is None:
        return None
    return json.loads((_SCHEMAS / "resources" / f"{digest}.json").read_text())


@cache
def handler_permissions(resource_type: str, region: str = "us-east-1",
                        operations: tuple[str, ...] = DEPLOY_HANDLERS) -> tuple[str, ...]:
    """Every action CloudFormation's handlers for the type call for the operations (the schema's
    `handlers.<op>.permissions`); empty for types without a schema (custom resources)."""
    schema = resource_schema(resource_type, region) or {}
    handlers = schema.get("handlers", {})
    return tuple(sorted({p for op in operations for p in handlers.get(op, {}).get("permissions", [])}))
