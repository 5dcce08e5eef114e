"""OU tree, stacks, shared network, keys and Identity Center rows, read back from the plan."""
from __future__ import annotations

from dataclasses import replace

import pytest

from landing_zone.plan import Phase
from landing_zone.report.inventory import build_stacks
from tests.unit.report.common import shipped


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_tree_holds_every_ou_and_account_once(name):
    _, plan, report = shipped(name)
    nodes = list(report.tree.walk())
    assert sorted(n.path for n in nodes if n.depth) == sorted(u.path for u in plan.units)
    leaves = [(n.path, a.name, a.id) for n in nodes for a in n.accounts]
    assert sorted(leaves) == sorted((a.unit, a.name, a.id) for a in plan.accounts)
    assert (report.tree.total_units, report.tree.total_accounts) == (len(plan.units), len(plan.accounts))


@pytest.mark.parametrize("name,path,expected", [
    ("enterprise", "Workloads", (4, 3)),
    ("enterprise", "Workloads/Prod/Payments", (1, 0)),
    ("enterprise", "Suspended", (0, 0)),
    ("standard", "Workloads", (2, 2)),
], ids=["enterprise-workloads", "enterprise-payments", "enterprise-empty", "standard-workloads"])
def test_subtree_totals(name, path, expected):
    node = next(n for n in shipped(name)[2].tree.walk() if n.path == path)
    assert (node.total_accounts, node.total_units) == expected


def test_accounts_without_id_are_pending_in_the_tree():
    tree = shipped("enterprise")[2].tree
    ids = {a.name: a.id for n in tree.walk() for a in n.accounts}
    assert (ids["data-dev"], ids["sandbox-bob"], ids["web-prod"]) == (None, None, "100000000007")


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_every_stack_is_listed_once_under_its_account_and_region(name):
    _, plan, report = shipped(name)
    listed = [(s.name, g.account_id, g.region, s.resources) for g in report.stacks for s in g.stacks]
    assert sorted(listed) == sorted((s.name, s.account_id, s.region, s.resources) for s in plan.stacks)
    assert report.stacks[0].account == "management"


def test_phase_column_reads_the_plan_phases():
    _, plan, _ = shipped("standard")
    first = plan.stacks[0].name
    phased = replace(plan, phases=(Phase("organization", "Organization", "deploy", (first,)),))
    rows = {s.name: s.phase for g in build_stacks(phased) for s in g.stacks}
    assert rows[first] == "Organization"
    assert all(phase is None for name, phase in rows.items() if name != first)


def test_network_recipients_and_subnets_of_the_enterprise_blueprint():
    network = shipped("enterprise")[2].network
    workloads = next(r for r in network.recipients if r.name == "Workloads")
    assert workloads.items == {
        "subnet": ("shared/app-a (network / us-east-1)", "shared/app-b (network / us-east-1)"),
        "prefix-list": ("corporate (network / us-east-1)",),
        "resolver-rule": ("onprem (network / us-east-1)",),
        "transit-gateway": ("core (network / us-east-1)",)}
    shared = {(s.vpc, s.subnet): s.shared_with for s in network.subnets}
    assert shared[("shared", "app-a")] == ("Workloads",)
    assert shared[("shared", "public-a")] == ()
    assert {i.name: i.shared_with for i in network.items}["core"] == ("Infrastructure", "Workloads")


def test_no_network_section_without_network_stacks():
    assert not shipped("standard")[2].network


def test_keys_with_replica_regions():
    keys = {k.alias: k for k in shipped("enterprise")[2].keys}
    logs = keys["alias/lz/logs"]
    assert (logs.account, logs.kind, logs.primary_region, logs.replica_regions) == (
        "log-archive", "multi-Region", "us-east-1", ("eu-west-1",))
    directory = keys["alias/lz/directory"]
    assert (directory.kind, directory.replica_regions) == ("single-Region", ())


def test_identity_center_assignments_per_account():
    rows = shipped("enterprise")[2].assignments
    by_account = {}
    for row in rows:
        by_account.setdefault(row.account, set()).add(row.permission_set)
    assert by_account == {"audit": {"Admin"}, "identity": {"Admin"}, "log-archive": {"Admin"},
                          "network": {"Admin"}, "payments-prod": {"ReadOnly"}, "web-dev": {"Developer"},
                          "web-prod": {"ReadOnly"}}
    assert "data-dev" not in by_account   # no id yet: listed under pending instead
    pending = [p.subject for p in shipped("enterprise")[2].pending]
    assert "Identity Center assignments in account data-dev" in pending
