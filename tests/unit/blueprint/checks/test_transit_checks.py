"""Transit gateway, endpoint, DNS Firewall, IPAM and VPC template checks, table-driven: one mutation of a
valid routed network → the exact issues (the golden bad inputs hold one case per code besides)."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import assert_issues, minimal


def base() -> dict:
    """The network issue's own example, in one region: a routed gateway, a VPN, endpoints, a DNS
    firewall, IPAM and a VPC template."""
    data = minimal()
    data["organization"]["units"] = [{"name": "Security"}, {"name": "Infrastructure"}, {"name": "Workloads"}]
    data["organization"]["accounts"] += [
        {"name": "net", "email": "aws+net@example.com", "unit": "Infrastructure", "role": "network", "id": "444444444444"},
        {"name": "ident", "email": "aws+ident@example.com", "unit": "Infrastructure", "id": "555555555555"}]
    data["organization"]["accounts"][2]["unit"] = "Workloads"
    data["network"] = {
        "vpcs": [
            {"name": "core", "account": "net", "region": "eu-west-1", "cidr": "10.0.0.0/16",
             "internet_gateway": True, "nat_gateways": "per_az",
             "subnets": [{"name": "pub-a", "cidr": "10.0.0.0/24", "az_id": "euw1-az1", "public": True},
                         {"name": "pub-b", "cidr": "10.0.1.0/24", "az_id": "euw1-az2", "public": True},
                         {"name": "tgw-a", "cidr": "10.0.2.0/28", "az_id": "euw1-az1"},
                         {"name": "tgw-b", "cidr": "10.0.2.16/28", "az_id": "euw1-az2"}],
             "transit_gateway": {"name": "core", "subnets": ["tgw-a", "tgw-b"], "routes": ["192.168.0.0/16", "pl:offices"]},
             "endpoints": {"interface": ["ssm", "ssmmessages", "ec2messages", "kms", "logs", "sts"],
                           "gateway": ["s3", "dynamodb"], "share_dns_with": {"units": ["Workloads"]}},
             "inbound_resolver": True},
            {"name": "ident", "account": "ident", "region": "eu-west-1", "cidr": "10.1.0.0/16",
             "subnets": [{"name": "a", "cidr": "10.1.0.0/24", "az_id": "euw1-az1"},
                         {"name": "b", "cidr": "10.1.1.0/24", "az_id": "euw1-az2"}],
             "transit_gateway": {"name": "core", "subnets": ["a", "b"], "routes": ["192.168.0.0/16"]}}],
        "prefix_lists": [{"name": "offices", "account": "net", "region": "eu-west-1", "max_entries": 10,
                          "entries": [{"cidr": "172.16.0.0/16"}]}],
        "transit_gateways": [{
            "name": "core", "account": "net", "region": "eu-west-1", "asn": 64512,
            "route_tables": [
                {"name": "shared", "associate": ["core", "ident"], "propagate": ["core", "ident", "onprem"]},
                {"name": "workloads", "associate": ["app-vpcs"], "propagate": ["core"],
                 "routes": [{"destination": "0.0.0.0/0", "attachment": "core"},
                            {"destination": "10.99.0.0/16", "blackhole": True}]}],
            "vpn_connections": [{"name": "onprem", "customer_gateway_ip": "203.0.113.10", "bgp_asn": 65010,
                                 "static_routes": ["192.168.0.0/16"]}],
            "share_with": {"units": ["Workloads", "Infrastructure"]}}],
        "dns_firewall": [{"name": "baseline", "block_domains": ["bad.example.com"], "vpcs": ["core"],
                          "share_with": {"units": ["Workloads"]}}],
        "ipam": {"account": "net", "regions": ["eu-west-1"],
                 "pools": [{"name": "workloads", "cidr": "10.64.0.0/12", "allocation_netmask": 22,
                            "share_with": {"units": ["Workloads"]}}]},
        "vpc_templates": [{"name": "app-vpcs", "units": ["Workloads"], "regions": ["eu-west-1"],
                           "ipam_pool": "workloads", "netmask": 22, "azs": 2, "transit_gateway": "core",
                           "dns_firewall": ["baseline"]}],
    }
    data["governed_regions"] = ["us-east-1", "eu-west-1"]
    return data


def gateway(d) -> dict:
    return d["network"]["transit_gateways"][0]


G = "network.transit_gateways[core]"
CASES: list[tuple[str, Callable[[dict], object], set[tuple[str, str]]]] = [
    ("the-issue-example-is-valid", lambda d: None, set()),
    ("firewall-without-owner", lambda d: (d["organization"]["accounts"][3].pop("role"),
                                          d["network"]["ipam"].update(account="net")),
     {("dns-firewall-account-missing", "network.dns_firewall[baseline]")}),
    ("firewall-owned-elsewhere-unshared", lambda d: d["network"]["dns_firewall"][0].update(
        account="ident", share_with={"units": ["Security"]}),
     {("dns-firewall-not-shared", "network.dns_firewall[baseline].vpcs[core]"),
      ("vpc-template-not-shared", "network.vpc_templates[app-vpcs].dns_firewall[baseline]")}),
    ("asn-given-twice", lambda d: gateway(d).update(amazon_side_asn=64513),
     {("bgp-asn-out-of-range", f"{G}.asn")}),
    ("template-in-two-propagations", lambda d: (gateway(d)["route_tables"][0]["propagate"].append("app-vpcs"),
                                                gateway(d)["route_tables"][1]["propagate"].append("app-vpcs")),
     {("transit-gateway-remote-attachments-disagree", "network.vpc_templates[app-vpcs].transit_gateway")}),
    ("foreign-vpc-may-use-any-tables", lambda d: gateway(d)["route_tables"][1]["propagate"].append("ident"),
     set()),
    ("prefix-list-in-a-gateway-route", lambda d: gateway(d)["route_tables"][1]["routes"].append(
        {"destination": "pl:offices", "attachment": "core"}),
     {("route-destination-invalid", f"{G}.route_tables[workloads].routes[2].destination")}),
    ("template-other-region", lambda d: d["network"]["vpc_templates"][0].update(regions=["us-east-1"]),
     {("transit-gateway-other-region", "network.vpc_templates[app-vpcs].regions[us-east-1]"),
      ("ipam-pool-no-block", "network.vpc_templates[app-vpcs].regions[us-east-1]")}),
    ("region-denied-to-the-units", lambda d: d.update(guardrails={"region_deny": {
        "allowed_regions": ["us-east-1"], "units": ["Workloads"]}}),
     {("vpc-template-region-not-governed", "network.vpc_templates[app-vpcs].regions[eu-west-1]")}),
    ("documentation-range-customer-gateway-is-fine",
     lambda d: gateway(d)["vpn_connections"][0].update(customer_gateway_ip="198.51.100.7"), set()),
    ("private-customer-gateway", lambda d: gateway(d)["vpn_connections"][0].update(customer_gateway_ip="10.9.9.9"),
     {("ip-invalid", f"{G}.vpn_connections[onprem].customer_gateway_ip")}),
    ("full-endpoint-service-name-is-taken-as-written", lambda d: d["network"]["vpcs"][0]["endpoints"][
        "interface"].append("com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"), set()),
    ("raised-route-quota", lambda d: (d["network"]["prefix_lists"][0].update(max_entries=100),
                                      d["network"].update(route_table_quota=200)), set()),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_routing_checks(tmp_path, mutate, expected):
    data = base()
    mutate(data)
    assert_issues(tmp_path, data, expected)


# ---------- peerings between gateways of two regions ----------

def peered() -> dict:
    """The example plus a gateway in us-east-1 with one VPC, peered with the eu-west-1 gateway both ways
    associated and routed."""
    data = base()
    net = data["network"]
    net["vpcs"].append({"name": "us", "account": "net", "region": "us-east-1", "cidr": "10.128.0.0/16",
                        "subnets": [{"name": "a", "cidr": "10.128.0.0/24", "az_id": "use1-az1"}],
                        "transit_gateway": {"name": "us", "subnets": ["a"], "routes": ["10.0.0.0/8"]}})
    net["transit_gateways"].append({
        "name": "us", "account": "net", "region": "us-east-1", "asn": 64513,
        "route_tables": [{"name": "main", "associate": ["us", "atlantic"], "propagate": ["us"],
                          "routes": [{"destination": "10.0.0.0/16", "peering": "atlantic"}]}]})
    core = gateway(data)
    core["peerings"] = [{"name": "atlantic", "gateway": "us"}]
    core["route_tables"][0]["associate"].append("atlantic")
    core["route_tables"][0]["routes"] = [{"destination": "10.128.0.0/16", "peering": "atlantic"}]
    return data


def us(d) -> dict:
    return d["network"]["transit_gateways"][1]


P = f"{G}.peerings[atlantic]"
PEERING_CASES: list[tuple[str, Callable[[dict], object], set[tuple[str, str]]]] = [
    ("peered-is-valid", lambda d: None, set()),
    ("peer-unknown", lambda d: gateway(d)["peerings"][0].update(gateway="usa"),
     # reported once: route tables naming the refused peering say nothing more
     {("transit-gateway-peer-unknown", f"{P}.gateway")}),
    ("peer-is-itself", lambda d: (gateway(d)["peerings"][0].update(gateway="core"),
                                  us(d)["route_tables"][0]["associate"].pop(),
                                  us(d)["route_tables"][0].pop("routes")),
     {("transit-gateway-peer-same-region", f"{P}.gateway")}),
    ("peer-in-the-same-region", lambda d: us(d).update(region="eu-west-1"),
     {("transit-gateway-peer-same-region", f"{P}.gateway"),
      ("transit-gateway-other-region", "network.vpcs[us].transit_gateway.name")}),
    ("peer-of-another-account", lambda d: (us(d).update(account="ident"),
                                           d["network"]["vpcs"][2].update(account="ident")),
     {("transit-gateway-peering-other-account", f"{P}.gateway")}),
    ("declared-twice-the-other-way", lambda d: us(d).update(peerings=[{"name": "pacific", "gateway": "core"}]),
     {("transit-gateway-peering-duplicate", "network.transit_gateways[us].peerings[pacific].gateway")}),
    ("name-used-twice", lambda d: us(d).update(peerings=[{"name": "atlantic", "gateway": "core"}]),
     {("transit-gateway-peering-duplicate", "network.transit_gateways[us].peerings[atlantic].name")}),
    ("propagated", lambda d: us(d)["route_tables"][0]["propagate"].append("atlantic"),
     {("transit-gateway-peering-propagated", "network.transit_gateways[us].route_tables[main].propagate[atlantic]")}),
    ("route-to-unknown-peering", lambda d: us(d)["route_tables"][0]["routes"][0].update(peering="atlantik"),
     {("transit-gateway-peering-unknown", "network.transit_gateways[us].route_tables[main].routes[0].peering")}),
    ("route-to-peering-and-attachment", lambda d: us(d)["route_tables"][0]["routes"][0].update(attachment="us"),
     {("transit-gateway-route-invalid", "network.transit_gateways[us].route_tables[main].routes[0]")}),
    ("not-associated-on-the-accepter-side", lambda d: us(d)["route_tables"][0]["associate"].remove("atlantic"),
     {("transit-gateway-peering-not-associated", f"{P}.name")}),
    ("not-associated-on-the-requester-side", lambda d: gateway(d)["route_tables"][0]["associate"].remove("atlantic"),
     {("transit-gateway-peering-not-associated", f"{P}.name")}),
    ("associated-twice", lambda d: gateway(d)["route_tables"][1]["associate"].append("atlantic"),
     {("transit-gateway-association-duplicate", f"{G}.route_tables[workloads].associate[atlantic]")}),
    ("peering-named-like-an-attachment", lambda d: (gateway(d)["peerings"][0].update(name="onprem")),
     {("transit-gateway-attachment-duplicate", f"{G}.peerings[onprem].name"),
      ("transit-gateway-peering-not-associated", f"{G}.peerings[onprem].name"),
      ("transit-gateway-attachment-unknown", f"{G}.route_tables[shared].associate[atlantic]"),
      ("transit-gateway-peering-unknown", f"{G}.route_tables[shared].routes[0].peering"),
      ("transit-gateway-attachment-unknown", "network.transit_gateways[us].route_tables[main].associate[atlantic]"),
      ("transit-gateway-peering-unknown", "network.transit_gateways[us].route_tables[main].routes[0].peering")}),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in PEERING_CASES], ids=[c[0] for c in PEERING_CASES])
def test_peering_checks(tmp_path, mutate, expected):
    data = peered()
    mutate(data)
    assert_issues(tmp_path, data, expected)
