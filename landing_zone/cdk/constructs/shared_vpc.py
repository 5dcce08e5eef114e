"""SharedVpc: a VPC with subnets placed by AZ id, one route table per subnet, optional gateways, flow logs."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.plan.model import Tags
from landing_zone.plan.network import VpcPlan

DEFAULT_ROUTE = "0.0.0.0/0"
WITHOUT_FLOW_LOGS = "VpcWithoutFlowLogs"


def _tags(tags: Tags) -> list[cdk.CfnTag]:
    return [cdk.CfnTag(key=k, value=v) for k, v in tags]


def _export(scope: Construct, logical_id: str, value: str, name: str) -> None:
    """A stable export (the directory stack of the same account and region imports it)."""
    output = cdk.CfnOutput(scope, logical_id, value=value, export_name=name)
    output.override_logical_id(logical_id)


class SharedVpc(Construct):
    def __init__(self, scope: Construct, id_: str, *, vpc: VpcPlan) -> None:
        super().__init__(scope, id_)
        # A VPC whose blueprint turned flow logs off (the stack of a VPC with flow logs on is only
        # synthesized once the log bucket is known) has its own construct id: landing_zone/cdk/nag.py
        # acknowledges AwsSolutions-VPC7 for that id only.
        resource = ec2.CfnVPC(self, "Vpc" if vpc.flow_logs_destination else WITHOUT_FLOW_LOGS,
                              cidr_block=vpc.cidr, enable_dns_hostnames=True, enable_dns_support=True,
                              tags=_tags(vpc.tags))
        resource.override_logical_id(vpc.logical_id)
        self.vpc_id: str = resource.ref
        self.subnet_ids: dict[str, str] = {}
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
            association = ec2.CfnSubnetRouteTableAssociation(self, f"Association{subnet.name}",
                                                             subnet_id=cfn_subnet.attr_subnet_id,
                                                             route_table_id=table.attr_route_table_id)
            association.override_logical_id(f"{subnet.logical_id}RouteTableAssociation")

        nat_id = None
        if vpc.nat_gateway:
            nat = vpc.nat_gateway
            eip = ec2.CfnEIP(self, "NatEip", domain="vpc", tags=_tags(nat.tags))
            eip.override_logical_id(f"{nat.logical_id}Eip")
            eip.node.add_dependency(attachment)
            gateway = ec2.CfnNatGateway(self, "NatGateway", subnet_id=self.subnet_ids[nat.subnet],
                                        allocation_id=eip.attr_allocation_id, tags=_tags(nat.tags))
            gateway.override_logical_id(nat.logical_id)
            nat_id = gateway.attr_nat_gateway_id

        for subnet in vpc.subnets:
            if subnet.route == "none":
                continue
            table = self.node.find_child(f"RouteTable{subnet.name}")
            route = ec2.CfnRoute(self, f"DefaultRoute{subnet.name}", route_table_id=table.attr_route_table_id,
                                 destination_cidr_block=DEFAULT_ROUTE,
                                 gateway_id=gateway_id if subnet.route == "internet" else None,
                                 nat_gateway_id=nat_id if subnet.route == "nat" else None)
            route.override_logical_id(f"{subnet.logical_id}DefaultRoute")
            if subnet.route == "internet":
                route.node.add_dependency(attachment)

        if vpc.flow_logs_destination:
            flow_log = ec2.CfnFlowLog(self, "FlowLog", resource_id=resource.ref, resource_type="VPC",
                                      traffic_type="ALL", log_destination_type="s3",
                                      log_destination=vpc.flow_logs_destination, tags=_tags(vpc.tags))
            flow_log.override_logical_id(f"{vpc.logical_id}FlowLog")
