"""Plan: stable account shards, one creation chain per shard, logical ids from names, pending items,
stack budget, renames."""
from __future__ import annotations

import dataclasses
import random
import re
import shutil
from pathlib import Path

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.checks.schemas import resource_schema
from landing_zone.plan import build as build_module
from landing_zone.plan import build_plan
from landing_zone.plan.phases import ACCOUNT_CONCURRENCY
from tests.helpers import minimal, write


def with_accounts(n: int, start: int = 0) -> dict:
    data = minimal()
    for i in range(start, start + n):
        data["organization"]["accounts"].append(
            {"name": f"wl-{i:04d}", "email": f"aws+wl-{i:04d}@example.com", "unit": "Workloads/Prod"})
    return data


def plan_of(tmp_path, data):
    return build_plan(load_blueprint(write(tmp_path, data)))


def test_adding_accounts_keeps_every_existing_stack_and_logical_id(tmp_path):
    before = {a.name: (a.stack, a.logical_id) for a in plan_of(tmp_path, with_accounts(50)).accounts}
    grown = with_accounts(50)
    grown["organization"]["accounts"] += with_accounts(100, start=50)["organization"]["accounts"][3:]
    random.Random(7).shuffle(grown["organization"]["accounts"])
    after = {a.name: (a.stack, a.logical_id) for a in plan_of(tmp_path, grown).accounts}
    assert len(after) == len(before) + 100
    assert {name: after[name] for name in before} == before


def test_each_shard_creates_its_accounts_in_one_chain(tmp_path):
    """AWS::Organizations::Account: several accounts of one template form one DependsOn chain."""
    plan = plan_of(tmp_path, with_accounts(200))
    by_id = {a.logical_id: a for a in plan.accounts}
    for stack in (s for s in plan.stacks if s.component == "accounts"):
        members = sorted(plan.accounts_in(stack.name), key=lambda a: a.name)
        assert [a.after for a in members] == [None] + [a.logical_id for a in members[:-1]]
        assert all(by_id[a.after].stack == stack.name for a in members if a.after)


def test_at_most_five_shards_create_accounts_at_once(tmp_path):
    """Whatever `--concurrency` cdk is given: shard N waits for shard N-5, so no more than five
    chains (five CreateAccount requests) run at once."""
    plan = plan_of(tmp_path, with_accounts(100))
    shards = [s for s in plan.stacks if s.component == "accounts"]
    assert len(shards) == 16
    depends = {s.name: set(s.depends_on) | set(s.after) for s in shards}
    organization = {s.name for s in plan.stacks if s.component == "organization"}   # every OU stack first
    for index, stack in enumerate(shards):
        earlier = {shards[index - ACCOUNT_CONCURRENCY].name} if index >= ACCOUNT_CONCURRENCY else set()
        assert depends[stack.name] == organization | earlier


@pytest.mark.parametrize("name, expected", [
    ("app1", "AccountApp1"), ("log-archive", "AccountLogArchive"),
], ids=["plain", "dashed"])
def test_logical_ids_come_from_names(tmp_path, name, expected):
    account = next(a for a in plan_of(tmp_path, minimal()).accounts if a.name == name)
    assert account.logical_id.startswith(expected) and len(account.logical_id) == len(expected) + 8


def test_logical_ids_of_similar_names_differ(tmp_path):
    data = minimal()
    data["organization"]["accounts"] += [
        {"name": "app-1x", "email": "a@example.com", "unit": "Security"},
        {"name": "app1x", "email": "b@example.com", "unit": "Security"}]
    ids = [a.logical_id for a in plan_of(tmp_path, data).accounts]
    assert len(set(ids)) == len(ids)


def test_pending_names_accounts_and_units_without_ids(tmp_path):
    plan = plan_of(tmp_path, minimal())
    assert [p.subject for p in plan.pending] == [
        "account app1", "OU Security", "OU Workloads", "OU Workloads/Prod"]
    assert "lz sync" in plan.pending[0].reason


def test_template_and_account_tags_override_blueprint_tags(tmp_path):
    data = minimal()
    data["tags"] = {"Owner": "platform", "Env": "any"}
    data["organization"]["account_templates"] = {"wrk": {"tags": {"Env": "prod"}}}
    data["organization"]["accounts"][2].update(template="wrk", tags={"Owner": "alice"})
    app1 = next(a for a in plan_of(tmp_path, data).accounts if a.name == "app1")
    assert dict(app1.tags) == {"Owner": "alice", "Env": "prod", "lz:managed-by": "acme"}


def test_stack_over_budget_is_an_issue(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "MAX_RESOURCES_PER_STACK", 2)
    # Only the core stacks: components (logging, network, ...) are planned and budgeted on their own.
    monkeypatch.setattr(build_module, "PLANNERS", ())
    with pytest.raises(BlueprintError) as exc:
        plan_of(tmp_path, minimal())
    assert sorted((i.code, i.path, i.message.split("'")[1]) for i in exc.value.issues) == [
        ("stack-too-large", "guardrails", "acme-policies"),
        ("stack-too-large", "logging", "acme-management-baseline-eu-west-1"),
        ("stack-too-large", "logging", "acme-management-baseline-us-east-1")]


def test_ous_spread_over_stacks_by_depth_and_never_move(tmp_path):
    """Each OU exports its id, and a template takes at most 200 outputs: top-level OUs sit in
    <name>-organization, deeper ones in 8 stacks per depth by a hash of their path. A stack imports
    only from the depth above, and an OU's stack does not change as other OUs come and go."""
    data = minimal()
    data["organization"]["units"][1]["units"] += [{"name": f"team-{i:03d}", "units": [{"name": "dev"}]}
                                                 for i in range(300)]
    plan = plan_of(tmp_path, data)
    stacks = {s.name: s for s in plan.stacks if s.component == "organization"}
    held = {name: {u.path for u in s.payload.units} for name, s in stacks.items()}
    assert held["acme-organization"] == {"Security", "Workloads"}
    assert all(len(paths) <= 200 for paths in held.values())
    for unit in plan.units:
        depth = unit.path.count("/") + 1
        assert unit.stack in stacks and (depth == 1) == (unit.stack == "acme-organization")
        assert unit.stack == "acme-organization" or unit.stack.startswith(f"acme-organization-d{depth}-")
        if unit.parent:
            parent = plan.unit(unit.parent)
            assert parent.stack == unit.stack or parent.stack in stacks[unit.stack].depends_on
    smaller = minimal()
    smaller["organization"]["units"][1]["units"] += [{"name": f"team-{i:03d}", "units": [{"name": "dev"}]}
                                                    for i in range(0, 300, 7)]
    again = {u.path: u.stack for u in plan_of(tmp_path, smaller).units}
    assert all(plan.unit(path).stack == stack for path, stack in again.items())


def test_more_than_200_top_level_ous_is_an_issue(tmp_path):
    data = minimal()
    data["organization"]["units"] += [{"name": f"top-{i:03d}"} for i in range(199)]
    with pytest.raises(BlueprintError) as exc:
        plan_of(tmp_path, data)
    assert [(i.code, i.path) for i in exc.value.issues] == [("stack-too-many-outputs", "organization.units")]


def test_plan_ignores_list_order(tmp_path):
    data = with_accounts(30)
    shuffled = with_accounts(30)
    random.Random(3).shuffle(shuffled["organization"]["accounts"])
    shuffled["organization"]["units"].reverse()
    assert plan_of(tmp_path, data) == plan_of(tmp_path, shuffled)


# ---------- renames ----------

BLUEPRINTS = Path(__file__).resolve().parents[3] / "blueprints"


def identities(node, path=""):
    """Every logical id and every stack or StackSet name in a plan, by where it sits (not by name)."""
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name.endswith("logical_id") or (f.name == "name" and hasattr(node, "component")) or (
                    f.name == "name" and hasattr(node, "template")):
                yield value
            yield from identities(value)
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from identities(item)


def renamed_enterprise(tmp_path) -> Path:
    """The enterprise blueprint after renaming the Workloads OU and the accounts that own keys, VPCs,
    the directory, federation and Identity Center assignments."""
    shutil.copytree(BLUEPRINTS, tmp_path / "b")
    path = tmp_path / "b" / "enterprise.yaml"
    text = re.sub(r"Workloads(?=[/\]\s,}])", "Apps", path.read_text())
    text = text.replace("    - name: Apps\n", "    - name: Apps\n      renamed_from: Workloads\n", 1)
    text = text.replace("account: identity", "account: id-hub").replace("account: log-archive", "account: logs")
    text = text.replace("accounts: [log-archive]", "accounts: [logs]")
    text = text.replace("{name: web-prod,", "{name: shop-web, renamed_from: web-prod,")
    path.write_text(text)
    core = tmp_path / "b" / "fragments" / "core-accounts.yaml"
    core.write_text(core.read_text().replace("{name: identity,", "{name: id-hub, renamed_from: identity,")
                    .replace("{name: log-archive,", "{name: logs, renamed_from: log-archive,"))
    return path


def test_renames_keep_every_logical_id_stack_and_id(tmp_path):
    before = build_plan(load_blueprint(BLUEPRINTS / "enterprise.yaml"))
    after = build_plan(load_blueprint(renamed_enterprise(tmp_path)))

    assert len(list(identities(before))) > 100
    assert sorted(identities(after)) == sorted(identities(before))
    assert [(s.name, s.account_id, s.region, s.resources, s.depends_on, s.after) for s in after.stacks] == \
        [(s.name, s.account_id, s.region, s.resources, s.depends_on, s.after) for s in before.stacks]
    old = {a.logical_id: a for a in before.accounts}
    renamed = {a.name: a for a in after.accounts if a.created_as}
    assert {n: (a.created_as, a.account_name) for n, a in renamed.items()} == {
        "id-hub": ("identity", "identity"), "logs": ("log-archive", "log-archive"),
        "shop-web": ("web-prod", "web-prod")}
    for account in after.accounts:
        was = old[account.logical_id]
        # Only the blueprint name (and the OU path it sits in) changes; AccountName does not.
        assert (account.stack, account.after, account.id, account.email, account.account_name) == \
            (was.stack, was.after, was.id, was.email, was.account_name)
    units = {u.logical_id: u for u in before.units}
    assert sorted((units[u.logical_id].path, u.path, u.id == units[u.logical_id].id) for u in after.units
                  if u.path != units[u.logical_id].path) == [
        ("Workloads", "Apps", True), ("Workloads/NonProd", "Apps/NonProd", True),
        ("Workloads/Prod", "Apps/Prod", True), ("Workloads/Prod/Payments", "Apps/Prod/Payments", True)]
    # Guardrail SCPs on the renamed OU change their Name in place, never their logical id.
    names = {p.logical_id: p.name for p in before.policies}
    changed = [(names[p.logical_id], p.name) for p in after.policies if names[p.logical_id] != p.name]
    assert sorted(changed) == [("globex-guardrails-logarchive-38c457-1", "globex-guardrails-logs-47337e-1"),
                               ("globex-guardrails-workloadsprod-f21d1c-1", "globex-guardrails-appsprod-869588-1")]


def test_renaming_keeps_the_account_in_its_place_in_the_creation_chain(tmp_path):
    data = with_accounts(40)
    before = {a.logical_id: (a.stack, a.after) for a in plan_of(tmp_path, data).accounts}
    data["organization"]["accounts"][10].update(name="zz-renamed", renamed_from="wl-0007")
    after = plan_of(tmp_path, data)
    assert {a.logical_id: (a.stack, a.after) for a in after.accounts} == before
    assert after.account("zz-renamed").account_name == "wl-0007"


def test_the_rename_design_matches_cloudformations_schemas():
    """Why a renamed account keeps its AccountName and a renamed OU does not: AccountName is not
    create-only (no replacement), but the account handler's update calls nothing that renames an
    account (its code refuses an AccountName change), while the OU handler updates Name in place and
    only ParentId is create-only (an OU cannot move). If the schema gains a way to rename, revisit."""
    account = resource_schema("AWS::Organizations::Account")
    assert "/properties/AccountName" not in account.get("createOnlyProperties", [])
    assert not [p for p in account["handlers"]["update"]["permissions"] if p.startswith("account:")]
    unit = resource_schema("AWS::Organizations::OrganizationalUnit")
    assert unit["createOnlyProperties"] == ["/properties/ParentId"]
    assert "organizations:UpdateOrganizationalUnit" in unit["handlers"]["update"]["permissions"]
