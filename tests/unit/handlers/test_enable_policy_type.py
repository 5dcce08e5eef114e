"""enable_policy_type against moto's Organizations: enable, idempotency, update, delete, errors."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers import enable_policy_type as handler
from landing_zone.handlers.enable_policy_type import PolicyTypeError, is_complete, on_event
from tests.unit.handlers.support import cfn_event, is_complete_event


def _org(feature_set: str = "ALL") -> tuple[object, str]:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet=feature_set)
    return org, org.list_roots()["Roots"][0]["Id"]


def _statuses(org, root_id: str) -> dict[str, str]:
    root = next(r for r in org.list_roots()["Roots"] if r["Id"] == root_id)
    return {t["Type"]: t["Status"] for t in root["PolicyTypes"]}


@pytest.mark.parametrize("policy_type", handler.POLICY_TYPES, ids=str.lower)
def test_create_enables_the_policy_type_and_completes(aws, policy_type):
    org, root_id = _org()
    event = cfn_event("Create", {"RootId": root_id, "PolicyType": policy_type})

    result = on_event(event, None)

    assert result == {"PhysicalResourceId": f"{root_id}/{policy_type}",
                      "Data": {"RootId": root_id, "PolicyType": policy_type}}
    assert _statuses(org, root_id) == {policy_type: "ENABLED"}
    assert is_complete(is_complete_event(event, result), None) == {
        "IsComplete": True, "Data": {"RootId": root_id, "PolicyType": policy_type}}


def test_create_again_is_a_no_op(aws):
    org, root_id = _org()
    event = cfn_event("Create", {"RootId": root_id, "PolicyType": "TAG_POLICY"})

    first, second = on_event(event, None), on_event(event, None)

    assert first == second
    assert _statuses(org, root_id) == {"TAG_POLICY": "ENABLED"}


def test_already_enabled_outside_cloudformation_is_success(aws):
    org, root_id = _org()
    org.enable_policy_type(RootId=root_id, PolicyType="BACKUP_POLICY")

    result = on_event(cfn_event("Create", {"RootId": root_id, "PolicyType": "BACKUP_POLICY"}), None)

    assert result["PhysicalResourceId"] == f"{root_id}/BACKUP_POLICY"


def test_enabled_concurrently_between_check_and_enable_is_success(aws, monkeypatch):
    org, root_id = _org()
    org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    # ListRoots lags behind: the handler sees "not enabled" and moto answers PolicyTypeAlreadyEnabled.
    monkeypatch.setattr(handler, "_status", lambda *args: None)

    result = on_event(cfn_event("Create", {"RootId": root_id, "PolicyType": "SERVICE_CONTROL_POLICY"}), None)

    assert result["PhysicalResourceId"] == f"{root_id}/SERVICE_CONTROL_POLICY"


def test_properties_are_parsed_from_cloudformation_strings(aws):
    org, root_id = _org()

    result = on_event(cfn_event("Create", {"RootId": f" {root_id} ", "PolicyType": "tag_policy"}), None)

    assert result["PhysicalResourceId"] == f"{root_id}/TAG_POLICY"


def test_is_complete_waits_while_the_type_is_pending(aws):
    from moto.organizations.models import organizations_backends

    org, root_id = _org()
    event = cfn_event("Create", {"RootId": root_id, "PolicyType": "SERVICE_CONTROL_POLICY"})
    result = on_event(event, None)
    account = boto3.client("sts").get_caller_identity()["Account"]
    root = next(ou for ou in organizations_backends[account]["aws"].ou if ou.id == root_id)
    root.policy_types[0]["Status"] = "PENDING_ENABLE"

    assert is_complete(is_complete_event(event, result), None) == {"IsComplete": False}
    assert on_event(event, None) == result  # pending counts as enabling: no second EnablePolicyType

    root.policy_types[0]["Status"] = "ENABLED"
    assert is_complete(is_complete_event(event, result), None)["IsComplete"] is True


def test_update_to_another_type_enables_it_and_keeps_the_old_one(aws):
    org, root_id = _org()
    old = {"RootId": root_id, "PolicyType": "SERVICE_CONTROL_POLICY"}
    created = on_event(cfn_event("Create", old), None)

    new = {"RootId": root_id, "PolicyType": "RESOURCE_CONTROL_POLICY"}
    updated = on_event(cfn_event("Update", new, old=old, physical_id=created["PhysicalResourceId"]), None)
    # A new physical id makes CloudFormation send Delete for the old one, which must not disable it.
    on_event(cfn_event("Delete", old, physical_id=created["PhysicalResourceId"]), None)

    assert updated["PhysicalResourceId"] == f"{root_id}/RESOURCE_CONTROL_POLICY"
    assert _statuses(org, root_id) == {"SERVICE_CONTROL_POLICY": "ENABLED",
                                       "RESOURCE_CONTROL_POLICY": "ENABLED"}


def test_delete_leaves_the_policy_type_enabled_and_calls_nothing(aws, monkeypatch):
    org, root_id = _org()
    props = {"RootId": root_id, "PolicyType": "AISERVICES_OPT_OUT_POLICY"}
    created = on_event(cfn_event("Create", props), None)

    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)
    event = cfn_event("Delete", props, physical_id=created["PhysicalResourceId"])
    deleted = on_event(event, None)
    done = is_complete(is_complete_event(event, deleted), None)
    monkeypatch.undo()

    assert deleted == {"PhysicalResourceId": f"{root_id}/AISERVICES_OPT_OUT_POLICY"}
    assert done == {"IsComplete": True}
    assert _statuses(org, root_id) == {"AISERVICES_OPT_OUT_POLICY": "ENABLED"}


@pytest.mark.parametrize(("props", "message"), [
    ({"PolicyType": "TAG_POLICY"}, "RootId '' is not an organization root id"),
    ({"RootId": "o-abc123", "PolicyType": "TAG_POLICY"}, "RootId 'o-abc123' is not an organization root id"),
    ({"RootId": "r-ab12"}, "PolicyType None is not supported; use one of SERVICE_CONTROL_POLICY"),
    ({"RootId": "r-ab12", "PolicyType": "CHATBOT_POLICY"}, "PolicyType 'CHATBOT_POLICY' is not supported"),
], ids=["no-root", "bad-root", "no-type", "unsupported-type"])
def test_bad_properties_fail_clearly(aws, props, message):
    with pytest.raises(PolicyTypeError, match=message):
        on_event(cfn_event("Create", props), None)


def test_organization_without_all_features_fails_clearly(aws):
    org, root_id = _org(feature_set="CONSOLIDATED_BILLING")

    with pytest.raises(PolicyTypeError) as raised:
        on_event(cfn_event("Create", {"RootId": root_id, "PolicyType": "SERVICE_CONTROL_POLICY"}), None)

    assert str(raised.value) == (
        "cannot enable SERVICE_CONTROL_POLICY: the organization has feature set CONSOLIDATED_BILLING, "
        "and policy types need ALL features; enable all features in the AWS Organizations console "
        "(every member account must approve), then deploy again")
    assert _statuses(org, root_id) == {}


def test_policy_type_not_available_for_organization_fails_clearly(stubs):
    org, root_id = _org()
    # moto never raises PolicyTypeNotAvailableForOrganizationException: Stubber answers this one call.
    stubs.error("organizations", "enable_policy_type", "PolicyTypeNotAvailableForOrganizationException",
                "You can't use the specified policy type with the feature set currently enabled",
                expected_params={"RootId": root_id, "PolicyType": "TAG_POLICY"})

    with pytest.raises(PolicyTypeError, match="does not have all features enabled, and policy types need"):
        on_event(cfn_event("Create", {"RootId": root_id, "PolicyType": "TAG_POLICY"}), None)


def test_unknown_root_fails_with_the_real_root(aws):
    org, root_id = _org()

    with pytest.raises(PolicyTypeError) as raised:
        on_event(cfn_event("Create", {"RootId": "r-zzzz", "PolicyType": "TAG_POLICY"}), None)

    assert str(raised.value) == (f"root r-zzzz is not a root of this organization (roots: {root_id}); "
                                 "check organization.root_id in the blueprint")


def test_no_organization_fails_clearly(aws):
    with pytest.raises(PolicyTypeError, match="cannot list the organization roots: "
                       "AWSOrganizationsNotInUseException: .*management account"):
        on_event(cfn_event("Create", {"RootId": "r-ab12", "PolicyType": "TAG_POLICY"}), None)


def test_unknown_request_type_fails(aws):
    with pytest.raises(PolicyTypeError, match="unknown RequestType 'Replace'"):
        on_event(cfn_event("Replace", {"RootId": "r-ab12", "PolicyType": "TAG_POLICY"}), None)
