"""HandlerProvider: a landing-zone handler (landing_zone/handlers/) behind CDK's Provider framework."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import Construct

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
# Bytecode caches differ per machine and would change the asset hash.
ASSET_EXCLUDE = ["__pycache__", "*.pyc"]

# CloudFormation waits at most one hour for a custom resource's answer (ServiceTimeout: 1-3600 s,
# default 3600), and CDK's Provider documents the same ceiling for its waiter (total_timeout). One
# operation is: on_event, the waiter's polls, the last is_complete, the framework's own calls.
# The waiter gets what is left after both handlers' timeouts and a margin, rounded down to whole
# query intervals: 3600 - 2 x 120 - 300 = 3060 -> 3000 s.
CLOUDFORMATION_LIMIT = 3600
HANDLER_TIMEOUT = 120
MARGIN = 300
QUERY_INTERVAL = 30
MAX_WAIT = 3000
DEFAULT_TOTAL_TIMEOUT = cdk.Duration.seconds(MAX_WAIT)


def handler_code() -> lambda_.Code:
    return lambda_.Code.from_asset(str(HANDLERS), exclude=ASSET_EXCLUDE)


def service_timeout(*, handler_seconds: int, wait_seconds: int = 0) -> cdk.Duration:
    """The ServiceTimeout of a custom resource: its longest honest run, never above the hour.

    With a waiter (wait_seconds > 0) an operation spans on_event, the waiter and one last
    is_complete; without one, on_event alone. A framework that dies without answering then fails
    the stack after this long instead of CloudFormation's full hour."""
    seconds = wait_seconds + (2 if wait_seconds else 1) * handler_seconds + MARGIN
    if seconds > CLOUDFORMATION_LIMIT:
        raise ValueError(f"a custom resource would need {seconds} s, more than CloudFormation's "
                         f"{CLOUDFORMATION_LIMIT} s: wait at most {MAX_WAIT} s")
    return cdk.Duration.seconds(seconds)


class HandlerProvider(Construct):
    """on_event (and is_complete when `waits`) of one handler module, with exactly `statements`.

    `service_timeout` is what every custom resource served by this provider must carry."""

    def __init__(self, scope: Construct, id_: str, *, module: str, function_name: str,
                 statements: Sequence[iam.PolicyStatement], waits: bool,
                 total_timeout: cdk.Duration = DEFAULT_TOTAL_TIMEOUT) -> None:
        super().__init__(scope, id_)
        wait_seconds = int(total_timeout.to_seconds()) if waits else 0
        self.service_timeout = service_timeout(handler_seconds=HANDLER_TIMEOUT, wait_seconds=wait_seconds)
        common = dict(runtime=lambda_.Runtime.PYTHON_3_12, code=handler_code(),
                      timeout=cdk.Duration.seconds(HANDLER_TIMEOUT), memory_size=256)
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
                               query_interval=cdk.Duration.seconds(QUERY_INTERVAL) if waits else None,
                               total_timeout=total_timeout if waits else None)
        self.service_token: str = provider.service_token

    def resource(self, scope: Construct, logical_id: str, *, resource_type: str,
                 properties: dict, retain: bool) -> cdk.CustomResource:
        """A custom resource served by this provider, with the provider's ServiceTimeout and the
        logical id given (a stable name from the plan, never a construct path hash)."""
        resource = cdk.CustomResource(
            scope, logical_id, service_token=self.service_token, resource_type=resource_type,
            properties=properties, service_timeout=self.service_timeout,
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY)
        (resource.node.default_child).override_logical_id(logical_id)  # type: ignore[union-attr]
        return resource
