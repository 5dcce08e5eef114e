"""DnsFirewall: a domain list and a rule group that answers its domains with NODATA."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_route53resolver as resolver
from constructs import Construct

from landing_zone.plan.dns_firewall import RULE_PRIORITY, FirewallPlan


class DnsFirewall(Construct):
    def __init__(self, scope: Construct, id_: str, *, firewall: FirewallPlan) -> None:
        super().__init__(scope, id_)
        tags = [cdk.CfnTag(key=k, value=v) for k, v in firewall.tags]
        domains = resolver.CfnFirewallDomainList(self, "Domains", name=firewall.resource_name,
                                                 domains=list(firewall.domains), tags=tags)
        domains.override_logical_id(firewall.domain_list)
        group = resolver.CfnFirewallRuleGroup(
            self, "RuleGroup", name=firewall.resource_name, tags=tags,
            firewall_rules=[resolver.CfnFirewallRuleGroup.FirewallRuleProperty(
                action="BLOCK", block_response="NODATA", firewall_domain_list_id=domains.attr_id,
                priority=RULE_PRIORITY)])
        group.override_logical_id(firewall.rule_group)
        self.id: str = group.attr_id
        self.arn: str = group.attr_arn
