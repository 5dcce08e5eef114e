"""rules_objects against moto's S3: the Guard rules are written, rewritten on change, kept on delete."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers.rules_objects import RulesError, on_event
from tests.unit.handlers.support import REGION, cfn_event

BUCKET = "acme-guard-rules-111111111111-us-east-1"
RULES = [{"Key": "proactive/acme-proactive-root-1.guard", "Body": "rule a { Resources.*.Type exists }\n"},
         {"Key": "proactive/acme-proactive-prod-2.guard", "Body": "rule b { Resources exists }\n"}]


@pytest.fixture
def bucket(aws):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    return s3


def body(s3, key: str) -> str:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()


def test_create_writes_every_rules_file(bucket):
    result = on_event(cfn_event("Create", {"Bucket": BUCKET, "Objects": RULES}), None)
    assert {o["Key"]: body(bucket, o["Key"]) for o in RULES} == {o["Key"]: o["Body"] for o in RULES}
    assert result["PhysicalResourceId"].startswith(f"{BUCKET}:") and result["Data"] == {"Objects": "2"}


def test_a_changed_rule_is_rewritten_under_a_new_physical_id(bucket):
    first = on_event(cfn_event("Create", {"Bucket": BUCKET, "Objects": RULES}), None)["PhysicalResourceId"]
    changed = [RULES[0], {**RULES[1], "Body": "rule b2 { Resources exists }\n"}]
    second = on_event(cfn_event("Update", {"Bucket": BUCKET, "Objects": changed},
                                old={"Bucket": BUCKET, "Objects": RULES}, physical_id=first), None)
    assert second["PhysicalResourceId"] != first
    assert body(bucket, RULES[1]["Key"]) == "rule b2 { Resources exists }\n"


def test_the_order_of_the_objects_does_not_matter(bucket):
    ids = {on_event(cfn_event("Create", {"Bucket": BUCKET, "Objects": objects}), None)["PhysicalResourceId"]
           for objects in (RULES, list(reversed(RULES)))}
    assert len(ids) == 1


def test_delete_keeps_the_rules_and_calls_nothing(bucket, monkeypatch):
    on_event(cfn_event("Create", {"Bucket": BUCKET, "Objects": RULES}), None)
    monkeypatch.setattr(boto3, "client", lambda *a, **k: (_ for _ in ()).throw(AssertionError("no call")))
    assert on_event(cfn_event("Delete", {"Bucket": BUCKET, "Objects": RULES}, physical_id="x"), None) == {
        "PhysicalResourceId": "x"}


@pytest.mark.parametrize("objects, message", [
    ([{"Key": "elsewhere/a.guard", "Body": "x"}], "under proactive/"),
    ([{"Key": "proactive/a.guard"}], "text Body"),
], ids=["outside-the-prefix", "no-body"])
def test_bad_objects_are_refused_by_name(bucket, objects, message):
    with pytest.raises(RulesError, match=message):
        on_event(cfn_event("Create", {"Bucket": BUCKET, "Objects": objects}), None)


def test_a_missing_bucket_names_the_object(aws):
    with pytest.raises(RulesError, match=r"writing s3://nobody-s-bucket/proactive/acme-proactive-root-1.guard"):
        on_event(cfn_event("Create", {"Bucket": "nobody-s-bucket", "Objects": RULES[:1]}), None)
