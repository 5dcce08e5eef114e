"""Which template changes would make CloudFormation replace (or delete) a resource, from cfn-lint's schemas."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cfnlint

_SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"


@cache
def _region_index(region: str) -> dict[str, str]:
    return json.loads((_SCHEMAS / "providers" / f"{region}.json").read_text())


@cache
def create_only_properties(resource_type: str, region: str = "us-east-1") -> frozenset[str]:
    """Top-level properties whose change forces a replacement (the schema's createOnlyProperties)."""
    digest = _region_index(region).get(resource_type)
    if digest is None:
        return frozenset()
    schema = json.loads((_SCHEMAS / "resources" / f"{digest}.json").read_text())
    return frozenset(p.split("/")[2] for p in schema.get("createOnlyProperties", []) if p.count("/") >= 2)


@dataclass(frozen=True)
class Change:
    logical_id: str
    resource_type: str
    kind: str                       # "replace" or "delete"
    properties: tuple[str, ...]     # create-only properties that changed (replace only)


def destructive_changes(old: dict, new: dict, region: str = "us-east-1") -> list[Change]:
    """Resources of `old` that `new` would replace or delete (a retained one is still reported)."""
    changes = []
    new_resources = new.get("Resources", {})
    for logical_id, before in sorted(old.get("Resources", {}).items()):
        after = new_resources.get(logical_id)
        if after is None or after["Type"] != before["Type"]:
            changes.append(Change(logical_id, before["Type"], "delete", ()))
            continue
        keys = create_only_properties(before["Type"], region)
        changed = tuple(sorted(k for k in keys if before.get("Properties", {}).get(k)
                               != after.get("Properties", {}).get(k)))
        if changed:
            changes.append(Change(logical_id, before["Type"], "replace", changed))
    return changes
