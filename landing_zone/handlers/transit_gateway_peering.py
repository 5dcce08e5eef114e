"""Custom::TransitGatewayPeeringAcceptance: accept a transit gateway peering attachment in the accepter's region."""

# Custom::TransitGatewayPeeringAcceptance: accept a transit gateway peering attachment in the peer's
# (accepter's) account and region, then wait until it is available.
#
# CloudFormation has AWS::EC2::TransitGatewayPeeringAttachment for the requesting side and no resource that
# accepts one. Properties (strings, from CloudFormation): TransitGatewayAttachmentId (the requester's
# attachment) and TransitGatewayId (the accepting gateway, which the attachment must name).
#
# - Create/Update: on_event accepts the attachment when it waits for acceptance, and does nothing when it
#   is available already (idempotent: a retry or an update with the same attachment); is_complete waits
#   until it is available, accepting it if it reached pendingAcceptance only after on_event (a new
#   attachment is `initiatingRequest` for a moment), and fails on a rejected, failed or deleted one.
#   The physical id is the attachment id, so a new attachment (the requester's was replaced) is a new
#   resource.
# - Delete: nothing. The attachment belongs to the requester's stack, which deletes it; an accepted
#   attachment can be neither rejected nor un-accepted, and deleting it here would cut the traffic of an
#   attachment another stack still declares.
from __future__ import annotations

import logging
import os
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")
RESOURCE_TYPE = "Custom::TransitGatewayPeeringAcceptance"
WAITING = ("initiatingRequest", "initiating", "pending", "modifying")
GONE = ("deleted", "deleting", "failed", "failing", "rejected", "rejecting")


class PeeringError(RuntimeError):
    """The request cannot be done; the message says why and what to check."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s %s (physical id %s)", request, event.get("ResourceType"), event.get("LogicalResourceId"),
             event.get("PhysicalResourceId"))
    if request not in ("Create", "Update", "Delete"):
        raise PeeringError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    if event.get("ResourceType") != RESOURCE_TYPE:
        raise PeeringError(f"unknown resource type {event.get('ResourceType')!r}; expected {RESOURCE_TYPE}")
    if request == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or "none"}
    attachment, gateway = _properties(event)
    ec2 = boto3.client("ec2")
    state = _state(ec2, attachment, gateway)
    if state == "pendingAcceptance":
        _accept(ec2, attachment)
    elif state in GONE:
        raise PeeringError(_gone(attachment, state))
    return {"PhysicalResourceId": attachment}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: done when the attachment is available. The provider's waiter bounds the wait."""
    _quiet_sdk_loggers()
    if event.get("RequestType") == "Delete":
        return {"IsComplete": True}
    attachment, gateway = _properties(event)
    ec2 = boto3.client("ec2")
    state = _state(ec2, attachment, gateway)
    LOG.info("peering attachment %s: %s", attachment, state)
    if state == "available":
        return {"IsComplete": True, "Data": {"TransitGatewayAttachmentId": attachment}}
    if state == "pendingAcceptance":
        _accept(ec2, attachment)
    elif state in GONE:
        raise PeeringError(_gone(attachment, state))
    return {"IsComplete": False}


def _properties(event: dict[str, Any]) -> tuple[str, str]:
    props = event.get("ResourceProperties") or {}
    attachment = str(props.get("TransitGatewayAttachmentId") or "").strip()
    gateway = str(props.get("TransitGatewayId") or "").strip()
    if not attachment.startswith("tgw-attach-") or not gateway.startswith("tgw-"):
        raise PeeringError(f"TransitGatewayAttachmentId {attachment!r} and TransitGatewayId {gateway!r} must be a "
                           "transit gateway attachment id and a transit gateway id")
    return attachment, gateway


def _state(ec2: Any, attachment: str, gateway: str) -> str:
    """The attachment's state, after checking that it peers with this gateway (as the accepter)."""
    try:
        found = ec2.describe_transit_gateway_peering_attachments(
            TransitGatewayAttachmentIds=[attachment]).get("TransitGatewayPeeringAttachments", [])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "InvalidTransitGatewayAttachmentID.NotFound":
            raise PeeringError(f"peering attachment {attachment} is not visible in this account and region: "
                               "check that it was requested to this gateway's account and region") from exc
        raise PeeringError(f"describing {attachment} failed: {_error_text(exc)}") from exc
    except BotoCoreError as exc:
        raise PeeringError(f"describing {attachment} failed: {exc}") from exc
    if not found:
        raise PeeringError(f"peering attachment {attachment} does not exist")
    accepter = (found[0].get("AccepterTgwInfo") or {}).get("TransitGatewayId")
    if accepter != gateway:
        raise PeeringError(f"peering attachment {attachment} peers with {accepter}, not with {gateway}: it is "
                           "not this gateway's to accept")
    return str(found[0].get("State") or "")


def _accept(ec2: Any, attachment: str) -> None:
    try:
        ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment)
    except ClientError as exc:
        # Accepted meanwhile (a retry, or the other handler's call): the waiter sees it available.
        if exc.response.get("Error", {}).get("Code") == "IncorrectState":
            LOG.info("peering attachment %s is no longer pending acceptance", attachment)
            return
        raise PeeringError(f"accepting {attachment} failed: {_error_text(exc)}") from exc
    except BotoCoreError as exc:
        raise PeeringError(f"accepting {attachment} failed: {exc}") from exc
    LOG.info("accepted peering attachment %s", attachment)


def _gone(attachment: str, state: str) -> str:
    return (f"peering attachment {attachment} is {state}: deploy the requesting side's peering stack again "
            "to request a new one")


def _error_text(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))}"


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
