"""Renames (`renamed_from`): the id a renamed OU or account keeps, and every rename mistake, table-driven."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from tests.helpers import minimal, write

APP1 = "444444444444"
WORKLOADS, PROD = "ou-a1b2-22222222", "ou-a1b2-33333333"
# What `lz sync` recorded before the edit: minimal()'s OUs and accounts, app1 created.
SYNCED = {"units": {"Security": "ou-a1b2-11111111", "Workloads": WORKLOADS, "Workloads/Prod": PROD},
          "accounts": {"log-archive": "222222222222", "audit": "333333333333", "app1": APP1}}


def accounts(d: dict) -> list[dict]:
    return d["organization"]["accounts"]


def units(d: dict) -> list[dict]:
    return d["organization"]["units"]


def rename_app1(new: str = "shop", **extra: Any) -> Callable[[dict], None]:
    return lambda d: accounts(d)[2].update(name=new, **extra)


def rename_workloads(new: str = "Apps", **extra: Any) -> Callable[[dict], None]:
    def mutate(d: dict) -> None:
        units(d)[1].update(name=new, **extra)
        accounts(d)[2]["unit"] = f"{new}/Prod"
    return mutate


def ids_with(**changes: dict) -> dict:
    return {"units": {**SYNCED["units"], **changes.get("units", {})},
            "accounts": {**SYNCED["accounts"], **changes.get("accounts", {})}}


def load(tmp_path, data: dict, ids: dict | None):
    if ids is not None:
        write(tmp_path, {"organization": ids}, "blueprint.ids.yaml")
    return load_blueprint(write(tmp_path, data))


# (id, mutation, ids file, expected (code, path) errors)
MISTAKES: list[tuple[str, Callable[[dict], None], dict | None, set[tuple[str, str]]]] = [
    ("account-renamed-without-renamed-from", rename_app1(), SYNCED,
     {("account-rename-undeclared", "organization.accounts[shop].name")}),
    ("account-renamed-with-typo-in-renamed-from", rename_app1(renamed_from="ap1"), SYNCED,
     {("account-rename-undeclared", "organization.accounts[shop].renamed_from")}),
    ("account-given-the-id-of-a-dropped-name", rename_app1(id=APP1), SYNCED,
     {("account-rename-undeclared", "organization.accounts[shop].name")}),
    ("account-renamed-from-a-present-account", lambda d: accounts(d)[2].update(renamed_from="audit"), SYNCED,
     {("account-renamed-from-exists", "organization.accounts[app1].renamed_from")}),
    ("account-renamed-from-itself", lambda d: accounts(d)[2].update(renamed_from="app1"), SYNCED,
     {("account-renamed-from-exists", "organization.accounts[app1].renamed_from")}),
    ("account-renamed-from-twice", lambda d: (
        rename_app1(renamed_from="app1")(d),
        accounts(d).append({"name": "shop2", "email": "s2@example.com", "unit": "Security",
                            "renamed_from": "app1"})), SYNCED,
     {("account-renamed-from-duplicate", "organization.accounts[shop2].renamed_from")}),
    ("account-ids-under-both-names", rename_app1(renamed_from="app1"),
     ids_with(accounts={"shop": "555555555555"}),
     {("account-renamed-from-conflict", "organization.accounts[shop].renamed_from")}),
    ("account-renamed-from-not-a-name", rename_app1(renamed_from="App 1"), None,
     {("bad-format", "organization.accounts[shop].renamed_from")}),
    ("unit-renamed-without-renamed-from", rename_workloads(), SYNCED,
     {("unit-rename-undeclared", "organization.units[Apps].name")}),
    ("unit-renamed-with-typo-in-renamed-from", rename_workloads(renamed_from="Workload"), SYNCED,
     {("unit-rename-undeclared", "organization.units[Apps].renamed_from")}),
    ("unit-moved-to-the-root", lambda d: (
        units(d)[1].pop("units"), units(d).append({"name": "Prod"}), accounts(d)[2].update(unit="Prod")),
     SYNCED, {("unit-move-undeclared", "organization.units[Prod].name")}),
    ("unit-renamed-from-a-path", lambda d: units(d)[1]["units"][0].update(renamed_from="Security/Prod"),
     SYNCED, {("unit-renamed-from-path", "organization.units[Workloads].units[Prod].renamed_from")}),
    ("unit-renamed-from-a-present-sibling", lambda d: units(d)[1].update(renamed_from="Security"), SYNCED,
     {("unit-renamed-from-exists", "organization.units[Workloads].renamed_from")}),
    ("unit-renamed-from-itself", lambda d: units(d)[0].update(renamed_from="Security"), SYNCED,
     {("unit-renamed-from-exists", "organization.units[Security].renamed_from")}),
    ("unit-renamed-from-twice", lambda d: (
        rename_workloads(renamed_from="Workloads")(d), units(d).append({"name": "Apps2", "renamed_from": "Workloads"})),
     SYNCED, {("unit-renamed-from-duplicate", "organization.units[Apps2].renamed_from")}),
    ("unit-ids-under-both-paths", rename_workloads(renamed_from="Workloads"),
     ids_with(units={"Apps": "ou-a1b2-99999999"}),
     {("unit-renamed-from-conflict", "organization.units[Apps].renamed_from")}),
]


@pytest.mark.parametrize("mutate, ids, expected", [c[1:] for c in MISTAKES], ids=[c[0] for c in MISTAKES])
def test_rename_mistakes_are_exact_issues(tmp_path, mutate, ids, expected):
    data = minimal()
    mutate(data)
    with pytest.raises(BlueprintError) as exc:
        load(tmp_path, data, ids)
    errors = {(i.code, i.path) for i in exc.value.issues if i.severity == "error"}
    assert errors == expected, "\n".join(i.format() for i in exc.value.issues)
    for issue in exc.value.issues:
        assert issue.hint and issue.line and issue.file.endswith("blueprint.yaml"), issue.format()


# (id, mutation, ids file, expected account ids by name, expected OU ids by path)
KEPT: list[tuple[str, Callable[[dict], None], dict | None, dict[str, str | None], dict[str, str | None]]] = [
    ("account-read-under-its-old-name", rename_app1(renamed_from="app1"), SYNCED, {"shop": APP1}, {}),
    ("account-synced-under-its-new-name", rename_app1(renamed_from="app1"),
     {"units": SYNCED["units"], "accounts": {**SYNCED["accounts"], "app1": None, "shop": APP1}},
     {"shop": APP1}, {}),
    ("account-both-names-agree", rename_app1(renamed_from="app1"), ids_with(accounts={"shop": APP1}),
     {"shop": APP1}, {}),
    ("account-renamed-before-it-existed", rename_app1(renamed_from="app1"), None, {"shop": None}, {}),
    ("new-account-beside-an-unchanged-ids-file", lambda d: accounts(d).append(
        {"name": "app2", "email": "a2@example.com", "unit": "Security"}), SYNCED, {"app2": None}, {}),
    ("account-dropped-and-nothing-added", lambda d: accounts(d).pop(2), SYNCED, {"audit": "333333333333"}, {}),
    ("unit-and-child-read-under-old-paths", rename_workloads(renamed_from="Workloads"), SYNCED, {},
     {"Apps": WORKLOADS, "Apps/Prod": PROD}),
    ("child-renamed-after-parent-was-synced", lambda d: (
        rename_workloads(renamed_from="Workloads")(d), units(d)[1]["units"][0].update(name="Live", renamed_from="Prod"),
        accounts(d)[2].update(unit="Apps/Live")),
     {"units": {"Security": "ou-a1b2-11111111", "Apps": WORKLOADS, "Apps/Prod": PROD}, "accounts": {}},
     {}, {"Apps": WORKLOADS, "Apps/Live": PROD}),
]


@pytest.mark.parametrize("mutate, ids, account_ids, unit_ids", [c[1:] for c in KEPT], ids=[c[0] for c in KEPT])
def test_renamed_entities_keep_their_ids(tmp_path, mutate, ids, account_ids, unit_ids):
    data = minimal()
    mutate(data)
    if ids is not None:
        ids = {key: {k: v for k, v in value.items() if v is not None} for key, value in ids.items()}
    org = load(tmp_path, data, ids).model.organization
    found = {a.name: a.id for a in org.accounts}
    assert {name: found[name] for name in account_ids} == account_ids

    def walk(nodes, prefix=""):
        for unit in nodes:
            path = f"{prefix}/{unit.name}" if prefix else unit.name
            yield path, unit.id
            yield from walk(unit.units, path)
    paths = dict(walk(org.units))
    assert {path: paths[path] for path in unit_ids} == unit_ids


def test_undeclared_rename_message_names_both_and_the_fix(tmp_path):
    data = minimal()
    rename_app1()(data)
    with pytest.raises(BlueprintError) as exc:
        load(tmp_path, data, SYNCED)
    (issue,) = exc.value.issues
    assert "'shop' has no id" in issue.message and f"'app1' as '{APP1}'" in issue.message
    assert "blueprint.ids.yaml:" in issue.message
    assert "`renamed_from: app1`" in issue.hint and "lz sync" in issue.hint


def test_renames_under_an_unnamed_entry_wait_for_that_entry(tmp_path):
    """An account whose name is not a string may be the one that claims the dropped id: only the
    wrong type is reported, not a rename guessed from incomplete names."""
    text = yaml.safe_dump(minimal(), sort_keys=False).replace("name: app1", "name: {first: app1}")
    write(tmp_path, {"organization": ids_with(accounts={"old-app": "555555555555"})}, "blueprint.ids.yaml")
    with pytest.raises(BlueprintError) as exc:
        load_blueprint(write(tmp_path, text))
    assert {i.code for i in exc.value.issues} == {"wrong-type"}


@pytest.mark.parametrize("mutate, code, path, hint", [
    (lambda d: (rename_app1(renamed_from="app1")(d), d.update(keys=[
        {"alias": "alias/x", "account": "app1", "primary_region": "us-east-1"}])),
     "account-unknown", "keys[alias/x].account", "'app1' was renamed to 'shop' (its renamed_from): use the new name"),
    (lambda d: (rename_app1(renamed_from="app1")(d), d.update(policies=[
        {"name": "p", "type": "tag", "targets": {"accounts": ["app1"]},
         "document": {"tags": {"cc": {"tag_key": {"@@assign": "CostCenter"}}}}}])),
     "target-account-unknown", "policies[p].targets.accounts[app1]", "'app1' was renamed to 'shop'"),
    (lambda d: (rename_workloads(renamed_from="Workloads")(d), d.update(policies=[
        {"name": "p", "type": "tag", "targets": {"units": ["Workloads/Prod"]},
         "document": {"tags": {"cc": {"tag_key": {"@@assign": "CostCenter"}}}}}])),
     "target-unit-unknown", "policies[p].targets.units[Workloads/Prod]", "'Workloads/Prod' was renamed to 'Apps/Prod'"),
], ids=["owner", "account-target", "ou-target-under-a-renamed-ou"])
def test_an_old_name_left_behind_points_at_the_new_one(tmp_path, mutate, code, path, hint):
    data = minimal()
    mutate(data)
    with pytest.raises(BlueprintError) as exc:
        load(tmp_path, data, SYNCED)
    (issue,) = exc.value.issues
    assert (issue.code, issue.path) == (code, path) and issue.hint.startswith(hint), issue.format()


@pytest.mark.parametrize("mutate, path", [
    (lambda d: accounts(d)[2].update(renamed_from=["app0"]), "organization.accounts[app1].renamed_from"),
    (lambda d: accounts(d)[2].update(renamed_from={"name": "app0"}), "organization.accounts[app1].renamed_from"),
    (lambda d: units(d)[1].update(renamed_from=["Old"]), "organization.units[Workloads].renamed_from"),
    (lambda d: units(d)[1].update(renamed_from=7), "organization.units[Workloads].renamed_from"),
], ids=["account-list", "account-mapping", "unit-list", "unit-number"])
def test_a_renamed_from_that_is_no_string_is_one_type_issue(tmp_path, mutate, path):
    data = minimal()
    mutate(data)
    with pytest.raises(BlueprintError) as exc:
        load(tmp_path, data, ids_with(accounts={"app0": "555555555555"}, units={"Old": "ou-a1b2-99999999"}))
    assert [(i.code, i.path) for i in exc.value.issues] == [("wrong-type", path)]


def test_ids_file_keys_that_are_no_names_are_never_taken_for_renames(tmp_path):
    data = minimal()
    accounts(data).append({"name": "app2", "email": "a2@example.com", "unit": "Security"})
    units(data).append({"name": "Sandbox"})
    write(tmp_path, "organization:\n  units: {7: ou-a1b2-77777777, 8.5: ou-a1b2-88888888}\n"
                    "  accounts: {12: '555555555555', null: '666666666666'}\n", "blueprint.ids.yaml")
    loaded = load_blueprint(write(tmp_path, data))
    assert [a.id for a in loaded.model.organization.accounts][-1] is None
