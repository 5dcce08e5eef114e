"""Network checks, table-driven: one mutation of a valid network section → the exact issues."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import assert_issues, minimal


def base() -> dict:
    data = minimal()
    data["organization"]["accounts"].append(
        {"name": "network", "email": "aws+network@example.com", "unit": "Security", "role": "network",
         "id": "444444444444"})
    data["network"] = {
        "vpcs": [{"name": "shared", "account": "network", "region": "us-east-1", "cidr": "10.0.0.0/16",
                  "subnets": [
                      {"name": "a", "cidr": "10.0.0.0/20", "az_id": "use1-az1",
                       "share_with": {"units": ["Workloads"]}},
                      {"name": "b", "cidr": "10.0.16.0/20", "az_id": "use1-az2",
                       "share_with": {"units": ["Workloads"]}}]}],
        "prefix_lists": [{"name": "corp", "account": "network", "region": "us-east-1", "max_entries": 3,
                          "entries": [{"cidr": "10.10.0.0/16"}, {"cidr": "10.20.0.0/16"}]}],
        "resolver_rules": [{"name": "onprem", "domain": "onprem.example.com", "vpc": "shared",
                            "target_ips": ["192.168.1.10"]}],
    }
    return data


def vpc(d) -> dict:
    return d["network"]["vpcs"][0]


def subnet(d, i: int) -> dict:
    return vpc(d)["subnets"][i]


def plist(d) -> dict:
    return d["network"]["prefix_lists"][0]


def second_vpc(cidr: str, units: list[str]) -> dict:
    return {"name": "other", "account": "network", "region": "us-east-1", "cidr": cidr, "subnets": [
        {"name": "c", "cidr": cidr.replace("/16", "/24").replace("/20", "/24"), "az_id": "use1-az1",
         "share_with": {"units": units}}]}


V = "network.vpcs[shared]"
P = "network.prefix_lists[corp]"
CASES: list[tuple[str, Callable[[dict], object], set[tuple[str, str]]]] = [
    ("valid", lambda d: None, set()),
    ("vpc-cidr-garbage", lambda d: vpc(d).update(cidr="10.0.0/16"), {("cidr-invalid", f"{V}.cidr")}),
    ("vpc-cidr-host-bits", lambda d: vpc(d).update(cidr="10.0.0.5/16"), {("cidr-invalid", f"{V}.cidr")}),
    ("vpc-cidr-too-large", lambda d: vpc(d).update(cidr="10.0.0.0/8"), {("cidr-invalid", f"{V}.cidr")}),
    ("vpc-cidr-ipv6", lambda d: vpc(d).update(cidr="2001:db8::/56"), {("cidr-invalid", f"{V}.cidr")}),
    ("subnet-cidr-too-small", lambda d: subnet(d, 1).update(cidr="10.0.16.0/29"),
     {("cidr-invalid", f"{V}.subnets[b].cidr")}),
    ("subnet-outside", lambda d: subnet(d, 1).update(cidr="10.1.0.0/20"),
     {("subnet-outside-vpc", f"{V}.subnets[b].cidr")}),
    ("subnet-overlap", lambda d: subnet(d, 1).update(cidr="10.0.0.0/24"),
     {("subnet-overlap", f"{V}.subnets[b].cidr")}),
    ("subnet-name-duplicate", lambda d: subnet(d, 1).update(name="a"),
     {("network-name-duplicate", f"{V}.subnets[a].name")}),
    ("vpc-name-duplicate",
     lambda d: d["network"]["vpcs"].append(dict(vpc(d), cidr="10.1.0.0/16", subnets=[])),
     {("network-name-duplicate", "network.vpcs[shared].name")}),
    ("az-malformed", lambda d: subnet(d, 1).update(az_id="use1az2"),
     {("az-id-malformed", f"{V}.subnets[b].az_id")}),
    ("az-name", lambda d: subnet(d, 1).update(az_id="us-east-1b"),
     {("az-id-malformed", f"{V}.subnets[b].az_id")}),
    ("az-other-region", lambda d: subnet(d, 1).update(az_id="euw1-az2"),
     {("az-id-wrong-region", f"{V}.subnets[b].az_id")}),
    ("az-prefix-of-longer-region", lambda d: subnet(d, 1).update(az_id="use2-az1"),
     {("az-id-wrong-region", f"{V}.subnets[b].az_id")}),
    ("public-without-igw", lambda d: subnet(d, 0).update(public=True),
     {("public-subnet-without-internet-gateway", f"{V}.subnets[a].public")}),
    ("nat-without-public-subnet", lambda d: vpc(d).update(nat_gateway=True, internet_gateway=True),
     {("nat-gateway-without-public-subnet", f"{V}.nat_gateway")}),
    ("nat-ok", lambda d: (vpc(d).update(nat_gateway=True, internet_gateway=True),
                          subnet(d, 0).update(public=True)), set()),
    ("resolver-vpc-unknown", lambda d: d["network"]["resolver_rules"][0].update(vpc="shraed"),
     {("vpc-unknown", "network.resolver_rules[onprem].vpc")}),
    ("resolver-one-az", lambda d: subnet(d, 1).update(az_id="use1-az1"),
     {("resolver-endpoint-one-az", "network.resolver_rules[onprem].vpc")}),
    ("resolver-one-az-reported-once", lambda d: (
        subnet(d, 1).update(az_id="use1-az1"),
        d["network"]["resolver_rules"].append(dict(d["network"]["resolver_rules"][0], name="other"))),
     {("resolver-endpoint-one-az", "network.resolver_rules[onprem].vpc")}),
    ("resolver-target-not-ip", lambda d: d["network"]["resolver_rules"][0].update(target_ips=["dns.local"]),
     {("ip-invalid", "network.resolver_rules[onprem].target_ips[dns.local]")}),
    ("prefix-over-max", lambda d: plist(d).update(max_entries=1),
     {("prefix-list-too-many-entries", f"{P}.max_entries")}),
    ("prefix-max-over-1000", lambda d: plist(d).update(max_entries=1001),
     {("invalid-value", f"{P}.max_entries")}),
    ("prefix-over-template-limit", lambda d: plist(d).update(
        max_entries=200, entries=[{"cidr": f"10.{i}.0.0/16"} for i in range(101)]),
     {("prefix-list-too-many-entries-for-template", f"{P}.entries")}),
    ("prefix-mixed", lambda d: plist(d)["entries"].append({"cidr": "2001:db8::/32"}),
     {("prefix-list-mixed-families", f"{P}.entries[2].cidr")}),
    ("prefix-ipv6-only-ok", lambda d: plist(d).update(entries=[{"cidr": "2001:db8::/32"}]), set()),
    ("prefix-reserved-name", lambda d: plist(d).update(name="com.amazonaws.mine"),
     {("prefix-list-name-reserved", "network.prefix_lists[com.amazonaws.mine].name")}),
    ("prefix-entry-bad", lambda d: plist(d)["entries"].append({"cidr": "10.30.0.0/33"}),
     {("cidr-invalid", f"{P}.entries[2].cidr")}),
    ("share-management-id", lambda d: subnet(d, 0).update(share_with={"accounts": ["111111111111"]}),
     {("share-target-management", f"{V}.subnets[a].share_with.accounts[111111111111]")}),
    ("share-management-name", lambda d: plist(d).update(share_with={"accounts": ["management"]}),
     {("share-target-management", f"{P}.share_with.accounts[management]")}),
    ("share-unknown-account-still-unknown", lambda d: plist(d).update(share_with={"accounts": ["app2"]}),
     {("target-account-unknown", f"{P}.share_with.accounts[app2]")}),
    ("vpc-overlap-same-ou", lambda d: d["network"]["vpcs"].append(second_vpc("10.0.0.0/20", ["Workloads"])),
     {("vpc-overlap", "network.vpcs[other].cidr")}),
    ("vpc-overlap-nested-ou",
     lambda d: d["network"]["vpcs"].append(second_vpc("10.0.0.0/20", ["Workloads/Prod"])),
     {("vpc-overlap", "network.vpcs[other].cidr")}),
    ("vpc-overlap-root", lambda d: d["network"]["vpcs"].append(second_vpc("10.0.0.0/20", ["Root"])),
     {("vpc-overlap", "network.vpcs[other].cidr")}),
    ("vpc-overlap-disjoint-targets-ok",
     lambda d: d["network"]["vpcs"].append(second_vpc("10.0.0.0/20", ["Security"])), set()),
    ("vpc-distinct-ok",
     lambda d: d["network"]["vpcs"].append(second_vpc("10.1.0.0/16", ["Workloads"])), set()),
    ("vpc-owner-unknown", lambda d: vpc(d).update(account="netwrk"), {("account-unknown", f"{V}.account")}),
    ("region-not-governed", lambda d: plist(d).update(region="eu-central-1"),
     {("network-region-not-governed", f"{P}.region")}),
]


@pytest.mark.parametrize("mutate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_network_checks(tmp_path, mutate, expected):
    data = base()
    mutate(data)
    assert_issues(tmp_path, data, expected)
