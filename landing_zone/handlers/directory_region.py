"""Custom resource: replicate an AWS Managed Microsoft AD (Enterprise) to another region."""

from __future__ import annotations

# Properties: DirectoryId, RegionName, VpcExportName and SubnetExportNames (two): CloudFormation export
# names of the replica region's network stack (same account), resolved here in that region because a
# template can import exports of its own region only. PhysicalResourceId: `<directory id>/<region>`.
#
# Create: AddRegion (idempotent: a region already replicated is adopted). Update: a new region or
# directory is a new replica (CloudFormation then deletes the old one); new subnets for the same
# region cannot be applied in place (error with what to do). Delete: RemoveRegion, called in the
# replica region. is_complete polls DescribeRegions until Active (or gone on delete).

import logging
import os
import re
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
DIRECTORY_ID = re.compile(r"^d-[0-9a-f]{10}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
WAIT = {"Requested", "Creating", "Created", "Updating", "Restoring"}
FAILED = {"Failed", "Inoperable", "Impaired", "RestoreFailed"}
GONE = {"Deleting", "Deleted"}


class RegionError(RuntimeError):
    """The replica could not be added or removed; the message says why."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"), event.get("PhysicalResourceId"))
    if request == "Delete":
        return {"PhysicalResourceId": _delete(str(event.get("PhysicalResourceId") or ""))}
    if request not in ("Create", "Update"):
        raise RegionError(f"unknown RequestType {request!r}")
    directory_id, region = _ids(props)
    physical_id = f"{directory_id}/{region}"
    if request == "Update" and event.get("PhysicalResourceId") == physical_id:
        old = event.get("OldResourceProperties") or {}
        keys = ("VpcExportName", "SubnetExportNames")
        if any(old.get(k) != props.get(k) for k in keys):
            raise RegionError(f"the replica of {directory_id} in {region} cannot move to other subnets in "
                              "place: remove the region from replicate_to and deploy, then add it back with "
                              "the new VPC or subnets and deploy again")
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
        raise RegionError(f"adding region {region} to {directory_id} failed: {_error_text(exc)}") from exc
    LOG.info("replicating %s to %s in %s (%s)", directory_id, region, vpc_id, ", ".join(subnet_ids))
    return {"PhysicalResourceId": physical_id}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    physical_id = str(event.get("PhysicalResourceId") or "")
    directory_id, _, region = physical_id.partition("/")
    if not DIRECTORY_ID.match(directory_id) or not region:
        return {"IsComplete": True}
    found = _region(boto3.client("ds"), directory_id, region)
    status = found.get("Status") if found else None
    LOG.info("replica of %s in %s: %s", directory_id, region, status or "gone")
    if event.get("RequestType") == "Delete":
        return {"IsComplete": status in (None, "Deleted")}
    if status == "Active":
        return {"IsComplete": True}
    if status is None or status in FAILED or status in GONE:
        raise RegionError(f"the replica of {directory_id} in {region} is {status or 'gone'}; check the "
                          "subnets (two AZs, routes to the primary region's VPC) and the directory's "
                          "health in the console")
    return {"IsComplete": False}


def _ids(props: dict[str, Any]) -> tuple[str, str]:
    directory_id = str(props.get("DirectoryId") or "").strip()
    region = str(props.get("RegionName") or "").strip()
    if not DIRECTORY_ID.match(directory_id):
        raise RegionError(f"DirectoryId {directory_id!r} is not a directory id")
    if not REGION.match(region):
        raise RegionError(f"RegionName {region!r} is not a region name")
    return directory_id, region


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


def _delete(physical_id: str) -> str:
    directory_id, _, region = physical_id.partition("/")
    if not DIRECTORY_ID.match(directory_id) or not region:
        LOG.info("physical id %r is not a replica (the create never finished): nothing to delete", physical_id)
        return physical_id
    try:
        # RemoveRegion removes the region it is called in.
        boto3.client("ds", region_name=region).remove_region(DirectoryId=directory_id)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityDoesNotExistException":
            LOG.info("the replica of %s in %s is already gone", directory_id, region)
            return physical_id
        raise RegionError(f"removing region {region} from {directory_id} failed: {_error_text(exc)}") from exc
    LOG.info("removing the replica of %s in %s", directory_id, region)
    return physical_id


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    return str(exc)
