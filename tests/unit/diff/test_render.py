"""The three formats of `lz diff`: markdown for a pull request, json for machines, text for terminals."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from landing_zone.diff.jsonout import render_json
from landing_zone.diff.markdown import LIMIT, code, render_markdown
from landing_zone.diff.model import (
    DATA_LOSS,
    WARNING,
    ControlChange,
    DecisionChange,
    Diff,
    ResourceChange,
    Risk,
    StackDiff,
    StatementChange,
    Summary,
)
from landing_zone.diff.text import render_text

ENV = "aws://111111111111/us-east-1"
ACCOUNT = "AWS::Organizations::Account"


def sample() -> Diff:
    renamed = ResourceChange("acme-accounts-05", "AccountApp1", ACCOUNT, "removed", retained=True)
    key = ResourceChange("acme-keys-audit-us-east-1", "KeyLz", "AWS::KMS::Key", "replaced", ("MultiRegion",), (),
                         ("MultiRegion",), True)
    return Diff(
        base="origin/main", head="working tree", base_note="the base is the blueprint at origin/main",
        summary=Summary(accounts_added=(("shop-test", "Workloads/NonProd"),), accounts_renamed=(("app1", "app1-new"),),
                        controls=(ControlChange("AWS-GR_DISALLOW_VPC_INTERNET_ACCESS", added=("Workloads/NonProd",)),)),
        stacks=(
            StackDiff("acme-accounts-05", "changed", ENV, ENV, (renamed,)),
            StackDiff("acme-accounts-07", "added", None, ENV,
                      (ResourceChange("acme-accounts-07", "AccountShopTest", ACCOUNT, "added"),)),
            StackDiff("acme-keys-audit-us-east-1", "changed", ENV, ENV, (key,), (("KeyArn", "modified"),)),
        ),
        risks=(Risk(DATA_LOSS, "account-renamed", "acme-accounts-05", "AccountApp1", ACCOUNT,
                    "account app1 (a@x.com) reappears as AccountApp1New"),
               Risk(WARNING, "retained-replaced", "acme-keys-audit-us-east-1", "KeyLz", "AWS::KMS::Key",
                    "replaced (MultiRegion cannot change in place)")),
        guardrails=(StatementChange("SCP", "Workloads/NonProd", "GRDISALLOWVPCINTERNETACCESS", "added",
                                    "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS", "acme-guardrails-workloadsnonprod-1"),),
        decisions=(DecisionChange("ec2:CreateInternetGateway@us-east-1", "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS",
                                  "allow", "explicit-deny", "GRDISALLOWVPCINTERNETACCESS: AWS-GR_DISALLOW_VPC_INTERNET_ACCESS",
                                  ("app1-dev", "shop-dev")),),
        requests=243)


def test_markdown_summary_first_risks_before_everything_details_per_stack():
    md = render_markdown(sample())
    lines = md.splitlines()
    assert lines[0] == "## lz diff: `origin/main` → working tree"
    assert lines[2].startswith("**🛑 1 data-loss risk** · 1 warning · stacks: 1 added, 2 changed · "
                               "resources: 1 added, 1 replaced, 1 removed · guardrail statements: 1 changed · "
                               "decisions: 2 (account, request) changed")
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == ["### Risks", "### Blueprint", "### Guardrail statements", "### Decision changes", "### Stacks"]
    assert md.index("🛑 data loss") < md.index("⚠️ warning")
    assert md.count("<details><summary>") == md.count("</details>") == 3
    assert "<details><summary><code>acme-keys-audit-us-east-1</code> — changed: 1 replaced (" in md
    assert "| replaced | `KeyLz` | AWS::KMS::Key | replaced by MultiRegion; retained |" in md
    assert "- **added** account shop-test in Workloads/NonProd" in md
    assert "| `ec2:CreateInternetGateway@us-east-1` | AWS-GR_DISALLOW_VPC_INTERNET_ACCESS | allow → **explicit-deny** |" in md
    assert "`app1-dev`, `shop-dev`" in md


def test_markdown_without_risk_and_without_change():
    safe = replace(sample(), risks=())
    assert render_markdown(safe).splitlines()[2].startswith("✅ no data-loss risk · 0 warnings")
    empty = replace(safe, summary=Summary(), stacks=(), guardrails=(), decisions=())
    assert render_markdown(empty).endswith("No changes: same templates, same guardrails, same decisions.\n")


def test_markdown_escapes_untrusted_text():
    hostile = replace(sample(), risks=(Risk(DATA_LOSS, "x", "s|t", "A`B", "T", "<script>alert(1)</script> | x"),))
    md = render_markdown(hostile)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "``A`B``" in md and "`s\\|t`" in md


@pytest.mark.parametrize("text, expected", [("a", "`a`"), ("a`b", "``a`b``"), ("`a", "`` `a ``"), ("a|b", "`a\\|b`")],
                         ids=["plain", "inner-backtick", "leading-backtick", "pipe"])
def test_code_spans(text, expected):
    assert code(text) == expected


def test_markdown_stays_under_the_comment_limit():
    many = tuple(f"account-{i:04d}" for i in range(1000))
    decisions = tuple(DecisionChange(f"s3:Action{i}@us-east-1", "LZ-X", "allow", "explicit-deny", "SID: LZ-X", many)
                      for i in range(300))
    resources = tuple(ResourceChange("big", f"Account{i:04d}", ACCOUNT, "added") for i in range(1000))
    stacks = tuple(StackDiff(f"big-{n}", "added", None, ENV, resources) for n in range(10))
    md = render_markdown(replace(sample(), decisions=decisions, stacks=stacks))
    assert len(md) < LIMIT + 2_000
    assert "… and 980 more (1000)" in md
    assert "more rows: `lz diff --format json` lists them all" in md
    assert "stack(s) left out to stay under GitHub's comment size" in md


def test_json_is_complete_sorted_and_stable():
    text = render_json(sample())
    assert text == render_json(sample())
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["data_loss"] is True
    assert data["counts"] == {"data_loss_risks": 1, "warnings": 1, "decisions": 2, "guardrail_statements": 1,
                              "requests_per_account": 243,
                              "resources": {"added": 1, "modified": 0, "removed": 1, "replaced": 1},
                              "stacks": {"added": 1, "changed": 2, "moved": 0, "removed": 0}}
    assert data["risks"][0] == {"severity": "data-loss", "kind": "account-renamed", "stack": "acme-accounts-05",
                                "subject": "AccountApp1", "resource_type": ACCOUNT,
                                "message": "account app1 (a@x.com) reappears as AccountApp1New"}
    assert data["blueprint"]["accounts_renamed"] == [{"from": "app1", "to": "app1-new"}]
    assert data["decisions"][0]["accounts"] == ["app1-dev", "shop-dev"]
    assert data["stacks"][2]["resources"][0]["replacing"] == ["MultiRegion"]


def test_json_controls_unknown_with_base_out():
    data = json.loads(render_json(replace(sample(), summary=Summary(controls_known=False))))
    assert data["blueprint"]["controls"] is None


def test_text_one_line_per_account_and_request():
    text = render_text(sample())
    assert text.splitlines()[0] == "lz diff: origin/main → working tree"
    assert "  app1-dev  ec2:CreateInternetGateway@us-east-1  allow → explicit-deny (GRDISALLOWVPCINTERNETACCESS: " in text
    assert "  shop-dev  ec2:CreateInternetGateway@us-east-1  allow → explicit-deny" in text
    assert "  DATA LOSS  acme-accounts-05  AccountApp1  AWS::Organizations::Account" in text
    assert "    ± KeyLz  AWS::KMS::Key  replaced by MultiRegion; retained" in text
    assert "    outputs: ~KeyArn" in text
    assert "  ~ account app1 renamed app1-new (same email)" in text
    assert text.index("Risks") < text.index("Blueprint") < text.index("Guardrail") < text.index("Decisions") \
        < text.index("Stacks")
