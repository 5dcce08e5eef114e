"""Plan: stable account shards, creation lanes, logical ids from names, pending items, stack budget."""
from __future__ import annotations

import random

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan import build as build_module
from landing_zone.plan import components as components_module
from landing_zone.plan.build import CREATION_LANES
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


def test_lanes_bound_concurrent_creations(tmp_path):
    plan = plan_of(tmp_path, with_accounts(200))
    by_id = {a.logical_id: a for a in plan.accounts}
    for stack in plan.stacks:
        members = plan.accounts_in(stack.name)
        heads = [a for a in members if a.after is None]
        assert 1 <= len(heads) <= CREATION_LANES if members else True
        for account in members:
            if account.after:
                assert by_id[account.after].stack == account.stack
                assert by_id[account.after].name < account.name


def test_account_stacks_deploy_one_after_another(tmp_path):
    plan = plan_of(tmp_path, with_accounts(100))
    shard_stacks = [s for s in plan.stacks if s.component == "accounts"]
    assert shard_stacks[0].depends_on == ("acme-organization",)
    for previous, stack in zip(shard_stacks, shard_stacks[1:]):
        assert stack.depends_on == ("acme-organization", previous.name)


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
    monkeypatch.setattr(components_module, "_planners", lambda: [])
    with pytest.raises(BlueprintError) as exc:
        plan_of(tmp_path, minimal())
    assert sorted((i.code, i.path, i.message.split("'")[1]) for i in exc.value.issues) == [
        ("stack-too-large", "guardrails", "acme-guardrails"),
        ("stack-too-large", "organization.units", "acme-organization")]


def test_plan_ignores_list_order(tmp_path):
    data = with_accounts(30)
    shuffled = with_accounts(30)
    random.Random(3).shuffle(shuffled["organization"]["accounts"])
    shuffled["organization"]["units"].reverse()
    assert plan_of(tmp_path, data) == plan_of(tmp_path, shuffled)
