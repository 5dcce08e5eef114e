"""TransitGateway: a Transit Gateway that does not accept shared attachments on its own."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.plan.network import TransitGatewayPlan


class TransitGateway(Construct):
    def __init__(self, scope: Construct, id_: str, *, gateway: TransitGatewayPlan) -> None:
        super().__init__(scope, id_)
        resource = ec2.CfnTransitGateway(
            self, "TransitGateway", amazon_side_asn=gateway.amazon_side_asn, description=gateway.description,
            auto_accept_shared_attachments="disable", default_route_table_association="enable",
            default_route_table_propagation="enable", dns_support="enable", vpn_ecmp_support="enable",
            tags=[cdk.CfnTag(key=k, value=v) for k, v in gateway.tags])
        resource.override_logical_id(gateway.logical_id)
        self.arn: str = cdk.Stack.of(self).format_arn(service="ec2", resource="transit-gateway",
                                                      resource_name=resource.attr_id)
