"""`lz diff` on pairs of small blueprints built from tests/helpers.minimal(), each synthesized once per session."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from landing_zone.blueprint.load import load_blueprint
from landing_zone.cli import cli
from landing_zone.diff.build import Side, compare
from landing_zone.diff.jsonout import render_json
from landing_zone.diff.markdown import render_markdown
from landing_zone.diff.model import WARNING, ControlChange, Diff
from landing_zone.plan import build_plan
from tests.helpers import minimal, write

VPC_CONTROL = "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"
ACCOUNT = "AWS::Organizations::Account"


def base() -> dict:
    data = minimal()
    data["keys"] = [{"alias": "alias/lz/app", "account": "audit", "primary_region": "us-east-1"}]
    return data


def added_account() -> dict:
    data = base()
    data["organization"]["accounts"].append({"name": "shop-test", "email": "aws+shop-test@example.com",
                                             "unit": "Workloads/Prod"})
    return data


def renamed_account() -> dict:
    data = base()
    data["organization"]["accounts"][2]["name"] = "app1-renamed"       # same email
    return data


def moved_account() -> dict:
    data = base()
    data["organization"]["accounts"][2]["unit"] = "Security"
    return data


def multi_region_key() -> dict:
    data = base()
    data["keys"][0]["replica_regions"] = ["eu-west-1"]
    return data


def control_on_prod() -> dict:
    data = base()
    data["guardrails"] = {"enable": [{"control": VPC_CONTROL, "units": ["Workloads/Prod"]}]}
    return data


def reordered() -> dict:
    data = base()
    org = data["organization"]
    org["units"] = list(reversed(org["units"]))
    org["accounts"] = list(reversed(org["accounts"]))
    data["governed_regions"] = list(reversed(data["governed_regions"]))
    return data


def account_and_control() -> dict:
    data = added_account()
    data["guardrails"] = {"enable": [{"control": VPC_CONTROL, "units": ["Workloads/Prod"]}]}
    return data


@pytest.fixture(scope="session")
def sides(tmp_path_factory) -> Callable[[dict], Side]:
    """One synthesis per distinct blueprint for the whole session."""
    from landing_zone.cdk.app import synthesize

    cache: dict[str, Side] = {}

    def get(data: dict) -> Side:
        text = yaml.safe_dump(data, sort_keys=False)
        if text not in cache:
            folder = tmp_path_factory.mktemp("diff-bp")
            loaded = load_blueprint(write(folder, text))
            plan = build_plan(loaded)
            synthesize(plan, str(folder / "cdk.out"))
            cache[text] = Side(loaded, plan, folder / "cdk.out")
        return cache[text]
    get.cache = cache
    return get


def diff_of(sides, head: dict, old: dict | None = None) -> Diff:
    return compare(sides(old or base()), sides(head), "base", "note")


def changes(diff: Diff) -> list[tuple[str, str, str, tuple]]:
    return [(c.stack, c.kind, c.resource_type, c.properties) for s in diff.stacks for c in s.resources]


def test_adding_an_account_is_additions_only(sides):
    diff = diff_of(sides, added_account())
    kinds = {kind for _, kind, _, _ in changes(diff)}
    assert kinds == {"added"}
    assert [c for c in changes(diff) if c[2] == ACCOUNT] == [(diff.stacks[0].name, "added", ACCOUNT, ())]
    assert diff.risks == () and diff.decisions == () and diff.guardrails == ()
    assert diff.summary.accounts_added == (("shop-test", "Workloads/Prod"),)


def test_renaming_an_account_is_a_data_loss_risk(sides):
    diff = diff_of(sides, renamed_account())
    (risk,) = diff.data_loss
    old_id = sides(base()).plan.account("app1").logical_id
    assert (risk.kind, risk.subject, risk.resource_type) == ("account-renamed", old_id, ACCOUNT)
    assert "account app1 (aws+app1@example.com) reappears as AccountApp1Renamed" in risk.message
    assert diff.summary.accounts_renamed == (("app1", "app1-renamed"),)
    assert diff.summary.accounts_added == diff.summary.accounts_removed == ()


def test_moving_an_account_is_an_in_place_parent_change(sides):
    diff = diff_of(sides, moved_account())
    assert [c[1:] for c in changes(diff)] == [("modified", ACCOUNT, ("ParentIds",))]
    assert diff.risks == ()
    assert diff.summary.accounts_moved == (("app1", "Workloads/Prod", "Security"),)


def test_a_key_becoming_multi_region_is_a_retained_replacement(sides):
    """KMS cannot make a key multi-Region: CloudFormation creates a new key. The old one is retained
    (not deleted, its data still decrypts), so it is a warning shown first, not a data-loss risk."""
    diff = diff_of(sides, multi_region_key())
    replaced = [c for s in diff.stacks for c in s.resources if c.kind == "replaced"]
    assert [(c.resource_type, c.replacing, c.retained) for c in replaced] == [("AWS::KMS::Key", ("MultiRegion",), True)]
    assert [(r.severity, r.kind, r.subject) for r in diff.risks] == [(WARNING, "retained-replaced", replaced[0].logical_id)]
    assert diff.data_loss == ()
    assert any(s.status == "added" and any(c.resource_type == "AWS::KMS::ReplicaKey" for c in s.resources)
               for s in diff.stacks)


def test_enabling_a_control_on_one_ou_changes_only_its_accounts(sides):
    diff = diff_of(sides, control_on_prod())
    assert diff.decisions and {d.accounts for d in diff.decisions} == {("app1",)}
    assert {(d.before, d.after) for d in diff.decisions} == {("allow", "explicit-deny")}
    assert [(g.policy_type, g.target, g.sid, g.kind, g.control) for g in diff.guardrails] == [
        ("SCP", "Workloads/Prod", "GRDISALLOWVPCINTERNETACCESS", "added", VPC_CONTROL)]
    assert diff.summary.controls == (ControlChange(VPC_CONTROL, added=("Workloads/Prod",)),)
    assert diff.data_loss == ()


def test_reordering_lists_changes_nothing(sides):
    diff = diff_of(sides, reordered())
    assert diff.empty, render_json(diff)


def test_the_same_diff_twice_is_the_same_text(sides):
    first = diff_of(sides, account_and_control())
    again = diff_of(sides, account_and_control())
    assert render_json(first) == render_json(again) and render_markdown(first) == render_markdown(again)


def test_base_out_reads_the_base_tree_from_its_templates(sides):
    """--base-out: no base blueprint; the OUs and accounts come back from the templates."""
    from landing_zone.diff.outplan import plan_from_out
    from landing_zone.diff.templates import read_stacks

    old, new = sides(base()), sides(moved_account())
    rebuilt = plan_from_out(read_stacks(old.outdir), new.plan)
    assert {(a.name, a.unit, a.email) for a in rebuilt.accounts} == {(a.name, a.unit, a.email) for a in old.plan.accounts}
    assert {(u.path, u.logical_id) for u in rebuilt.units} == {(u.path, u.logical_id) for u in old.plan.units}
    diff = compare(Side(None, rebuilt, old.outdir), new, str(old.outdir), "note")
    assert diff.summary.accounts_moved == (("app1", "Workloads/Prod", "Security"),)
    assert not diff.summary.controls_known


@pytest.fixture()
def cli_with_cache(sides, monkeypatch):
    """The CLI's synthesis copies the session's output for the same plan (one synth per blueprint)."""
    def synthesize(plan, outdir: Path, side: str) -> None:
        cached = next((s for s in sides.cache.values() if s.plan == plan), None)
        assert cached is not None, f"{side}: no session synth for this plan"
        shutil.copytree(cached.outdir, outdir, dirs_exist_ok=True)
    monkeypatch.setattr("landing_zone.diff.build._synthesize", synthesize)


@pytest.mark.parametrize("head, flags, exit_code", [
    (added_account, [], 0),
    (renamed_account, [], 2),
    (renamed_account, ["--allow-data-loss"], 0),
    (multi_region_key, [], 0),
], ids=["add-account", "rename-account", "rename-account-allowed", "retained-replacement"])
def test_exit_codes(sides, cli_with_cache, tmp_path, head, flags, exit_code):
    sides(head())
    blueprint = write(tmp_path, yaml.safe_dump(head(), sort_keys=False))
    result = CliRunner().invoke(cli, ["diff", "--blueprint", str(blueprint), "--base-out", str(sides(base()).outdir),
                                      "--format", "json", *flags])
    assert result.exit_code == exit_code, result.stderr
    assert json.loads(result.stdout)["data_loss"] is (head is renamed_account)
    if exit_code == 2:
        assert result.stderr.endswith("lz diff: 1 data-loss risk(s); review them, then pass --allow-data-loss to "
                                      "accept\n")


def test_git_ref_end_to_end_in_markdown(sides, cli_with_cache, tmp_path, monkeypatch):
    """A repository whose last commit has the base blueprint; the working tree adds an account and
    enables a control on Workloads/Prod: the pull-request comment lists both and the decision delta."""
    sides(base())
    sides(account_and_control())
    repo = tmp_path / "repo"
    (repo / "blueprints").mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "blueprints" / "blueprint.yaml").write_text(yaml.safe_dump(base(), sort_keys=False))
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (repo / "blueprints" / "blueprint.yaml").write_text(yaml.safe_dump(account_and_control(), sort_keys=False))
    (repo / "cdk.json").write_text(json.dumps({"context": {"blueprint": "blueprints/blueprint.yaml"}}))
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["diff", "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert md.startswith("## lz diff: `HEAD` → working tree\n\n✅ no data-loss risk · 0 warnings · ")
    assert "- **added** account shop-test in Workloads/Prod" in md
    assert f"- control {VPC_CONTROL}: enabled on Workloads/Prod" in md
    assert f"| SCP | Workloads/Prod | `GRDISALLOWVPCINTERNETACCESS` | {VPC_CONTROL} | added |" in md
    assert "allow → **explicit-deny**" in md and "| `app1` |" in md
    assert "the base is the blueprint at HEAD synthesized with the current generator" in md
