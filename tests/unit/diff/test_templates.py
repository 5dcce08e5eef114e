"""Resource and stack changes between two sets of templates: kinds, replacements, attributes, moves."""
from __future__ import annotations

import json

import pytest

from landing_zone.diff.templates import StackArtifact, diff_stacks, read_stacks, resource_changes
from landing_zone.explain.requests import UsageError

ENV = "aws://111111111111/us-east-1"
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def stack(resources: dict, env: str = ENV, name: str = "s", **sections) -> StackArtifact:
    return StackArtifact(name, env, {"Resources": resources, **sections})


def account(parent: str = "ou-1", **extra) -> dict:
    return {"Type": "AWS::Organizations::Account", "Properties": {"AccountName": "a", "Email": "a@x.com",
                                                                   "ParentIds": [parent]}, **RETAIN, **extra}


def key(multi: bool, **policies) -> dict:
    return {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": multi, "EnableKeyRotation": True},
            **policies}


def bucket(name: str, **policies) -> dict:
    return {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}, **policies}


ROLE = {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "r"}}


@pytest.mark.parametrize("old, new, expected", [
    ({}, {"A": ROLE}, [("A", "added", (), (), (), False)]),
    ({"A": bucket("b", **RETAIN)}, {}, [("A", "removed", (), (), (), True)]),
    ({"A": bucket("b")}, {}, [("A", "removed", (), (), (), False)]),
    ({"A": account("ou-1")}, {"A": account("ou-2")}, [("A", "modified", ("ParentIds",), (), (), False)]),
    ({"A": {**ROLE, "DependsOn": ["B", "C"]}}, {"A": {**ROLE, "DependsOn": ["C", "B"]}}, []),
    ({"A": {**ROLE, "DependsOn": "B"}}, {"A": {**ROLE, "DependsOn": ["B"]}}, []),
    ({"A": {**ROLE, "DependsOn": "B"}}, {"A": {**ROLE, "DependsOn": "C"}},
     [("A", "modified", (), ("DependsOn",), (), False)]),
    ({"A": {**ROLE, "Metadata": {"aws:cdk:path": "x"}}}, {"A": {**ROLE, "Metadata": {"aws:cdk:path": "y"}}}, []),
    ({"A": key(False, **RETAIN)}, {"A": key(True, **RETAIN)},
     [("A", "replaced", ("MultiRegion",), (), ("MultiRegion",), True)]),
    ({"A": key(False, **RETAIN)}, {"A": key(True)},
     [("A", "replaced", ("MultiRegion",), ("DeletionPolicy", "UpdateReplacePolicy"), ("MultiRegion",), False)]),
    ({"A": bucket("one")}, {"A": bucket("two")}, [("A", "replaced", ("BucketName",), (), ("BucketName",), False)]),
    ({"A": ROLE}, {"A": bucket("b")}, [("A", "removed", (), (), (), False), ("A", "added", (), (), (), False)]),
], ids=["added", "removed-retained", "removed-not-retained", "account-moves-ou-in-place", "depends-on-order",
        "depends-on-string-or-list", "depends-on-changed", "metadata-only", "key-multi-region-retained",
        "key-retain-dropped-while-replaced", "bucket-renamed", "type-changed"])
def test_resource_changes(old, new, expected):
    changes = resource_changes("s", stack(old), stack(new))
    assert [(c.logical_id, c.kind, c.properties, c.attributes, c.replacing, c.retained) for c in changes] == expected


def test_stacks_added_removed_moved_and_unchanged_left_out():
    base = {"same": stack({"A": ROLE}, name="same"), "gone": stack({"A": ROLE}, name="gone"),
            "moves": stack({"A": ROLE}, name="moves")}
    head = {"same": stack({"A": ROLE}, name="same"), "new": stack({"A": ROLE}, name="new"),
            "moves": stack({"A": ROLE}, "aws://222222222222/eu-west-1", name="moves")}
    diffs = {d.name: d for d in diff_stacks(base, head)}
    assert sorted(diffs) == ["gone", "moves", "new"]
    assert (diffs["gone"].status, [c.kind for c in diffs["gone"].resources]) == ("removed", ["removed"])
    assert (diffs["new"].status, [c.kind for c in diffs["new"].resources]) == ("added", ["added"])
    assert (diffs["moves"].status, diffs["moves"].resources) == ("moved", ())
    assert diffs["moves"].base_environment == ENV and diffs["moves"].head_environment.endswith("eu-west-1")


def test_outputs_and_other_sections():
    base = {"s": stack({"A": ROLE}, Outputs={"Kept": {"Value": 1}, "Gone": {"Value": 1}, "Changed": {"Value": 1}},
                       Parameters={"P": {"Type": "String"}})}
    head = {"s": stack({"A": ROLE}, Outputs={"Kept": {"Value": 1}, "New": {"Value": 1}, "Changed": {"Value": 2}},
                       Parameters={"P": {"Type": "Number"}})}
    (only,) = diff_stacks(base, head)
    assert only.status == "changed"
    assert only.outputs == (("Changed", "modified"), ("Gone", "removed"), ("New", "added"))
    assert only.sections == ("Parameters",)


def test_read_stacks_uses_the_manifest_not_stray_templates(tmp_path):
    (tmp_path / "a.template.json").write_text(json.dumps({"Resources": {"A": ROLE}}))
    (tmp_path / "stale.template.json").write_text(json.dumps({"Resources": {}}))
    (tmp_path / "manifest.json").write_text(json.dumps({"artifacts": {
        "a": {"type": "aws:cloudformation:stack", "environment": ENV,
              "properties": {"templateFile": "a.template.json", "stackName": "acme-a"}},
        "a.assets": {"type": "cdk:asset-manifest", "properties": {"file": "a.assets.json"}}}}))
    stacks = read_stacks(tmp_path)
    assert list(stacks) == ["acme-a"]
    assert (stacks["acme-a"].environment, stacks["acme-a"].region) == (ENV, "us-east-1")


@pytest.mark.parametrize("files, message", [
    ({}, "is not a cdk.out folder (no readable manifest.json"),
    ({"manifest.json": "{not json"}, "is not a cdk.out folder"),
    ({"manifest.json": json.dumps({"artifacts": {"a": {"type": "aws:cloudformation:stack", "environment": ENV,
                                                       "properties": {"templateFile": "a.template.json"}}}})},
     "the template of stack a is missing or unreadable"),
], ids=["no-manifest", "bad-manifest", "missing-template"])
def test_read_stacks_bad_folder(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        read_stacks(tmp_path)
