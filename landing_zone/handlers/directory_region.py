"""Custom resource: replicate an AWS Managed Microsoft AD (Enterprise) to another region."""

from __future__ import annotations

# Properties: DirectoryId, RegionName, VpcExportName and SubnetExportNames (two): CloudFormation export
# names of the replica region's network stack (same account), resolved here in that region because a
# template can import exports of its own region only. PhysicalResourceId: `<directory id>/<region>`.
#
# Create: AddRegion (idempotent: a region already replicated is adopted). Update: a new directory is
# a new replica (the old one is retained); other subnets for the same region cannot be applied in
# place (error with what to do); the same subnets in another order are the same replica.
# Delete: nothing. The resource is retained (DeletionPolicy Retain), so a stack deletion never sends
# it; a region is removed only when it leaves the blueprint, by the directory roster
# (directory_roster.py).
#
# Waiting: CloudFormation gives a custom resource at most an hour, and adding a region can take
# longer. is_complete waits for Active for SETTLE_SECONDS after the replication began (DescribeRegions'
# LaunchTime); a region still being built then (Requested, Creating, Created, Updating) completes the
# resource with that status as its `Status` attribute and a warning in the log: the replication goes
# on, and `aws ds describe-regions` shows how it ends. A failed region fails the resource.
import logging
import os
import re
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...). Every SDK logger, children included,
# stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")
DIRECTORY_ID = re.compile(r"^d-[0-9a-f]{10}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
# Below the provider's waiter (50 minutes): the resource answers before the waiter gives up.
SETTLE_SECONDS = 45 * 60
BUILDING = {"Requested", "Creating", "Created", "Updating"}
FAILED = {"Failed", "Inoperable", "Impaired", "RestoreFailed"}
GONE = {"Deleting", "Deleted"}


class RegionError(RuntimeError):
    """The replica could not be added; the message says why."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"), event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("replica %s retained: a region is removed only when it leaves the blueprint (directory "
                 "roster)", event.get("PhysicalResourceId"))
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or "")}
    if request not in ("Create", "Update"):
        raise RegionError(f"unknown RequestType {request!r}")
    directory_id, region = _ids(props)
    physical_id = f"{directory_id}/{region}"
    if request == "Update" and event.get("PhysicalResourceId") == physical_id:
        old = event.get("OldResourceProperties") or {}
        if _network(old) != _network(props):
            raise RegionError(f"the replica of {directory_id} in {region} cannot move to other subnets in "
                              "place: remove the region from replicate_to and deploy, then, once the region "
                              "is gone, add it back with the new VPC or subnets and deploy again")
        return {"PhysicalResourceId": physical_id}
    ds = boto3.client("ds")
    existing = _region(ds, directory_id, region)
    if existing and existing.get("Status") not in GONE:
        LOG.info("%s is already replicated to %s (%s); reusing it", directory_id, region, existing.get("Status"))
        return {"PhysicalResourceId": physical_id}
    vpc_id, subnet_ids = _resolve_network(props, region)
    try:
        ds.add_region(DirectoryId=directory_id, RegionName=region,
                      VPCSettings={"VpcId": vpc_id, "SubnetIds": subnet_ids})
    except (ClientError, BotoCoreError) as exc:
        raise RegionError(f"adding region {region} to {directory_id} failed: {_error_text(exc)}"
                          f"{_busy_hint(ds, directory_id, region)}") from exc
    LOG.info("replicating %s to %s in %s (%s)", directory_id, region, vpc_id, ", ".join(subnet_ids))
    return {"PhysicalResourceId": physical_id}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Active -> done; failed or gone -> error; still building after SETTLE_SECONDS -> done with a warning."""
    _quiet_sdk_loggers()
    if event.get("RequestType") == "Delete":
        return {"IsComplete": True}
    physical_id = str(event.get("PhysicalResourceId") or "")
    directory_id, _, region = physical_id.partition("/")
    if not DIRECTORY_ID.match(directory_id) or not region:
        return {"IsComplete": True}
    found = _region(boto3.client("ds"), directory_id, region)
    status = found.get("Status") if found else None
    LOG.info("replica of %s in %s: %s", directory_id, region, status or "not listed")
    if status == "Active":
        return {"IsComplete": True, "Data": {"Status": status}}
    if status is None or status in FAILED or status in GONE:
        raise RegionError(f"the replica of {directory_id} in {region} is {status or 'gone'}; check the "
                          "subnets (two AZs, routes to the primary region's VPC) and the directory's "
                          "health in the console")
    elapsed = _seconds_since(found.get("LaunchTime"))   # type: ignore[union-attr]
    if status in BUILDING and elapsed is not None and elapsed >= SETTLE_SECONDS:
        LOG.warning("the replica of %s in %s is still %s after %d minutes; CloudFormation cannot wait longer "
                    "than an hour, so the stack moves on while the replication goes on. Follow it with "
                    "`aws ds describe-regions --directory-id %s --region-name %s`", directory_id, region,
                    status, elapsed // 60, directory_id, region)
        return {"IsComplete": True, "Data": {"Status": status}}
    return {"IsComplete": False}


def _ids(props: dict[str, Any]) -> tuple[str, str]:
    directory_id = str(props.get("DirectoryId") or "").strip()
    region = str(props.get("RegionName") or "").strip()
    if not DIRECTORY_ID.match(directory_id):
        raise RegionError(f"DirectoryId {directory_id!r} is not a directory id")
    if not REGION.match(region):
        raise RegionError(f"RegionName {region!r} is not a region name")
    return directory_id, region


def _network(props: dict[str, Any]) -> tuple[str, frozenset[str]]:
    """The replica's placement; the subnets' order does not matter to AddRegion."""
    return str(props.get("VpcExportName") or ""), frozenset(str(s) for s in props.get("SubnetExportNames") or [])


def _resolve_network(props: dict[str, Any], region: str) -> tuple[str, list[str]]:
    """The VPC and subnet ids behind the export names, read in the replica region."""
    wanted = [str(props.get("VpcExportName") or ""), *[str(s) for s in props.get("SubnetExportNames") or []]]
    if len(wanted) != 3 or not all(wanted):
        raise RegionError("VpcExportName and two SubnetExportNames are required")
    values: dict[str, str] = {}
    try:
        for page in boto3.client("cloudformation", region_name=region).get_paginator("list_exports").paginate():
            values.update({e["Name"]: e["Value"] for e in page.get("Exports", []) if e["Name"] in wanted})
    except (ClientError, BotoCoreError) as exc:
        raise RegionError(f"listing the exports of {region} failed: {_error_text(exc)}") from exc
    missing = [name for name in wanted if name not in values]
    if missing:
        raise RegionError(f"export(s) {', '.join(missing)} not found in {region}: deploy the network stack "
                          f"of that region first")
    return values[wanted[0]], [values[w] for w in wanted[1:]]


def _region(ds: Any, directory_id: str, region: str) -> dict[str, Any] | None:
    try:
        found = ds.describe_regions(DirectoryId=directory_id, RegionName=region).get("RegionsDescription", [])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityDoesNotExistException":
            return None
        raise RegionError(f"describing the regions of {directory_id} failed: {_error_text(exc)}") from exc
    return next((r for r in found if r.get("RegionName") == region), None)


def _busy_hint(ds: Any, directory_id: str, region: str) -> str:
    """Why AddRegion may have refused: another region of the directory still being added or removed."""
    try:
        regions = ds.describe_regions(DirectoryId=directory_id).get("RegionsDescription", [])
    except (ClientError, BotoCoreError):
        return ""
    busy = sorted(f"{r.get('RegionName')} ({r.get('Status')})" for r in regions
                  if r.get("RegionName") != region and r.get("Status") in BUILDING | GONE)
    if not busy:
        return ""
    return f"; other regions of the directory are still changing: {', '.join(busy)}: deploy again once they " \
           "are Active or gone"


def _seconds_since(moment: Any) -> int | None:
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int((_now() - moment).total_seconds())


def _now() -> datetime:
    return datetime.now(UTC)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    return str(exc)


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
