"""Wildcard, action and ARN matching against a reference regex translation (hypothesis properties)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landing_zone.policy.matching import (
    compile_actions,
    match_action,
    match_arn,
    match_principal,
    match_wildcard,
)


def reference(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """The specification: escape every character, `*` → `.*`, `?` → `.`, whole-string match."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, value, flags) is not None


def reference_arn(pattern: str, value: str) -> bool:
    """ARN rule: six colon-separated components matched one by one (the last keeps its colons)."""
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return reference(pattern, value)
    values = value.split(":", 5)
    return len(values) == 6 and all(reference(p, v) for p, v in zip(parts, values, strict=False))


# regex metacharacters on purpose; the private-use placeholders of matching.py are never generated
META = ".+()[]{}^$|\\"
TEXT = st.text(alphabet="abcAB:/-_" + META, max_size=12)
PATTERN = st.text(alphabet="abcAB:/-_*?" + META, max_size=12)
ASCII_TEXT = st.text(alphabet="abcxyzABCXYZ019:-_" + META, max_size=12)
ASCII_PATTERN = st.text(alphabet="abcxyzABCXYZ019:-_*?" + META, max_size=12)


@st.composite
def pattern_and_value(draw, pattern_strategy=PATTERN, text_strategy=TEXT):
    """A pattern and a value that often matches it: wildcards replaced by random text (or kept)."""
    pattern = draw(pattern_strategy)
    if draw(st.booleans()):
        return pattern, draw(text_strategy)
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(draw(text_strategy))
        elif ch == "?":
            out.append(draw(st.sampled_from("aB:?*.")))
        else:
            out.append(ch.swapcase() if draw(st.integers(0, 4)) == 0 else ch)
    return pattern, "".join(out)


@settings(max_examples=600, deadline=None)
@given(pattern_and_value())
def test_wildcard_matches_reference_case_sensitive(pv):
    pattern, value = pv
    assert match_wildcard(pattern, value) == reference(pattern, value)


@settings(max_examples=600, deadline=None)
@given(pattern_and_value(ASCII_PATTERN, ASCII_TEXT))
def test_wildcard_matches_reference_ignoring_case(pv):
    pattern, value = pv
    assert match_wildcard(pattern, value, ignore_case=True) == reference(pattern, value, ignore_case=True)


@settings(max_examples=600, deadline=None)
@given(pattern_and_value(ASCII_PATTERN, ASCII_TEXT))
def test_action_matching_is_case_insensitive_reference(pv):
    pattern, action = pv
    assert match_action(pattern, action) == reference(pattern, action, ignore_case=True)


@settings(max_examples=400, deadline=None)
@given(st.lists(ASCII_PATTERN, min_size=1, max_size=5), ASCII_TEXT)
def test_compiled_action_list_is_any_of_its_patterns(patterns, action):
    expected = any(reference(p, action, ignore_case=True) for p in patterns)
    assert compile_actions(tuple(patterns))(action.lower()) == expected


ARN_PART = st.text(alphabet="abc01-_/.*?$[", max_size=6)
ARN_VALUE_PART = st.text(alphabet="abc01-_/.*?$[", max_size=6).map(lambda s: s.replace("*", "x"))


@settings(max_examples=600, deadline=None)
@given(st.lists(ARN_PART, min_size=6, max_size=8), st.lists(ARN_VALUE_PART, min_size=5, max_size=8))
def test_arn_matching_is_component_by_component(pattern_parts, value_parts):
    pattern, value = ":".join(pattern_parts), ":".join(value_parts)
    assert match_arn(pattern, value) == reference_arn(pattern, value)


@settings(max_examples=300, deadline=None)
@given(pattern_and_value())
def test_non_arn_pattern_is_a_plain_wildcard(pv):
    pattern, value = pv
    if pattern.count(":") < 5:
        assert match_arn(pattern, value) == reference(pattern, value)


@pytest.mark.parametrize("pattern, value, expected", [
    ("s3:*Object*", "s3:GetObjectAcl", True),
    ("s3:*Object*", "S3:putobject", True),
    ("s3:*Object*", "s3:ListBucket", False),
    ("ec2:Describe?*", "ec2:DescribeRegions", True),
    ("ec2:Describe?*", "ec2:Describe", False),
    ("iam:*AccessKey*", "iam:ListAccessKeys", True),
    ("*", "anything:AtAll", True),
    ("s3:Get?bject", "s3:GetObject", True),
    ("s3:GetObject", "s3:GetObjectAcl", False),
    ("sts:*", "sts:AssumeRole", True),
])
def test_action_examples(pattern, value, expected):
    assert match_action(pattern, value) is expected


@pytest.mark.parametrize("pattern, value, expected", [
    ("a.b", "axb", False),                 # `.` is literal
    ("a+b", "a+b", True),
    ("(x)|[y]", "(x)|[y]", True),
    ("^$\\", "^$\\", True),
    ("a*", "a\nb", True),                  # `*` spans any character
    ("abc", "ABC", False),                 # case-sensitive by default
])
def test_metacharacters_are_literal(pattern, value, expected):
    assert match_wildcard(pattern, value) is expected


@pytest.mark.parametrize("pattern, value, expected", [
    # reference_policies_elements_condition_operators, ARN section: StringLike matches, ArnLike does not
    ("arn:aws:someservice:*:111122223333:finance/*",
     "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", False),
    ("arn:aws:iam::*:role/Admin*", "arn:aws:iam::111122223333:role/AdminRole", True),
    ("arn:aws:iam::*:role/Admin*", "arn:aws:iam::111122223333:user/AdminRole", False),
    ("arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:1:log-group:/a:log-stream:b", True),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", True),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", False),
    ("*", "*", True),
    ("arn:aws:s3:::*", "*", False),        # the literal resource "*" only matches "*"
    ("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:1:instance/i-1", True),
])
def test_arn_examples(pattern, value, expected):
    assert match_arn(pattern, value) is expected


def test_string_like_would_match_where_arn_like_does_not():
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert match_wildcard("arn:aws:someservice:*:111122223333:finance/*", value)


@pytest.mark.parametrize("spec, principal, account, role, expected", [
    ("*", "", "", "", "direct"),
    ({"AWS": "*"}, "arn:aws:iam::1:user/a", "1", "", "direct"),
    ({"AWS": "111122223333"}, "arn:aws:iam::111122223333:user/a", "111122223333", "", "account"),
    ({"AWS": "arn:aws:iam::111122223333:root"}, "arn:aws:iam::111122223333:user/a", "111122223333", "",
     "account"),
    ({"AWS": "arn:aws:iam::111122223333:root"}, "arn:aws:iam::444455556666:user/a", "444455556666", "", None),
    ({"AWS": "arn:aws:iam::111122223333:role/path/R"}, "arn:aws:sts::111122223333:assumed-role/R/s",
     "111122223333", "arn:aws:iam::111122223333:role/R", "role"),
    ({"AWS": "arn:aws:sts::111122223333:assumed-role/R/s"}, "arn:aws:sts::111122223333:assumed-role/R/s",
     "111122223333", "arn:aws:iam::111122223333:role/R", "direct"),
    ({"Service": "cloudtrail.amazonaws.com"}, "cloudtrail.amazonaws.com", "", "", "direct"),
    ({"Service": "cloudtrail.amazonaws.com"}, "config.amazonaws.com", "", "", None),
])
def test_principal_matching(spec, principal, account, role, expected):
    assert match_principal(spec, principal, account, role) == expected
