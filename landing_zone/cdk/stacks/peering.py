"""Transit gateway peerings between regions (plan/peering.py): PeeringAttachmentsStack requests the
attachments (requester's region); PeeringRoutingStack accepts them with a custom resource (CloudFormation
has no resource that accepts one) and routes the peer side, or routes the requesting side once accepted."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.cdk.constructs.transit_gateway import add_route
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.peering import PeeringAttachmentsPayload, PeeringRoutingPayload, StackOutput


def stack_output(value: StackOutput) -> str:
    """A value of a stack of this account (another region, or this one), read when deploying."""
    return cdk.Token.as_string({"Fn::GetStackOutput": {"StackName": value.stack, "Region": value.region,
                                                       "OutputName": value.output}})


class PeeringAttachmentsStack(PlannedStack):
    payload_type = PeeringAttachmentsPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: PeeringAttachmentsPayload = self.payload
        for peering in payload.peerings:
            attachment = ec2.CfnTransitGatewayPeeringAttachment(
                self, peering.logical_id, transit_gateway_id=stack_output(peering.gateway_id),
                peer_transit_gateway_id=stack_output(peering.peer_gateway_id), peer_account_id=peering.account_id,
                peer_region=peering.accepter.region, tags=[cdk.CfnTag(key=k, value=v) for k, v in peering.tags])
            attachment.override_logical_id(peering.logical_id)
            # The acceptance and both sides' routes read it from here.
            output = peering.attachment_id.output
            cdk.CfnOutput(self, output, value=attachment.attr_transit_gateway_attachment_id).override_logical_id(output)


class PeeringRoutingStack(PlannedStack):
    payload_type = PeeringRoutingPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: PeeringRoutingPayload = self.payload
        handler = None
        if payload.side == "accepter":
            handler = HandlerProvider(self, "PeeringAcceptance", module="transit_gateway_peering",
                                      function_name=f"{payload.prefix}-tgw-peering-acceptance", waits=True,
                                      statements=[
                # Describe calls have no resource-level permissions.
                iam.PolicyStatement(actions=["ec2:DescribeTransitGatewayPeeringAttachments"], resources=["*"]),
                # Exactly the attachments requested to this stack's gateways (ids read when deploying).
                iam.PolicyStatement(actions=["ec2:AcceptTransitGatewayPeeringAttachment"], resources=[
                    self.format_arn(service="ec2", resource="transit-gateway-attachment",
                                    resource_name=stack_output(p.attachment_id)) for p in payload.peerings])])
        for peering in payload.peerings:
            end = payload.end(peering)
            attachment_id = stack_output(peering.attachment_id)
            table_id = cdk.Fn.import_value(end.table_export)
            ready: list[cdk.CfnResource] = []
            if handler is not None:
                acceptance = handler.resource(self, peering.acceptance_logical_id,
                                              resource_type="Custom::TransitGatewayPeeringAcceptance", retain=False,
                                              properties={"TransitGatewayAttachmentId": attachment_id,
                                                          "TransitGatewayId": stack_output(peering.peer_gateway_id)})
                ready.append(acceptance.node.default_child)  # type: ignore[arg-type]
            association = ec2.CfnTransitGatewayRouteTableAssociation(
                self, end.association_logical_id, transit_gateway_attachment_id=attachment_id,
                transit_gateway_route_table_id=table_id)
            association.override_logical_id(end.association_logical_id)
            for dependency in ready:
                association.add_dependency(dependency)
            for route in end.routes:
                created = add_route(self, route, table_id, attachment_id)
                for dependency in ready:
                    created.add_dependency(dependency)
