"""NetworkStack (owner account and region): VPCs, prefix lists, resolver rules, gateways, RAM shares."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.forwarding_rule import ForwardingRule
from landing_zone.cdk.constructs.outbound_resolver_endpoint import OutboundResolverEndpoint
from landing_zone.cdk.constructs.prefix_list import PrefixList
from landing_zone.cdk.constructs.resource_share import ResourceShare
from landing_zone.cdk.constructs.shared_vpc import SharedVpc
from landing_zone.cdk.constructs.transit_gateway import TransitGateway
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.network import NetworkPayload, SharedResource


class NetworkStack(PlannedStack):
    payload_type = NetworkPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: NetworkPayload = self.payload
        arns: dict[SharedResource, str] = {}
        vpcs: dict[str, SharedVpc] = {}
        endpoints: dict[str, str] = {}
        for vpc in payload.vpcs:
            built = vpcs[vpc.name] = SharedVpc(self, f"Vpc{vpc.name}", vpc=vpc)
            for subnet in vpc.subnets:
                arns[SharedResource("subnet", f"{vpc.name}/{subnet.name}")] = self.format_arn(
                    service="ec2", resource="subnet", resource_name=built.subnet_ids[subnet.name])
            if vpc.resolver_endpoint:
                endpoint = OutboundResolverEndpoint(
                    self, f"Endpoint{vpc.name}", endpoint=vpc.resolver_endpoint, vpc_id=built.vpc_id,
                    subnet_ids=[built.subnet_ids[s] for s in vpc.resolver_endpoint.subnets])
                endpoints[vpc.name] = endpoint.endpoint_id
        for prefix_list in payload.prefix_lists:
            built_list = PrefixList(self, f"PrefixList{prefix_list.name}", prefix_list=prefix_list,
                                    example_vpc_id=vpcs[prefix_list.example_vpc].vpc_id
                                    if prefix_list.example_vpc else None)
            arns[SharedResource("prefix-list", prefix_list.name)] = built_list.arn
        for rule in payload.resolver_rules:
            built_rule = ForwardingRule(self, f"Rule{rule.name}", rule=rule, endpoint_id=endpoints[rule.vpc],
                                        vpc_id=vpcs[rule.vpc].vpc_id)
            arns[SharedResource("resolver-rule", rule.name)] = built_rule.arn
        for gateway in payload.transit_gateways:
            arns[SharedResource("transit-gateway", gateway.name)] = TransitGateway(
                self, f"TransitGateway{gateway.name}", gateway=gateway).arn
        for share in payload.shares:
            ResourceShare(self, share.logical_id, share=share,
                          resource_arns=[arns[r] for r in share.resources])
