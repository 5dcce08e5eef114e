"""`--base GIT_REF`: the blueprint's folder at a commit, in a temporary folder, the repository untouched."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from landing_zone.diff.gitref import GitRefError, checkout
from tests.helpers import minimal


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path) -> Path:
    """Two commits: the first with app1 in Workloads/Prod, the second adds app2; vars file at the top."""
    root = tmp_path / "repo"
    (root / "blueprints" / "policies").mkdir(parents=True)
    (root / "shared").mkdir()
    git(root, "init", "-q")
    data = minimal()
    (root / "blueprints" / "acme.yaml").write_text(yaml.safe_dump(data))
    (root / "blueprints" / "policies" / "deny.json").write_text('{"v": 1}')
    (root / "shared" / "extra.json").write_text('{"v": 1}')
    (root / "vars.yaml").write_text("size: 1\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    data["organization"]["accounts"].append({"name": "app2", "email": "aws+app2@example.com", "unit": "Workloads/Prod"})
    (root / "blueprints" / "acme.yaml").write_text(yaml.safe_dump(data))
    (root / "blueprints" / "policies" / "deny.json").write_text('{"v": 2}')
    (root / "shared" / "extra.json").write_text('{"v": 2}')
    (root / "vars.yaml").write_text("size: 2\n")
    git(root, "commit", "-qam", "second")
    (root / "blueprints" / "acme.yaml").write_text("uncommitted")    # the working tree is not the base
    return root


def test_the_folder_and_named_files_as_they_were(repo):
    blueprint = repo / "blueprints" / "acme.yaml"
    with checkout("HEAD~1", blueprint, (repo / "shared", repo / "vars.yaml", "/etc/hostname")) as place:
        old = yaml.safe_load(place.path(blueprint).read_text())
        assert [a["name"] for a in old["organization"]["accounts"]] == ["log-archive", "audit", "app1"]
        assert place.path(repo / "blueprints/policies/deny.json").read_text() == '{"v": 1}'
        assert place.path(repo / "shared" / "extra.json").read_text() == '{"v": 1}'
        assert place.path(repo / "vars.yaml").read_text() == "size: 1\n"
        assert place.path("/etc/hostname") == Path("/etc/hostname")      # outside the repository: as given
        assert place.commit == git(repo, "rev-parse", "HEAD~1").strip()
        root = place.root
        assert place.relabel(f"{root}/blueprints/acme.yaml:3") == "HEAD~1:blueprints/acme.yaml:3"
    assert not root.exists()
    with checkout("HEAD", blueprint) as place:
        assert "app2" in place.path(blueprint).read_text()
    assert git(repo, "status", "--porcelain") == " M blueprints/acme.yaml\n"     # nothing else touched


def test_a_relative_blueprint_path(repo, monkeypatch):
    monkeypatch.chdir(repo)
    with checkout("HEAD~1", "blueprints/acme.yaml") as place:
        assert "app2" not in place.path("blueprints/acme.yaml").read_text()


@pytest.mark.parametrize("ref, blueprint, message", [
    ("no-such-branch", "blueprints/acme.yaml", "--base 'no-such-branch' is not a commit of "),
    ("--output=x", "blueprints/acme.yaml", "--base '--output=x' is not a commit of "),
    ("HEAD~1", "blueprints/new.yaml", "blueprints/new.yaml does not exist at HEAD~1"),
], ids=["unknown-ref", "option-like-ref", "blueprint-new-since"])
def test_bad_refs_and_paths(repo, ref, blueprint, message):
    (repo / "blueprints" / "new.yaml").write_text("x")
    with pytest.raises(GitRefError, match=message.replace("(", r"\(")), checkout(ref, repo / blueprint):
        pass


def test_outside_a_repository(tmp_path):
    (tmp_path / "acme.yaml").write_text("x")
    with pytest.raises(GitRefError, match=r"--base HEAD: .*acme.yaml is not in a git repository"), \
            checkout("HEAD", tmp_path / "acme.yaml"):
        pass
