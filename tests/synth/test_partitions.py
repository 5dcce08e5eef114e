"""Every partition the landing zone serves gets its own ARNs, and only resources CloudFormation offers
there: the GovCloud example writes no commercial ARN anywhere in its cloud assembly."""
from __future__ import annotations

import re

from tests.synth.conftest import SHIPPED


def test_the_govcloud_landing_zone_writes_no_commercial_arn(synthesized):
    result = synthesized("govcloud")
    assert result.plan.partition == "aws-us-gov"
    files = sorted(p for p in result.outdir.iterdir() if p.suffix == ".json")
    commercial = {p.name: re.findall(r".{40}arn:aws:.{30}", p.read_text()) for p in files}
    assert {name: found for name, found in commercial.items() if found} == {}
    texts = "".join(p.read_text() for p in files if p.name.endswith(".template.json"))
    assert texts.count("arn:aws-us-gov:") > 50


def test_govcloud_accounts_are_named_by_id_not_created(synthesized):
    """AWS::Organizations::Account is offered only in the aws partition: no account stack in GovCloud."""
    plan = synthesized("govcloud").plan
    assert [s.name for s in plan.stacks if s.component == "accounts"] == []
    assert all(a.id for a in plan.accounts)


def test_the_commercial_blueprints_stay_in_the_aws_partition(synthesized):
    for name in ("standard", "enterprise"):
        text = "".join(p.read_text() for p in synthesized(name).outdir.glob("*.template.json"))
        assert "arn:aws-us-gov:" not in text and "arn:aws:" in text, name
    assert "govcloud" in SHIPPED
