"""VPC templates (Account Factory's baseline network): one service-managed StackSet per template and
region, with automatic deployment to the template's OUs, so every account there (also those created
later, with no deploy of ours) gets a VPC: a CIDR allocated from the IPAM pool, a private and an
attachment subnet per AZ, a transit gateway attachment (accepted by the gateway's auto-accept of
organization shares) and routes to it, gateway endpoints, the Route 53 Profile of the region's shared
endpoints, DNS Firewall rule groups, flow logs to the log archive.

The body is written once per StackSet, whatever the number of accounts. Ids of the network
account's resources come from its shared SSM parameters (template parameters, by ARN).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.network import Vpc
from landing_zone.blueprint.model.network_services import VpcTemplate
from landing_zone.blueprint.routing import pool_blocks, pools_by_name, unit_is_covered
from landing_zone.plan.baseline import TEMPLATE_VERSION
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.dns_firewall import association_name, firewall_owner, priorities
from landing_zone.plan.ipam import pool_key
from landing_zone.plan.management import failure_tolerance
from landing_zone.plan.model import Pending, Plan, StackPlan
from landing_zone.plan.names import logical_id, stack_name
from landing_zone.plan.shared_values import Imported, imported
from landing_zone.plan.stacksets import StackSetPlan, stackset_plan
from landing_zone.plan.targets import Target, Tree

COMPONENT = "vpc-templates"
ATTACHMENT_SUBNET_BITS = 4                  # /28 attachment subnets
SSM_PARAMETER = "AWS::SSM::Parameter::Value<String>"


@dataclass(frozen=True)
class VpcTemplatePlan:
    """What one template vends in one region (for the offline proofs and the diagram)."""

    name: str
    region: str
    block: str                              # the pool's block in the region: every vended VPC is inside
    netmask: int
    azs: int
    gateway: str | None
    routes: tuple[str, ...]                 # CIDRs sent to the gateway
    units: tuple[str, ...]
    accounts: int                           # accounts it reaches today


@dataclass(frozen=True)
class VpcTemplatesPayload:
    stacksets: tuple[StackSetPlan, ...]
    templates: tuple[VpcTemplatePlan, ...]


def _layout(template: VpcTemplate) -> tuple[int, int]:
    """(parts, host bits of a part): the VPC split into a power of two of equal parts, `azs` private
    subnets and a last part cut into /28 attachment subnets."""
    parts = 1 << template.azs.bit_length()
    return parts, 32 - (template.netmask + parts.bit_length() - 1)


def _resolved(bp: Blueprint, template: VpcTemplate, region: str) -> tuple[str, ...]:
    out = []
    for text in sorted(set(template.routes)):
        if text.startswith("vpc:"):
            out.append(next(v.cidr for v in bp.network.vpcs if v.name == text[4:]))
        elif text.startswith("ipam:"):
            assert bp.network.ipam is not None
            out.append(str(pool_blocks(pools_by_name(bp)[text[5:]], bp.network.ipam)[region]))
        else:
            out.append(text)
    return tuple(sorted(set(out)))


def _profile(bp: Blueprint, template: VpcTemplate, region: str) -> Vpc | None:
    """The endpoint VPC whose names the template's VPCs resolve (its profile covers all their OUs)."""
    return next((v for v in sorted(bp.network.vpcs, key=lambda v: v.name) if v.region == region
                 and v.endpoints.interface and all(unit_is_covered(v.endpoints.share_dns_with, u) for u in template.units)),
                None)


def template_body(bp: Blueprint, plan: Plan, template: VpcTemplate, region: str,
                  parameters: dict[str, Imported], bucket_arn: str | None) -> dict[str, Any]:
    name = f"{bp.name}-{template.name}"
    tags = [{"Key": k, "Value": v} for k, v in sorted(dict(plan.tags, Name=name).items())]
    parts, bits = _layout(template)
    vpc_cidr = {"Fn::GetAtt": ["Vpc", "CidrBlock"]}
    resources: dict[str, Any] = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
            "Ipv4IpamPoolId": {"Ref": parameters["pool"].parameter_id}, "Ipv4NetmaskLength": template.netmask,
            "EnableDnsHostnames": True, "EnableDnsSupport": True, "Tags": tags}},
        "RouteTable": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}, "Tags": tags}},
    }
    last = {"Fn::Select": [parts - 1, {"Fn::Cidr": [vpc_cidr, parts, bits]}]}
    subnets: list[str] = []
    attachment_subnets: list[str] = []
    for i in range(template.azs):
        zone = {"Fn::Select": [i, {"Fn::GetAZs": ""}]}
        for kind, cidr in (("Private", {"Fn::Select": [i, {"Fn::Cidr": [vpc_cidr, parts, bits]}]}),
                           ("Attachment", {"Fn::Select": [i, {"Fn::Cidr": [last, template.azs, ATTACHMENT_SUBNET_BITS]}]})):
            subnet = f"{kind}Subnet{i + 1}"
            resources[subnet] = {"Type": "AWS::EC2::Subnet", "Properties": {
                "VpcId": {"Ref": "Vpc"}, "AvailabilityZone": zone, "CidrBlock": cidr, "MapPublicIpOnLaunch": False,
                "Tags": [{"Key": k, "Value": v} for k, v in sorted(dict(plan.tags, Name=f"{name}-{kind.lower()}-{i + 1}").items())]}}
            resources[f"{subnet}RouteTable"] = {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
                "SubnetId": {"Ref": subnet}, "RouteTableId": {"Ref": "RouteTable"}}}
            (subnets if kind == "Private" else attachment_subnets).append(subnet)
    if template.transit_gateway is not None:
        gateway = {"Ref": parameters["gateway"].parameter_id}
        resources["Attachment"] = {"Type": "AWS::EC2::TransitGatewayAttachment", "Properties": {
            "TransitGatewayId": gateway, "VpcId": {"Ref": "Vpc"},
            "SubnetIds": [{"Ref": s} for s in attachment_subnets], "Tags": tags}}
        for destination in _resolved(bp, template, region):
            # A route through the gateway waits for the attachment (accepted on creation: auto-accept).
            resources[logical_id("Route", destination)] = {"Type": "AWS::EC2::Route", "DependsOn": "Attachment",
                                                           "Properties": {"RouteTableId": {"Ref": "RouteTable"},
                                                                          "DestinationCidrBlock": destination,
                                                                          "TransitGatewayId": gateway}}
    for service in sorted(set(template.gateway_endpoints)):
        resources[logical_id("GatewayEndpoint", service)] = {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcEndpointType": "Gateway", "VpcId": {"Ref": "Vpc"}, "RouteTableIds": [{"Ref": "RouteTable"}],
            "ServiceName": {"Fn::Sub": f"com.amazonaws.${{AWS::Region}}.{service}"}}}
    if "profile" in parameters:
        resources["ProfileAssociation"] = {"Type": "AWS::Route53Profiles::ProfileAssociation", "Properties": {
            "Name": f"{name}-endpoints", "ProfileId": {"Ref": parameters["profile"].parameter_id},
            "ResourceId": {"Ref": "Vpc"}}}
    for firewall, priority in priorities(template.dns_firewall).items():
        resources[logical_id("FirewallAssociation", firewall)] = {
            "Type": "AWS::Route53Resolver::FirewallRuleGroupAssociation", "Properties": {
                "FirewallRuleGroupId": {"Ref": parameters[f"firewall:{firewall}"].parameter_id},
                "VpcId": {"Ref": "Vpc"}, "Priority": priority, "Name": association_name(bp.name, firewall, template.name),
                "MutationProtection": "DISABLED"}}
    if bucket_arn:
        resources["FlowLog"] = {"Type": "AWS::EC2::FlowLog", "Properties": {
            "ResourceId": {"Ref": "Vpc"}, "ResourceType": "VPC", "TrafficType": "ALL",
            "LogDestinationType": "s3", "LogDestination": bucket_arn, "Tags": tags}}
    return {"AWSTemplateFormatVersion": TEMPLATE_VERSION,
            "Description": f"{bp.name} landing zone: VPC template {template.name} ({region})",
            "Parameters": {p.parameter_id: {"Type": SSM_PARAMETER, "Default": p.arn, "Description": p.description}
                           for p in sorted(parameters.values(), key=lambda p: p.parameter_id)},
            "Resources": resources,
            "Outputs": {"VpcId": {"Value": {"Ref": "Vpc"}}, "VpcCidr": {"Value": vpc_cidr}}}


def plan_vpc_templates(bp: Blueprint, plan: Plan, bucket_arn: str | None, result: ComponentResult,
                       depends_on: tuple[str, ...]) -> None:
    """Adds the `<name>-vpc-templates` stack (management account, home region) to `result`."""
    ipam = bp.network.ipam
    if not bp.network.vpc_templates or ipam is None:
        return
    tree = Tree(bp)
    owner_id = plan.account(ipam.account).id
    stacksets, summaries = [], []
    for template in sorted(bp.network.vpc_templates, key=lambda t: t.name):
        pool = pools_by_name(bp)[template.ipam_pool]
        for region in sorted(set(template.regions)):
            owners: dict[str, tuple[str, str, str]] = {"pool": ("ipam-pool", pool_key(pool.name, region), ipam.account)}
            if template.transit_gateway is not None:
                gateway = next(g for g in bp.network.transit_gateways if g.name == template.transit_gateway)
                owners["gateway"] = ("transit-gateway", gateway.name, gateway.account)
            endpoints = _profile(bp, template, region)
            if endpoints is not None:
                owners["profile"] = ("route53-profile", endpoints.name, endpoints.account)
            for firewall in bp.network.dns_firewall:
                if firewall.name in template.dns_firewall:
                    owners[f"firewall:{firewall.name}"] = ("firewall-rule-group", firewall.name,
                                                           firewall_owner(bp, firewall))
            missing = sorted({o for _, _, o in owners.values() if not plan.account(o).id})
            if missing or not owner_id:
                result.pending.append(Pending(f"VPC template {template.name} in {region}", f"account(s) "
                                              f"{', '.join(missing or [ipam.account])} have no id yet, so the ARNs of "
                                              "their shared parameters are unknown; run `lz sync`"))
                continue
            parameters = {k: imported(plan, kind, key, plan.account(o).id or "", region)
                          for k, (kind, key, o) in owners.items()}
            body = template_body(bp, plan, template, region, parameters, bucket_arn)
            targets = tuple(sorted(Target("ou", u) if u != "Root" else Target("root", u) for u in set(template.units)))
            stackset = stackset_plan(bp, name=f"{bp.name}-vpc-{template.name}-{region}", template=body,
                                     targets=targets)
            stacksets.append(replace(stackset, regions=(region,), failure_tolerance=failure_tolerance(tree, stackset)))
            summaries.append(VpcTemplatePlan(
                name=template.name, region=region, block=str(pool_blocks(pool, ipam)[region]), netmask=template.netmask,
                azs=template.azs, gateway=template.transit_gateway,
                routes=_resolved(bp, template, region) if template.transit_gateway else (),
                units=tuple(sorted(set(template.units))),
                accounts=len({a for t in targets for a in tree.accounts_under(t)})))
    if not stacksets:
        return
    result.stacks.append(StackPlan(
        name=stack_name(plan.name, COMPONENT), component=COMPONENT, account_id=plan.management_account_id,
        region=plan.home_region, description=f"{plan.name} landing zone: VPC templates (baseline VPC StackSets)",
        resources=len(stacksets), depends_on=depends_on,
        payload=VpcTemplatesPayload(tuple(stacksets), tuple(summaries))))

