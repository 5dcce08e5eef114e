"""Which changes are data-loss risks (exit 2) and which are warnings, with the reason shown."""
from __future__ import annotations

import pytest

from landing_zone.diff.model import DATA_LOSS, WARNING
from landing_zone.diff.risks import find_risks
from landing_zone.diff.templates import StackArtifact, diff_stacks

ENV = "aws://111111111111/us-east-1"
RETAIN = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}


def account(name: str, email: str, parent: str = "ou-1") -> dict:
    return {"Type": "AWS::Organizations::Account",
            "Properties": {"AccountName": name, "Email": email, "ParentIds": [parent]}, **RETAIN}


def unit(name: str, parent: object = "r-a1b2") -> dict:
    return {"Type": "AWS::Organizations::OrganizationalUnit", "Properties": {"Name": name, "ParentId": parent},
            **RETAIN}


def stacks(**by_name: dict) -> dict[str, StackArtifact]:
    return {name: StackArtifact(name, ENV, {"Resources": resources}) for name, resources in by_name.items()}


def risks_of(base: dict[str, StackArtifact], head: dict[str, StackArtifact]) -> list[tuple]:
    return [(r.severity, r.kind, r.stack, r.subject) for r in find_risks(diff_stacks(base, head), base, head)]


KEY = {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": False}, **RETAIN}
KEY_MULTI = {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": True}, **RETAIN}
BUCKET = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}


@pytest.mark.parametrize("base, head, expected", [
    (stacks(a={"AccountApp1": account("app1", "a@x.com")}),
     stacks(a={"AccountApp1": account("app1", "a@x.com")}, b={"AccountApp2": account("app2", "b@x.com")}), []),
    (stacks(a={"AccountApp1": account("app1", "a@x.com")}),
     stacks(a={}, b={"AccountShop": account("shop", "a@x.com")}),
     [(DATA_LOSS, "account-renamed", "a", "AccountApp1")]),
    (stacks(a={"AccountApp1": account("app1", "a@x.com")}), stacks(a={}),
     [(DATA_LOSS, "account-removed", "a", "AccountApp1")]),
    (stacks(a={"AccountApp1": account("app1", "a@x.com", "ou-1")}),
     stacks(a={"AccountApp1": account("app1", "a@x.com", "ou-2")}), []),
    (stacks(o={"OuProd": unit("Prod", {"Fn::GetAtt": ["OuWorkloads", "Id"]})}),
     stacks(o={"OuPlatformProd": unit("Prod", {"Fn::GetAtt": ["OuPlatform", "Id"]})}),
     [(DATA_LOSS, "ou-moved", "o", "OuProd")]),
    (stacks(k={"Key": KEY}), stacks(k={"Key": KEY_MULTI}), [(WARNING, "retained-replaced", "k", "Key")]),
    (stacks(k={"Key": {**KEY, "UpdateReplacePolicy": "Delete"}}), stacks(k={"Key": KEY_MULTI}),
     [(DATA_LOSS, "stateful-replaced", "k", "Key")]),
    (stacks(b={"Bucket": BUCKET, "Keep": {**BUCKET, **RETAIN}}), stacks(b={}),
     [(DATA_LOSS, "stateful-removed", "b", "Bucket"), (WARNING, "retained-removed", "b", "Keep")]),
    (stacks(r={"Role": {"Type": "AWS::IAM::Role", "Properties": {}}}), stacks(r={}), []),
    (stacks(gone={"Role": {"Type": "AWS::IAM::Role", "Properties": {}}}), stacks(),
     [(WARNING, "stack-removed", "gone", "gone")]),
    (stacks(a={"AccountApp1": account("app1", "a@x.com")}), stacks(a={"AccountApp1": account("app1", "new@x.com")}),
     [(WARNING, "account-update-refused", "a", "AccountApp1")]),
    (stacks(a={"AccountApp1": account("app1", "a@x.com")}), stacks(a={"AccountApp1": account("app-one", "a@x.com")}),
     [(WARNING, "account-update-refused", "a", "AccountApp1")]),
], ids=["account-added", "account-renamed-same-email-other-stack", "account-removed", "account-moves-ou",
        "ou-moved-under-new-parent", "retained-key-replaced", "unretained-key-replaced",
        "bucket-removed-unretained-and-retained", "role-removed-no-risk", "stack-removed",
        "account-email-changed", "account-name-changed-in-place"])
def test_risks(base, head, expected):
    assert risks_of(base, head) == expected


def test_a_stack_moving_account_is_a_warning_naming_both_environments():
    base = {"s": StackArtifact("s", ENV, {"Resources": {}})}
    head = {"s": StackArtifact("s", "aws://222222222222/eu-west-1", {"Resources": {}})}
    (risk,) = find_risks(diff_stacks(base, head), base, head)
    assert (risk.severity, risk.kind) == (WARNING, "stack-moved")
    assert ENV in risk.message and "aws://222222222222/eu-west-1" in risk.message


def test_a_rename_says_what_reappears_where():
    base = stacks(a={"AccountApp1": account("app1", "a@x.com")})
    head = stacks(a={}, b={"AccountShop": account("shop", "a@x.com")})
    (risk,) = find_risks(diff_stacks(base, head), base, head)
    assert risk.message.startswith("account app1 (a@x.com) reappears as AccountShop in b (account shop (a@x.com))")
    assert risk.message.endswith("to rename it, give the new entry `renamed_from: app1`")
