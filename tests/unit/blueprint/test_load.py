"""Loader: Jinja2 variables and includes, YAML line marks, ids file merge, error collection."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint, load_with_variables
from tests.helpers import minimal, write


def codes(exc: BlueprintError) -> list[tuple[str, str, int | None]]:
    return [(i.code, i.path, i.line) for i in exc.issues]


def test_minimal_blueprint_loads(tmp_path):
    loaded = load_blueprint(write(tmp_path, minimal()))
    assert [a.name for a in loaded.model.organization.accounts] == ["log-archive", "audit", "app1"]
    assert loaded.model.guardrails.engine == "native"


@pytest.mark.parametrize("pairs, vars_text, expected", [
    (["region=eu-west-1"], None, "eu-west-1"),
    ([], "region: eu-west-1\n", "eu-west-1"),
    (["region=us-east-1"], "region: eu-west-1\n", "us-east-1"),
], ids=["var-pair", "vars-file", "pair-overrides-file"])
def test_jinja_variables(tmp_path, pairs, vars_text, expected):
    text = write(tmp_path, minimal()).read_text().replace("home_region: us-east-1",
                                                          "home_region: {{ region }}")
    path = write(tmp_path, text)
    vars_file = str(write(tmp_path, vars_text, "vars.yaml")) if vars_text else None
    assert load_with_variables(path, pairs, vars_file).model.home_region == expected


def test_missing_variable_is_an_issue_with_line(tmp_path):
    text = "version: 1\nname: {{ nope }}\n"
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(write(tmp_path, text))
    (issue,) = exc.value.issues
    assert (issue.code, issue.line) == ("jinja-undefined", 2)
    assert "nope" in issue.message


def test_include_fragment(tmp_path):
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "regions.yaml").write_text("governed_regions: [us-east-1]\n")
    data = minimal()
    del data["governed_regions"]
    text = write(tmp_path, data).read_text() + '{% include "fragments/regions.yaml" %}\n'
    assert load_blueprint(write(tmp_path, text)).model.governed_regions == ["us-east-1"]


def test_every_issue_is_collected_with_file_and_line(tmp_path):
    data = minimal()
    data["organization"]["accounts"][1]["email"] = "aws+log@example.com"
    data["organization"]["accounts"][2]["unit"] = "Workloads/Prd"
    data["governed_regions"] = ["eu-west-1"]
    path = write(tmp_path, data)
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(path)
    got = {(i.code, i.path) for i in exc.value.issues}
    assert got == {
        ("account-email-duplicate", "organization.accounts[audit].email"),
        ("account-unit-unknown", "organization.accounts[app1].unit"),
        ("home-region-not-governed", "governed_regions"),
    }
    assert all(i.file == str(path) and i.line for i in exc.value.issues)
    unit_issue = next(i for i in exc.value.issues if i.code == "account-unit-unknown")
    assert "did you mean 'Workloads/Prod'?" in unit_issue.hint


def test_line_points_at_the_key(tmp_path):
    text = write(tmp_path, minimal()).read_text().replace("name: app1\n", "name: app1\n    colour: blue\n")
    path = write(tmp_path, text)
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(path)
    (issue,) = exc.value.issues
    assert issue.code == "unknown-key"
    assert path.read_text().splitlines()[issue.line - 1].strip() == "colour: blue"


def test_ids_file_fills_missing_ids(tmp_path):
    path = write(tmp_path, minimal())
    write(tmp_path, {"organization": {"units": {"Workloads/Prod": "ou-a1b2-12345678"},
                                      "accounts": {"app1": "444444444444"}}}, "blueprint.ids.yaml")
    model = load_blueprint(path).model
    assert model.organization.accounts[2].id == "444444444444"
    assert model.organization.units[1].units[0].id == "ou-a1b2-12345678"


def test_ids_file_conflict_points_into_the_ids_file(tmp_path):
    path = write(tmp_path, minimal())
    ids = write(tmp_path, {"organization": {"accounts": {"audit": "999999999999"}}}, "blueprint.ids.yaml")
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(path)
    (issue,) = exc.value.issues
    assert (issue.code, issue.file, issue.line) == ("ids-file-conflict", str(ids), 3)


@pytest.mark.parametrize("text, code", [
    ("- a\n- b\n", "not-a-mapping"),
    ("", "not-a-mapping"),
    ("version: 1\nname: [unclosed\n", "yaml-syntax"),
    ("a: 1\na: 2\n", "yaml-syntax"),
    ("{% if %}\n", "jinja-syntax"),
], ids=["list-root", "empty", "yaml-syntax", "duplicate-key", "jinja-syntax"])
def test_unusable_files_are_single_issues(tmp_path, text, code):
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(write(tmp_path, text))
    assert [i.code for i in exc.value.issues] == [code]


def test_missing_file(tmp_path):
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(tmp_path / "nope.yaml")
    assert [i.code for i in exc.value.issues] == ["file-not-found"]


def test_unquoted_account_id_hint(tmp_path):
    text = write(tmp_path, minimal()).read_text().replace("'222222222222'", "222222222222")
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(write(tmp_path, text))
    (issue,) = exc.value.issues
    assert issue.code == "wrong-type" and "quote it" in issue.hint
    assert issue.path == "organization.accounts[log-archive].id"
