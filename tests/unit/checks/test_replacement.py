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
