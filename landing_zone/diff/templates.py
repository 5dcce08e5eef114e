"""Stack and resource changes between two cdk.out folders: added, removed, modified, replaced, moved."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landing_zone.checks.replacement import destructive_changes
from landing_zone.diff.model import ResourceChange, StackDiff
from landing_zone.explain.requests import UsageError

# Resource attributes that change how CloudFormation treats a resource. Metadata is left out on
# purpose: it holds construct paths and cdk-nag acknowledgements, and CloudFormation never updates a
# resource for it (a Metadata-only change cannot even be deployed on its own).
ATTRIBUTES = ("Condition", "CreationPolicy", "DeletionPolicy", "DependsOn", "UpdatePolicy",
              "UpdateReplacePolicy")
SECTIONS = ("Conditions", "Mappings", "Parameters", "Rules", "Transform")
# DeletionPolicy / UpdateReplacePolicy values that keep the resource (or its data, for Snapshot).
KEEPING = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})


@dataclass(frozen=True)
class StackArtifact:
    name: str
    environment: str             # aws://ACCOUNT/REGION
    template: dict[str, Any]

    @property
    def region(self) -> str:
        return self.environment.rsplit("/", 1)[-1]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template.get("Resources", {})


def read_stacks(outdir: str | Path) -> dict[str, StackArtifact]:
    """Every stack artifact of a cloud assembly, by CloudFormation stack name."""
    outdir = Path(outdir)
    manifest_path = outdir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{outdir} is not a cdk.out folder (no readable manifest.json: "
                         f"{getattr(exc, 'strerror', None) or exc})") from None
    stacks = {}
    for artifact_id, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        props = artifact.get("properties", {})
        name = props.get("stackName") or artifact_id
        try:
            template = json.loads((outdir / props["templateFile"]).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"{outdir}: the template of stack {name} is missing or unreadable ({exc})") from None
        stacks[name] = StackArtifact(name, artifact.get("environment", ""), template)
    return stacks


def keeps(resource: dict[str, Any], policy: str) -> bool:
    return resource.get(policy) in KEEPING


def _attribute(resource: dict[str, Any], name: str) -> Any:
    value = resource.get(name)
    if name == "DependsOn" and value is not None:   # a string or a list; order means nothing
        return sorted([value] if isinstance(value, str) else value)
    return value


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    old, new = before.get("Properties", {}), after.get("Properties", {})
    properties = tuple(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))
    attributes = tuple(a for a in ATTRIBUTES if _attribute(before, a) != _attribute(after, a))
    return properties, attributes


def resource_changes(name: str, base: StackArtifact | None, head: StackArtifact | None) -> list[ResourceChange]:
    old = base.template if base else {}
    new = head.template if head else {}
    region = (head or base).region
    destroyed = {c.logical_id: c for c in destructive_changes(old, new, region)}
    old_resources, new_resources = old.get("Resources", {}), new.get("Resources", {})
    changes = []
    for logical_id in sorted(set(old_resources) | set(new_resources)):
        before, after = old_resources.get(logical_id), new_resources.get(logical_id)
        gone = destroyed.get(logical_id)
        if before is not None and (after is None or (gone and gone.kind == "delete")):
            changes.append(ResourceChange(name, logical_id, before["Type"], "removed",
                                          retained=keeps(before, "DeletionPolicy")))
        if after is not None and (before is None or (gone and gone.kind == "delete")):
            changes.append(ResourceChange(name, logical_id, after["Type"], "added"))
        if before is None or after is None or (gone and gone.kind == "delete"):
            continue
        properties, attributes = _changed(before, after)
        if gone:     # replaced: CloudFormation creates the new one, then applies UpdateReplacePolicy
            changes.append(ResourceChange(name, logical_id, before["Type"], "replaced", properties, attributes,
                                          gone.properties, keeps(before, "UpdateReplacePolicy")
                                          and keeps(after, "UpdateReplacePolicy")))
        elif properties or attributes:
            changes.append(ResourceChange(name, logical_id, before["Type"], "modified", properties, attributes))
    return changes


def _outputs(old: dict[str, Any], new: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    before, after = old.get("Outputs", {}), new.get("Outputs", {})
    out = []
    for key in sorted(set(before) | set(after)):
        if key not in after:
            out.append((key, "removed"))
        elif key not in before:
            out.append((key, "added"))
        elif before[key] != after[key]:
            out.append((key, "modified"))
    return tuple(out)


def diff_stacks(base: dict[str, StackArtifact], head: dict[str, StackArtifact]) -> tuple[StackDiff, ...]:
    """Only the stacks that change; a stack is matched by its CloudFormation name."""
    diffs = []
    for name in sorted(set(base) | set(head)):
        old, new = base.get(name), head.get(name)
        changes = tuple(resource_changes(name, old, new))
        old_t, new_t = (old.template if old else {}), (new.template if new else {})
        outputs = _outputs(old_t, new_t)
        sections = tuple(s for s in SECTIONS if old and new and old_t.get(s) != new_t.get(s))
        if old is None or new is None:
            status = "added" if old is None else "removed"
        elif old.environment != new.environment:
            status = "moved"
        elif changes or outputs or sections:
            status = "changed"
        else:
            continue
        diffs.append(StackDiff(name, status, old.environment if old else None,
                               new.environment if new else None, changes, outputs, sections))
    return tuple(diffs)
