"""DirectoryDns: the directory domain forwarded to the directory's DNS addresses, shared through RAM."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.cdk.constructs.outbound_resolver_endpoint import OutboundResolverEndpoint
from landing_zone.cdk.constructs.resource_share import ResourceShare
from landing_zone.plan.directory import DnsPlan
from landing_zone.plan.network import DNS_PORT


class DirectoryDns(Construct):
    def __init__(self, scope: Construct, id_: str, *, dns: DnsPlan, domain: str, dns_ips: list[str],
                 vpc_id: str, subnet_ids: list[str]) -> None:
        super().__init__(scope, id_)
        endpoint = OutboundResolverEndpoint(self, "Endpoint", endpoint=dns.endpoint, vpc_id=vpc_id,
                                            subnet_ids=subnet_ids)
        # The directory has two domain controllers: DnsIpAddresses is a list of two addresses.
        targets = [resolver.CfnResolverRule.TargetAddressProperty(ip=cdk.Fn.select(i, dns_ips),
                                                                   port=str(DNS_PORT)) for i in range(2)]
        rule = resolver.CfnResolverRule(
            self, "Rule", rule_type="FORWARD", domain_name=domain, name=dns.rule_name,
            resolver_endpoint_id=endpoint.endpoint_id, target_ips=targets,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in dns.tags])
        rule.override_logical_id(dns.rule_logical_id)
        self.rule_arn: str = rule.attr_arn
        if dns.share:
            ResourceShare(self, "Share", share=dns.share, resource_arns=[rule.attr_arn])
