"""`lz diff` on bad input: one line (or the blueprint's issues), exit 1, never a traceback, before any synth."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from landing_zone.cli import cli
from landing_zone.diff.command import FALLBACK_BLUEPRINT, default_blueprint
from tests.helpers import minimal


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path, monkeypatch) -> Path:
    """A repository whose committed blueprint is broken (an account in an unknown OU); the working
    tree's is valid. Synthesis must never start: it is replaced by a function that fails the test."""
    root = tmp_path / "repo"
    (root / "blueprints").mkdir(parents=True)
    git(root, "init", "-q")
    broken = minimal()
    broken["organization"]["accounts"][2]["unit"] = "Workloads/Nowhere"
    (root / "blueprints" / "acme.yaml").write_text(yaml.safe_dump(broken, sort_keys=False))
    git(root, "add", ".")
    git(root, "commit", "-qm", "broken")
    (root / "blueprints" / "acme.yaml").write_text(yaml.safe_dump(minimal(), sort_keys=False))
    monkeypatch.chdir(root)

    def no_synth(*args, **kwargs):
        raise AssertionError("bad input must be reported before any synthesis")
    monkeypatch.setattr("landing_zone.diff.build._synthesize", no_synth)
    return root


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", "--blueprint", "blueprints/acme.yaml", *args])


@pytest.mark.parametrize("args, message", [
    (["--base", "HEAD", "--base-out", "x"], "lz diff: give --base GIT_REF or --base-out DIR, not both\n"),
    (["--base-out", "missing"], "lz diff: --base-out missing: no such folder (a cdk.out from `cdk synth` or "
                                "`lz diff --out DIR`, DIR/head)\n"),
    (["--base-out", "blueprints"], "lz diff: blueprints is not a cdk.out folder (no readable manifest.json: "
                                   "No such file or directory)\n"),
    (["--base", "no-such-ref"], "lz diff: --base 'no-such-ref' is not a commit of {repo} (try `git fetch`, or a "
                                "branch, tag or sha)\n"),
    (["--actions", "actions.yaml"], "lz diff: unknown action 's3:GetObjekt'; did you mean 's3:GetObject'?\n"),
], ids=["both-bases", "missing-base-out", "base-out-not-cdk-out", "bad-ref", "unknown-action"])
def test_one_line_and_exit_1(repo, args, message):
    (repo / "actions.yaml").write_text("- s3:GetObjekt\n")
    result = run(*args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == message.format(repo=repo.resolve())
    assert result.stdout == ""


def test_the_base_blueprint_issues_read_at_the_ref(repo):
    result = run("--base", "HEAD")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[0] == "lz diff: the blueprint at HEAD has issues:"
    assert lines[1].startswith("HEAD:blueprints/acme.yaml:") and "Workloads/Nowhere" in lines[1]
    assert lines[-1] == "1 error(s), 0 warning(s)"


def test_the_head_blueprint_issues_as_lz_validate_prints_them(repo):
    (repo / "blueprints" / "acme.yaml").write_text("version: 1\nname: Bad Name\n")
    result = run()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("blueprints/acme.yaml:") and "error(s)" in result.stderr


@pytest.mark.parametrize("cdk_json, expected", [
    (None, FALLBACK_BLUEPRINT),
    ({"context": {"blueprint": "blueprints/enterprise.yaml"}}, "blueprints/enterprise.yaml"),
    ({"context": {}}, FALLBACK_BLUEPRINT),
    ("not json", FALLBACK_BLUEPRINT),
], ids=["no-cdk-json", "cdk-json-context", "no-blueprint-key", "broken-cdk-json"])
def test_default_blueprint_is_the_cdk_json_one(tmp_path, monkeypatch, cdk_json, expected):
    monkeypatch.chdir(tmp_path)
    if cdk_json is not None:
        (tmp_path / "cdk.json").write_text(cdk_json if isinstance(cdk_json, str) else json.dumps(cdk_json))
    assert default_blueprint() == expected


def test_out_folders_are_fresh_and_never_clobber_other_files(tmp_path):
    """--out DIR: DIR/base and DIR/head of an earlier run are emptied (stale templates would be read
    as current); a folder that is not a cdk.out is refused."""
    from contextlib import ExitStack

    from landing_zone.diff.build import _outdir
    from landing_zone.explain.requests import UsageError

    (tmp_path / "head").mkdir()
    (tmp_path / "head" / "manifest.json").write_text("{}")
    (tmp_path / "head" / "stale.template.json").write_text("{}")
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "notes.txt").write_text("mine")
    with ExitStack() as stack:
        assert list(_outdir(stack, str(tmp_path), "head").iterdir()) == []
        with pytest.raises(UsageError, match="base exists and is not a cdk.out folder; choose an empty folder"):
            _outdir(stack, str(tmp_path), "base")
    assert (tmp_path / "base" / "notes.txt").read_text() == "mine"
