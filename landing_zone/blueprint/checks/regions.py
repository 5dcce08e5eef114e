"""Checks of regions: real region codes, home region governed, no duplicates."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.query import walk_models
from landing_zone.blueprint.regions import REGIONS, partition
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


def _unknown(value: str, loc: Loc) -> Issue:
    return Issue("region-unknown", f"{value!r} is not an AWS region this tool knows",
                 hint=suggest(value, REGIONS, show=8), loc=loc)


# What the landing zone cannot yet build in a partition, said instead of writing wrong templates.
UNSUPPORTED_PARTITIONS = {
    "aws-cn": "service principals there end in amazonaws.com.cn for several services, the console "
              "sign-in endpoint differs, and AWS Control Tower, CloudFormation Guard hooks and parts of "
              "IAM Identity Center are not offered",
}


def regions_share_one_partition(bp: Blueprint) -> Iterator[Issue]:
    """An organization lives in one partition (aws, aws-us-gov, aws-cn): no region of another one."""
    home = partition(bp.home_region)
    for model, loc in walk_models(bp):
        for field in REGION_FIELDS:
            value = getattr(model, field, None)
            if isinstance(value, str) and value in REGIONS and partition(value) != home:
                yield _other_partition(value, home, loc + (field,))
        for field in REGION_LIST_FIELDS:
            for i, value in enumerate(getattr(model, field, None) or []):
                if value in REGIONS and partition(value) != home:
                    yield _other_partition(value, home, loc + (field, i))


def partition_is_supported(bp: Blueprint) -> Iterator[Issue]:
    """A partition the landing zone cannot serve fully is refused, never half built."""
    home = partition(bp.home_region)
    if home in UNSUPPORTED_PARTITIONS:
        yield Issue("partition-unsupported", f"home_region {bp.home_region!r} is in the {home} partition, which "
                    f"the landing zone does not support yet: {UNSUPPORTED_PARTITIONS[home]}",
                    hint="use a region of the aws or aws-us-gov partition", loc=("home_region",))


def _other_partition(value: str, home: str, loc: Loc) -> Issue:
    return Issue("region-partition-mixed", f"{value!r} is in the {partition(value)} partition, the home region "
                 f"in {home}; an organization and its accounts live in one partition",
                 hint=f"use {home} regions only", loc=loc)
