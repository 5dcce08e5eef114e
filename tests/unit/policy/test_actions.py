"""The offline IAM action database (landing_zone.policy.actions)."""
from __future__ import annotations

import re
import time

import pytest

from landing_zone.policy import actions


def test_services_are_lower_case_prefixes() -> None:
    services = actions.known_services()
    assert {"s3", "ec2", "iam", "organizations", "sts", "kms"} <= services
    assert all(s == s.lower() and ":" not in s for s in services)
    assert len(services) > 400


def test_actions_keep_the_documented_case() -> None:
    s3 = actions.actions_of("s3")
    assert {"GetObject", "PutObject", "ListBucket", "PutBucketPolicy"} <= s3
    assert actions.actions_of("S3") == s3
    assert "GetObject" in s3 and "getobject" not in s3
    assert actions.actions_of("nosuchservice") == frozenset()


@pytest.mark.parametrize(
    ("action", "known"),
    [
        ("s3:GetObject", True),
        ("S3:getobject", True),
        ("ec2:RunInstances", True),
        ("organizations:LeaveOrganization", True),
        ("iam:PassRole", True),
        ("s3:GetObjects", False),
        ("s3:", False),
        ("s3", False),
        ("", False),
        ("s3:Get*", False),
        ("nosuch:Thing", False),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_is_known(action: str, known: bool) -> None:
    assert actions.is_known(action) is known


def test_canonical_spelling() -> None:
    assert actions.canonical("S3:getobject") == "s3:GetObject"
    assert actions.canonical("s3:GetObjects") is None


@pytest.mark.parametrize(
    ("pattern", "must_include", "must_exclude"),
    [
        ("s3:Get*", {"s3:GetObject", "s3:GetBucketPolicy"}, {"s3:PutObject"}),
        ("s3:*Object*", {"s3:GetObject", "s3:PutObjectAcl", "s3:DeleteObject"}, {"s3:ListBucket"}),
        ("s3:GetObjec?", {"s3:GetObject"}, {"s3:GetObjectAcl"}),
        ("S3:GETOBJECT", {"s3:GetObject"}, set()),
        ("s?:GetObject", {"s3:GetObject"}, set()),
        ("iam:*AccessKey*", {"iam:CreateAccessKey", "iam:ListAccessKeys"}, {"iam:PassRole"}),
        ("*", {"s3:GetObject", "ec2:RunInstances", "iam:PassRole"}, set()),
    ],
    ids=["prefix", "infix", "single-char", "case-insensitive", "service-wildcard", "iam-infix", "star"],
)
def test_expand_matches(pattern: str, must_include: set[str], must_exclude: set[str]) -> None:
    found = actions.expand(pattern)
    assert must_include <= set(found)
    assert not must_exclude & set(found)
    assert found == sorted(set(found))


@pytest.mark.parametrize(
    "pattern", ["s3:Fly*", "nosuch:*", "s3", "s3*", "", "s3:GetObjects"],
    ids=["no-action", "no-service", "no-colon", "no-colon-wildcard", "empty", "misspelled"],
)
def test_expand_matches_nothing(pattern: str) -> None:
    assert actions.expand(pattern) == []


def test_expand_prefix_is_exact() -> None:
    found = actions.expand("s3:Get*")
    assert found and all(re.fullmatch(r"s3:Get\w*", a) for a in found)
    assert len(actions.expand("*")) > 15000


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("s3:GetObjects", "s3:GetObject"),
        ("ec2:RunInstance", "ec2:RunInstances"),
        ("iam:CreatAccessKey", "iam:CreateAccessKey"),
        ("s3:GetObjcet", "s3:GetObject"),
        ("organizations:LeaveOrganisation", "organizations:LeaveOrganization"),
        ("s4:GetObject", "s3:GetObject"),
        ("ec3:RunInstance", "ec2:RunInstances"),
        ("cloudtrial:StopLogging", "cloudtrail:StopLogging"),
        ("s3:Fly", None),
        ("nosuchservice:DoThing", None),
        ("s3:GetObject", None),
        ("s3:Get*", None),
        ("nonsense", None),
    ],
    ids=lambda v: repr(v),
)
def test_suggest(action: str, expected: str | None) -> None:
    assert actions.suggest(action) == expected


def test_rcp_services_include_the_launch_five() -> None:
    assert {"s3", "sts", "sqs", "secretsmanager", "kms"} <= actions.rcp_supported_services()
    assert "ec2" not in actions.rcp_supported_services()


def test_data_version_names_the_data() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", actions.data_version())


def test_extra_actions_fill_only_real_gaps() -> None:
    """An extra action that the data already has is dead weight: drop it from EXTRA_ACTIONS."""
    for service, names in actions.EXTRA_ACTIONS.items():
        try:
            raw = actions._read_json("actions", f"{service}.json")
        except FileNotFoundError:
            raw = {}
        documented = {str(v.get("name", k)).lower() for k, v in raw.items()}
        assert not {n.lower() for n in names} & documented, service


def test_first_use_is_fast() -> None:
    """`lz validate` must stay well under a second: lazy per-service loading keeps first use cheap."""
    actions.known_services.cache_clear()
    actions._actions_by_lower.cache_clear()
    start = time.perf_counter()
    typical_scp = [
        "organizations:LeaveOrganization", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail",
        "config:DeleteConfigurationRecorder", "s3:PutBucketPolicy", "iam:CreateAccessKey",
        "ec2:RunInstances", "kms:ScheduleKeyDeletion", "logs:DeleteLogGroup", "sns:DeleteTopic",
    ]
    assert all(actions.is_known(a) for a in typical_scp)
    assert time.perf_counter() - start < 0.5
