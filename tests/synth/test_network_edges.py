"""Network features no shipped blueprint has, synthesized: a BGP VPN and a Direct Connect gateway, an IPAM
in two regions (a regional pool id crossing regions), a VPC of another account allocating from a pool
and using a rule group and the endpoints' profile of the network account (shared parameters read by
ARN). Every template lints clean and holds exactly what its plan counted."""
from __future__ import annotations

import json

import pytest
from cfnlint.api import ManualArgs, lint

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from tests.synth.conftest import synth_subset

BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}, {name: Workloads, id: ou-a1b2-22222222}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: network, email: a+net@example.com, unit: Security, role: network, id: "444444444444"}
    - {name: app, email: a+app@example.com, unit: Workloads, id: "555555555555"}
network:
  vpcs:
    - name: hub
      account: network
      region: eu-west-1
      cidr: 10.0.0.0/16
      subnets:
        - {name: a, cidr: 10.0.0.0/24, az_id: euw1-az1}
        - {name: b, cidr: 10.0.1.0/24, az_id: euw1-az2}
      transit_gateway: {name: edge, subnets: [a, b], routes: [172.16.0.0/12]}
      endpoints: {interface: [sts], share_dns_with: {units: [Workloads]}}
    - name: app
      account: app
      region: eu-west-1
      cidr: 10.64.0.0/16
      ipam_pool: workloads
      subnets:
        - {name: a, cidr: 10.64.0.0/24, az_id: euw1-az1}
      transit_gateway: {name: edge, subnets: [a], routes: [172.16.0.0/12, "vpc:hub"]}
  transit_gateways:
    - name: edge
      account: network
      region: eu-west-1
      asn: 64600
      share_with: {units: [Workloads]}
      route_tables:
        - {name: main, associate: [hub, app, bgp, dx], propagate: [hub, app, bgp, dx]}
      vpn_connections: [{name: bgp, customer_gateway_ip: 198.51.100.20, bgp_asn: 65020, advertised_routes: [172.16.0.0/13]}]
      direct_connect_gateways:
        - {name: dx, gateway_id: 5f294f92-bafb-4011-916d-9b0b1234abcd, allowed_prefixes: [10.0.0.0/16]}
  dns_firewall:
    - {name: baseline, block_domains: [bad.example.com], vpcs: [hub, app], share_with: {units: [Workloads]}}
  ipam:
    account: network
    regions: [us-east-1, eu-west-1]
    pools: [{name: workloads, cidr: 10.64.0.0/12, allocation_netmask: 16, share_with: {units: [Workloads]}}]
"""


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bp-network-edges")
    (folder / "bp.yaml").write_text(BLUEPRINT)
    plan = build_plan(load_blueprint(folder / "bp.yaml"))
    return synth_subset(plan, lambda c: c in ("network", "network-routing", "sharing"),
                        tmp_path_factory.mktemp("cdk-network-edges"))


def test_every_template_lints_clean_and_matches_its_plan(edges):
    templates = edges.templates()
    stacks = [s for s in edges.plan.stacks if s.component in ("network", "network-routing")]
    assert sorted(s.name for s in stacks) == ["acme-network-app-eu-west-1", "acme-network-eu-west-1",
                                             "acme-network-routing-eu-west-1", "acme-network-us-east-1"]
    for stack in stacks:
        template = templates[stack.name]
        assert len(template["Resources"]) == stack.resources, stack.name
        errors = [str(m) for m in lint(json.dumps(template), config=ManualArgs(regions=[stack.region]))
                  if m.rule.id.startswith("E")]
        assert errors == [], stack.name


def test_the_regional_pool_crosses_regions_inside_the_network_account(edges):
    templates = edges.templates()
    home, eu = templates["acme-network-us-east-1"], templates["acme-network-eu-west-1"]
    pools = {r["Properties"]["Locale"]: r["Properties"]["ProvisionedCidrs"] for r in home["Resources"].values()
             if r["Type"] == "AWS::EC2::IPAMPool" and "Locale" in r["Properties"]}
    # The pool split in region order: eu-west-1 takes the first half.
    assert pools == {"eu-west-1": [{"Cidr": "10.64.0.0/13"}], "us-east-1": [{"Cidr": "10.72.0.0/13"}]}
    # The home region's stack outputs every regional pool id; the eu-west-1 stack reads its own with
    # Fn::GetStackOutput and publishes it in its region for other accounts.
    outputs = {k for k, v in home["Outputs"].items() if "IpamPool" in json.dumps(v)}
    [parameter] = [r["Properties"] for r in eu["Resources"].values() if r["Type"] == "AWS::SSM::Parameter"
                   and r["Properties"]["Name"] == "/acme/network/ipam-pool/workloads/eu-west-1"]
    reference = parameter["Value"]["Fn::GetStackOutput"]
    assert (reference["StackName"], reference["Region"]) == ("acme-network-us-east-1", "us-east-1")
    assert reference["OutputName"] in outputs and parameter["Tier"] == "Advanced"


def test_the_other_accounts_vpc_reads_every_id_by_arn(edges):
    app = edges.templates()["acme-network-app-eu-west-1"]
    defaults = {p["Default"] for p in app["Parameters"].values() if p["Type"] == "AWS::SSM::Parameter::Value<String>"
                and p["Default"].startswith("arn:")}
    assert defaults == {f"arn:aws:ssm:eu-west-1:444444444444:parameter/acme/network/{name}" for name in (
        "transit-gateway/edge", "ipam-pool/workloads/eu-west-1", "firewall-rule-group/baseline",
        "route53-profile/hub")}
    resources = app["Resources"].values()
    [vpc] = [r["Properties"] for r in resources if r["Type"] == "AWS::EC2::VPC"]
    [allocation] = [r["Properties"] for r in resources if r["Type"] == "AWS::EC2::IPAMAllocation"]
    assert (vpc["CidrBlock"], allocation["Cidr"]) == ("10.64.0.0/16", "10.64.0.0/16")
    assert "Ref" in allocation["IpamPoolId"]
    assert {r["Type"] for r in resources} >= {"AWS::Route53Profiles::ProfileAssociation",
                                              "AWS::Route53Resolver::FirewallRuleGroupAssociation",
                                              "AWS::EC2::TransitGatewayAttachment"}


def test_vpn_and_direct_connect_attachments_are_looked_up_and_routed(edges):
    hub = edges.templates()["acme-network-eu-west-1"]["Resources"]
    [vpn] = [r["Properties"] for r in hub.values() if r["Type"] == "AWS::EC2::VPNConnection"]
    assert vpn["StaticRoutesOnly"] is False and vpn["PreSharedKeyStorage"] == "SecretsManager"
    lookups = sorted(r["Properties"]["ResourceType"] for r in hub.values()
                     if r["Type"] == "Custom::TransitGatewayAttachmentLookup")
    assert lookups == ["direct-connect-gateway", "vpn"]
    propagated = [r["Properties"]["TransitGatewayAttachmentId"] for r in hub.values()
                  if r["Type"] == "AWS::EC2::TransitGatewayRouteTablePropagation"]
    assert sum(1 for p in propagated if "Fn::GetAtt" in p) == 2       # the VPN's and the gateway's lookups
