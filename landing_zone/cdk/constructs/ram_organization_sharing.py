"""RamOrganizationSharing: turns on RAM sharing with the organization (custom resource, no native one)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import handler_code, service_timeout

HANDLER_TIMEOUT = 60
# ram:EnableSharingWithAwsOrganization enables trusted access for this service principal, and no other.
RAM = "ram.amazonaws.com"


class RamOrganizationSharing(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str) -> None:
        super().__init__(scope, id_)
        on_event = lambda_.Function(self, "OnEvent", handler="enable_ram_sharing.on_event",
                                    function_name=f"{prefix}-enable-ram-sharing",
                                    runtime=lambda_.Runtime.PYTHON_3_12, code=handler_code(),
                                    timeout=cdk.Duration.seconds(HANDLER_TIMEOUT), memory_size=256)
        # What ram:EnableSharingWithAwsOrganization does on the caller's behalf.
        on_event.add_to_role_policy(iam.PolicyStatement(
            actions=["ram:EnableSharingWithAwsOrganization", "organizations:DescribeOrganization",
                     "organizations:ListAWSServiceAccessForOrganization"],
            resources=["*"]))
        on_event.add_to_role_policy(iam.PolicyStatement(
            actions=["organizations:EnableAWSServiceAccess"], resources=["*"],
            conditions={"StringEquals": {"organizations:ServicePrincipal": RAM}}))
        on_event.add_to_role_policy(iam.PolicyStatement(
            actions=["iam:CreateServiceLinkedRole"], resources=["*"],
            conditions={"StringEquals": {"iam:AWSServiceName": RAM}}))
        provider = cr.Provider(self, "Provider", on_event_handler=on_event)
        self.resource = cdk.CustomResource(self, "Enabled", service_token=provider.service_token,
                                           resource_type="Custom::RamOrganizationSharing",
                                           service_timeout=service_timeout(handler_seconds=HANDLER_TIMEOUT))
