"""Reachability over the plan: the enterprise network's promises (the directory reaches its forwarders,
workloads reach the shared services, the blackhole holds) and each way a path can break."""
from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.reachability import Routing
from tests.helpers import minimal, write

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def enterprise() -> Routing:
    return Routing.of(build_plan(load_blueprint(ROOT / "blueprints" / "enterprise.yaml")))


@pytest.mark.parametrize("source, subnet, address, hops", [
    # The directory's trust: both of its subnets reach both forwarders, and the answers come back.
    ("identity", "ds-a", "192.168.1.10", ["identity/ds-a", "core/services", "onprem (vpn)", "reply from onprem",
                                          "core/services", "identity (vpc)"]),
    ("identity", "ds-b", "192.168.1.11", ["identity/ds-b", "core/services", "onprem (vpn)", "reply from onprem",
                                          "core/services", "identity (vpc)"]),
    # Vended workload VPCs reach the shared services and the directory, and are answered.
    ("workload", None, "10.0.16.10", ["workload/vended", "core/spokes", "shared (vpc)", "reply from shared",
                                      "core/services", "workload (template)"]),
    ("workload", None, "10.1.0.10", ["workload/vended", "core/spokes", "identity (vpc)", "reply from identity",
                                     "core/services", "workload (template)"]),
    # The shared services reach on-premises offices through the prefix list their route tables use.
    ("shared", "app-b", "10.20.3.4", ["shared/app-b", "core/services", "onprem (vpn)", "reply from onprem",
                                      "core/services", "shared (vpc)"]),
], ids=["directory-a-forwarder-1", "directory-b-forwarder-2", "workload-to-shared", "workload-to-directory",
        "shared-to-office"])
def test_enterprise_paths_exist_both_ways(enterprise, source, subnet, address, hops):
    verdict = enterprise.round_trip(source, subnet, address)
    assert verdict.reachable, verdict.missing
    assert list(verdict.path) == hops


@pytest.mark.parametrize("source, address, missing", [
    ("workload", "10.99.4.1", "route table 'spokes' of gateway 'core' drops 10.99.4.1/32 (blackhole 10.99.0.0/16)"),
    # Workload VPCs do not reach each other: the spokes table learns none of their networks, and its
    # default route leads to the shared VPC, which does not hold them.
    ("workload", "10.64.8.1", "attachment 'shared' does not reach 10.64.8.1/32"),
    ("identity", "10.99.4.1", "subnet 'ds-a' of vpc 'identity' has no route for 10.99.4.1/32"),
], ids=["blackhole-holds", "spokes-are-isolated", "no-route-in-the-vpc"])
def test_enterprise_paths_that_must_not_exist(enterprise, source, address, missing):
    verdict = enterprise.round_trip(source, None, address)
    assert not verdict.reachable
    assert verdict.missing == missing


def test_the_matrix_covers_every_attached_source_and_network(enterprise):
    rows = enterprise.matrix()
    assert {s for s, _, _ in rows} >= {"identity", "shared", "workload"}
    assert ("workload", "blackhole 10.99.0.1") in {(s, t) for s, t, _ in rows}


# ---------- broken paths, one at a time ----------

def routed() -> dict:
    """A VPC of the network account attached to a gateway with one route table and a static VPN."""
    data = minimal()
    data["organization"]["accounts"].append({"name": "net", "email": "aws+net@example.com", "unit": "Security",
                                             "role": "network", "id": "444444444444"})
    data["network"] = {
        "vpcs": [{"name": "app", "account": "net", "region": "us-east-1", "cidr": "10.0.0.0/16",
                  "subnets": [{"name": "a", "cidr": "10.0.0.0/24", "az_id": "use1-az1"}],
                  "transit_gateway": {"name": "core", "subnets": ["a"], "routes": ["192.168.0.0/16"]}}],
        "transit_gateways": [{"name": "core", "account": "net", "region": "us-east-1",
                              "route_tables": [{"name": "main", "associate": ["app", "vpn"],
                                                "propagate": ["app", "vpn"]}],
                              "vpn_connections": [{"name": "vpn", "customer_gateway_ip": "203.0.113.10",
                                                   "static_routes": ["192.168.0.0/16"]}]}]}
    return data


def table(d) -> dict:
    return d["network"]["transit_gateways"][0]["route_tables"][0]


@pytest.mark.parametrize("mutate, reachable, missing", [
    (lambda d: None, True, ""),
    (lambda d: table(d)["associate"].remove("app"), False,
     "attachment 'app' is associated with no route table of gateway 'core'"),
    (lambda d: table(d)["propagate"].remove("vpn"), False,
     "route table 'main' of gateway 'core' has no route to 192.168.1.1/32"),
    (lambda d: table(d)["associate"].remove("vpn"), False,
     "attachment 'vpn' is associated with no route table of gateway 'core'"),
    (lambda d: table(d).update(routes=[{"destination": "192.168.1.0/24", "blackhole": True}]), False,
     "route table 'main' of gateway 'core' drops 192.168.1.1/32 (blackhole 192.168.1.0/24)"),
    # A static route beats a propagated route of the same length only; a longer propagated one wins.
    (lambda d: table(d).update(routes=[{"destination": "192.168.0.0/15", "blackhole": True}]), True, ""),
    (lambda d: d["network"]["vpcs"][0]["transit_gateway"].update(routes=[]), False,
     "subnet 'a' of vpc 'app' has no route for 192.168.1.1/32"),
], ids=["routed", "vpc-not-associated", "vpn-not-propagated", "reply-has-no-table", "blackhole",
        "shorter-blackhole-loses", "vpc-sends-nothing"])
def test_each_broken_link_is_named(tmp_path, mutate, reachable, missing):
    data = routed()
    mutate(data)
    routing = Routing.of(build_plan(load_blueprint(write(tmp_path, data))))
    verdict = routing.round_trip("app", "a", "192.168.1.1")
    assert (verdict.reachable, verdict.missing) == (reachable, missing)


def test_default_route_table_mode_routes_everything_to_everything(tmp_path):
    data = routed()
    gateway = data["network"]["transit_gateways"][0]
    del gateway["route_tables"]
    gateway["vpn_connections"][0] = {"name": "vpn", "customer_gateway_ip": "203.0.113.10",
                                     "advertised_routes": ["192.168.0.0/16"]}
    routing = Routing.of(build_plan(load_blueprint(write(tmp_path, data))))
    assert routing.round_trip("app", "a", "192.168.1.1").reachable


def test_an_unreachable_trust_is_an_issue_naming_the_route_table(tmp_path):
    data = routed()
    data["organization"]["accounts"][-1]["role"] = "identity"     # the directory's account owns the gateway too
    vpc = data["network"]["vpcs"][0]
    vpc["subnets"].append({"name": "b", "cidr": "10.0.1.0/24", "az_id": "use1-az2"})
    vpc["transit_gateway"]["subnets"] = ["a", "b"]
    table(data)["propagate"].remove("vpn")
    data["identity"] = {"directory": {
        "account": "net", "region": "us-east-1", "vpc": "app", "subnets": ["a", "b"], "domain": "corp.example.com",
        "trusts": [{"remote_domain": "onprem.example.com", "conditional_forwarder_ips": ["192.168.1.10"],
                    "password_secret": "lz/ad/onprem"}]}}
    with pytest.raises(BlueprintError) as info:
        build_plan(load_blueprint(write(tmp_path, data)))
    issues = [i for i in info.value.issues if i.code == "directory-trust-unreachable"]
    assert [(i.path, i.message.split(": ", 1)[1], i.hint) for i in issues] == [(
        "identity.directory.trusts[onprem.example.com].conditional_forwarder_ips[192.168.1.10]",
        "route table 'main' of gateway 'core' has no route to 192.168.1.10/32",
        "in transit gateway core, route table main: propagate the attachment that reaches 192.168.1.10/32, or "
        "add a route (routes: [{destination: 192.168.1.10/32, attachment: ...}])")]


# ---------- through a peering of two gateways in two regions ----------

def peered() -> dict:
    """`routed()` plus a gateway in eu-west-1 with one VPC, peered with core (requested by core)."""
    data = routed()
    data["network"]["vpcs"].append({
        "name": "eu", "account": "net", "region": "eu-west-1", "cidr": "10.128.0.0/16",
        "subnets": [{"name": "a", "cidr": "10.128.0.0/24", "az_id": "euw1-az1"}],
        "transit_gateway": {"name": "eu", "subnets": ["a"], "routes": ["10.0.0.0/16"]}})
    data["network"]["transit_gateways"].append({
        "name": "eu", "account": "net", "region": "eu-west-1", "asn": 64513,
        "route_tables": [{"name": "eu-main", "associate": ["eu", "atlantic"], "propagate": ["eu"],
                          "routes": [{"destination": "10.0.0.0/16", "peering": "atlantic"}]}]})
    core = data["network"]["transit_gateways"][0]
    core["peerings"] = [{"name": "atlantic", "gateway": "eu"}]
    core["route_tables"][0]["associate"].append("atlantic")
    core["route_tables"][0]["routes"] = [{"destination": "vpc:eu", "peering": "atlantic"}]
    data["network"]["vpcs"][0]["transit_gateway"]["routes"].append("10.128.0.0/16")
    return data


def eu_table(d) -> dict:
    return d["network"]["transit_gateways"][1]["route_tables"][0]


def test_a_vpc_reaches_a_vpc_of_another_region_through_the_peering_and_back(tmp_path):
    routing = Routing.of(build_plan(load_blueprint(write(tmp_path, peered()))))
    there = routing.round_trip("app", "a", "10.128.0.10")
    assert there.reachable, there.missing
    assert list(there.path) == ["app/a", "core/main", "atlantic (peering)", "eu/eu-main", "eu (vpc)",
                                "reply from eu", "eu/eu-main", "atlantic (peering)", "core/main", "app (vpc)"]
    # And from the other side, where the peering was accepted.
    back = routing.round_trip("eu", "a", "10.0.0.10")
    assert back.reachable, back.missing
    assert list(back.path) == ["eu/a", "eu/eu-main", "atlantic (peering)", "core/main", "app (vpc)",
                               "reply from app", "core/main", "atlantic (peering)", "eu/eu-main", "eu (vpc)"]
    # On-premises (core's VPN) is not routed through the peering: eu has no route there.
    assert not routing.round_trip("eu", "a", "192.168.1.1").reachable


@pytest.mark.parametrize("mutate, missing", [
    # The accepter side routes nothing back: the request arrives, the answer has no way home.
    (lambda d: eu_table(d).pop("routes"), "route table 'eu-main' of gateway 'eu' has no route to 10.0.0.0/16"),
    (lambda d: eu_table(d).update(routes=[{"destination": "10.0.0.0/15", "peering": "atlantic"},
                                          {"destination": "10.0.0.0/16", "blackhole": True}]),
     "route table 'eu-main' of gateway 'eu' drops 10.0.0.0/16 (blackhole 10.0.0.0/16)"),
    # A route back through the peering for what the peer itself holds loops between the two gateways.
    (lambda d: eu_table(d).update(propagate=[], routes=[{"destination": "10.0.0.0/8", "peering": "atlantic"}]),
     "10.128.0.10/32 loops through peering 'atlantic'"),
], ids=["no-route-back", "route-back-blackholed", "loop"])
def test_a_broken_peering_path_is_named(tmp_path, mutate, missing):
    data = peered()
    mutate(data)
    routing = Routing.of(build_plan(load_blueprint(write(tmp_path, data))))
    verdict = routing.round_trip("app", "a", "10.128.0.10")
    assert (verdict.reachable, verdict.missing) == (False, missing)
