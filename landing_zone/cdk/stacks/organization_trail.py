"""OrganizationTrailStack (management account, home region): organization trail, its log group,
CIS metric filters and alarms, and the alarm topic."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.cis_alarms import CisAlarms
from landing_zone.cdk.constructs.encrypted_topic import EncryptedTopic
from landing_zone.cdk.constructs.organization_trail import OrganizationTrail
from landing_zone.cdk.partition import partition_of
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.logging import OrganizationTrailPlan


class OrganizationTrailStack(PlannedStack):
    payload_type = OrganizationTrailPlan
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: OrganizationTrailPlan = self.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        trail = OrganizationTrail(self, "Trail", plan=payload)
        topic = EncryptedTopic(
            self, "Alarms", topic_name=payload.topic_name, key_alias=payload.topic_key_alias,
            emails=payload.emails, publisher="cloudwatch.amazonaws.com", key_arn=payload.topic_key_arn,
            source_arn=f"arn:{partition_of(self)}:cloudwatch:{stack.region}:{stack.account_id}:alarm:*")
        CisAlarms(self, "Cis", alarms=payload.alarms, log_group_name=payload.log_group_name,
                  log_group=trail.log_group, namespace=payload.metric_namespace, topic_arn=topic.topic.topic_arn)
