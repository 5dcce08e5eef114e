"""enable_ram_sharing against moto's RAM and Organizations: enable, idempotency, update, delete, errors."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers.enable_ram_sharing import PHYSICAL_ID, RamSharingError, on_event
from tests.unit.handlers.support import cfn_event

ENABLED = {"PhysicalResourceId": "ram-organization-sharing", "Data": {"Enabled": "true"}}


@pytest.fixture
def organization(aws):
    boto3.client("organizations").create_organization(FeatureSet="ALL")


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_create_and_update_enable_sharing(organization, request_type):
    old = {} if request_type == "Update" else None
    physical_id = PHYSICAL_ID if request_type == "Update" else None

    assert on_event(cfn_event(request_type, {}, old=old, physical_id=physical_id), None) == ENABLED


def test_create_again_is_idempotent(organization):
    event = cfn_event("Create", {})

    assert [on_event(event, None) for _ in range(3)] == [ENABLED] * 3


def test_delete_leaves_sharing_on_and_calls_nothing(organization, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)

    assert on_event(cfn_event("Delete", {}, physical_id=PHYSICAL_ID), None) == {
        "PhysicalResourceId": PHYSICAL_ID}


def test_outside_an_organization_fails_clearly(aws):
    with pytest.raises(RamSharingError) as raised:
        on_event(cfn_event("Create", {}), None)

    message = str(raised.value)
    assert message.startswith("enabling RAM sharing with the organization failed: "
                              "OperationNotPermittedException: Unable to enable sharing with AWS")
    assert message.endswith("; this must run in the organization's management account, the organization must "
                            "have all features enabled, and the caller needs "
                            "organizations:EnableAWSServiceAccess and iam:CreateServiceLinkedRole")


def test_return_value_false_fails_clearly(organization, stubs):
    # moto always answers returnValue true: Stubber answers this one call with false.
    stubs.response("ram", "enable_sharing_with_aws_organization", {"returnValue": False})

    with pytest.raises(RamSharingError, match="RAM answered returnValue=False; retry the deployment"):
        on_event(cfn_event("Create", {}), None)


def test_unknown_request_type_fails(aws):
    with pytest.raises(RamSharingError, match="unknown RequestType None"):
        on_event({"ResourceProperties": {}}, None)
