"""SecurityAdminStack (management account, each governed region): registers the delegated administrator
of every enabled security service; native resources where CloudFormation has them (Security Hub in the
aggregation region, Detective), the delegated_admin handler for the others. Everything is retained:
deregistering switches a service off for the whole organization, so it is a manual step."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_detective as detective
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from landing_zone.cdk.constructs.delegated_admin_registrations import DelegatedAdminRegistrations
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.security import SecurityAdminPayload


class SecurityAdminStack(PlannedStack):
    payload_type = SecurityAdminPayload

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: SecurityAdminPayload = self.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        if payload.registrations:
            DelegatedAdminRegistrations(self, "Registrations", prefix=payload.prefix,
                                        admin_account_id=payload.admin_account_id, services=payload.registrations)
        if payload.security_hub:
            # Designated in the aggregation (home) region, Security Hub's central configuration makes the
            # same account the administrator of every linked region.
            hub = securityhub.CfnDelegatedAdmin(self, "SecurityHubDelegatedAdmin",
                                                admin_account_id=payload.admin_account_id)
            hub.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            hub.override_logical_id("SecurityHubDelegatedAdmin")
        if payload.detective:
            graph = detective.CfnOrganizationAdmin(self, "DetectiveOrganizationAdmin",
                                                   account_id=payload.admin_account_id)
            graph.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            graph.override_logical_id("DetectiveOrganizationAdmin")
