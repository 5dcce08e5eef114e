"""SCP and RCP statements per target, by Sid: packing moves are no change, the control is named."""
from __future__ import annotations

import pytest

from landing_zone.diff.guardrails import diff_guardrails, statement_details, value_changes
from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.policy.evaluate import PolicyRef

SCP = "SERVICE_CONTROL_POLICY"
REGION = {"Sid": "LZREGIONDENY", "Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*",
          "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}
LEAVE = {"Sid": "LZDENYLEAVEORGANIZATION", "Effect": "Deny", "Action": "organizations:LeaveOrganization",
         "Resource": "*"}
OWN = {"Sid": "DenyBigInstances", "Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*"}


def deployed(attached: dict[str, list[tuple[str, list[dict]]]], policy_type: str = SCP) -> DeployedPolicies:
    result = DeployedPolicies(plan=None)
    for key, policies in attached.items():
        result.attached.setdefault(policy_type, {})[key] = [
            PolicyRef(name, key, {"Version": "2012-10-17", "Statement": statements}) for name, statements in policies]
    return result


def rows(base, head):
    return [(c.policy_type, c.target, c.sid, c.kind, c.control, c.policy, c.details)
            for c in diff_guardrails(base, head)]


@pytest.mark.parametrize("base, head, expected", [
    (deployed({"Root": [("g-1", [REGION]), ("g-2", [LEAVE])]}),
     deployed({"Root": [("g-1", [LEAVE, REGION])]}), []),
    (deployed({"Root": [("g-1", [LEAVE])]}), deployed({"Root": [("g-1", [LEAVE, REGION])]}),
     [("SCP", "Root", "LZREGIONDENY", "added", "LZ-REGION-001", "g-1", ())]),
    (deployed({"Workloads/Prod": [("g-1", [REGION])]}),
     deployed({"Workloads/Prod": [("g-1", [{**REGION, "Condition": {"StringNotEquals": {
         "aws:RequestedRegion": ["us-east-1", "eu-west-1", "ap-south-1"]}}}])]}),
     [("SCP", "Workloads/Prod", "LZREGIONDENY", "changed", "LZ-REGION-001", "g-1",
       ("Condition.StringNotEquals.aws:RequestedRegion: +ap-south-1",))]),
    (deployed({"account:app1": [("own", [OWN])]}), deployed({}),
     [("SCP", "account app1", "DenyBigInstances", "removed", "", "own", ())]),
    (deployed({"Root": [("a", [LEAVE])], "Sandbox": [("b", [LEAVE])]}), deployed({"Root": [("a", [LEAVE])]}),
     [("SCP", "Sandbox", "LZDENYLEAVEORGANIZATION", "removed", "LZ-ORG-001", "b", ())]),
], ids=["packing-moves-a-statement", "statement-added-at-root", "region-added-to-a-condition",
        "account-level-own-policy-removed", "removed-below-kept-above"])
def test_statement_changes(base, head, expected):
    assert rows(base, head) == expected


def test_rcps_are_compared_apart_and_sorted_root_ous_accounts():
    base = deployed({})
    head = deployed({"account:app1": [("r", [OWN])], "Root": [("r", [OWN])], "Workloads": [("r", [OWN])]},
                    "RESOURCE_CONTROL_POLICY")
    assert [(c.policy_type, c.target) for c in diff_guardrails(base, head)] == [
        ("RCP", "Root"), ("RCP", "Workloads"), ("RCP", "account app1")]


def test_statements_without_sid_and_sids_used_twice():
    plain = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    base = deployed({"Root": [("a", [OWN]), ("b", [OWN])]})
    head = deployed({"Root": [("a", [OWN]), ("b", [OWN, plain])]})
    (change,) = diff_guardrails(base, head)
    assert change.sid.startswith("(no Sid) ") and change.kind == "added"
    changed = deployed({"Root": [("a", [OWN]), ("b", [{**OWN, "Action": "ec2:StopInstances"}])]})
    (change,) = diff_guardrails(base, changed)
    assert (change.sid, change.kind, change.details) == (
        "DenyBigInstances in b", "changed", ("Action: ec2:RunInstances → ec2:StopInstances",))


@pytest.mark.parametrize("old, new, expected", [
    (["a", "b"], ["b", "c"], ["X: +c, -a"]),
    (["a", "b"], ["b", "a"], ["X: same values, other order"]),
    ("a", "b", ["X: a → b"]),
    (None, {"k": ["v"]}, ['X: (none) → {"k":["v"]}']),
    ({"StringEquals": {"k": "v"}}, {"StringEquals": {"k": "w"}, "Bool": {"b": "true"}},
     ['X.Bool: (none) → {"b":"true"}', "X.StringEquals.k: v → w"]),
], ids=["list-members", "reordered", "scalar", "element-added", "condition-nested"])
def test_value_changes(old, new, expected):
    assert list(value_changes("X", old, new)) == expected


def test_statement_details_list_elements_in_policy_order():
    old = {**REGION}
    new = {**REGION, "Effect": "Allow", "NotAction": ["iam:*", "sts:*"]}
    assert statement_details(old, new) == ("Effect: Deny → Allow", "NotAction: +sts:*")
