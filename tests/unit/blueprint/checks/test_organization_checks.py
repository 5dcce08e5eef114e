"""Organization checks, table-driven: one mutation of a valid blueprint → the exact issues."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import assert_issues, minimal


def accounts(d):
    return d["organization"]["accounts"]


def units(d):
    return d["organization"]["units"]


def nest(depth: int) -> list:
    unit: dict = {"name": f"L{depth}"}
    for level in range(depth - 1, 0, -1):
        unit = {"name": f"L{level}", "units": [unit]}
    return [unit]


CASES: list[tuple[str, Callable[[dict], None], set[tuple[str, str]]]] = [
    ("sibling-duplicate", lambda d: units(d).append({"name": "Security"}),
     {("unit-duplicate", "organization.units[Security].name")}),
    ("depth-6", lambda d: units(d).extend(nest(6)),
     {("unit-too-deep", "organization.units[L1].units[L2].units[L3].units[L4].units[L5].units[L6].name")}),
    ("depth-5-ok", lambda d: units(d).extend(nest(5)), set()),
    ("slash-in-name", lambda d: units(d).append({"name": "A/B"}),
     {("unit-name-slash", "organization.units[A/B].name")}),
    ("root-name", lambda d: units(d).append({"name": "Root"}),
     {("unit-name-reserved", "organization.units[Root].name")}),
    ("long-name", lambda d: units(d).append({"name": "x" * 129}),
     {("unit-name-length", f"organization.units[{'x' * 129}].name")}),
    ("duplicate-ou-id", lambda d: (units(d)[0].update(id="ou-a1b2-11111111"),
                                   units(d)[1].update(id="ou-a1b2-11111111")),
     {("unit-id-duplicate", "organization.units[Workloads].id")}),
    ("account-name-duplicate", lambda d: accounts(d).append(
        {"name": "app1", "email": "other@example.com", "unit": "Security"}),
     {("account-name-duplicate", "organization.accounts[app1].name")}),
    ("email-duplicate-case", lambda d: accounts(d)[2].update(email="AWS+LOG@example.com"),
     {("account-email-duplicate", "organization.accounts[app1].email")}),
    ("email-malformed", lambda d: accounts(d)[2].update(email="not-an-email"),
     {("account-email-invalid", "organization.accounts[app1].email")}),
    ("email-too-long", lambda d: accounts(d)[2].update(email="a" * 60 + "@example.com"),
     {("account-email-invalid", "organization.accounts[app1].email")}),
    ("account-id-duplicate", lambda d: accounts(d)[2].update(id="222222222222"),
     {("account-id-duplicate", "organization.accounts[app1].id")}),
    ("account-id-management", lambda d: accounts(d)[2].update(id="111111111111"),
     {("account-id-duplicate", "organization.accounts[app1].id")}),
    ("unit-unknown", lambda d: accounts(d)[2].update(unit="Workloads/Prd"),
     {("account-unit-unknown", "organization.accounts[app1].unit")}),
    ("unit-root-ok", lambda d: accounts(d)[2].update(unit="Root"), set()),
    ("unit-missing", lambda d: accounts(d)[2].pop("unit"),
     {("account-unit-missing", "organization.accounts[app1]")}),
    ("template-unknown", lambda d: (accounts(d)[2].pop("unit"), accounts(d)[2].update(template="wrk")),
     {("account-template-unknown", "organization.accounts[app1].template")}),
    ("template-without-unit", lambda d: (d["organization"].update(account_templates={"wrk": {}}),
                                         accounts(d)[2].pop("unit"), accounts(d)[2].update(template="wrk")),
     {("account-unit-missing", "organization.accounts[app1]")}),
    ("template-unit-unknown", lambda d: d["organization"].update(
        account_templates={"wrk": {"unit": "Nowhere"}}),
     {("account-unit-unknown", "organization.account_templates.wrk.unit")}),
    ("template-unit-reported-once", lambda d: (
        d["organization"].update(account_templates={"wrk": {"unit": "Nowhere"}}),
        accounts(d)[2].pop("unit"), accounts(d)[2].update(template="wrk")),
     {("account-unit-unknown", "organization.account_templates.wrk.unit")}),
    ("template-gives-unit-and-role", lambda d: (
        d["organization"].update(account_templates={"wrk": {"unit": "Workloads/Prod", "role": "network"}}),
        accounts(d)[2].pop("unit"), accounts(d)[2].update(template="wrk")), set()),
    ("no-log-archive", lambda d: accounts(d)[0].pop("role"),
     {("role-missing", "organization.accounts")}),
    ("two-audit", lambda d: accounts(d)[2].update(role="audit"),
     {("role-duplicate", "organization.accounts[app1].role")}),
    ("region-unknown", lambda d: d["governed_regions"].append("us-east-7"),
     {("region-unknown", "governed_regions[us-east-7]")}),
    ("region-duplicate", lambda d: d["governed_regions"].append("eu-west-1"),
     {("region-duplicate", "governed_regions[eu-west-1]")}),
    ("home-not-governed", lambda d: d.update(governed_regions=["eu-west-1"]),
     {("home-region-not-governed", "governed_regions")}),
    ("target-unit-unknown", lambda d: d.update(guardrails={"enable": [
        {"level": "elective", "units": ["Workload"]}]}),
     {("target-unit-unknown", "guardrails.enable[elective].units[Workload]")}),
    ("target-account-unknown", lambda d: d.update(policies=[
        {"name": "p", "type": "tag", "targets": {"accounts": ["app2"]},
         "document": {"tags": {"cc": {"tag_key": {"@@assign": "CostCenter"}}}}}]),
     {("target-account-unknown", "policies[p].targets.accounts[app2]")}),
    ("share-with-unknown-ou", lambda d: d.update(network={"vpcs": [
        {"name": "v", "account": "app1", "region": "us-east-1", "cidr": "10.0.0.0/16", "subnets": [
            {"name": "s", "cidr": "10.0.0.0/24", "az_id": "use1-az1", "share_with": {"units": ["Prd"]}}]}]}),
     {("target-unit-unknown", "network.vpcs[v].subnets[s].share_with.units[Prd]")}),
    ("key-owner-unknown", lambda d: d.update(keys=[
        {"alias": "alias/x", "account": "security", "primary_region": "us-east-1"}]),
     {("account-unknown", "keys[alias/x].account")}),
    ("key-owner-management-by-name", lambda d: d.update(keys=[
        {"alias": "alias/x", "account": "management", "primary_region": "us-east-1"}]),
     {("account-is-management", "keys[alias/x].account")}),
    ("key-owner-management-by-id", lambda d: d.update(keys=[
        {"alias": "alias/x", "account": "111111111111", "primary_region": "us-east-1"}]),
     {("account-is-management", "keys[alias/x].account")}),
    ("vpc-owner-management", lambda d: d.update(network={"vpcs": [
        {"name": "v", "account": "management", "region": "us-east-1", "cidr": "10.0.0.0/16", "subnets": []}]}),
     {("account-is-management", "network.vpcs[v].account")}),
    ("key-owner-member-called-management", lambda d: (
        accounts(d).append({"name": "management", "email": "m@example.com", "unit": "Security"}),
        d.update(keys=[{"alias": "alias/x", "account": "management", "primary_region": "us-east-1"}])), set()),
]


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_organization_checks(tmp_path, mutate, expected):
    data = minimal()
    mutate(data)
    assert_issues(tmp_path, data, expected)

