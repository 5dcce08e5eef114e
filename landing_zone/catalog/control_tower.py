"""AWS Control Tower's side of the catalog: the vendored control mapping and landing zone versions."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from landing_zone.catalog.model import Control

DATA = Path(__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The OU baseline that registers an OU, and the one AWS Control Tower enables on the management
# account when the landing zone manages IAM Identity Center (its enabled ARN is a registration parameter).
CONTROL_TOWER_BASELINE = "17BSJV3IGJ2QSGA2"
IDENTITY_CENTER_BASELINE = "LN25R72TTG6IGPTQ"
LANDING_ZONE_REGION_DENY = "AWS-GR_REGION_DENY"


@dataclass(frozen=True)
class TowerControl:
    """One Control Tower control of the snapshot."""

    identifier: str                      # AWS-GR_RESTRICTED_SSH, CT.MULTISERVICE.PV.1
    guidance: str                        # mandatory | landing-zone | strongly-recommended | elective
    behavior: Literal["preventive", "detective", "proactive"]
    arn_form: Literal["regional", "global", "none"]
    global_id: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()   # (EnabledControl key, catalog parameter name)

    @property
    def enabled_through_api(self) -> bool:
        """False for mandatory controls and the landing zone's Region deny: Control Tower owns them."""
        return self.arn_form != "none"

    def arn(self, partition: str, region: str) -> str:
        if self.arn_form == "regional":
            return f"arn:{partition}:controltower:{region}::control/{self.identifier}"
        if self.arn_form == "global":
            return f"arn:{partition}:controlcatalog:::control/{self.global_id}"
        raise ValueError(f"{self.identifier} cannot be enabled through AWS::ControlTower::EnabledControl")


@dataclass(frozen=True)
class TowerSnapshot:
    date: str
    controls: dict[str, TowerControl]

    def for_control(self, control: Control) -> TowerControl | None:
        """The Control Tower control that enforces a catalog control, None when the snapshot has none."""
        if control.control_tower is None:
            return None
        return self.controls.get(control.control_tower.identifier)


@lru_cache(maxsize=1)
def tower_snapshot() -> TowerSnapshot:
    data = yaml.load((DATA / "control-catalog.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    controls = {
        identifier: TowerControl(identifier=identifier, guidance=entry["guidance"], behavior=entry["behavior"],
                                 arn_form=entry["arn"], global_id=entry.get("global_id"),
                                 parameters=tuple(sorted((entry.get("parameters") or {}).items())))
        for identifier, entry in data["controls"].items()}
    return TowerSnapshot(date=str(data["snapshot"]), controls=controls)


def enforced_by_tower(control: Control) -> TowerControl | None:
    """Under the control-tower engine: the Control Tower control that takes over a catalog control
    (mandatory ones included: Control Tower applies those itself), None when it stays native."""
    return tower_snapshot().for_control(control)


# ---------- landing zone versions ----------

@dataclass(frozen=True)
class LandingZoneVersion:
    version: str
    baseline_version: str
    manifest: dict[str, Any]            # the shape (see landing-zone-versions.yaml)


@lru_cache(maxsize=1)
def landing_zone_versions() -> dict[str, LandingZoneVersion]:
    data = yaml.load((DATA / "landing-zone-versions.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    return {str(v): LandingZoneVersion(str(v), str(entry["baseline_version"]), entry["manifest"])
            for v, entry in data["versions"].items()}


def has_organization_structure(version: str) -> bool:
    """3.x manifests name the security OU (organizationStructure); 4.0 and later do not."""
    shape = landing_zone_versions()[version].manifest
    return "organizationStructure" in shape.get("properties", {})


_TYPES: dict[str, type[Any]] = {"object": dict, "string": str, "boolean": bool, "integer": int, "array": list}


def shape_problems(value: Any, shape: dict[str, Any], path: str = "") -> Iterator[tuple[str, str]]:
    """(path, problem) for each way `value` leaves the manifest shape: an unknown key, a missing
    required key, a value of the wrong type. Values that are not known offline (a key ARN created
    at deploy time) are checked as strings."""
    kind = shape.get("type", "object")
    expected = _TYPES[kind]
    if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
        yield path or "(manifest)", f"must be {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        return
    if kind == "array":
        for index, item in enumerate(value):
            yield from shape_problems(item, shape.get("items", {"type": "string"}), f"{path}[{index}]")
    if kind != "object":
        return
    properties = shape.get("properties", {})
    for key in sorted(value):
        where = f"{path}.{key}" if path else key
        if key not in properties:
            yield where, "unknown field"
        else:
            yield from shape_problems(value[key], properties[key], where)
    for key in shape.get("required", []):
        if key not in value:
            yield (f"{path}.{key}" if path else key), "required field missing"
