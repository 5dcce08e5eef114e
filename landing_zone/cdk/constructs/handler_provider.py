"""HandlerProvider: a landing-zone handler (landing_zone/handlers/) behind CDK's Provider framework."""
from __future__ import annotations

from typing import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

from landing_zone.cdk.constructs.policy_types import handler_code


class HandlerProvider(Construct):
    """on_event (and is_complete when `waits`) of one handler module, with exactly `statements`."""

    def __init__(self, scope: Construct, id_: str, *, module: str, function_name: str,
                 statements: Sequence[iam.PolicyStatement], waits: bool,
                 total_timeout: cdk.Duration = cdk.Duration.hours(1)) -> None:
        super().__init__(scope, id_)
        common = dict(runtime=lambda_.Runtime.PYTHON_3_12, code=handler_code(),
                      timeout=cdk.Duration.minutes(2), memory_size=256)
        on_event = lambda_.Function(self, "OnEvent", handler=f"{module}.on_event",
                                    function_name=function_name, **common)
        functions = [on_event]
        is_complete = None
        if waits:
            is_complete = lambda_.Function(self, "IsComplete", handler=f"{module}.is_complete",
                                           function_name=f"{function_name}-status", **common)
            functions.append(is_complete)
        for function in functions:
            for statement in statements:
                function.add_to_role_policy(statement)
        provider = cr.Provider(self, "Provider", on_event_handler=on_event, is_complete_handler=is_complete,
                               query_interval=cdk.Duration.seconds(30) if waits else None,
                               total_timeout=total_timeout if waits else None)
        self.service_token: str = provider.service_token
