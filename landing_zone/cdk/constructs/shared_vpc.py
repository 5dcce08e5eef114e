"""SharedVpc: a VPC with subnets placed by AZ id, one route table per subnet, optional gateways (NAT per AZ
or one), a transit gateway attachment and the routes to it, flow logs; then (`associate`) its DNS
Firewall rule groups and Route 53 Profile, which other VPCs of the stack may make."""
from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53profiles as profiles
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.plan.model import Tags
from landing_zone.plan.network import VpcPlan, routes_through
from landing_zone.plan.shared_values import Ref

DEFAULT_ROUTE = "0.0.0.0/0"
WITHOUT_FLOW_LOGS = "VpcWithoutFlowLogs"


def _tags(tags: Tags) -> list[cdk.CfnTag]:
    return [cdk.CfnTag(key=k, value=v) for k, v in tags]


def _export(scope: Construct, logical_id: str, value: str, name: str) -> None:
    """A stable export (the directory stack of the same account and region imports it)."""
    output = cdk.CfnOutput(scope, logical_id, value=value, export_name=name)
    output.override_logical_id(logical_id)


class SharedVpc(Construct):
    def __init__(self, scope: Construct, id_: str, *, vpc: VpcPlan, values: Mapping[Ref, str],
                 gateway_ready: Mapping[str, cdk.CfnResource]) -> None:
        """`values`: ids made elsewhere (the transit gateway, an IPAM pool); `gateway_ready`: per gateway
        of this stack, what its attachments wait for (its default route tables switched off)."""
        super().__init__(scope, id_)
        self.plan = vpc
        # A VPC whose blueprint turned flow logs off (the stack of a VPC with flow logs on is only
        # synthesized once the log bucket is known) has its own construct id: landing_zone/cdk/nag.py
        # acknowledges AwsSolutions-VPC7 for that id only.
        resource = ec2.CfnVPC(self, "Vpc" if vpc.flow_logs_destination else WITHOUT_FLOW_LOGS,
                              cidr_block=vpc.cidr, enable_dns_hostnames=True, enable_dns_support=True,
                              tags=_tags(vpc.tags))
        resource.override_logical_id(vpc.logical_id)
        if vpc.ipam_pool is not None:
            # The VPC keeps its CIDR (a VPC allocating from a pool takes whatever block IPAM picks, and
            # CidrBlock is create-only); the allocation records it in the pool, so no vended VPC gets it.
            allocation = ec2.CfnIPAMAllocation(self, "IpamAllocation", ipam_pool_id=values[vpc.ipam_pool],
                                               cidr=vpc.cidr, description=f"VPC {vpc.name}")
            allocation.override_logical_id(f"{vpc.logical_id}IpamAllocation")
        self.vpc_id: str = resource.ref
        self.subnet_ids: dict[str, str] = {}
        self.route_tables: dict[str, str] = {}
        if vpc.export_name:
            _export(self, f"{vpc.logical_id}Id", resource.ref, vpc.export_name)

        attachment = None
        gateway_id = None
        if vpc.internet_gateway:
            gateway = ec2.CfnInternetGateway(self, "InternetGateway", tags=_tags(vpc.tags))
            gateway.override_logical_id(f"{vpc.logical_id}InternetGateway")
            attachment = ec2.CfnVPCGatewayAttachment(self, "GatewayAttachment", vpc_id=resource.ref,
                                                     internet_gateway_id=gateway.ref)
            attachment.override_logical_id(f"{vpc.logical_id}GatewayAttachment")
            gateway_id = gateway.ref

        for subnet in vpc.subnets:
            cfn_subnet = ec2.CfnSubnet(self, f"Subnet{subnet.name}", vpc_id=resource.ref,
                                       cidr_block=subnet.cidr, availability_zone_id=subnet.az_id,
                                       map_public_ip_on_launch=False, tags=_tags(subnet.tags))
            cfn_subnet.override_logical_id(subnet.logical_id)
            self.subnet_ids[subnet.name] = cfn_subnet.attr_subnet_id
            if subnet.export_name:
                _export(self, f"{subnet.logical_id}Id", cfn_subnet.attr_subnet_id, subnet.export_name)
            table = ec2.CfnRouteTable(self, f"RouteTable{subnet.name}", vpc_id=resource.ref,
                                      tags=_tags(subnet.tags))
            table.override_logical_id(f"{subnet.logical_id}RouteTable")
            self.route_tables[subnet.name] = table.attr_route_table_id
            association = ec2.CfnSubnetRouteTableAssociation(self, f"Association{subnet.name}",
                                                             subnet_id=cfn_subnet.attr_subnet_id,
                                                             route_table_id=table.attr_route_table_id)
            association.override_logical_id(f"{subnet.logical_id}RouteTableAssociation")

        nat_ids: dict[str, str] = {}
        for nat in vpc.nat_gateways:
            # The single gateway keeps the construct ids it always had (NatEip, NatGateway).
            suffix = "" if nat is vpc.nat_gateways[0] and len(vpc.nat_gateways) == 1 else nat.az_id
            eip = ec2.CfnEIP(self, f"NatEip{suffix}", domain="vpc", tags=_tags(nat.tags))
            eip.override_logical_id(f"{nat.logical_id}Eip")
            eip.node.add_dependency(attachment)
            gateway = ec2.CfnNatGateway(self, f"NatGateway{suffix}", subnet_id=self.subnet_ids[nat.subnet],
                                        allocation_id=eip.attr_allocation_id, tags=_tags(nat.tags))
            gateway.override_logical_id(nat.logical_id)
            nat_ids[nat.logical_id] = gateway.attr_nat_gateway_id

        for subnet in vpc.subnets:
            if subnet.route == "none":
                continue
            route = ec2.CfnRoute(self, f"DefaultRoute{subnet.name}", route_table_id=self.route_tables[subnet.name],
                                 destination_cidr_block=DEFAULT_ROUTE,
                                 gateway_id=gateway_id if subnet.route == "internet" else None,
                                 nat_gateway_id=nat_ids[subnet.nat_gateway] if subnet.route == "nat" else None)
            route.override_logical_id(f"{subnet.logical_id}DefaultRoute")
            if subnet.route == "internet":
                route.node.add_dependency(attachment)

        self.attachment: ec2.CfnTransitGatewayAttachment | None = None
        if vpc.attachment is not None:
            self._attach(vpc, values, gateway_ready)

        if vpc.flow_logs_destination:
            flow_log = ec2.CfnFlowLog(self, "FlowLog", resource_id=resource.ref, resource_type="VPC",
                                      traffic_type="ALL", log_destination_type="s3",
                                      log_destination=vpc.flow_logs_destination, tags=_tags(vpc.tags))
            flow_log.override_logical_id(f"{vpc.logical_id}FlowLog")

    def _attach(self, vpc: VpcPlan, values: Mapping[Ref, str], gateway_ready: Mapping[str, cdk.CfnResource]) -> None:
        plan = vpc.attachment
        assert plan is not None
        gateway_id = values[plan.gateway_ref]
        attachment = ec2.CfnTransitGatewayAttachment(
            self, "TransitGatewayAttachment", transit_gateway_id=gateway_id, vpc_id=self.vpc_id,
            subnet_ids=[self.subnet_ids[s] for s in plan.subnets], tags=_tags(plan.tags))
        attachment.override_logical_id(plan.logical_id)
        if plan.gateway in gateway_ready:
            attachment.add_resource_dependency(gateway_ready[plan.gateway])
        self.attachment = attachment
        for subnet in vpc.subnets:
            for destination in plan.routes:
                if not routes_through(subnet, destination.text):
                    continue
                route = ec2.CfnRoute(
                    self, f"GatewayRoute{plan.route_id(subnet, destination)}",
                    route_table_id=self.route_tables[subnet.name], transit_gateway_id=gateway_id,
                    destination_cidr_block=destination.cidr,
                    destination_prefix_list_id=values[destination.prefix_list] if destination.prefix_list else None)
                route.override_logical_id(plan.route_id(subnet, destination))
                # A route through the gateway needs the attachment available first.
                route.add_resource_dependency(attachment)

    def associate(self, values: Mapping[Ref, str]) -> None:
        """DNS Firewall rule groups and the Route 53 Profile of the region's shared endpoints."""
        for association in self.plan.associations:
            kind = association.ref[0]
            if kind == "route53-profile":
                made: cdk.CfnResource = profiles.CfnProfileAssociation(
                    self, f"Profile{association.logical_id}", name=association.name,
                    profile_id=values[association.ref], resource_id=self.vpc_id)
            else:
                made = resolver.CfnFirewallRuleGroupAssociation(
                    self, f"Firewall{association.logical_id}", name=association.name,
                    firewall_rule_group_id=values[association.ref], vpc_id=self.vpc_id,
                    priority=association.priority, mutation_protection="DISABLED")
            made.override_logical_id(association.logical_id)
