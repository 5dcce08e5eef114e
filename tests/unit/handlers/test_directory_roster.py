"""directory_roster: trusts against moto's Directory Service; UnshareDirectory and RemoveRegion are not in
moto 5.2.5, so those calls are answered by botocore's Stubber (through `stubs`)."""
from __future__ import annotations

import logging

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ds.models import ds_backends

from landing_zone.handlers.directory_roster import RosterError, on_event
from tests.unit.handlers.support import REGION, cfn_event

DIRECTORY = "d-1234567890"


def roster(trusts=(), regions=(), accounts=(), directory=DIRECTORY) -> dict:
    return {"DirectoryId": directory, "Trusts": list(trusts), "Regions": list(regions),
            "SharedAccounts": list(accounts)}


def update(old: dict, new: dict) -> dict:
    return on_event(cfn_event("Update", new, old=old, physical_id=f"{old['DirectoryId']}/roster"))


@pytest.fixture
def directory(aws) -> str:
    """A Managed AD in moto with trusts to a.example.com and b.example.com."""
    ec2 = boto3.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in (("10.0.1.0/24", f"{REGION}a"), ("10.0.2.0/24", f"{REGION}b"))]
    ds = boto3.client("ds")
    directory_id = ds.create_microsoft_ad(Name="corp.example.com", Password="Adm1n-Passw0rd!",
                                          VpcSettings={"VpcId": vpc_id, "SubnetIds": subnets})["DirectoryId"]
    for domain in ("a.example.com", "b.example.com"):
        ds.create_trust(DirectoryId=directory_id, RemoteDomainName=domain, TrustPassword="x-Passw0rd!",
                        TrustDirection="Two-Way", ConditionalForwarderIpAddrs=["192.168.1.10"])
    return directory_id


def remaining_trusts(directory_id: str) -> list[str]:
    return sorted(t.remote_domain_name for t in ds_backends[DEFAULT_ACCOUNT_ID][REGION].directories[
        directory_id].trusts)


@pytest.fixture
def no_aws(aws, monkeypatch):
    monkeypatch.setattr(boto3, "client", lambda *a, **k: pytest.fail("nothing may be removed: no AWS call"))


FULL = roster(["a.example.com"], ["eu-west-1"], ["111111111111"])
ROSTER_ID = f"{DIRECTORY}/roster"


@pytest.mark.parametrize(("event", "physical_id"), [
    (cfn_event("Create", FULL), ROSTER_ID),
    (cfn_event("Delete", FULL, physical_id=ROSTER_ID), ROSTER_ID),
    (cfn_event("Update", roster(directory="d-0000000009"), old=FULL, physical_id=ROSTER_ID), "d-0000000009/roster"),
    (cfn_event("Update", roster(["A.Example.com."], ["eu-west-1"], ["111111111111"]), old=FULL,
               physical_id=ROSTER_ID), ROSTER_ID),
    (cfn_event("Update", roster(["a.example.com", "c.example.com"], ["eu-west-1", "ap-southeast-2"],
                                ["111111111111"]), old=FULL, physical_id=ROSTER_ID), ROSTER_ID),
], ids=["create", "delete-stack-or-directory-gone", "update-to-a-replaced-directory", "same-names-other-spelling",
        "only-additions"])
def test_nothing_left_the_blueprint_nothing_is_removed(no_aws, event, physical_id):
    assert on_event(event) == {"PhysicalResourceId": physical_id}


def test_a_trust_that_left_is_deleted_with_its_forwarder(directory):
    update(roster(["a.example.com", "b.example.com"], directory=directory),
           roster(["a.example.com"], directory=directory))
    assert remaining_trusts(directory) == ["a.example.com"]


def test_a_trust_already_gone_is_fine(directory):
    update(roster(["a.example.com", "z.example.com"], directory=directory),
           roster(["a.example.com"], directory=directory))
    assert remaining_trusts(directory) == ["a.example.com", "b.example.com"]


def test_an_account_that_left_share_with_is_unshared(stubs):
    stubs.response("ds", "unshare_directory", {"SharedDirectoryId": "d-0000000002"}, {
        "DirectoryId": DIRECTORY, "UnshareTarget": {"Id": "222222222222", "Type": "ACCOUNT"}})
    update(roster(accounts=["111111111111", "222222222222"]), roster(accounts=["111111111111"]))


def test_a_region_that_left_is_removed_in_that_region(stubs):
    stubs.response("ds", "remove_region", {}, {"DirectoryId": DIRECTORY}, region="eu-west-1")
    update(roster(regions=["eu-west-1", "ap-southeast-2"]), roster(regions=["ap-southeast-2"]))


def test_shares_go_before_trusts_and_regions(directory, stubs, caplog):
    # A region with shared directories cannot be removed: unshare first.
    caplog.set_level(logging.INFO, logger="landing_zone.handlers.directory_roster")
    stubs.response("ds", "unshare_directory", {"SharedDirectoryId": "d-0000000002"})
    stubs.response("ds", "remove_region", {}, {"DirectoryId": directory}, region="eu-west-1")
    update(roster(["a.example.com", "b.example.com"], ["eu-west-1"], ["111111111111"], directory=directory),
           roster(["a.example.com"], directory=directory))
    actions = [r.getMessage().split(" ")[0] for r in caplog.records if r.getMessage().startswith(
        ("unshared", "deleting trust", "removing the replica"))]
    assert actions == ["unshared", "deleting", "removing"]
    assert remaining_trusts(directory) == ["a.example.com"]


@pytest.mark.parametrize(("method", "code", "old", "message"), [
    ("unshare_directory", "DirectoryNotSharedException", roster(accounts=["222222222222"]), None),
    ("unshare_directory", "ClientException", roster(accounts=["222222222222"]),
     f"unsharing {DIRECTORY} from account 222222222222, which left share_with, failed: ClientException: no"),
    ("remove_region", "EntityDoesNotExistException", roster(regions=["eu-west-1"]), None),
    ("remove_region", "UnsupportedOperationException", roster(regions=["eu-west-1"]),
     f"removing region eu-west-1, which left replicate_to, from {DIRECTORY} failed: "
     "UnsupportedOperationException: no; a region with shared directories or authorized applications "
     "cannot be removed"),
], ids=["not-shared-is-fine", "unshare-fails", "region-gone-is-fine", "region-removal-fails"])
def test_removal_errors(stubs, method, code, old, message):
    stubs.error("ds", method, code, "no", region="eu-west-1" if method == "remove_region" else None)
    if message is None:
        update(old, roster())
    else:
        with pytest.raises(RosterError) as raised:
            update(old, roster())
        assert str(raised.value) == message
