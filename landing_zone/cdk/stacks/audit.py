"""AuditStack (audit account, home region): central security event bus → SNS, Config aggregator."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from constructs import Construct

from landing_zone.cdk.constructs.config_aggregator import OrganizationConfigAggregator
from landing_zone.cdk.constructs.encrypted_topic import EncryptedTopic
from landing_zone.cdk.constructs.security_event_bus import SecurityEventBus
from landing_zone.cdk.partition import partition_of
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.logging import AuditPlan


class AuditStack(PlannedStack):
    payload_type = AuditPlan
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: AuditPlan = self.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        sources = [SecurityEventBus.rule_arn(partition_of(self), payload.bus_name, r)
                   for r in (payload.rule_name, *(f.name for f in payload.finding_rules))]
        topic = EncryptedTopic(
            self, "SecurityEvents", topic_name=payload.topic_name, key_alias=payload.key_alias,
            emails=payload.emails, publisher="events.amazonaws.com", key_arn=payload.topic_key_arn,
            source_arn=sources[0] if len(sources) == 1 else sources)  # type: ignore[arg-type]
        bus = SecurityEventBus(self, "Bus", bus_name=payload.bus_name, rule_name=payload.rule_name,
                               organization_id=payload.organization_id, detail_types=payload.detail_types,
                               topic_arn=topic.topic.topic_arn)
        # One rule per security service: findings at or above the blueprint's severity (plan/findings.py),
        # forwarded here by the delegated administrator's regions.
        for rule in payload.finding_rules:
            built = events.CfnRule(
                self, rule.logical_id, name=rule.name, event_bus_name=payload.bus_name, state="ENABLED",
                description=f"{rule.service} findings at or above the notification severity go to the topic",
                event_pattern=rule.event_pattern,
                targets=[events.CfnRule.TargetProperty(id="SecurityTopic", arn=topic.topic.topic_arn)])
            built.override_logical_id(rule.logical_id)
            built.node.add_dependency(bus.bus)
        if payload.aggregator:
            OrganizationConfigAggregator(self, "Aggregator", aggregator_name=payload.aggregator_name,
                                         role_name=payload.aggregator_role_name)
