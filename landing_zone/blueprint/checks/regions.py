"""Checks of regions: real region codes, home region governed, no duplicates."""
from __future__ import annotations

from typing import Iterator

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.query import walk_models
from landing_zone.blueprint.regions import REGIONS
from landing_zone.blueprint.suggest import suggest

REGION_FIELDS = ("home_region", "region", "primary_region")
REGION_LIST_FIELDS = ("governed_regions", "replica_regions", "allowed_regions")


def regions_exist(bp: Blueprint) -> Iterator[Issue]:
    """A well-formed but unknown region (us-east-7) would only fail at deploy time."""
    for model, loc in walk_models(bp):
        for field in REGION_FIELDS:
            value = getattr(model, field, None)
            if isinstance(value, str) and value not in REGIONS:
                yield _unknown(value, loc + (field,))
        for field in REGION_LIST_FIELDS:
            for i, value in enumerate(getattr(model, field, None) or []):
                if value not in REGIONS:
                    yield _unknown(value, loc + (field, i))


def home_region_is_governed(bp: Blueprint) -> Iterator[Issue]:
    """The home region holds the organization stacks, so it must be governed."""
    if bp.home_region not in bp.governed_regions:
        yield Issue("home-region-not-governed",
                    f"home_region {bp.home_region!r} is not in governed_regions "
                    f"{sorted(bp.governed_regions)}",
                    hint="add the home region to governed_regions", loc=("governed_regions",))


def governed_regions_are_distinct(bp: Blueprint) -> Iterator[Issue]:
    """Each governed region is listed once."""
    seen: set[str] = set()
    for i, region in enumerate(bp.governed_regions):
        if region in seen:
            yield Issue("region-duplicate", f"region {region!r} is listed twice",
                        hint="list each governed region once", loc=("governed_regions", i))
        seen.add(region)


def _unknown(value: str, loc: tuple) -> Issue:
    return Issue("region-unknown", f"{value!r} is not an AWS region this tool knows",
                 hint=suggest(value, REGIONS, show=8), loc=loc)
