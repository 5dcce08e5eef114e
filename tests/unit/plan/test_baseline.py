"""The account baseline's Config recorder role: it may use the log archive's key, named by alias only."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan.baseline import baseline_template
from tests.helpers import minimal, write


def recorder_key_statement(tmp_path, keys: list[dict]) -> dict:
    data = minimal()
    data["keys"] = keys
    template = baseline_template(load_blueprint(write(tmp_path, data)).model, "222222222222")
    policy = template["Resources"]["ConfigRecorderRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    (statement,) = [s for s in policy["Statement"] if "kms:Decrypt" in s["Action"]]
    return statement


@pytest.mark.parametrize(("keys", "owner", "alias"), [
    pytest.param([], "222222222222", "alias/acme/logs", id="log-archive-own-key"),
    pytest.param([{"alias": "alias/lz/logs", "account": "audit", "primary_region": "us-east-1",
                   "services": ["s3"], "grants": {"accounts": ["log-archive"]}}],
                 "333333333333", "alias/lz/logs", id="blueprint-key-of-another-account"),
])
def test_recorder_role_uses_the_log_bucket_key_by_alias_only(tmp_path, keys, owner, alias):
    # `key/*` of the owner account alone would reach every key there: kms:ResourceAliases narrows it.
    assert recorder_key_statement(tmp_path, keys) == {
        "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": f"arn:aws:kms:us-east-1:{owner}:key/*",
        "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": alias}}}
