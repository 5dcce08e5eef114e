"""Shared test helpers for the custom-resource handlers: CloudFormation events and a pass-through Stubber."""
from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

REGION = "us-east-1"


def cfn_event(request: str, props: dict[str, Any], *, old: dict[str, Any] | None = None,
              physical_id: str | None = None) -> dict[str, Any]:
    """An event as the CDK Provider framework hands it to on_event / is_complete."""
    event: dict[str, Any] = {
        "RequestType": request,
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent",
        "ResponseURL": "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/acme-directory/1",
        "RequestId": "11111111-2222-3333-4444-555555555555",
        "LogicalResourceId": "Resource",
        "ResourceType": "Custom::LandingZone",
        "ResourceProperties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x", **props},
    }
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x",
                                          **old}
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    return event


def is_complete_event(event: dict[str, Any], on_event_result: dict[str, Any]) -> dict[str, Any]:
    """What the framework passes to is_complete: the request merged with on_event's answer."""
    return {**event, **on_event_result}


class PassThroughStubber(Stubber):
    """botocore's Stubber, answering only the operation at the head of its queue.

    Every other call on the client goes on to moto, so one handler invocation can mix operations
    moto implements with the few it does not (named where this is used).
    """

    def _is_stubbed(self, model: Any) -> bool:
        return bool(self._queue) and self._queue[0]["operation_name"] == model.name

    def _assert_expected_params(self, model, params, context, **kwargs):
        if self._is_stubbed(model):
            super()._assert_expected_params(model, params, context, **kwargs)

    def _get_response_handler(self, model, params, context, **kwargs):
        if self._is_stubbed(model):
            return super()._get_response_handler(model, params, context, **kwargs)
        return None
