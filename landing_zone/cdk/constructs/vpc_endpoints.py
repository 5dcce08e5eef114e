"""VpcEndpoints: a VPC's interface endpoints (private DNS on, HTTPS from the networks that route to them),
its gateway endpoints, the Route 53 Profile that shares the endpoints' names, and its inbound Resolver
endpoint (DNS from the VPC and the networks it routes to its transit gateway)."""
from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53profiles as profiles
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.plan.network import DNS_PORT, VpcPlan
from landing_zone.plan.shared_values import Ref

HTTPS = 443
# A rule that matches nothing replaces a security group's default allow-all egress (the rule CDK's
# allowAllOutbound: false writes).
NO_EGRESS = ec2.CfnSecurityGroup.EgressProperty(ip_protocol="icmp", from_port=252, to_port=86,
                                                cidr_ip="255.255.255.255/32", description="Disallow all traffic")


def _tags(tags) -> list[cdk.CfnTag]:
    return [cdk.CfnTag(key=k, value=v) for k, v in tags]


class VpcEndpoints(Construct):
    def __init__(self, scope: Construct, id_: str, *, vpc: VpcPlan, vpc_id: str, subnet_ids: Mapping[str, str],
                 route_table_ids: Mapping[str, str], values: Mapping[Ref, str]) -> None:
        super().__init__(scope, id_)
        self.profile_id: str | None = None
        self.profile_arn: str | None = None
        plan = vpc.endpoints
        if plan is not None:
            self._endpoints(vpc, vpc_id, subnet_ids, route_table_ids)
        if vpc.inbound_resolver is not None:
            self._inbound(vpc, vpc_id, subnet_ids, values)

    def _endpoints(self, vpc: VpcPlan, vpc_id: str, subnet_ids: Mapping[str, str],
                   route_table_ids: Mapping[str, str]) -> None:
        plan = vpc.endpoints
        assert plan is not None
        stack = cdk.Stack.of(self)
        made = []
        if plan.interface:
            group = ec2.CfnSecurityGroup(
                self, "SecurityGroup", vpc_id=vpc_id, tags=_tags(vpc.tags),
                group_description=f"{vpc.name}: HTTPS to the interface endpoints from the networks routed here",
                security_group_ingress=[ec2.CfnSecurityGroup.IngressProperty(
                    ip_protocol="tcp", from_port=HTTPS, to_port=HTTPS, cidr_ip=cidr, description=f"HTTPS from {cidr}")
                    for cidr in plan.ingress],
                # Endpoints answer; they open no connection of their own.
                security_group_egress=[NO_EGRESS])
            group.override_logical_id(plan.security_group)
            for endpoint in plan.interface:
                created = ec2.CfnVPCEndpoint(
                    self, f"Endpoint{endpoint.service}", vpc_id=vpc_id, service_name=endpoint.service_name,
                    vpc_endpoint_type="Interface", private_dns_enabled=True,
                    subnet_ids=[subnet_ids[s] for s in plan.subnets], security_group_ids=[group.attr_group_id],
                    tags=_tags(endpoint.tags))
                created.override_logical_id(endpoint.logical_id)
                made.append((endpoint, created))
        for endpoint in plan.gateway:
            created = ec2.CfnVPCEndpoint(
                self, f"Gateway{endpoint.service}", vpc_id=vpc_id, service_name=endpoint.service_name,
                vpc_endpoint_type="Gateway", route_table_ids=[route_table_ids[s] for s in sorted(route_table_ids)])
            created.override_logical_id(endpoint.logical_id)
        if plan.profile is not None:
            profile = profiles.CfnProfile(self, "Profile", name=plan.profile.name, tags=_tags(plan.profile.tags))
            profile.override_logical_id(plan.profile.logical_id)
            self.profile_id, self.profile_arn = profile.attr_id, profile.attr_arn
            for endpoint, created in made:
                association = profiles.CfnProfileResourceAssociation(
                    self, f"ProfileEndpoint{endpoint.service}", name=f"{plan.profile.name}-{endpoint.service}"[:64],
                    profile_id=profile.attr_id,
                    resource_arn=stack.format_arn(service="ec2", resource="vpc-endpoint", resource_name=created.ref))
                association.override_logical_id(f"{plan.profile.logical_id}{endpoint.logical_id}")

    def _inbound(self, vpc: VpcPlan, vpc_id: str, subnet_ids: Mapping[str, str], values: Mapping[Ref, str]) -> None:
        plan = vpc.inbound_resolver
        assert plan is not None
        tags = _tags(plan.tags)
        ingress = [ec2.CfnSecurityGroup.IngressProperty(ip_protocol=protocol, from_port=DNS_PORT, to_port=DNS_PORT,
                                                        cidr_ip=cidr, description=f"DNS ({protocol.upper()}) from {cidr}")
                   for cidr in plan.sources for protocol in ("tcp", "udp")]
        ingress += [ec2.CfnSecurityGroup.IngressProperty(
            ip_protocol=protocol, from_port=DNS_PORT, to_port=DNS_PORT, source_prefix_list_id=values[ref],
            description=f"DNS ({protocol.upper()}) from prefix list {ref[1]}")
            for ref in plan.source_lists for protocol in ("tcp", "udp")]
        group = ec2.CfnSecurityGroup(
            self, "InboundSecurityGroup", vpc_id=vpc_id, security_group_ingress=ingress, tags=tags,
            group_description=f"{plan.name}: DNS from the VPC and the networks routed to it",
            security_group_egress=[NO_EGRESS])
        group.override_logical_id(f"{plan.logical_id}SecurityGroup")
        endpoint = resolver.CfnResolverEndpoint(
            self, "Inbound", direction="INBOUND", name=plan.name,
            ip_addresses=[resolver.CfnResolverEndpoint.IpAddressRequestProperty(subnet_id=subnet_ids[s])
                          for s in plan.subnets],
            security_group_ids=[group.attr_group_id], tags=tags)
        endpoint.override_logical_id(plan.logical_id)
