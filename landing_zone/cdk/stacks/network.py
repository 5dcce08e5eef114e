"""NetworkStack (owner account and region): VPCs, prefix lists, resolver rules, transit gateways and their
routing, DNS Firewall, IPAM, the shared parameters other accounts read, and the RAM shares."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.dns_firewall import DnsFirewall
from landing_zone.cdk.constructs.forwarding_rule import ForwardingRule
from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.cdk.constructs.ipam import Ipam
from landing_zone.cdk.constructs.outbound_resolver_endpoint import OutboundResolverEndpoint
from landing_zone.cdk.constructs.prefix_list import PrefixList
from landing_zone.cdk.constructs.resource_share import ResourceShare
from landing_zone.cdk.constructs.shared_parameter import SharedParameter, imported_id
from landing_zone.cdk.constructs.shared_vpc import SharedVpc
from landing_zone.cdk.constructs.transit_gateway import TransitGateway
from landing_zone.cdk.constructs.vpc_endpoints import VpcEndpoints
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.gateway_routing import ATTACHMENT
from landing_zone.plan.network import NetworkPayload, SharedResource
from landing_zone.plan.shared_values import Ref, output_name


class NetworkStack(PlannedStack):
    payload_type = NetworkPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: NetworkPayload = self.payload
        # Every id a resource of this stack needs, by (kind, key): made here, imported from a shared
        # parameter of another account, or read from an output of this account's stack of another
        # region (Fn::GetStackOutput; the plan deploys that stack first).
        self.values: dict[Ref, str] = {}
        for parameter in payload.imports:
            self.values[(parameter.kind, parameter.key)] = imported_id(self, parameter)
        for kind, key, source in payload.cross_region:
            self.values[(kind, key)] = cdk.Token.as_string({"Fn::GetStackOutput": {
                "StackName": source, "Region": plan.stack(source).region, "OutputName": output_name(kind, key)}})
        arns: dict[SharedResource, str] = {}

        handler = self._handler(plan, payload)
        gateways: dict[str, TransitGateway] = {}
        for plan_gateway in payload.transit_gateways:
            gateway = gateways[plan_gateway.name] = TransitGateway(self, f"TransitGateway{plan_gateway.name}",
                                                                   gateway=plan_gateway, handler=handler)
            self.values[("transit-gateway", plan_gateway.name)] = gateway.id
            if plan_gateway.peered:
                # Its peering stacks (other regions included) read the id from here.
                name = output_name("transit-gateway", plan_gateway.name)
                cdk.CfnOutput(self, name, value=gateway.id).override_logical_id(name)
            arns[SharedResource("transit-gateway", plan_gateway.name)] = gateway.arn
        lists: dict[str, PrefixList] = {}
        for prefix_list in payload.prefix_lists:
            lists[prefix_list.name] = PrefixList(self, f"PrefixList{prefix_list.name}", prefix_list=prefix_list)
            self.values[("prefix-list", prefix_list.name)] = lists[prefix_list.name].id
            arns[SharedResource("prefix-list", prefix_list.name)] = lists[prefix_list.name].arn
        for firewall in payload.firewalls:
            built_firewall = DnsFirewall(self, f"DnsFirewall{firewall.name}", firewall=firewall)
            self.values[("firewall-rule-group", firewall.name)] = built_firewall.id
            arns[SharedResource("firewall-rule-group", firewall.name)] = built_firewall.arn
        if payload.ipam is not None:
            ipam = Ipam(self, "Ipam", ipam=payload.ipam)
            for key, pool_id in ipam.pool_ids.items():
                self.values[("ipam-pool", key)] = pool_id
                arns[SharedResource("ipam-pool", key)] = ipam.pool_arns[key]
                # Every regional pool's id, used or not: the stacks of its region read it from here.
                name = output_name("ipam-pool", key)
                cdk.CfnOutput(self, name, value=pool_id).override_logical_id(name)

        ready = {name: g.defaults_off for name, g in gateways.items() if g.defaults_off is not None}
        vpcs: dict[str, SharedVpc] = {}
        endpoints: dict[str, str] = {}
        for vpc in payload.vpcs:
            built = vpcs[vpc.name] = SharedVpc(self, f"Vpc{vpc.name}", vpc=vpc, values=self.values, gateway_ready=ready)
            for subnet in vpc.subnets:
                arns[SharedResource("subnet", f"{vpc.name}/{subnet.name}")] = self.format_arn(
                    service="ec2", resource="subnet", resource_name=built.subnet_ids[subnet.name])
            if vpc.resolver_endpoint:
                endpoint = OutboundResolverEndpoint(
                    self, f"Endpoint{vpc.name}", endpoint=vpc.resolver_endpoint, vpc_id=built.vpc_id,
                    subnet_ids=[built.subnet_ids[s] for s in vpc.resolver_endpoint.subnets])
                endpoints[vpc.name] = endpoint.endpoint_id
            if vpc.endpoints or vpc.inbound_resolver:
                services = VpcEndpoints(self, f"VpcEndpoints{vpc.name}", vpc=vpc, vpc_id=built.vpc_id,
                                        subnet_ids=built.subnet_ids, route_table_ids=built.route_tables,
                                        values=self.values)
                if services.profile_id and services.profile_arn:
                    self.values[("route53-profile", vpc.name)] = services.profile_id
                    arns[SharedResource("route53-profile", vpc.name)] = services.profile_arn
            if built.attachment is not None:
                self.values[(ATTACHMENT, vpc.name)] = built.attachment.ref
        for built in vpcs.values():
            built.associate(self.values)
        for prefix_list in payload.prefix_lists:
            if prefix_list.example_vpc:
                lists[prefix_list.name].add_example(vpcs[prefix_list.example_vpc].vpc_id)
        for name, gateway in gateways.items():
            gateway.route({v.name: vpcs[v.name].attachment for v in payload.vpcs
                           if v.attachment and v.attachment.gateway == name and vpcs[v.name].attachment is not None})
        for rule in payload.resolver_rules:
            built_rule = ForwardingRule(self, f"Rule{rule.name}", rule=rule, endpoint_id=endpoints[rule.vpc],
                                        vpc_id=vpcs[rule.vpc].vpc_id)
            arns[SharedResource("resolver-rule", rule.name)] = built_rule.arn
        for parameter in payload.published:
            shared = SharedParameter(self, f"Shared{parameter.logical_id}", parameter=parameter,
                                     value=self.values[(parameter.kind, parameter.key)])
            arns[SharedResource("parameter", f"{parameter.kind}/{parameter.key}")] = shared.arn
        for share in payload.shares:
            ResourceShare(self, share.logical_id, share=share,
                          resource_arns=[arns[r] for r in share.resources])

    def _handler(self, plan: Plan, payload: NetworkPayload) -> HandlerProvider | None:
        """The transit gateway handler: attachment lookups and the default route tables switch."""
        if not payload.routing_handler:
            return None
        attachments = self.format_arn(service="ec2", resource="transit-gateway-attachment", resource_name="*")
        tables = self.format_arn(service="ec2", resource="transit-gateway-route-table", resource_name="*")
        gateways = self.format_arn(service="ec2", resource="transit-gateway", resource_name="*")
        return HandlerProvider(self, "TransitGatewayHandler", module="transit_gateway_routing",
                               function_name=f"{plan.name}-tgw-routing", waits=False, statements=[
            # Describe calls have no resource-level permissions.
            iam.PolicyStatement(actions=["ec2:DescribeTransitGatewayAttachments", "ec2:DescribeTransitGateways"],
                                resources=["*"]),
            # This account's gateways only (the stack's own, by ARN pattern: their ids are generated).
            iam.PolicyStatement(actions=["ec2:ModifyTransitGateway"], resources=[gateways]),
            # Attachments that arrived while the defaults were off: any attachment (another account's
            # VPC) into this account's route tables.
            iam.PolicyStatement(actions=["ec2:AssociateTransitGatewayRouteTable",
                                         "ec2:EnableTransitGatewayRouteTablePropagation"],
                                resources=[tables, attachments]),
            # Which attachments the route tables hold already (the sweep skips them).
            iam.PolicyStatement(actions=["ec2:GetTransitGatewayRouteTableAssociations"], resources=[tables])])
