"""ForwardingRule: a Route 53 Resolver forwarding rule and its association with the forwarding VPC."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.plan.network import DNS_PORT, ResolverRulePlan


class ForwardingRule(Construct):
    def __init__(self, scope: Construct, id_: str, *, rule: ResolverRulePlan, endpoint_id: str,
                 vpc_id: str) -> None:
        super().__init__(scope, id_)
        targets = [resolver.CfnResolverRule.TargetAddressProperty(
                       port=str(DNS_PORT), **({"ipv6": ip} if ":" in ip else {"ip": ip}))
                   for ip in rule.target_ips]
        resource = resolver.CfnResolverRule(
            self, "Rule", rule_type="FORWARD", domain_name=rule.domain, name=rule.resource_name,
            resolver_endpoint_id=endpoint_id, target_ips=targets,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in rule.tags])
        resource.override_logical_id(rule.logical_id)
        association = resolver.CfnResolverRuleAssociation(
            self, "Association", resolver_rule_id=resource.attr_resolver_rule_id, vpc_id=vpc_id,
            name=rule.resource_name)
        association.override_logical_id(f"{rule.logical_id}Association")
        self.arn: str = resource.attr_arn
