"""Plan: stable account shards, one creation chain per shard, logical ids from names, pending items,
stack budget."""
from __future__ import annotations

import random

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
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
    for index, stack in enumerate(shards):
        earlier = {shards[index - ACCOUNT_CONCURRENCY].name} if index >= ACCOUNT_CONCURRENCY else set()
        assert depends[stack.name] == {"acme-organization"} | earlier


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
        ("stack-too-large", "logging", "acme-management-baseline-us-east-1"),
        ("stack-too-large", "organization.units", "acme-organization")]


def test_plan_ignores_list_order(tmp_path):
    data = with_accounts(30)
    shuffled = with_accounts(30)
    random.Random(3).shuffle(shuffled["organization"]["accounts"])
    shuffled["organization"]["units"].reverse()
    assert plan_of(tmp_path, data) == plan_of(tmp_path, shuffled)
