"""The vendored AWS Control Tower snapshot: control identifiers and ARN forms, agreement with the
catalog, landing zone versions and the manifest shape check."""
from __future__ import annotations

import re

import pytest

from landing_zone.catalog import load_catalog
from landing_zone.catalog.control_tower import (
    enforced_by_tower,
    landing_zone_versions,
    shape_problems,
    tower_snapshot,
)

SNAPSHOT = tower_snapshot()
MAPPED = [c for c in load_catalog().values() if enforced_by_tower(c)]


def test_the_snapshot_is_dated():
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", SNAPSHOT.date)


@pytest.mark.parametrize("identifier", sorted(SNAPSHOT.controls))
def test_each_control_has_the_arn_form_of_its_kind(identifier):
    control = SNAPSHOT.controls[identifier]
    if control.guidance in ("mandatory", "landing-zone"):
        assert control.arn_form == "none" and not control.enabled_through_api
        with pytest.raises(ValueError, match="cannot be enabled"):
            control.arn("aws", "us-east-1")
    elif identifier.startswith("AWS-GR_"):
        assert control.arn("aws", "eu-west-1") == f"arn:aws:controltower:eu-west-1::control/{identifier}"
    else:
        assert control.arn_form == "global" and re.fullmatch(r"[a-z0-9]{20,32}", control.global_id or "")
        assert control.arn("aws", "eu-west-1") == f"arn:aws:controlcatalog:::control/{control.global_id}"


@pytest.mark.parametrize("control", MAPPED, ids=lambda c: c.id)
def test_a_mapped_catalog_control_agrees_with_control_tower(control):
    tower = enforced_by_tower(control)
    assert tower.behavior == control.behavior
    # Mandatory in the catalog if and only if Control Tower applies it itself.
    assert (control.level == "mandatory") == (not tower.enabled_through_api)
    if tower.enabled_through_api:
        assert tower.guidance == control.level
    for _, name in tower.parameters:
        assert control.parameter(name) is not None, f"{tower.identifier} maps to unknown parameter {name}"


def test_every_aws_gr_control_of_the_catalog_is_mapped():
    unmapped = [c.id for c in load_catalog().values() if c.id.startswith("AWS-GR_") and not enforced_by_tower(c)]
    assert unmapped == []
    assert len(MAPPED) >= 47


def test_the_landing_zone_region_deny_is_not_a_catalog_control():
    assert "AWS-GR_REGION_DENY" not in load_catalog()
    assert not SNAPSHOT.controls["AWS-GR_REGION_DENY"].enabled_through_api


def test_versions_name_their_baseline():
    assert {v: lz.baseline_version for v, lz in landing_zone_versions().items()} == {"3.3": "4.0", "4.0": "5.0"}


SHAPE = {"type": "object", "required": ["a"], "properties": {
    "a": {"type": "object", "properties": {"n": {"type": "integer"}, "b": {"type": "boolean"}}},
    "list": {"type": "array", "items": {"type": "string"}}}}


@pytest.mark.parametrize(("value", "problems"), [
    ({"a": {"n": 3, "b": True}, "list": ["x"]}, []),
    ({"a": {}, "other": 1}, [("other", "unknown field")]),
    ({}, [("a", "required field missing")]),
    ({"a": {"n": True}}, [("a.n", "must be an integer")]),
    ({"a": {"b": "yes"}}, [("a.b", "must be a boolean")]),
    ({"a": {}, "list": ["x", 2]}, [("list[1]", "must be a string")]),
    ({"a": {}, "list": "x"}, [("list", "must be an array")]),
], ids=["fits", "unknown", "missing", "bool-is-no-integer", "type", "item", "not-a-list"])
def test_shape_problems(value, problems):
    assert list(shape_problems(value, SHAPE)) == problems
