"""GatewayRoutingStack (transit gateway owner, after every network stack): the association, propagations
and static routes of other accounts' declared VPC attachments."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.cdk.constructs.shared_parameter import imported_id
from landing_zone.cdk.constructs.transit_gateway import add_route
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.gateway_routing import GatewayRoutingPayload


class GatewayRoutingStack(PlannedStack):
    payload_type = GatewayRoutingPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: GatewayRoutingPayload = self.payload
        attachments = {p.key: imported_id(self, p) for p in payload.imports}
        tables_arn = self.format_arn(service="ec2", resource="transit-gateway-route-table", resource_name="*")
        handler = HandlerProvider(self, "AttachmentRouting", module="transit_gateway_routing",
                                  function_name=f"{plan.name}-tgw-attachment-routing", waits=False, statements=[
            iam.PolicyStatement(actions=["ec2:DescribeTransitGatewayAttachments"], resources=["*"]),
            # Attachments of other accounts (ids known at deploy time only), in this account's route tables.
            iam.PolicyStatement(
                actions=["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable",
                         "ec2:EnableTransitGatewayRouteTablePropagation",
                         "ec2:DisableTransitGatewayRouteTablePropagation",
                         "ec2:GetTransitGatewayRouteTableAssociations",
                         "ec2:GetTransitGatewayRouteTablePropagations"],
                resources=[tables_arn, self.format_arn(service="ec2", resource="transit-gateway-attachment",
                                                       resource_name="*")])])
        for gateway in payload.gateways:
            tables = {name: cdk.Fn.import_value(export) for name, export in gateway.tables}
            for foreign in gateway.foreign:
                routing = handler.resource(self, foreign.logical_id, resource_type="Custom::TransitGatewayAttachmentRouting",
                                           retain=False, properties={
                    "TransitGatewayAttachmentId": attachments[foreign.name],
                    "AssociationRouteTableId": tables[foreign.association] if foreign.association else "",
                    "PropagationRouteTableIds": [tables[t] for t in foreign.propagations],
                    "RouteTableIds": [tables[name] for name in sorted(tables)]})
                for route in foreign.routes:
                    add_route(self, route, tables[route.table], attachments[foreign.name]).node.add_dependency(routing)
