"""directory_region: AddRegion, RemoveRegion and DescribeRegions
are not in moto 5.2.5 (and moto's CloudFormation needs a package the
pinned test dependencies lack), so those calls and ListExports are answered by botocore's Stubber (through `stubs`)."""
from __future__ import annotations

import pytest

from landing_zone.handlers.directory_region import RegionError, is_complete, on_event
from tests.unit.handlers.support import cfn_event, is_complete_event

DIRECTORY = "d-1234567890"
REPLICA = "eu-west-1"
PROPS = {"DirectoryId": DIRECTORY, "RegionName": REPLICA, "VpcExportName": "acme-vpc-ids-eu-id",
         "SubnetExportNames": ["acme-vpc-ids-eu-subnet-x-id", "acme-vpc-ids-eu-subnet-y-id"]}
NOT_THERE = {"RegionsDescription": []}


EXPORTS = {"Exports": [{"Name": name, "Value": value, "ExportingStackId": "x"} for name, value in (
    ("acme-vpc-ids-eu-id", "vpc-0eu"), ("acme-vpc-ids-eu-subnet-x-id", "subnet-0x"),
    ("acme-vpc-ids-eu-subnet-y-id", "subnet-0y"), ("other", "vpc-other"))]}


@pytest.fixture
def exports(stubs):
    """The replica region's network stack exports. moto's CloudFormation needs openapi-spec-validator,
    which the pinned test dependencies do not carry, so ListExports is stubbed too."""
    stubs.response("cloudformation", "list_exports", EXPORTS)


def _region(status):
    return {"RegionsDescription": [{"DirectoryId": DIRECTORY, "RegionName": REPLICA, "Status": status}]}


def test_create_adds_the_region_with_the_exported_vpc_and_subnets(stubs):
    stubs.response("ds", "describe_regions", NOT_THERE, {"DirectoryId": DIRECTORY, "RegionName": REPLICA})
    stubs.response("ds", "add_region", {}, {"DirectoryId": DIRECTORY, "RegionName": REPLICA, "VPCSettings": {
        "VpcId": "vpc-0eu", "SubnetIds": ["subnet-0x", "subnet-0y"]}})
    stubs.response("cloudformation", "list_exports", EXPORTS)
    assert on_event(cfn_event("Create", PROPS)) == {"PhysicalResourceId": f"{DIRECTORY}/{REPLICA}"}


def test_already_replicated_is_adopted(stubs):
    stubs.response("ds", "describe_regions", _region("Active"))
    assert on_event(cfn_event("Create", PROPS))["PhysicalResourceId"] == f"{DIRECTORY}/{REPLICA}"


def test_missing_export_says_to_deploy_the_network_stack(stubs):
    stubs.response("ds", "describe_regions", NOT_THERE)
    stubs.response("cloudformation", "list_exports", {"Exports": []})
    with pytest.raises(RegionError, match="deploy the network stack"):
        on_event(cfn_event("Create", PROPS))


@pytest.mark.parametrize("status,done", [("Creating", False), ("Active", True)])
def test_is_complete_waits_for_active(aws, stubs, status, done):
    stubs.response("ds", "describe_regions", _region(status))
    event = cfn_event("Create", PROPS)
    assert is_complete(is_complete_event(event, {"PhysicalResourceId": f"{DIRECTORY}/{REPLICA}"})) == {
        "IsComplete": done}


def test_failed_status_fails(aws, stubs):
    stubs.response("ds", "describe_regions", _region("Failed"))
    with pytest.raises(RegionError, match="is Failed"):
        is_complete({**cfn_event("Create", PROPS), "PhysicalResourceId": f"{DIRECTORY}/{REPLICA}"})


def test_update_of_subnets_in_place_is_refused(aws):
    new = dict(PROPS, SubnetExportNames=["a", "b"])
    with pytest.raises(RegionError, match="cannot move"):
        on_event(cfn_event("Update", new, old=PROPS, physical_id=f"{DIRECTORY}/{REPLICA}"))


def test_delete_removes_the_region_in_the_replica_region(aws, stubs):
    stubs.response("ds", "remove_region", {}, {"DirectoryId": DIRECTORY})
    on_event(cfn_event("Delete", PROPS, physical_id=f"{DIRECTORY}/{REPLICA}"))


def test_delete_of_a_gone_region_succeeds(aws, stubs):
    stubs.error("ds", "remove_region", "EntityDoesNotExistException", "gone")
    on_event(cfn_event("Delete", PROPS, physical_id=f"{DIRECTORY}/{REPLICA}"))
    stubs.response("ds", "describe_regions", NOT_THERE)
    assert is_complete({**cfn_event("Delete", PROPS), "PhysicalResourceId": f"{DIRECTORY}/{REPLICA}"}) == {
        "IsComplete": True}
