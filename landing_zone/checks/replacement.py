"""Which template changes would make CloudFormation replace (or delete) a resource, from cfn-lint's schemas."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from landing_zone.checks.schemas import resource_schema


@cache
def create_only_properties(resource_type: str, region: str = "us-east-1") -> frozenset[str]:
    """Top-level properties whose change forces a replacement (the schema's createOnlyProperties)."""
    schema = resource_schema(resource_type, region)
    if schema is None:
        return frozenset()
    return frozenset(p.split("/")[2] for p in schema.get("createOnlyProperties", []) if p.count("/") >= 2)


# Properties the schemas do not mark create-only but that can never change on an existing resource:
# CloudFormation fails the update (AWS::KMS::Key documents it for KeySpec, and KMS has no API to
# change a key's multi-Region flag, usage or origin), so the only way through is a new resource.
IMMUTABLE_IN_PRACTICE: dict[str, frozenset[str]] = {
    "AWS::KMS::Key": frozenset({"MultiRegion", "KeySpec", "KeyUsage", "Origin"}),
}


def replacing_properties(resource_type: str, region: str = "us-east-1") -> frozenset[str]:
    """Top-level properties whose change means a new resource: create-only or immutable in practice."""
    return create_only_properties(resource_type, region) | IMMUTABLE_IN_PRACTICE.get(resource_type, frozenset())


@dataclass(frozen=True)
class Change:
    logical_id: str
    resource_type: str
    kind: str                       # "replace" or "delete"
    properties: tuple[str, ...]     # replacing properties that changed (replace only)


def destructive_changes(old: dict, new: dict, region: str = "us-east-1") -> list[Change]:
    """Resources of `old` that `new` would replace or delete (a retained one is still reported)."""
    changes = []
    new_resources = new.get("Resources", {})
    for logical_id, before in sorted(old.get("Resources", {}).items()):
        after = new_resources.get(logical_id)
        if after is None or after["Type"] != before["Type"]:
            changes.append(Change(logical_id, before["Type"], "delete", ()))
            continue
        keys = replacing_properties(before["Type"], region)
        changed = tuple(sorted(k for k in keys if before.get("Properties", {}).get(k)
                               != after.get("Properties", {}).get(k)))
        if changed:
            changes.append(Change(logical_id, before["Type"], "replace", changed))
    return changes
