"""directory_share: ShareDirectory, UnshareDirectory and DescribeSharedDirectories are not in moto
5.2.5, so every Directory Service call is answered by botocore's Stubber (through `stubs`)."""
from __future__ import annotations

import pytest

from landing_zone.handlers.directory_share import ShareError, on_event
from tests.unit.handlers.support import cfn_event

DIRECTORY = "d-1234567890"
NONE_SHARED = {"SharedDirectories": []}


def _share(account):
    return {"DirectoryId": DIRECTORY, "ShareMethod": "ORGANIZATIONS",
            "ShareTarget": {"Id": account, "Type": "ACCOUNT"}}


def test_create_shares_with_every_account_through_organizations(stubs):
    stubs.response("ds", "describe_shared_directories", NONE_SHARED, {"OwnerDirectoryId": DIRECTORY})
    stubs.response("ds", "share_directory", {"SharedDirectoryId": "d-0000000001"}, _share("111111111111"))
    stubs.response("ds", "share_directory", {"SharedDirectoryId": "d-0000000002"}, _share("222222222222"))
    result = on_event(cfn_event("Create", {"DirectoryId": DIRECTORY,
                                           "AccountIds": ["222222222222", "111111111111"]}))
    assert result == {"PhysicalResourceId": f"{DIRECTORY}/shares"}


def test_accounts_already_shared_are_skipped(stubs):
    stubs.response("ds", "describe_shared_directories", {"SharedDirectories": [
        {"OwnerDirectoryId": DIRECTORY, "SharedAccountId": "111111111111", "ShareStatus": "Shared"}]})
    on_event(cfn_event("Create", {"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]}))


def test_update_unshares_removed_accounts_and_shares_new_ones(stubs):
    stubs.response("ds", "unshare_directory", {"SharedDirectoryId": "d-0000000001"}, {
        "DirectoryId": DIRECTORY, "UnshareTarget": {"Id": "111111111111", "Type": "ACCOUNT"}})
    stubs.response("ds", "describe_shared_directories", NONE_SHARED)
    stubs.response("ds", "share_directory", {"SharedDirectoryId": "d-0000000003"}, _share("333333333333"))
    on_event(cfn_event("Update", {"DirectoryId": DIRECTORY, "AccountIds": ["333333333333"]},
                       old={"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]},
                       physical_id=f"{DIRECTORY}/shares"))


def test_delete_unshares_every_account_and_tolerates_gone_shares(stubs):
    stubs.error("ds", "unshare_directory", "DirectoryNotSharedException", "not shared")
    stubs.response("ds", "unshare_directory", {"SharedDirectoryId": "d-0000000002"})
    on_event(cfn_event("Delete", {"DirectoryId": DIRECTORY, "AccountIds": ["111111111111", "222222222222"]},
                       physical_id=f"{DIRECTORY}/shares"))


def test_failure_names_the_organizations_prerequisite(stubs):
    stubs.response("ds", "describe_shared_directories", NONE_SHARED)
    stubs.error("ds", "share_directory", "OrganizationsException", "trusted access is not enabled")
    with pytest.raises(ShareError, match="trusted access"):
        on_event(cfn_event("Create", {"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]}))


def test_bad_account_ids_are_refused(aws):
    with pytest.raises(ShareError, match="12 digits"):
        on_event(cfn_event("Create", {"DirectoryId": DIRECTORY, "AccountIds": ["ou-a1b2-11111111"]}))
