"""Network planner, routing: NAT gateways per AZ, the transit gateway's tables and links, other accounts'
attachments (routing stack, defaults), shared parameters, IPAM across regions and the VPC templates'
StackSets; on the network issue's own example."""
from __future__ import annotations

import copy
import json
import random

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.network import NetworkPayload
from tests.helpers import write
from tests.unit.blueprint.checks.test_transit_checks import base


def plan_of(tmp_path, data):
    return build_plan(load_blueprint(write(tmp_path, data)))


def payload(plan, name) -> NetworkPayload:
    return plan.stack(name).payload


def test_nat_gateways_per_az_route_each_az_and_the_first_keeps_the_single_gateways_id(tmp_path):
    data = base()
    vpc = data["network"]["vpcs"][0]
    vpc["subnets"] += [{"name": "app-a", "cidr": "10.0.16.0/20", "az_id": "euw1-az1"},
                       {"name": "app-b", "cidr": "10.0.32.0/20", "az_id": "euw1-az2"}]
    per_az = payload(plan_of(tmp_path, data), "acme-network-eu-west-1").vpcs[0]
    vpc["nat_gateways"] = "single"
    single = payload(plan_of(tmp_path, data), "acme-network-eu-west-1").vpcs[0]
    [legacy] = single.nat_gateways
    assert sorted((n.az_id, n.subnet) for n in per_az.nat_gateways) == [("euw1-az1", "pub-a"), ("euw1-az2", "pub-b")]
    assert legacy.logical_id in {n.logical_id for n in per_az.nat_gateways}     # moving to per_az replaces nothing
    nat_of = {n.logical_id: n.az_id for n in per_az.nat_gateways}
    assert {s.name: nat_of[s.nat_gateway] for s in per_az.subnets if s.route == "nat"} == {
        "app-a": "euw1-az1", "app-b": "euw1-az2", "tgw-a": "euw1-az1", "tgw-b": "euw1-az2"}
    assert {s.nat_gateway for s in single.subnets if s.route == "nat"} == {legacy.logical_id}


def test_the_gateway_routes_its_own_attachments_natively(tmp_path):
    gateway = payload(plan_of(tmp_path, base()), "acme-network-eu-west-1").transit_gateways[0]
    assert [t.name for t in gateway.route_tables] == ["shared", "workloads"]
    assert [(a.table, a.attachment) for a in gateway.associations] == [("shared", "core")]
    assert [(p.table, p.attachment) for p in gateway.propagations] == [("shared", "core"), ("workloads", "core")]
    # The static VPN's network becomes a route wherever it propagates; declared routes and blackholes.
    assert sorted((r.table, r.destination.cidr, r.attachment) for r in gateway.routes) == [
        ("shared", "192.168.0.0/16", "onprem"), ("workloads", "0.0.0.0/0", "core"),
        ("workloads", "10.99.0.0/16", None)]
    assert [(v.name, v.static, v.bgp_asn) for v in gateway.vpns] == [("onprem", True, 65010)]
    assert (gateway.own_tables, gateway.auto_accept) == (True, True)


def test_other_accounts_attachments_are_routed_by_the_routing_stack_and_the_defaults(tmp_path):
    plan = plan_of(tmp_path, base())
    gateway = payload(plan, "acme-network-eu-west-1").transit_gateways[0]
    # The declared VPC of another account: exact association and propagations, a phase later.
    [foreign] = gateway.foreign
    assert (foreign.name, foreign.account, foreign.association, foreign.propagations) == (
        "ident", "ident", "shared", ("shared",))
    routing = plan.stack("acme-network-routing-eu-west-1")
    assert routing.depends_on == ("acme-network-eu-west-1", "acme-network-ident-eu-west-1")
    assert [i.arn for i in routing.payload.imports] == [
        "arn:aws:ssm:eu-west-1:555555555555:parameter/acme/network/attachment/ident"]
    # The template's VPCs: AWS's default route tables, switched off while the owner's own are made.
    assert (gateway.defaults.association_table, gateway.defaults.propagation_table) == ("workloads", None)
    ident = payload(plan, "acme-network-ident-eu-west-1")
    assert [i.arn for i in ident.imports] == ["arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/transit-gateway/core"]
    assert [(p.kind, p.key, p.targets.accounts) for p in ident.published] == [("attachment", "ident", ["net"])]
    assert plan.stack("acme-network-ident-eu-west-1").depends_on == ("acme-network-eu-west-1", "acme-sharing")


def test_the_network_stack_publishes_what_others_read(tmp_path):
    published = payload(plan_of(tmp_path, base()), "acme-network-eu-west-1").published
    assert sorted((p.kind, p.key, p.name) for p in published) == [
        ("firewall-rule-group", "baseline", "/acme/network/firewall-rule-group/baseline"),
        ("ipam-pool", "workloads/eu-west-1", "/acme/network/ipam-pool/workloads/eu-west-1"),
        ("route53-profile", "core", "/acme/network/route53-profile/core"),
        ("transit-gateway", "core", "/acme/network/transit-gateway/core")]


def test_vpc_template_stackset_body(tmp_path):
    plan = plan_of(tmp_path, base())
    stack = plan.stack("acme-vpc-templates")
    [stackset] = stack.payload.stacksets
    assert (stackset.name, stackset.regions, [t.ref for t in stackset.targets]) == (
        "acme-vpc-app-vpcs-eu-west-1", ("eu-west-1",), ["Workloads"])
    body = stackset.template
    assert {v["Default"] for v in body["Parameters"].values()} == {
        "arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/transit-gateway/core",
        "arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/ipam-pool/workloads/eu-west-1",
        "arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/route53-profile/core",
        "arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/firewall-rule-group/baseline"}
    resources = body["Resources"]
    types = sorted(r["Type"] for r in resources.values())
    assert types.count("AWS::EC2::Subnet") == 4 and types.count("AWS::EC2::VPCEndpoint") == 2
    assert {"AWS::EC2::TransitGatewayAttachment", "AWS::Route53Profiles::ProfileAssociation",
            "AWS::Route53Resolver::FirewallRuleGroupAssociation", "AWS::EC2::FlowLog"} <= set(types)
    assert resources["Vpc"]["Properties"]["Ipv4NetmaskLength"] == 22
    [route] = [r for r in resources.values() if r["Type"] == "AWS::EC2::Route"]
    assert (route["DependsOn"], route["Properties"]["DestinationCidrBlock"]) == ("Attachment", "0.0.0.0/0")
    assert stack.depends_on == ("acme-network-eu-west-1", "acme-network-ident-eu-west-1")


def test_the_stackset_carries_the_template_once_whatever_the_number_of_accounts(tmp_path):
    small = plan_of(tmp_path, base()).stack("acme-vpc-templates").payload.stacksets
    data = base()
    data["organization"]["accounts"] += [{"name": f"w{i:04d}", "email": f"aws+w{i}@example.com", "unit": "Workloads",
                                          "id": f"{900000000000 + i}"} for i in range(300)]
    large = plan_of(tmp_path, data).stack("acme-vpc-templates")
    assert large.resources == 1 and len(large.payload.stacksets) == 1
    assert json.dumps(large.payload.stacksets[0].template) == json.dumps(small[0].template)
    assert large.payload.templates[0].accounts == 301


def test_regional_pools_are_published_in_their_own_region_through_a_cross_region_reference(tmp_path):
    data = base()
    data["network"]["ipam"]["regions"] = ["us-east-1", "eu-west-1"]
    plan = plan_of(tmp_path, data)
    home = payload(plan, "acme-network-us-east-1")
    eu = payload(plan, "acme-network-eu-west-1")
    assert [r.cidr for r in home.ipam.pools[0].regional] == ["10.64.0.0/13", "10.72.0.0/13"]
    assert eu.cross_region == (("ipam-pool", "workloads/eu-west-1", "acme-network-us-east-1"),)
    assert "acme-network-us-east-1" in plan.stack("acme-network-eu-west-1").depends_on


def test_reordering_every_routing_list_leaves_the_plan_unchanged(tmp_path):
    before = [s for s in plan_of(tmp_path, base()).stacks if s.component.startswith(("network", "vpc-templates"))]
    data = base()
    rng = random.Random(7)
    network = data["network"]
    gateway = network["transit_gateways"][0]
    for items in (gateway["route_tables"], gateway["route_tables"][0]["associate"],
                  gateway["route_tables"][0]["propagate"], gateway["route_tables"][1]["routes"],
                  network["vpcs"][0]["endpoints"]["interface"], network["vpcs"][0]["transit_gateway"]["routes"],
                  network["vpcs"], network["vpcs"][0]["subnets"], data["organization"]["accounts"]):
        rng.shuffle(items)
    after = [s for s in plan_of(tmp_path, copy.deepcopy(data)).stacks
             if s.component.startswith(("network", "vpc-templates"))]
    assert after == before


@pytest.mark.parametrize("stack", ["acme-network-eu-west-1", "acme-network-ident-eu-west-1",
                                   "acme-network-routing-eu-west-1", "acme-vpc-templates"])
def test_every_network_stack_is_planned_within_the_budget(tmp_path, stack):
    plan = plan_of(tmp_path, base())
    assert 0 < plan.stack(stack).resources <= 450
