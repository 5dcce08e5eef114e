"""Condition operators, one family at a time (reference_policies_elements_condition_operators)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from landing_zone.policy.conditions import condition_holds, parse_operator, substitute
from landing_zone.policy.evaluate import PolicyEvaluationError, statement_matches
from landing_zone.policy.request import MISSING, Request


def holds(condition: dict, **context) -> bool:
    principal = context.pop("principal", "arn:aws:iam::111122223333:user/alice")
    return condition_holds(condition, Request("s3:GetObject", principal=principal, context=context))[0]


# ------------------------------------------------------------------------------------------------ string

@pytest.mark.parametrize("op, policy, value, expected", [
    ("StringEquals", "prod", "prod", True),
    ("StringEquals", "prod", "Prod", False),                  # case-sensitive values
    ("StringEquals", ["dev", "prod"], "prod", True),          # several values: OR
    ("StringNotEquals", ["dev", "prod"], "prod", False),      # negated: NOR
    ("StringNotEquals", ["dev", "prod"], "test", True),
    ("StringEqualsIgnoreCase", "PROD", "prod", True),
    ("StringNotEqualsIgnoreCase", "PROD", "prod", False),
    ("StringNotEqualsIgnoreCase", "PROD", "test", True),
    ("StringLike", "pro*", "production", True),
    ("StringLike", "pro?", "prod", True),
    ("StringLike", "Pro*", "production", False),              # StringLike is case-sensitive
    ("StringLike", "prod", "production", False),              # no wildcard, no partial match
    ("StringNotLike", ["dev*", "test*"], "prod", True),
    ("StringNotLike", ["dev*", "test*"], "test-1", False),
])
def test_string_operators(op, policy, value, expected):
    assert holds({op: {"aws:PrincipalTag/env": policy}}, **{"aws:PrincipalTag/env": value}) is expected


def test_condition_keys_are_case_insensitive():
    assert holds({"StringEquals": {"AWS:PRINCIPALTAG/ENV": "prod"}}, **{"aws:principaltag/env": "prod"})


def test_booleans_and_numbers_compare_as_their_text():
    assert holds({"StringEquals": {"k": "true"}}, k=True)
    assert holds({"StringEquals": {"k": "10"}}, k=10)


# ----------------------------------------------------------------------------------------------- missing

@pytest.mark.parametrize("op, expected", [
    ("StringEquals", False), ("StringLike", False), ("NumericLessThan", False), ("DateLessThan", False),
    ("Bool", False), ("IpAddress", False), ("ArnLike", False), ("BinaryEquals", False),
    ("StringNotEquals", True), ("StringNotLike", True), ("ArnNotLike", True), ("NotIpAddress", True),
    ("NumericNotEquals", True), ("DateNotEquals", True), ("StringNotEqualsIgnoreCase", True),
    ("StringEqualsIfExists", True), ("StringNotEqualsIfExists", True), ("BoolIfExists", True),
    ("NumericLessThanIfExists", True), ("IpAddressIfExists", True), ("ArnLikeIfExists", True),
])
def test_missing_key(op, expected):
    values = {"Numeric": "1", "Date": "2020-01-01T00:00:00Z", "Bool": "true", "IpAd": "10.0.0.0/8",
              "NotI": "10.0.0.0/8", "Bina": "YQ==", "ArnL": "arn:aws:iam::*:role/x",
              "ArnN": "arn:aws:iam::*:role/x"}
    value = next((v for k, v in values.items() if op.startswith(k)), "x")
    assert holds({op: {"ec2:InstanceType": value}}) is expected


def test_ifexists_still_tests_a_present_key():
    assert holds({"StringLikeIfExists": {"ec2:InstanceType": "t2.*"}}, **{"ec2:InstanceType": "t2.micro"})
    assert not holds({"StringLikeIfExists": {"ec2:InstanceType": "t2.*"}}, **{"ec2:InstanceType": "m5.large"})


# ----------------------------------------------------------------------------------------------- numeric

@pytest.mark.parametrize("op, policy, value, expected", [
    ("NumericEquals", "10", 10, True), ("NumericEquals", "10", "10.0", True),
    ("NumericNotEquals", ["10", "20"], 20, False), ("NumericNotEquals", ["10", "20"], 30, True),
    ("NumericLessThan", "10", 9, True), ("NumericLessThan", "10", 10, False),
    ("NumericLessThanEquals", "10", 10, True), ("NumericGreaterThan", "10", 11, True),
    ("NumericGreaterThan", "10", 10, False), ("NumericGreaterThanEquals", 10, "10", True),
    ("NumericLessThan", "10", "not-a-number", False),
])
def test_numeric_operators(op, policy, value, expected):
    assert holds({op: {"s3:max-keys": policy}}, **{"s3:max-keys": value}) is expected


def test_numeric_policy_value_must_be_a_number():
    with pytest.raises(PolicyEvaluationError, match="not a number"):
        holds({"NumericEquals": {"s3:max-keys": "ten"}}, **{"s3:max-keys": 10})


# -------------------------------------------------------------------------------------------------- date

@pytest.mark.parametrize("op, policy, value, expected", [
    ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True),
    ("DateEquals", "2020-01-01T00:00:00Z", 1577836800, True),                # epoch seconds
    ("DateEquals", "1577836800", "2020-01-01T00:00:00+00:00", True),
    ("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", True),
    ("DateLessThan", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", True),
    ("DateLessThan", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", False),
    ("DateLessThanEquals", "2020-01-01", "2020-01-01T00:00:00Z", True),     # date only = midnight UTC
    ("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-06-01T12:00:00Z", True),
    ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T01:00:00+01:00", True),
    ("DateGreaterThan", "2020-01-01T00:00:00Z", datetime(2021, 1, 1, tzinfo=UTC), True),
    ("DateLessThan", "2020-01-01T00:00:00Z", "garbage", False),
])
def test_date_operators(op, policy, value, expected):
    assert holds({op: {"aws:CurrentTime": policy}}, **{"aws:CurrentTime": value}) is expected


def test_date_policy_value_must_be_a_date():
    with pytest.raises(PolicyEvaluationError, match="ISO 8601"):
        holds({"DateLessThan": {"aws:CurrentTime": "yesterday"}}, **{"aws:CurrentTime": "2020-01-01"})


# --------------------------------------------------------------------------------------- bool and binary

@pytest.mark.parametrize("policy, value, expected", [
    ("true", True, True), ("true", "true", True), ("false", False, True), (False, "false", True),
    ("true", False, False), ("TRUE", "True", True), ("true", "yes", False),
])
def test_bool(policy, value, expected):
    assert holds({"Bool": {"aws:SecureTransport": policy}}, **{"aws:SecureTransport": value}) is expected


def test_binary_equals_compares_bytes_of_base64():
    cond = {"BinaryEquals": {"k": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}
    assert holds(cond, k=b"BinaryValueInBase64")
    assert holds(cond, k="QmluYXJ5VmFsdWVJbkJhc2U2NA==")
    assert not holds(cond, k=b"other")
    with pytest.raises(PolicyEvaluationError, match="base-64"):
        holds({"BinaryEquals": {"k": "not base64!"}}, k=b"x")


# ---------------------------------------------------------------------------------------------------- ip

@pytest.mark.parametrize("op, policy, value, expected", [
    ("IpAddress", "203.0.113.0/24", "203.0.113.77", True),
    ("IpAddress", "203.0.113.0/24", "203.0.114.1", False),
    ("IpAddress", "203.0.113.7", "203.0.113.7", True),                       # bare address = /32
    ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1", True),
    ("IpAddress", ["203.0.113.0/24", "2001:DB8:1234:5678::/64"], "2001:db8:1234:5679::1", False),
    ("IpAddress", "10.0.0.0/8", "::ffff:10.0.0.1", False),                    # family mismatch
    ("NotIpAddress", ["10.0.0.0/8", "192.168.0.0/16"], "192.168.1.1", False),
    ("NotIpAddress", ["10.0.0.0/8", "192.168.0.0/16"], "8.8.8.8", True),
    ("IpAddress", "10.0.0.0/8", "not-an-ip", False),
])
def test_ip_operators(op, policy, value, expected):
    assert holds({op: {"aws:SourceIp": policy}}, **{"aws:SourceIp": value}) is expected


def test_ip_policy_value_must_be_an_address():
    with pytest.raises(PolicyEvaluationError, match="CIDR"):
        holds({"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}, **{"aws:SourceIp": "10.0.0.1"})


# --------------------------------------------------------------------------------------------------- arn

@pytest.mark.parametrize("op, policy, value, expected", [
    ("ArnEquals", "arn:aws:sns:us-east-1:123456789012:topic",
     "arn:aws:sns:us-east-1:123456789012:topic", True),
    ("ArnEquals", "arn:aws:sns:*:123456789012:topic", "arn:aws:sns:eu-west-1:123456789012:topic", True),
    ("ArnLike", "arn:aws:iam::*:role/Admin?", "arn:aws:iam::111122223333:role/Admin1", True),
    ("ArnLike", "arn:aws:iam::*:role/admin1", "arn:aws:iam::111122223333:role/Admin1", False),
    ("ArnLike", "arn:aws:someservice:*:111122223333:finance/*",
     "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", False),
    ("ArnNotLike", ["arn:aws:iam::*:role/A", "arn:aws:iam::*:role/B"], "arn:aws:iam::1:role/B", False),
    ("ArnNotEquals", ["arn:aws:iam::*:role/A", "arn:aws:iam::*:role/B"], "arn:aws:iam::1:role/C", True),
    ("ArnLike", "arn:aws:iam::*:role/x", "not-an-arn", False),
])
def test_arn_operators(op, policy, value, expected):
    assert holds({op: {"aws:SourceArn": policy}}, **{"aws:SourceArn": value}) is expected


# -------------------------------------------------------------------------------------------------- null

@pytest.mark.parametrize("policy, context, expected", [
    ("true", {}, True), ("true", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, False),
    ("false", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, True), (False, {}, False),
    (True, {"aws:TokenIssueTime": []}, True),              # an empty list is no value
])
def test_null(policy, context, expected):
    assert holds({"Null": {"aws:TokenIssueTime": policy}}, **context) is expected


# ------------------------------------------------------------------------------------------ set operators

TAGS = ["ForAllValues:StringLike", "ForAnyValue:StringLike", "ForAllValues:StringNotLike",
        "ForAnyValue:StringNotLike"]


@pytest.mark.parametrize("op, request_values, expected", [
    ("ForAllValues:StringLike", ["env", "team"], True),
    ("ForAllValues:StringLike", ["env", "owner"], False),
    ("ForAllValues:StringLike", MISSING, True),                     # missing key: true
    ("ForAllValues:StringLike", [], True),                          # empty data set: true
    ("ForAllValues:StringLike", "", True),                          # empty string: empty data set
    ("ForAnyValue:StringLike", ["owner", "team"], True),
    ("ForAnyValue:StringLike", ["owner"], False),
    ("ForAnyValue:StringLike", MISSING, False),                     # missing key: false
    ("ForAnyValue:StringLike", [], False),
    ("ForAnyValue:StringEqualsIfExists", MISSING, False),           # set semantics win over IfExists
    ("ForAllValues:StringNotLike", ["owner"], True),                # every value matches none
    ("ForAllValues:StringNotLike", ["owner", "env"], False),
    ("ForAnyValue:StringNotLike", ["owner", "env"], True),          # one value matches none
    ("ForAnyValue:StringNotLike", ["env", "team"], False),
    ("ForAllValues:StringEquals", "env", True),                     # a single value is a one-element set
])
def test_set_operators(op, request_values, expected):
    context = {} if request_values is MISSING else {"aws:TagKeys": request_values}
    assert holds({op: {"aws:TagKeys": ["env", "team"]}}, **context) is expected


def test_single_valued_operator_on_a_list_matches_any_value():
    """Documented choice: a list given for a plain operator behaves like ForAnyValue (NOR if negated)."""
    assert holds({"StringEquals": {"k": "b"}}, k=["a", "b"])
    assert not holds({"StringNotEquals": {"k": "b"}}, k=["a", "b"])
    assert holds({"StringNotEquals": {"k": "c"}}, k=["a", "b"])


def test_several_keys_and_operators_are_anded():
    cond = {"StringEquals": {"a": "1", "b": "2"}, "Bool": {"c": "true"}}
    assert holds(cond, a="1", b="2", c=True)
    assert not holds(cond, a="1", b="3", c=True)
    assert not holds(cond, a="1", b="2", c=False)


# -------------------------------------------------------------------------------------- policy variables

def test_substitution():
    request = Request("s3:GetObject", principal="arn:aws:iam::111122223333:user/division/alice",
                      region="eu-west-1", context={"aws:PrincipalTag/team": "blue", "aws:TagKeys": ["a"]})
    assert substitute("home/${aws:username}/*", request) == "home/alice/*"
    assert substitute("${aws:PrincipalAccount}-${aws:RequestedRegion}", request) == "111122223333-eu-west-1"
    assert substitute("${AWS:PRINCIPALTAG/TEAM}", request) == "blue"
    assert substitute("${aws:PrincipalTag/missing}", request) is None
    assert substitute("${aws:PrincipalTag/missing, 'company-wide'}", request) == "company-wide"
    assert substitute("${aws:PrincipalTag/x, 'it''s'}", request) == "it's"
    assert substitute("${aws:TagKeys}", request) is None              # multivalued keys are no variables
    assert substitute("${$}{aws:username}", request) == "${aws:username}"  # one round only
    assert substitute("${aws:userid}", request) is None               # never derived


def test_special_characters_are_literal():
    assert holds({"StringLike": {"k": "a${*}b"}}, k="a*b")
    assert not holds({"StringLike": {"k": "a${*}b"}}, k="axxb")
    assert holds({"StringLike": {"k": "a${?}"}}, k="a?")
    assert not holds({"StringLike": {"k": "a${?}"}}, k="ab")
    assert holds({"StringEquals": {"k": "${$}5"}}, k="$5")


def test_unresolved_variable_matches_nothing():
    assert not holds({"StringEquals": {"k": "${aws:PrincipalTag/none}"}}, k="x")
    assert holds({"StringEquals": {"k": ["${aws:PrincipalTag/none}", "x"]}}, k="x")
    assert holds({"StringNotEquals": {"k": "${aws:PrincipalTag/none}"}}, k="x")    # no value to equal


def test_variables_are_not_expanded_for_numeric_operators():
    with pytest.raises(PolicyEvaluationError):
        holds({"NumericEquals": {"k": "${aws:PrincipalTag/n}"}}, k=1, **{"aws:PrincipalTag/n": "1"})


def test_variables_can_be_switched_off():
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}
    request = Request("s3:GetObject", "arn:aws:s3:::b/alice", "arn:aws:iam::1:user/alice")
    assert statement_matches(statement, request)[0]
    assert not statement_matches(statement, request, variables=False)[0]
    assert statement_matches(statement, Request("s3:GetObject", "arn:aws:s3:::b/${aws:username}"),
                             variables=False)[0]


# ------------------------------------------------------------------------------------------------ errors

@pytest.mark.parametrize("name", ["StringEqualz", "NullIfExists", "ForSomeValues:StringEquals",
                                  "ForAllValues:Null", "BinaryNotEquals"])
def test_unknown_operators_raise(name):
    with pytest.raises(PolicyEvaluationError, match="operator|Null"):
        parse_operator(name)


def test_unknown_operator_message_is_clear():
    with pytest.raises(PolicyEvaluationError, match="unknown condition operator 'StringEqualz'"):
        statement_matches({"Effect": "Allow", "Action": "*", "Resource": "*",
                           "Condition": {"StringEqualz": {"k": "v"}}}, Request("s3:GetObject"))


def test_policy_evaluation_error_is_a_value_error():
    assert issubclass(PolicyEvaluationError, ValueError)


@pytest.mark.parametrize("statement, match", [
    ({"Effect": "Permit", "Action": "*", "Resource": "*"}, "Effect"),
    ({"Effect": "allow", "Action": "*", "Resource": "*"}, "Effect"),
    ({"Effect": "Allow", "Resource": "*"}, "Action"),
    ({"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}, "Action"),
    ({"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "x"}, "NotResource"),
    ({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"k": "maybe"}}}, "Null"),
])
def test_malformed_statements_raise(statement, match):
    with pytest.raises(PolicyEvaluationError, match=match):
        statement_matches(statement, Request("s3:GetObject"))


def test_reason_names_the_condition():
    statement = {"Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}
    applies, why = statement_matches(statement, Request("ec2:RunInstances", region="us-east-1"))
    assert applies and "StringNotEquals aws:RequestedRegion" in why and "'us-east-1'" in why
