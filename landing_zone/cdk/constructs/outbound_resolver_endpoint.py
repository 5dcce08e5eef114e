"""OutboundResolverEndpoint: a Route 53 Resolver outbound endpoint in two subnets, DNS egress only."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.plan.network import DNS_PORT, ResolverEndpointPlan


class OutboundResolverEndpoint(Construct):
    def __init__(self, scope: Construct, id_: str, *, endpoint: ResolverEndpointPlan, vpc_id: str,
                 subnet_ids: list[str]) -> None:
        super().__init__(scope, id_)
        tags = [cdk.CfnTag(key=k, value=v) for k, v in endpoint.tags]
        egress = [ec2.CfnSecurityGroup.EgressProperty(
                      ip_protocol=protocol, from_port=DNS_PORT, to_port=DNS_PORT,
                      description=f"DNS ({protocol.upper()}) to {cidr}",
                      **({"cidr_ipv6": cidr} if ":" in cidr else {"cidr_ip": cidr}))
                  for cidr in endpoint.egress for protocol in ("tcp", "udp")]
        group = ec2.CfnSecurityGroup(
            self, "SecurityGroup", vpc_id=vpc_id, security_group_egress=egress, tags=tags,
            group_description=f"{endpoint.name}: DNS forwarding to the target servers")
        group.override_logical_id(f"{endpoint.logical_id}SecurityGroup")
        resource = resolver.CfnResolverEndpoint(
            self, "Endpoint", direction="OUTBOUND", name=endpoint.name,
            ip_addresses=[resolver.CfnResolverEndpoint.IpAddressRequestProperty(subnet_id=s)
                          for s in subnet_ids],
            security_group_ids=[group.attr_group_id], tags=tags)
        resource.override_logical_id(endpoint.logical_id)
        self.endpoint_id: str = resource.attr_resolver_endpoint_id
