"""Replacement detection from the create-only properties cfn-lint ships."""
from __future__ import annotations

import pytest

from landing_zone.checks.replacement import Change, create_only_properties, destructive_changes


@pytest.mark.parametrize("resource_type, expected", [
    ("AWS::Organizations::Account", frozenset()),
    # Moving an OU replaces it; that is why OU logical ids include the path (a new OU, old retained).
    ("AWS::Organizations::OrganizationalUnit", frozenset({"ParentId"})),
    ("AWS::KMS::ReplicaKey", frozenset({"PrimaryKeyArn"})),
    ("AWS::S3::Bucket", frozenset({"BucketName", "BucketNamePrefix", "BucketNamespace"})),
], ids=["account", "ou", "replica-key", "bucket"])
def test_create_only_properties(resource_type, expected):
    assert create_only_properties(resource_type) == expected


def test_destructive_changes_names_replacements_and_deletions():
    old = {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "a"}},
        "Gone": {"Type": "AWS::SNS::Topic"},
        "Same": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "c", "Tags": []}}}}
    new = {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
        "Same": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "c", "Tags": [{"Key": "x"}]}}}}
    assert destructive_changes(old, new) == [
        Change("Bucket", "AWS::S3::Bucket", "replace", ("BucketName",)),
        Change("Gone", "AWS::SNS::Topic", "delete", ())]


def test_kms_key_properties_immutable_in_practice_are_replacements():
    """MultiRegion is not create-only in the schema, yet no update can change it."""
    key = {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": False, "EnableKeyRotation": True,
                                                   "KeySpec": "SYMMETRIC_DEFAULT"}}
    multi = {"Type": "AWS::KMS::Key", "Properties": {**key["Properties"], "MultiRegion": True}}
    assert destructive_changes({"Resources": {"Key": key}}, {"Resources": {"Key": multi}}) == [
        Change("Key", "AWS::KMS::Key", "replace", ("MultiRegion",))]
    external = {"Type": "AWS::KMS::Key", "Properties": {**key["Properties"], "Origin": "EXTERNAL",
                                                        "KeySpec": "RSA_2048"}}
    assert destructive_changes({"Resources": {"Key": key}}, {"Resources": {"Key": external}}) == [
        Change("Key", "AWS::KMS::Key", "replace", ("KeySpec", "Origin"))]
    rotated = {"Type": "AWS::KMS::Key", "Properties": {**key["Properties"], "EnableKeyRotation": False}}
    assert destructive_changes({"Resources": {"Key": key}}, {"Resources": {"Key": rotated}}) == []


def test_replacing_properties_add_the_immutable_table_to_the_schema():
    from landing_zone.checks.replacement import replacing_properties
    assert replacing_properties("AWS::KMS::Key") == {"MultiRegion", "KeySpec", "KeyUsage", "Origin"}
    assert replacing_properties("AWS::KMS::ReplicaKey") == {"PrimaryKeyArn"}
