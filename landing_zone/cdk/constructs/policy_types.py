"""PolicyTypes: enables Organizations policy types on the root through a custom resource (no native one)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import handler_code, service_timeout
from landing_zone.plan.names import pascal

HANDLER_TIMEOUT = 60
WAIT = 600      # enabling a policy type takes seconds to minutes


class PolicyTypes(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, root_id: str,
                 policy_types: tuple[str, ...]) -> None:
        super().__init__(scope, id_)
        common = dict(runtime=lambda_.Runtime.PYTHON_3_12, code=handler_code(),
                      timeout=cdk.Duration.seconds(HANDLER_TIMEOUT), memory_size=256)
        on_event = lambda_.Function(self, "OnEvent", handler="enable_policy_type.on_event",
                                    function_name=f"{prefix}-enable-policy-type", **common)
        is_complete = lambda_.Function(self, "IsComplete", handler="enable_policy_type.is_complete",
                                       function_name=f"{prefix}-policy-type-status", **common)
        read = iam.PolicyStatement(actions=["organizations:ListRoots", "organizations:DescribeOrganization"],
                                   resources=["*"])
        for function in (on_event, is_complete):
            function.add_to_role_policy(read)
        on_event.add_to_role_policy(iam.PolicyStatement(
            actions=["organizations:EnablePolicyType"],
            resources=[f"arn:{cdk.Aws.PARTITION}:organizations::{cdk.Aws.ACCOUNT_ID}:root/*/{root_id}",
                       f"arn:{cdk.Aws.PARTITION}:organizations::aws:policy/*"]))
        provider = cr.Provider(self, "Provider", on_event_handler=on_event, is_complete_handler=is_complete,
                               query_interval=cdk.Duration.seconds(10), total_timeout=cdk.Duration.seconds(WAIT))
        timeout = service_timeout(handler_seconds=HANDLER_TIMEOUT, wait_seconds=WAIT)
        self.enabled: dict[str, cdk.CustomResource] = {
            policy_type: cdk.CustomResource(self, pascal(policy_type.lower()), service_token=provider.service_token,
                                            resource_type="Custom::OrganizationsPolicyType", service_timeout=timeout,
                                            properties={"RootId": root_id, "PolicyType": policy_type})
            for policy_type in policy_types}
