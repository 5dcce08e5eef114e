"""directory_share: ShareDirectory, UnshareDirectory and DescribeSharedDirectories are not in moto
5.2.5, so every Directory Service call is answered by botocore's Stubber (through `stubs`)."""
from __future__ import annotations

import boto3
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


def test_update_shares_new_accounts_and_unshares_nothing(stubs):
    # No unshare_directory queued: a call would go to moto, which lacks it, and fail the test. Unsharing
    # an account that left share_with is the roster's job (directory_roster.py).
    stubs.response("ds", "describe_shared_directories", NONE_SHARED)
    stubs.response("ds", "share_directory", {"SharedDirectoryId": "d-0000000003"}, _share("333333333333"))
    assert on_event(cfn_event("Update", {"DirectoryId": DIRECTORY, "AccountIds": ["333333333333"]},
                              old={"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]},
                              physical_id=f"{DIRECTORY}/shares")) == {"PhysicalResourceId": f"{DIRECTORY}/shares"}


def test_delete_keeps_every_share_and_calls_nothing(aws, monkeypatch):
    # Retained: a stack deletion never sends Delete, and a stray one must not unshare.
    monkeypatch.setattr(boto3, "client", lambda *a, **k: pytest.fail("Delete must not call AWS"))
    assert on_event(cfn_event("Delete", {"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]},
                              physical_id=f"{DIRECTORY}/shares")) == {"PhysicalResourceId": f"{DIRECTORY}/shares"}


def test_failure_names_the_organizations_prerequisite(stubs):
    stubs.response("ds", "describe_shared_directories", NONE_SHARED)
    stubs.error("ds", "share_directory", "OrganizationsException", "trusted access is not enabled")
    with pytest.raises(ShareError, match="trusted access"):
        on_event(cfn_event("Create", {"DirectoryId": DIRECTORY, "AccountIds": ["111111111111"]}))


def test_bad_account_ids_are_refused(aws):
    with pytest.raises(ShareError, match="12 digits"):
        on_event(cfn_event("Create", {"DirectoryId": DIRECTORY, "AccountIds": ["ou-a1b2-11111111"]}))
