"""SecurityServicesStack (delegated administrator, each governed region): the security services switched
on for the organization (auto-enable handler, organization analyzers, Security Hub central configuration
in the aggregation region) and their findings forwarded to the central security bus."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_accessanalyzer as accessanalyzer
from constructs import Construct

from landing_zone.cdk.constructs.central_security_hub import CentralSecurityHub
from landing_zone.cdk.constructs.findings_forwarding import FindingsForwarding
from landing_zone.cdk.constructs.organization_auto_enable import OrganizationAutoEnable
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.security import SecurityServicesPayload


class SecurityServicesStack(PlannedStack):
    payload_type = SecurityServicesPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: SecurityServicesPayload = self.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        if payload.auto_enable:
            OrganizationAutoEnable(self, "AutoEnable", prefix=payload.prefix, services=payload.auto_enable)
        for analyzer in payload.analyzers:
            configuration = ({"unusedAccessConfiguration": {"unusedAccessAge": analyzer.unused_access_days}}
                             if analyzer.unused_access_days is not None else None)
            built = accessanalyzer.CfnAnalyzer(self, analyzer.logical_id, type=analyzer.type,
                                               analyzer_name=analyzer.name, analyzer_configuration=configuration)
            # Deleting an analyzer deletes its findings and their archive state.
            built.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            built.override_logical_id(analyzer.logical_id)
        if payload.security_hub:
            CentralSecurityHub(self, "SecurityHub", hub=payload.security_hub)
        if payload.findings:
            FindingsForwarding(self, "Findings", rules=payload.findings, bus_arn=payload.bus_arn,
                               role_name=payload.forwarder_role_name)
