"""Minify, measure and normalize policy documents (landing_zone.policy.document)."""
from __future__ import annotations

import json

import pytest

from landing_zone.policy import document as doc

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
    ],
}


def test_minify_has_no_whitespace_and_keeps_key_order() -> None:
    text = doc.minify(POLICY)
    assert text == (
        '{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeave","Effect":"Deny",'
        '"Action":"organizations:LeaveOrganization","Resource":"*"}]}'
    )
    assert json.loads(text) == POLICY


def test_minify_keeps_non_ascii_as_one_character() -> None:
    assert doc.minify({"k": "é"}) == '{"k":"é"}'
    assert doc.size({"k": "é"}) == 9


def test_canonical_sorts_keys() -> None:
    reordered = {"Statement": [dict(reversed(list(POLICY["Statement"][0].items())))],
                 "Version": "2012-10-17"}
    assert doc.minify(reordered) != doc.minify(POLICY)
    assert doc.canonical(reordered) == doc.canonical(POLICY)
    assert doc.canonical(POLICY).startswith('{"Statement":[{"Action"')


def test_size_is_the_length_of_the_minified_text() -> None:
    assert doc.size(POLICY) == len(doc.minify(POLICY)) == 132


def test_iam_size_ignores_all_white_space() -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Condition": {"x": "a b  c"}}]}
    assert doc.iam_size(policy) == doc.size(policy) - 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SCP_MAX", 5120), ("RCP_MAX", 5120), ("TAG_POLICY_MAX", 10000), ("BACKUP_POLICY_MAX", 10000),
        ("AI_OPT_OUT_POLICY_MAX", 2500), ("IAM_MANAGED_POLICY_MAX", 6144),
        ("IAM_INLINE_ROLE_POLICY_MAX", 10240), ("PERMISSION_SET_INLINE_POLICY_MAX", 10240),
        ("KMS_KEY_POLICY_MAX", 32768), ("IAM_TRUST_POLICY_MAX", 2048),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_limits(name: str, value: int) -> None:
    assert getattr(doc, name) == value


def test_organizations_limits_by_policy_type() -> None:
    assert doc.ORGANIZATIONS_LIMITS == {
        "service_control": 5120, "resource_control": 5120, "tag": 10000, "backup": 10000,
        "ai_opt_out": 2500,
    }


SINGLE = {"Effect": "Deny", "Action": "*", "Resource": "*"}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ({"Statement": SINGLE}, [SINGLE]),
        ({"Statement": [SINGLE, SINGLE]}, [SINGLE, SINGLE]),
        ({"Statement": []}, []),
        ({"Version": "2012-10-17"}, []),
        ({"Statement": [SINGLE, "junk", 3]}, [SINGLE]),
        ({"Statement": "junk"}, []),
        ("not a policy", []),
    ],
    ids=["single-object", "list", "empty-list", "missing", "junk-items", "junk-statement", "not-object"],
)
def test_statements(policy: object, expected: list[dict]) -> None:
    assert doc.statements(policy) == expected


def test_statements_returns_the_statement_objects() -> None:
    policy = {"Statement": SINGLE}
    assert doc.statements(policy)[0] is SINGLE
