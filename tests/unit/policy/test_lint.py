"""Policy document checks (landing_zone.policy.lint): one table, each row a document and the
exact (code, pointer) problems it must produce."""
from __future__ import annotations

import json
from typing import Any

import pytest

from landing_zone.policy import document as doc
from landing_zone.policy.lint import Problem, condition_operators, lint_document

V = "2012-10-17"


def policy(*statements: dict, version: str | None = V) -> dict:
    out: dict[str, Any] = {} if version is None else {"Version": version}
    out["Statement"] = list(statements)
    return out


def deny(action: Any = "organizations:LeaveOrganization", **extra: Any) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": "*", **extra}


RCP_OK = {"Sid": "EnforceTls", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sts:*"],
          "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}
TRUST_OK = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}


def sized_scp(n: int) -> dict:
    """An SCP whose minified text is exactly n characters."""
    def build(pad: int) -> dict:
        return policy(deny("iam:*", Sid="DenyIam", Condition={
            "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/" + "x" * pad}}))
    base = doc.size(build(0))
    out = build(n - base)
    assert doc.size(out) == n
    return out


CASES: list[tuple[str, str, Any, list[tuple[str, str]]]] = [
    # --- fine documents: zero problems -------------------------------------------------------
    ("fine-scp", "scp", policy(
        deny(["organizations:LeaveOrganization", "cloudtrail:StopLogging", "s3:Get*", "iam:*AccessKey*"],
             Sid="DenyLeave"),
        {"Sid": "DenyRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "support:*"],
         "Resource": "*", "Condition": {
             "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
             "ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass"]}}},
        {"Sid": "RequireTags", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
         "Condition": {"Null": {"aws:RequestTag/Owner": "true"},
                       "ForAllValues:StringEquals": {"aws:TagKeys": ["Owner", "CostCenter"]},
                       "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "Own*"},
                       "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                       "Bool": {"aws:MultiFactorAuthPresent": False}}},
    ), []),
    ("fine-scp-single-statement-object", "scp",
     {"Version": V, "Statement": {"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*"}}, []),
    # FullAWSAccess stays attached everywhere (deny-list strategy): an Allow would silently do nothing.
    ("scp-allow-list", "scp",
     {"Version": V, "Statement": {"Effect": "Allow", "Action": ["ec2:*", "s3:*"], "Resource": "*"}},
     [("scp-allow-no-effect", "Statement[0].Effect")]),
    ("fine-scp-exactly-5120", "scp", sized_scp(5120), []),
    ("fine-rcp", "rcp", policy(RCP_OK), []),
    ("fine-identity", "identity", policy(
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]}), []),
    ("fine-permission-set", "permission_set", policy(
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}), []),
    ("fine-trust", "trust", policy(TRUST_OK), []),
    ("fine-resource-kms-sid-with-spaces", "resource", policy(
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "DenyOthers", "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root"]},
         "Action": "kms:Decrypt", "Resource": "*"}), []),
    ("fine-json-text", "scp", json.dumps(policy(deny())), []),
    # --- document shape ------------------------------------------------------------------------
    ("not-an-object", "scp", ["Statement"], [("policy-not-object", "")]),
    ("not-json", "scp", "{\"Version\": ", [("policy-json", "")]),
    ("not-json-value", "scp", policy(deny(Condition={"StringEquals": {"aws:x": "y"}}, Sid={1})),
     [("sid-format", "Statement[0].Sid"), ("policy-json", "")]),
    ("no-version", "scp", policy(deny(), version=None), [("policy-version", "Version")]),
    ("old-version", "identity", policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                                       version="2008-10-17"), [("policy-version", "Version")]),
    ("unknown-top-level", "scp", {**policy(deny()), "Statements": []},
     [("policy-unknown-element", "Statements")]),
    ("no-statement", "scp", {"Version": V}, [("statement-missing", "Statement")]),
    ("empty-statement-list", "scp", {"Version": V, "Statement": []}, [("statement-shape", "Statement")]),
    ("statement-not-object", "scp", {"Version": V, "Statement": [deny(), "x"]},
     [("statement-shape", "Statement[1]")]),
    ("statement-string", "scp", {"Version": V, "Statement": "x"}, [("statement-shape", "Statement")]),
    # --- statements ----------------------------------------------------------------------------
    ("bad-effect", "scp", policy({"Sid": "A", "Effect": "deny", "Action": "s3:GetObject", "Resource": "*"}),
     [("statement-effect", "Statement[A].Effect")]),
    ("no-effect", "scp", policy({"Action": "s3:GetObject", "Resource": "*"}),
     [("statement-effect", "Statement[0].Effect")]),
    ("action-and-notaction", "scp", policy(deny(NotAction="iam:*")), [("statement-action", "Statement[0]")]),
    ("no-action", "scp", policy({"Effect": "Deny", "Resource": "*"}), [("statement-action", "Statement[0]")]),
    ("no-resource", "identity", policy({"Effect": "Allow", "Action": "s3:GetObject"}),
     [("statement-resource", "Statement[0]")]),
    ("resource-and-notresource", "scp", policy(deny(NotResource="arn:aws:s3:::x")),
     [("statement-resource", "Statement[0]")]),
    ("empty-action-list", "scp", policy(deny([])), [("action-shape", "Statement[0].Action")]),
    ("unknown-statement-element", "scp", policy({**deny(), "Actions": ["s3:GetObject"]}),
     [("statement-unknown-element", "Statement[0].Actions")]),
    ("duplicate-sid", "scp", policy(deny(Sid="Same"), deny("s3:GetObject", Sid="Same")),
     [("sid-duplicate", "Statement[Same].Sid")]),
    ("sid-not-alphanumeric", "scp", policy(deny(Sid="deny-leave")),
     [("sid-format", "Statement[deny-leave].Sid")]),
    # --- actions -------------------------------------------------------------------------------
    ("unknown-action", "scp",
     policy(deny(["organizations:LeaveOrganization", "s3:GetObjects"], Sid="DenyRoot")),
     [("unknown-action", "Statement[DenyRoot].Action[1]")]),
    ("unknown-action-single", "scp", policy(deny("ec2:RunInstance")),
     [("unknown-action", "Statement[0].Action")]),
    ("unknown-service", "scp", policy(deny("s4:GetObject")), [("unknown-action", "Statement[0].Action")]),
    ("pattern-matches-nothing", "scp", policy(deny(["s3:Get*", "s3:Fly*"])),
     [("action-matches-nothing", "Statement[0].Action[1]")]),
    ("notaction-unknown", "scp", policy({"Effect": "Deny", "NotAction": ["iam:PassRoles"], "Resource": "*"}),
     [("unknown-action", "Statement[0].NotAction[0]")]),
    ("action-without-service", "scp", policy(deny("GetObject")), [("action-format", "Statement[0].Action")]),
    ("action-not-string", "scp", policy(deny(["s3:GetObject", 7])),
     [("action-shape", "Statement[0].Action[1]")]),
    # --- SCP grammar ---------------------------------------------------------------------------
    ("scp-principal", "scp", policy(deny(Sid="DenyRoot", Principal="*")),
     [("scp-principal", "Statement[DenyRoot].Principal")]),
    ("scp-notprincipal", "scp", policy(deny(NotPrincipal={"AWS": "arn:aws:iam::111122223333:root"})),
     [("scp-principal", "Statement[0].NotPrincipal")]),
    ("scp-5121-characters", "scp", sized_scp(5121), [("policy-too-large", "")]),
    # --- RCP grammar ---------------------------------------------------------------------------
    ("rcp-allow", "rcp", policy({**RCP_OK, "Effect": "Allow"}),
     [("rcp-allow", "Statement[EnforceTls].Effect")]),
    ("rcp-no-principal", "rcp", policy({k: v for k, v in RCP_OK.items() if k != "Principal"}),
     [("rcp-principal", "Statement[EnforceTls].Principal")]),
    ("rcp-specific-principal", "rcp",
     policy({**RCP_OK, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}),
     [("rcp-principal", "Statement[EnforceTls].Principal")]),
    ("rcp-notaction", "rcp", policy({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject",
                                     "Resource": "*"}), [("rcp-not-action", "Statement[0].NotAction")]),
    ("rcp-unsupported-service", "rcp", policy({**RCP_OK, "Action": ["s3:GetObject", "ec2:RunInstances"]}),
     [("rcp-unsupported-service", "Statement[EnforceTls].Action[1]")]),
    ("rcp-star-action", "rcp", policy({**RCP_OK, "Action": "*"}),
     [("rcp-unsupported-service", "Statement[EnforceTls].Action")]),
    ("rcp-too-large", "rcp", policy({**RCP_OK, "Resource": ["arn:aws:s3:::" + "b" * 5200]}),
     [("policy-too-large", "")]),
    # --- principals ----------------------------------------------------------------------------
    ("trust-without-principal", "trust", policy({"Effect": "Allow", "Action": "sts:AssumeRole"}),
     [("principal-missing", "Statement[0].Principal")]),
    ("trust-with-resource", "trust", policy({**TRUST_OK, "Resource": "*"}),
     [("trust-resource", "Statement[0].Resource")]),
    ("trust-notprincipal", "trust", policy({**TRUST_OK, "Effect": "Deny",
                                            "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}}),
     [("principal-not-allowed", "Statement[0].NotPrincipal")]),
    ("resource-without-principal", "resource", policy({"Effect": "Allow", "Action": "s3:GetObject",
                                                       "Resource": "arn:aws:s3:::b/*"}),
     [("principal-missing", "Statement[0].Principal")]),
    ("resource-notprincipal-allow", "resource", policy({"Effect": "Allow", "NotPrincipal": {"AWS": "x"},
                                                        "Action": "s3:GetObject", "Resource": "*"}),
     [("not-principal-allow", "Statement[0].NotPrincipal")]),
    ("resource-bad-principal-type", "resource", policy({**TRUST_OK, "Principal": {"Services": "x"},
                                                        "Resource": "*"}),
     [("principal-shape", "Statement[0].Principal.Services")]),
    ("resource-principal-and-notprincipal", "resource", policy({**TRUST_OK, "Effect": "Deny", "Resource": "*",
                                                                "NotPrincipal": {"AWS": "x"}}),
     [("statement-principal", "Statement[0]")]),
    ("identity-with-principal", "identity", policy({"Effect": "Allow", "Principal": "*",
                                                    "Action": "s3:GetObject", "Resource": "*"}),
     [("principal-not-allowed", "Statement[0].Principal")]),
    # --- conditions ----------------------------------------------------------------------------
    ("unknown-operator", "scp",
     policy(deny(Condition={"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})),
     [("unknown-condition-operator", "Statement[0].Condition.StringEqual")]),
    ("null-ifexists", "scp", policy(deny(Condition={"NullIfExists": {"aws:TokenIssueTime": "true"}})),
     [("unknown-condition-operator", "Statement[0].Condition.NullIfExists")]),
    ("bad-set-prefix", "scp", policy(deny(Condition={"ForAllValue:StringEquals": {"aws:TagKeys": "a"}})),
     [("unknown-condition-operator", "Statement[0].Condition.ForAllValue:StringEquals")]),
    ("condition-not-object", "scp", policy(deny(Condition=["StringEquals"])),
     [("condition-shape", "Statement[0].Condition")]),
    ("condition-operator-not-object", "scp", policy(deny(Condition={"StringEquals": "aws:x"})),
     [("condition-shape", "Statement[0].Condition.StringEquals")]),
    ("condition-value-object", "scp", policy(deny(Condition={"StringEquals": {"aws:x": {"a": 1}}})),
     [("condition-value", "Statement[0].Condition.StringEquals.aws:x")]),
    ("condition-value-empty-list", "scp", policy(deny(Condition={"StringEquals": {"aws:x": []}})),
     [("condition-value", "Statement[0].Condition.StringEquals.aws:x")]),
    # --- sizes and characters ------------------------------------------------------------------
    ("identity-too-large", "identity", policy({"Effect": "Allow", "Action": "s3:GetObject",
                                               "Resource": ["arn:aws:s3:::" + "b" * 6200]}),
     [("policy-too-large", "")]),
    ("iam-typographic-quote", "identity", policy({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
                                                  "Resource": "arn:aws:s3:::b/\u2019x"}),
     [("policy-characters", "")]),
    # --- several problems are all reported, in document order ----------------------------------
    ("several", "scp", policy(
        {"Sid": "One", "Effect": "Deny", "Principal": "*", "Action": ["s3:GetObjects", "s3:Fly*"],
         "Resource": "*", "Condition": {"StringEqual": {"aws:x": "y"}}}, version="2008-10-17"),
     [("policy-version", "Version"), ("scp-principal", "Statement[One].Principal"),
      ("unknown-action", "Statement[One].Action[0]"), ("action-matches-nothing", "Statement[One].Action[1]"),
      ("unknown-condition-operator", "Statement[One].Condition.StringEqual")]),
]


@pytest.mark.parametrize(("kind", "document", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lint(kind: str, document: Any, expected: list[tuple[str, str]]) -> None:
    problems = lint_document(document, kind=kind)
    assert [(p.code, p.pointer) for p in problems] == expected, "\n".join(p.format() for p in problems)
    for p in problems:
        assert p.message and p.hint, p


def by_code(problems: list[Problem], code: str) -> Problem:
    return next(p for p in problems if p.code == code)


def test_unknown_action_suggests_the_closest() -> None:
    problems = lint_document(policy(deny(["s3:GetObjects"])), kind="scp")
    p = by_code(problems, "unknown-action")
    assert "'s3:GetObjects'" in p.message
    assert "did you mean 's3:GetObject'?" in p.hint


def test_misspelled_service_suggests_the_service() -> None:
    p = by_code(lint_document(policy(deny("ec3:RunInstances")), kind="scp"), "unknown-action")
    assert "ec2:RunInstances" in p.hint


def test_unknown_operator_suggests_the_closest() -> None:
    problems = lint_document(policy(deny(Condition={"StringEqual": {"aws:x": "y"}})), kind="scp")
    assert "did you mean 'StringEquals'?" in by_code(problems, "unknown-condition-operator").hint


def test_too_large_message_names_size_and_limit() -> None:
    p = by_code(lint_document(sized_scp(5121), kind="scp"), "policy-too-large")
    assert "5,121" in p.message and "5,120" in p.message and "by 1" in p.message


def test_max_size_overrides_the_kind_limit() -> None:
    key_policy = policy({"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
                         "Action": "kms:*", "Resource": ["x" * 25000]})
    assert [p.code for p in lint_document(key_policy, kind="resource")] == ["policy-too-large"]
    assert lint_document(key_policy, kind="resource", max_size=doc.KMS_KEY_POLICY_MAX) == []


def test_rcp_allow_message_explains() -> None:
    p = by_code(lint_document(policy({**RCP_OK, "Effect": "Allow"}), kind="rcp"), "rcp-allow")
    assert "RCPFullAWSAccess" in p.message


def test_problem_format() -> None:
    p = Problem("unknown-action", "Statement[A].Action[1]", "'s3:X' is not a known action", "did you mean?")
    assert p.format() == ("Statement[A].Action[1]: 's3:X' is not a known action [unknown-action]\n"
                          "  hint: did you mean?")


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        lint_document(policy(deny()), kind="tag")  # type: ignore[arg-type]


@pytest.mark.parametrize("operator", [
    "StringEquals", "StringNotEqualsIgnoreCase", "NumericGreaterThanEquals", "DateLessThanIfExists",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddressIfExists", "ArnNotLike", "Null",
    "ForAllValues:StringLike", "ForAnyValue:ArnEqualsIfExists",
])
def test_known_operators(operator: str) -> None:
    assert operator in condition_operators()


@pytest.mark.parametrize("operator", ["StringEqual", "NullIfExists", "stringequals", "ForEach:StringEquals",
                                      "StringEqualsIfExistsIfExists"])
def test_unknown_operators(operator: str) -> None:
    assert operator not in condition_operators()
