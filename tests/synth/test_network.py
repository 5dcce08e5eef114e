"""Network stacks of the enterprise blueprint, read from cdk.out and compared with the blueprint itself."""
from __future__ import annotations

import json

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from tests.synth.conftest import ROOT as REPO
from tests.synth.conftest import SHIPPED

BLUEPRINT = "enterprise"


@pytest.fixture(scope="module")
def result(synthesized):
    return synthesized(BLUEPRINT)


@pytest.fixture(scope="module")
def blueprint():
    path, variables = SHIPPED[BLUEPRINT]
    return load_blueprint(REPO / path, variables).model


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def expected_principals(bp, plan, targets: Targets) -> set[str]:
    """Written from the RAM documentation, not from the planner: organization ARN, OU ARNs, account ids."""
    org = f"arn:aws:organizations::{bp.organization.management_account_id}"
    out = set()
    for unit in targets.units:
        out.add(f"{org}:organization/{bp.organization.id}" if unit == ROOT
                else f"{org}:ou/{bp.organization.id}/{plan.unit(unit).id}")
    ids = {a.name: a.id for a in bp.organization.accounts}
    return out | {ids[name] for name in targets.accounts}


def network_templates(result) -> dict[str, dict]:
    return {s.name: result.templates()[s.name] for s in result.plan.stacks if s.component == "network"}


def test_enterprise_has_network_stacks_per_owner_and_region(result):
    stacks = {s.name: (s.account_id, s.region) for s in result.plan.stacks if s.component == "network"}
    assert stacks == {
        "globex-network-us-east-1": ("100000000004", "us-east-1"),
        "globex-network-identity-us-east-1": ("100000000005", "us-east-1"),
        "globex-network-identity-eu-west-1": ("100000000005", "eu-west-1"),
    }


def test_every_share_is_internal_and_names_exactly_the_blueprint_principals(result, blueprint):
    shared = [(item, item.share_with) for item in (*blueprint.network.prefix_lists,
                                                   *blueprint.network.resolver_rules,
                                                   *blueprint.network.transit_gateways)]
    shared += [(s, s.share_with) for v in blueprint.network.vpcs for s in v.subnets]
    shared += [(f, f.share_with) for f in blueprint.network.dns_firewall]
    shared += [(p, p.share_with) for p in blueprint.network.ipam.pools]
    shared += [(v, v.endpoints.share_dns_with) for v in blueprint.network.vpcs]
    # A VPC attached to another account's gateway shares its attachment id with that account.
    owners = {g.name: g.account for g in blueprint.network.transit_gateways}
    shared += [(v, Targets(accounts=[owners[v.transit_gateway.name]])) for v in blueprint.network.vpcs
               if v.transit_gateway and owners[v.transit_gateway.name] != v.account]
    wanted = {frozenset(expected_principals(blueprint, result.plan, t)) for _, t in shared if t}
    found = set()
    for template in network_templates(result).values():
        for logical_id, share in resources(template, "AWS::RAM::ResourceShare").items():
            props = share["Properties"]
            assert props["AllowExternalPrincipals"] is False, logical_id
            assert len(props["Principals"]) == len(set(props["Principals"])), logical_id
            assert props["ResourceArns"], logical_id
            found.add(frozenset(props["Principals"]))
    assert found == wanted


def _subnet_logical_id(template: dict, cidr: str) -> str:
    [logical_id] = [k for k, v in resources(template, "AWS::EC2::Subnet").items()
                    if v["Properties"]["CidrBlock"] == cidr]
    return logical_id


def test_every_shared_subnet_is_shared_with_exactly_its_share_with(result, blueprint):
    plan = result.plan
    checked = 0
    for vpc in blueprint.network.vpcs:
        stack = next(s for s in plan.stacks if s.component == "network"
                     and s.account_id == plan.account(vpc.account).id and s.region == vpc.region)
        template = result.templates()[stack.name]
        shares = resources(template, "AWS::RAM::ResourceShare")
        for subnet in vpc.subnets:
            logical_id = _subnet_logical_id(template, subnet.cidr)
            holding = [s["Properties"] for s in shares.values()
                       if f'"{logical_id}"' in json.dumps(s["Properties"]["ResourceArns"])]
            if subnet.share_with is None:
                assert holding == [], subnet.name
                continue
            assert len(holding) == 1, f"{vpc.name}/{subnet.name} is in {len(holding)} shares"
            assert set(holding[0]["Principals"]) == expected_principals(blueprint, plan, subnet.share_with)
            arn = json.dumps(holding[0]["ResourceArns"])
            assert ":ec2:" in arn and ":subnet/" in arn
            checked += 1
    assert checked == 2      # app-a and app-b of the shared VPC


def test_one_share_per_resource_type_and_target_set(result):
    for name, template in network_templates(result).items():
        keys = []
        for share in resources(template, "AWS::RAM::ResourceShare").values():
            props = share["Properties"]
            kind = props["Name"].split("-to-")[0]
            keys.append((kind, tuple(sorted(props["Principals"]))))
        assert len(keys) == len(set(keys)), name


def test_subnets_are_placed_by_az_id_in_their_region(result, blueprint):
    for stack in (s for s in result.plan.stacks if s.component == "network"):
        for logical_id, subnet in resources(result.templates()[stack.name], "AWS::EC2::Subnet").items():
            props = subnet["Properties"]
            assert "AvailabilityZone" not in props, logical_id
            prefix = {"us-east-1": "use1-", "eu-west-1": "euw1-"}[stack.region]
            assert props["AvailabilityZoneId"].startswith(prefix), logical_id
            assert props["MapPublicIpOnLaunch"] is False


def test_subnets_are_private_unless_asked(result, blueprint):
    template = result.templates()["globex-network-us-east-1"]
    routes = resources(template, "AWS::EC2::Route")
    to_internet = {k for k, v in routes.items() if "GatewayId" in v["Properties"]}
    public = {_subnet_logical_id(template, cidr) for cidr in ("10.0.0.0/24", "10.0.1.0/24")}
    assert to_internet == {f"{p}DefaultRoute" for p in public}
    # nat_gateways: per_az: each private subnet's default route uses the NAT gateway of its own AZ.
    gateways = resources(template, "AWS::EC2::NatGateway")
    subnets = resources(template, "AWS::EC2::Subnet")
    zone_of_gateway = {k: subnets[v["Properties"]["SubnetId"]["Fn::GetAtt"][0]]["Properties"]["AvailabilityZoneId"]
                       for k, v in gateways.items()}
    assert sorted(zone_of_gateway.values()) == ["use1-az1", "use1-az2"]
    for cidr in ("10.0.16.0/20", "10.0.32.0/20", "10.0.255.0/28", "10.0.255.16/28"):
        subnet = _subnet_logical_id(template, cidr)
        route = routes[f"{subnet}DefaultRoute"]["Properties"]
        assert "GatewayId" not in route
        assert zone_of_gateway[route["NatGatewayId"]["Fn::GetAtt"][0]] == subnets[subnet]["Properties"]["AvailabilityZoneId"]
    # The identity VPCs asked for no gateway: nothing to the internet (us-east-1 routes to the transit gateway).
    for name in ("globex-network-identity-us-east-1", "globex-network-identity-eu-west-1"):
        identity = result.templates()[name]
        assert all(set(r["Properties"]) - {"DestinationCidrBlock", "DestinationPrefixListId"} ==
                   {"RouteTableId", "TransitGatewayId"} for r in resources(identity, "AWS::EC2::Route").values())
        assert not resources(identity, "AWS::EC2::InternetGateway")
        assert not resources(identity, "AWS::EC2::NatGateway")


def test_flow_logs_go_to_the_log_archive_bucket(result):
    bucket = "arn:aws:s3:::globex-logs-100000000002-us-east-1"
    for name, template in network_templates(result).items():
        vpcs = resources(template, "AWS::EC2::VPC")
        logs = resources(template, "AWS::EC2::FlowLog")
        assert {v["Properties"]["ResourceId"]["Ref"] for v in logs.values()} == set(vpcs), name
        for flow_log in logs.values():
            assert flow_log["Properties"]["LogDestination"] == bucket
            assert flow_log["Properties"]["LogDestinationType"] == "s3"
            assert flow_log["Properties"]["TrafficType"] == "ALL"


def test_prefix_list_and_example_security_group(result):
    template = result.templates()["globex-network-us-east-1"]
    [(logical_id, prefix_list)] = resources(template, "AWS::EC2::PrefixList").items()
    props = prefix_list["Properties"]
    assert props["AddressFamily"] == "IPv4" and props["MaxEntries"] == 20
    assert {e["Cidr"]: e["Description"] for e in props["Entries"]} == {
        "10.10.0.0/16": "HQ", "10.20.0.0/16": "Branch offices"}
    groups = [g["Properties"] for g in resources(template, "AWS::EC2::SecurityGroup").values()
              if "SourcePrefixListId" in json.dumps(g["Properties"].get("SecurityGroupIngress", []))
              and "SSH" in g["Properties"]["GroupDescription"]]
    assert [g["SecurityGroupIngress"] for g in groups] == [[{
        "Description": "SSH from globex-corporate", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp",
        "SourcePrefixListId": {"Fn::GetAtt": [logical_id, "PrefixListId"]}}]]


def test_resolver_endpoint_spans_two_azs_and_rule_is_associated(result):
    template = result.templates()["globex-network-us-east-1"]
    [endpoint] = [e for e in resources(template, "AWS::Route53Resolver::ResolverEndpoint").values()
                  if e["Properties"]["Direction"] == "OUTBOUND"]
    subnets = resources(template, "AWS::EC2::Subnet")
    zones = {subnets[a["SubnetId"]["Fn::GetAtt"][0]]["Properties"]["AvailabilityZoneId"]
             for a in endpoint["Properties"]["IpAddresses"]}
    assert endpoint["Properties"]["Direction"] == "OUTBOUND" and len(zones) == 2
    [rule] = resources(template, "AWS::Route53Resolver::ResolverRule").values()
    assert rule["Properties"]["DomainName"] == "onprem.example.com"
    assert rule["Properties"]["TargetIps"] == [{"Ip": "192.168.1.10", "Port": "53"},
                                               {"Ip": "192.168.1.11", "Port": "53"}]
    [association] = resources(template, "AWS::Route53Resolver::ResolverRuleAssociation").values()
    [vpc] = resources(template, "AWS::EC2::VPC")
    assert association["Properties"]["VPCId"] == {"Ref": vpc}


def test_stacks_with_shares_deploy_after_ram_sharing_is_enabled(result):
    manifest = json.loads((result.outdir / "manifest.json").read_text())
    sharing = resources(result.templates()["globex-sharing"], "Custom::RamOrganizationSharing")
    assert len(sharing) == 1
    for name, template in network_templates(result).items():
        depends = manifest["artifacts"][name].get("dependencies", [])
        has_shares = bool(resources(template, "AWS::RAM::ResourceShare"))
        assert ("globex-sharing" in depends) == has_shares, name
