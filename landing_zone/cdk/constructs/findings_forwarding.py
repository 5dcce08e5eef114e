"""FindingsForwarding (delegated administrator, each governed region): the services publish their findings
on this region's default event bus; one rule per service sends those at or above the blueprint's severity
to the audit account's central security bus (plan/findings.py)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.plan.findings import FindingRule


class FindingsForwarding(Construct):
    def __init__(self, scope: Construct, id_: str, *, rules: tuple[FindingRule, ...], bus_arn: str,
                 role_name: str) -> None:
        super().__init__(scope, id_)
        role = iam.CfnRole(
            scope, "FindingsForwarderRole", role_name=role_name,
            description="EventBridge forwards this region's security findings to the central security bus",
            assume_role_policy_document={"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}}]},
            policies=[iam.CfnRole.PolicyProperty(policy_name="forward-findings", policy_document={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus_arn}]})])
        role.override_logical_id("FindingsForwarderRole")
        for rule in rules:
            forward = events.CfnRule(
                scope, rule.logical_id, name=rule.name, state="ENABLED", event_pattern=rule.event_pattern,
                description=f"Forwards {rule.service} findings to the central security bus",
                targets=[events.CfnRule.TargetProperty(id="CentralSecurityBus", arn=bus_arn,
                                                       role_arn=role.attr_arn)])
            forward.override_logical_id(rule.logical_id)
