"""directory_region: AddRegion, RemoveRegion and DescribeRegions
are not in moto 5.2.5 (and moto's CloudFormation needs a package the
pinned test dependencies lack), so those calls and ListExports are answered by botocore's Stubber (through `stubs`)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from landing_zone.handlers import directory_region
from landing_zone.handlers.directory_region import RegionError, is_complete, on_event
from tests.unit.handlers.support import cfn_event, is_complete_event

DIRECTORY = "d-1234567890"
REPLICA = "eu-west-1"
PHYSICAL_ID = f"{DIRECTORY}/{REPLICA}"
PROPS = {"DirectoryId": DIRECTORY, "RegionName": REPLICA, "VpcExportName": "acme-vpc-ids-eu-id",
         "SubnetExportNames": ["acme-vpc-ids-eu-subnet-x-id", "acme-vpc-ids-eu-subnet-y-id"]}
NOT_THERE = {"RegionsDescription": []}
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


EXPORTS = {"Exports": [{"Name": name, "Value": value, "ExportingStackId": "x"} for name, value in (
    ("acme-vpc-ids-eu-id", "vpc-0eu"), ("acme-vpc-ids-eu-subnet-x-id", "subnet-0x"),
    ("acme-vpc-ids-eu-subnet-y-id", "subnet-0y"), ("other", "vpc-other"))]}


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(directory_region, "_now", lambda: NOW)


def _region(status, minutes_ago=1, region=REPLICA):
    return {"RegionsDescription": [{"DirectoryId": DIRECTORY, "RegionName": region, "Status": status,
                                    "LaunchTime": NOW - timedelta(minutes=minutes_ago)}]}


def _waiting(event=None):
    return is_complete_event(event or cfn_event("Create", PROPS), {"PhysicalResourceId": PHYSICAL_ID})


def test_create_adds_the_region_with_the_exported_vpc_and_subnets(stubs):
    stubs.response("ds", "describe_regions", NOT_THERE, {"DirectoryId": DIRECTORY, "RegionName": REPLICA})
    stubs.response("ds", "add_region", {}, {"DirectoryId": DIRECTORY, "RegionName": REPLICA, "VPCSettings": {
        "VpcId": "vpc-0eu", "SubnetIds": ["subnet-0x", "subnet-0y"]}})
    stubs.response("cloudformation", "list_exports", EXPORTS)
    assert on_event(cfn_event("Create", PROPS)) == {"PhysicalResourceId": PHYSICAL_ID}


def test_already_replicated_is_adopted(stubs):
    stubs.response("ds", "describe_regions", _region("Active"))
    assert on_event(cfn_event("Create", PROPS))["PhysicalResourceId"] == PHYSICAL_ID


def test_missing_export_says_to_deploy_the_network_stack(stubs):
    stubs.response("ds", "describe_regions", NOT_THERE)
    stubs.response("cloudformation", "list_exports", {"Exports": []})
    with pytest.raises(RegionError, match="deploy the network stack"):
        on_event(cfn_event("Create", PROPS))


def test_add_region_refused_names_the_regions_still_changing(stubs):
    stubs.response("ds", "describe_regions", NOT_THERE)
    stubs.response("cloudformation", "list_exports", EXPORTS)
    stubs.error("ds", "add_region", "ClientException", "Another region operation is in progress")
    stubs.response("ds", "describe_regions", {"RegionsDescription": [
        {"RegionName": "us-east-1", "Status": "Active", "RegionType": "Primary"},
        {"RegionName": "ap-southeast-2", "Status": "Creating", "RegionType": "Additional"}]},
        {"DirectoryId": DIRECTORY})

    with pytest.raises(RegionError) as raised:
        on_event(cfn_event("Create", PROPS))

    assert str(raised.value) == (
        f"adding region {REPLICA} to {DIRECTORY} failed: ClientException: Another region operation is in "
        "progress; other regions of the directory are still changing: ap-southeast-2 (Creating): deploy "
        "again once they are Active or gone")


# The waiter of the provider gives up after 50 minutes, CloudFormation after an hour; adding a region
# can take longer. A region still being built SETTLE_SECONDS after its launch completes the resource
# with its status; only a failed region fails it.
@pytest.mark.parametrize(("status", "minutes_ago", "expected"), [
    ("Requested", 1, {"IsComplete": False}),
    ("Creating", 44, {"IsComplete": False}),
    ("Active", 1, {"IsComplete": True, "Data": {"Status": "Active"}}),
    ("Creating", 45, {"IsComplete": True, "Data": {"Status": "Creating"}}),
    ("Created", 90, {"IsComplete": True, "Data": {"Status": "Created"}}),
    ("Restoring", 90, {"IsComplete": False}),   # not a region being built: no early answer
], ids=["requested", "creating-within-budget", "active", "creating-at-budget", "created-adopted-late",
        "restoring"])
def test_is_complete_waits_for_active_within_the_budget(stubs, status, minutes_ago, expected):
    stubs.response("ds", "describe_regions", _region(status, minutes_ago))
    assert is_complete(_waiting()) == expected


def test_the_budget_fits_inside_the_providers_waiter():
    from landing_zone.cdk.constructs.handler_provider import MAX_WAIT, QUERY_INTERVAL

    assert directory_region.SETTLE_SECONDS + 2 * QUERY_INTERVAL <= MAX_WAIT


def test_still_building_at_the_budget_says_how_to_follow_it(stubs, caplog):
    caplog.set_level(logging.WARNING, logger=directory_region.__name__)
    stubs.response("ds", "describe_regions", _region("Creating", 46))
    is_complete(_waiting())
    assert (f"the replica of {DIRECTORY} in {REPLICA} is still Creating after 46 minutes; CloudFormation "
            "cannot wait longer than an hour") in caplog.text
    assert f"aws ds describe-regions --directory-id {DIRECTORY} --region-name {REPLICA}" in caplog.text


@pytest.mark.parametrize("status", ["Failed", "Impaired", "Deleting", None], ids=str)
def test_failed_or_gone_region_fails(stubs, status):
    stubs.response("ds", "describe_regions", _region(status) if status else NOT_THERE)
    with pytest.raises(RegionError, match=f"is {status or 'gone'}; check the subnets"):
        is_complete(_waiting())


def test_update_with_the_same_subnets_in_another_order_changes_nothing(aws, monkeypatch):
    monkeypatch.setattr(boto3, "client", lambda *a, **k: pytest.fail("no AWS call for the same subnets"))
    reordered = dict(PROPS, SubnetExportNames=list(reversed(PROPS["SubnetExportNames"])))
    assert on_event(cfn_event("Update", reordered, old=PROPS, physical_id=PHYSICAL_ID)) == {
        "PhysicalResourceId": PHYSICAL_ID}


@pytest.mark.parametrize("change", [{"SubnetExportNames": ["a", "b"]}, {"VpcExportName": "acme-vpc-other-id"}],
                         ids=["subnets", "vpc"])
def test_update_to_other_subnets_in_place_is_refused(aws, change):
    with pytest.raises(RegionError, match="cannot move to other subnets in place: remove the region from "
                                          "replicate_to and deploy, then, once the region is gone"):
        on_event(cfn_event("Update", dict(PROPS, **change), old=PROPS, physical_id=PHYSICAL_ID))


def test_delete_keeps_the_region_and_calls_nothing(aws, monkeypatch):
    # Retained: a stack deletion never sends Delete; the roster removes a region leaving the blueprint.
    monkeypatch.setattr(boto3, "client", lambda *a, **k: pytest.fail("Delete must not call AWS"))
    event = cfn_event("Delete", PROPS, physical_id=PHYSICAL_ID)
    assert on_event(event) == {"PhysicalResourceId": PHYSICAL_ID}
    assert is_complete(event) == {"IsComplete": True}


def test_no_dead_status_sets():
    # Every status set the module defines is used by its code.
    import inspect

    source = inspect.getsource(directory_region)
    names = [n for n, v in vars(directory_region).items() if isinstance(v, (set, frozenset)) and n.isupper()]
    assert names and all(source.count(n) >= 2 for n in names), names
