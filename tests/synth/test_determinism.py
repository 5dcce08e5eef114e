"""Promise 2 and the account-stability rule, shown on real synthesized templates."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from landing_zone.blueprint.load import load_blueprint, render_blueprint
from landing_zone.checks.replacement import destructive_changes
from landing_zone.plan import build_plan
from tests.synth.conftest import ROOT, SHIPPED, synth_plan


def shuffle_lists(node, rng: random.Random):
    """Every list of the blueprint shuffled, except inside inline policy documents: those are the
    author's JSON, whose lists (tag policy values, condition values) are kept as written."""
    if isinstance(node, dict):
        return {key: value if key == "document" else shuffle_lists(value, rng) for key, value in node.items()}
    if isinstance(node, list):
        items = [shuffle_lists(item, rng) for item in node]
        rng.shuffle(items)
        return items
    return node


def copy_beside(source: Path, target_dir: Path, data) -> Path:
    """Write `data` as a blueprint in target_dir with the ids file and the files it names."""
    target = target_dir / source.name
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    ids = source.with_name(source.stem + ".ids.yaml")
    if ids.exists():
        shutil.copy(ids, target_dir / ids.name)
    for folder in ("policies", "saml", "fragments", "dns"):
        if (source.parent / folder).is_dir():
            shutil.copytree(source.parent / folder, target_dir / folder, dirs_exist_ok=True)
    return target


def read_all(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outdir.glob("*.template.json"))}


def test_two_synths_are_byte_identical(synthesized, tmp_path):
    first = synthesized("standard")
    again = synth_plan(build_plan(load_blueprint(ROOT / SHIPPED["standard"][0])), tmp_path)
    assert read_all(first.outdir) == read_all(again.outdir)
    for name in ("manifest.json", "tree.json"):
        assert (first.outdir / name).read_bytes() == (again.outdir / name).read_bytes()


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_shuffling_every_list_changes_no_byte(synthesized, tmp_path, blueprint):
    source = ROOT / SHIPPED[blueprint][0]
    data = yaml.safe_load(render_blueprint(source).text)
    shuffled = shuffle_lists(data, random.Random(2026))
    assert shuffled != data
    path = copy_beside(source, tmp_path, shuffled)
    result = synth_plan(build_plan(load_blueprint(path)), tmp_path / "out")
    assert read_all(result.outdir) == read_all(synthesized(blueprint).outdir)


def test_adding_100_accounts_changes_no_existing_account(synthesized, tmp_path):
    base = synthesized("standard")
    source = ROOT / SHIPPED["standard"][0]
    data = yaml.safe_load(source.read_text())
    data["organization"]["accounts"] += [
        {"name": f"team-{i:03d}", "email": f"aws+team-{i:03d}@example.com", "unit": "Workloads/NonProd"}
        for i in range(100)]
    grown = synth_plan(build_plan(load_blueprint(copy_beside(source, tmp_path, data))), tmp_path / "out")
    before, after = base.templates(), grown.templates()
    for account in base.plan.accounts:
        old = before[account.stack]["Resources"][account.logical_id]
        new = after[account.stack]["Resources"][account.logical_id]
        # Only the creation-lane dependency may move; the account itself is untouched.
        old.pop("DependsOn", None), new.pop("DependsOn", None)
        assert new == old, account.name
    assert before["acme-organization"] == after["acme-organization"]


def test_moving_an_account_to_another_ou_is_an_in_place_update(synthesized, tmp_path):
    base = synthesized("standard")
    source = ROOT / SHIPPED["standard"][0]
    data = yaml.safe_load(source.read_text())
    app1 = next(a for a in data["organization"]["accounts"] if a["name"] == "app1-dev")
    app1.pop("template"), app1.update(unit="Sandbox", tags={"Environment": "nonprod"})
    moved = synth_plan(build_plan(load_blueprint(copy_beside(source, tmp_path, data))), tmp_path / "out")
    account = next(a for a in base.plan.accounts if a.name == "app1-dev")
    before = base.templates()[account.stack]
    after = moved.templates()[account.stack]
    assert destructive_changes(before, after) == []
    old, new = before["Resources"][account.logical_id], after["Resources"][account.logical_id]
    assert old["Properties"].pop("ParentIds") != new["Properties"].pop("ParentIds")
    assert old == new
