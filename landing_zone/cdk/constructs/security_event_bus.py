"""SecurityEventBus (audit account): the central bus member accounts forward security events to,
open only to the organization, and the rule that sends everything on it to the security topic."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from constructs import Construct


class SecurityEventBus(Construct):
    def __init__(self, scope: Construct, id_: str, *, bus_name: str, rule_name: str, organization_id: str,
                 detail_types: tuple[str, ...], topic_arn: str) -> None:
        super().__init__(scope, id_)
        self.bus = events.CfnEventBus(self, "Bus", name=bus_name)
        # Every member account's forwarding rules target it by ARN: deleting it drops their events.
        self.bus.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        policy = events.CfnEventBusPolicy(
            self, "Policy", event_bus_name=bus_name, statement_id="OrganizationPutsEvents",
            statement={"Sid": "OrganizationPutsEvents", "Effect": "Allow", "Principal": "*",
                       "Action": "events:PutEvents", "Resource": self.bus.attr_arn,
                       "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization_id}}})
        policy.node.add_dependency(self.bus)
        self.rule = events.CfnRule(
            self, "ToTopic", name=rule_name, event_bus_name=bus_name, state="ENABLED",
            description="Security events forwarded by member accounts go to the security topic",
            event_pattern={"detail-type": list(detail_types)},
            targets=[events.CfnRule.TargetProperty(id="SecurityTopic", arn=topic_arn)])
        self.rule.node.add_dependency(self.bus)

    @staticmethod
    def rule_arn(partition: str, bus_name: str, rule_name: str) -> str:
        return f"arn:{partition}:events:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:rule/{bus_name}/{rule_name}"
