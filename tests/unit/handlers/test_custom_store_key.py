"""custom_store_key against moto's KMS (moto 5.2.5 accepts CustomKeyStoreId with Origin AWS_CLOUDHSM,
without checking the store): create, idempotent create, update, delete, clear failures. The KMS
errors moto cannot produce for a key store (not connected) come from botocore's Stubber."""
from __future__ import annotations

import json

import boto3
import pytest

from landing_zone.handlers.custom_store_key import ALIAS_TAG, CustomStoreKeyError, on_event
from tests.unit.handlers.support import cfn_event

STORE = "cks-1234567890abcdef0"
POLICY = {"Version": "2012-10-17", "Statement": [{"Sid": "KeyAdministration", "Effect": "Allow",
                                                  "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                  "Action": "kms:*", "Resource": "*"}]}


def props(**overrides) -> dict:
    return {"Alias": "alias/lz/hsm", "CustomKeyStoreId": STORE, "Description": "acme landing zone key",
            "Policy": json.dumps(POLICY, separators=(",", ":")),
            "Tags": [{"Key": "Owner", "Value": "platform"}], **overrides}


def create_with_alias(**overrides) -> dict:
    """Create, then what the stack's AWS::KMS::Alias does with the KeyId."""
    result = on_event(cfn_event("Create", props(**overrides)))
    boto3.client("kms").create_alias(AliasName=props(**overrides)["Alias"], TargetKeyId=result["Data"]["KeyId"])
    return result


def test_create_makes_a_cloudhsm_key_with_policy_and_tags(aws):
    result = on_event(cfn_event("Create", props()))

    kms = boto3.client("kms")
    key_id = result["PhysicalResourceId"]
    meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert result["Data"] == {"KeyArn": meta["Arn"], "KeyId": key_id}
    assert (meta["Origin"], meta["KeySpec"], meta["KeyUsage"], meta["Description"]) == (
        "AWS_CLOUDHSM", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "acme landing zone key")
    assert json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]) == POLICY
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key_id)["Tags"]}
    assert tags == {"Owner": "platform", ALIAS_TAG: "alias/lz/hsm"}


def test_create_sends_the_custom_key_store_parameters(aws, stubs):
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    stubs.response("kms", "create_key", {"KeyMetadata": {"KeyId": arn.rsplit("/", 1)[1], "Arn": arn}}, {
        "CustomKeyStoreId": STORE, "Origin": "AWS_CLOUDHSM", "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT", "Description": "acme landing zone key", "Policy": props()["Policy"],
        "Tags": [{"TagKey": "Owner", "TagValue": "platform"}, {"TagKey": ALIAS_TAG, "TagValue": "alias/lz/hsm"}]})

    assert on_event(cfn_event("Create", props()))["Data"]["KeyArn"] == arn


def test_create_again_reuses_the_key_found_by_tag_or_alias(aws):
    first = on_event(cfn_event("Create", props()))
    # A retried create (no alias yet): found by its lz:key-alias tag.
    again = on_event(cfn_event("Create", props()))
    assert again == first
    # Once the alias exists: found through the alias.
    boto3.client("kms").create_alias(AliasName="alias/lz/hsm", TargetKeyId=first["Data"]["KeyId"])
    assert on_event(cfn_event("Create", props(Description="changed"))) == first
    keys = boto3.client("kms").list_keys()["Keys"]
    cloudhsm = [k for k in keys if boto3.client("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"]
                .get("Origin") == "AWS_CLOUDHSM"]
    assert len(cloudhsm) == 1
    assert boto3.client("kms").describe_key(KeyId=first["Data"]["KeyId"])["KeyMetadata"]["Description"] == "changed"


def test_a_tagged_key_outside_a_custom_key_store_is_not_reused(aws):
    other = boto3.client("kms").create_key(Tags=[{"TagKey": ALIAS_TAG, "TagValue": "alias/lz/hsm"}])
    mine = on_event(cfn_event("Create", props()))
    assert mine["Data"]["KeyId"] != other["KeyMetadata"]["KeyId"]


def test_update_puts_the_new_policy_and_description(aws):
    created = create_with_alias()
    key_id = created["PhysicalResourceId"]
    policy = {**POLICY, "Statement": [*POLICY["Statement"], {
        "Sid": "AccountsUse", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444444444444:root"},
        "Action": "kms:Decrypt", "Resource": "*"}]}

    result = on_event(cfn_event("Update", props(Policy=json.dumps(policy), Description="new"),
                                old=props(), physical_id=key_id))

    assert result == created
    kms = boto3.client("kms")
    assert json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]) == policy
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "new"


def test_update_to_another_key_store_says_a_new_key_needs_a_new_alias(aws):
    key_id = create_with_alias()["PhysicalResourceId"]
    with pytest.raises(CustomStoreKeyError, match="cannot change .*A new key needs a new alias"):
        on_event(cfn_event("Update", props(CustomKeyStoreId="cks-0000000000aaaaaaa"), old=props(),
                           physical_id=key_id))


def test_delete_keeps_the_key(aws):
    key_id = create_with_alias()["PhysicalResourceId"]

    assert on_event(cfn_event("Delete", props(), physical_id=key_id)) == {"PhysicalResourceId": key_id}

    assert boto3.client("kms").describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_alias_on_a_key_outside_the_store_fails_clearly(aws):
    kms = boto3.client("kms")
    plain = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/lz/hsm", TargetKeyId=plain)
    with pytest.raises(CustomStoreKeyError, match=f"alias/lz/hsm already points at key {plain}, which is not "
                                                  f"in custom key store {STORE}.*not moved"):
        on_event(cfn_event("Create", props()))


def test_a_disconnected_key_store_fails_with_what_to_do(aws, stubs):
    stubs.error("kms", "create_key", "CustomKeyStoreInvalidStateException",
                "Custom key store cks-1234567890abcdef0 is not connected")
    with pytest.raises(CustomStoreKeyError, match="CustomKeyStoreInvalidStateException.*connect-custom-key-store"):
        on_event(cfn_event("Create", props()))


@pytest.mark.parametrize(("change", "message"), [
    ({"Alias": "alias/aws/x"}, "not a customer key alias"),
    ({"CustomKeyStoreId": "store-1"}, "not a custom key store id"),
    ({"Policy": "{not json"}, "not a JSON document"),
])
def test_bad_properties_are_refused_before_any_call(aws, change, message):
    with pytest.raises(CustomStoreKeyError, match=message):
        on_event(cfn_event("Create", props(**change)))


def test_unknown_request_type(aws):
    with pytest.raises(CustomStoreKeyError, match="unknown RequestType"):
        on_event(cfn_event("Replace", props()))
