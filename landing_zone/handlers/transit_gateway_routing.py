"""Transit gateway routing CloudFormation cannot express: attachment lookups, default tables, foreign routing."""

# - Custom::TransitGatewayAttachmentLookup: the attachment id of a VPN connection or a Direct Connect
#   gateway (AWS::EC2::VPNConnection and the Direct Connect association return none).
# - Custom::TransitGatewayDefaults: the gateway's default association and propagation route tables
#   (a route table cannot be named by its own gateway's properties: a dependency cycle). Enable
#   "false" switches them off while the owner's own attachments are created (their explicit
#   associations would fail on an attachment AWS already associated); "true" switches them on and
#   associates every available attachment that arrived meanwhile associated with none of the
#   gateway's route tables (RouteTableIds), except those in Keep.
# - Custom::TransitGatewayAttachmentRouting: an attachment of another account associated with exactly
#   one route table and propagating into exactly the listed ones, whatever AWS's defaults did first.
# Properties arrive as strings (CloudFormation). Delete of a lookup or of the defaults does nothing;
# delete of the routing undoes its association and propagations.
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")
# Associations, disassociations and gateway modifications settle in seconds; the handler waits at
# most this long for each, at most twice a request (its Lambda timeout is 120 s).
WAIT_SECONDS = 50
POLL_SECONDS = 3
GONE = ("deleted", "deleting", "failed", "failing", "rejected", "rejecting")


class RoutingError(RuntimeError):
    """The request cannot be done; the message says why and what to check."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request, kind = event.get("RequestType"), event.get("ResourceType", "")
    props = event.get("ResourceProperties", {})
    LOG.info("%s %s %s (physical id %s)", request, kind, event.get("LogicalResourceId"),
             event.get("PhysicalResourceId"))
    if request not in ("Create", "Update", "Delete"):
        raise RoutingError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    handlers: dict[str, Callable[[Any, str, dict[str, Any], dict[str, Any]], dict[str, Any]]] = {
        "Custom::TransitGatewayAttachmentLookup": _lookup,
        "Custom::TransitGatewayDefaults": _defaults,
        "Custom::TransitGatewayAttachmentRouting": _routing,
    }
    if kind not in handlers:
        raise RoutingError(f"unknown resource type {kind!r}; expected one of {sorted(handlers)}")
    try:
        return handlers[kind](boto3.client("ec2"), request, props, event)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise RoutingError(f"{kind} {request} failed: {error.get('Code', 'Error')}: "
                           f"{error.get('Message', str(exc))}") from exc
    except BotoCoreError as exc:
        raise RoutingError(f"{kind} {request} failed: {exc}") from exc


# ---------- the attachment of a VPN connection or Direct Connect gateway ----------

def _lookup(ec2: Any, request: str, props: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    if request == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or "none"}
    gateway, kind, resource = props["TransitGatewayId"], props["ResourceType"], props["ResourceId"]
    found = [a for a in _attachments(ec2, [{"Name": "transit-gateway-id", "Values": [gateway]},
                                           {"Name": "resource-type", "Values": [kind]},
                                           {"Name": "resource-id", "Values": [resource]}])
             if a.get("State") not in GONE]
    if not found:
        raise RoutingError(f"no {kind} attachment of {resource} on {gateway}: the connection or association "
                           "must exist first (it is created earlier in the same stack)")
    attachment = sorted(found, key=lambda a: a["TransitGatewayAttachmentId"])[0]["TransitGatewayAttachmentId"]
    LOG.info("%s %s is attachment %s", kind, resource, attachment)
    return {"PhysicalResourceId": attachment, "Data": {"AttachmentId": attachment}}


# ---------- the gateway's default route tables ----------

def _defaults(ec2: Any, request: str, props: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    gateway = props["TransitGatewayId"]
    enable = str(props.get("Enable", "false")).lower() == "true"
    physical = f"{gateway}-defaults-{'on' if enable else 'off'}"
    if request == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or physical}
    association, propagation = props.get("AssociationRouteTableId") or "", props.get("PropagationRouteTableId") or ""
    options: dict[str, str] = {"DefaultRouteTableAssociation": "enable" if enable and association else "disable",
                               "DefaultRouteTablePropagation": "enable" if enable and propagation else "disable"}
    if enable and association:
        options["AssociationDefaultRouteTableId"] = association
    if enable and propagation:
        options["PropagationDefaultRouteTableId"] = propagation
    _wait(lambda: _gateway_state(ec2, gateway) == "available", f"gateway {gateway} to be available")
    ec2.modify_transit_gateway(TransitGatewayId=gateway, Options=options)
    _wait(lambda: _gateway_state(ec2, gateway) == "available", f"gateway {gateway} to apply its new options")
    LOG.info("gateway %s default route tables: %s", gateway, options)
    swept = []
    if enable:
        keep = set(props.get("Keep") or [])
        tables = sorted(set(props.get("RouteTableIds") or []) | {t for t in (association, propagation) if t})
        associated = {a for table in tables for a in _associations(ec2, table)}
        for attachment in _attachments(ec2, [{"Name": "transit-gateway-id", "Values": [gateway]},
                                             {"Name": "state", "Values": ["available"]}]):
            attachment_id = attachment["TransitGatewayAttachmentId"]
            if attachment_id in keep or attachment_id in associated:
                continue
            if association and not _associate(ec2, association, attachment_id):
                continue        # associated with a table outside the blueprint's (AWS's old default one)
            if propagation:
                ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=propagation,
                                                                   TransitGatewayAttachmentId=attachment_id)
            swept.append(attachment_id)
        LOG.info("associated %d attachment(s) that arrived while the defaults were off: %s", len(swept), swept)
    return {"PhysicalResourceId": physical, "Data": {"Swept": str(len(swept))}}


def _gateway_state(ec2: Any, gateway: str) -> str:
    found = ec2.describe_transit_gateways(TransitGatewayIds=[gateway]).get("TransitGateways", [])
    return found[0].get("State", "") if found else ""


# ---------- an attachment of another account ----------

def _routing(ec2: Any, request: str, props: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    attachment = props["TransitGatewayAttachmentId"]
    wanted = props.get("AssociationRouteTableId") or ""
    propagations = set(props.get("PropagationRouteTableIds") or [])
    known = set(props.get("RouteTableIds") or []) | propagations | ({wanted} if wanted else set())
    if request == "Delete":
        _set_routing(ec2, attachment, "", set(), known, missing_ok=True)
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or attachment}
    _wait(lambda: _attachment_state(ec2, attachment) == "available", f"attachment {attachment} to be available")
    _set_routing(ec2, attachment, wanted, propagations, known, missing_ok=False)
    return {"PhysicalResourceId": attachment, "Data": {"AttachmentId": attachment}}


def _set_routing(ec2: Any, attachment: str, wanted: str, propagations: set[str], known: set[str],
                 missing_ok: bool) -> None:
    if missing_ok and _attachment_state(ec2, attachment) == "missing":
        LOG.info("attachment %s is gone: nothing to undo", attachment)
        return
    current = _association(ec2, attachment, known)
    if current != wanted:
        if current:
            ec2.disassociate_transit_gateway_route_table(TransitGatewayRouteTableId=current,
                                                         TransitGatewayAttachmentId=attachment)
            _wait(lambda: not _association(ec2, attachment, known), f"attachment {attachment} to leave {current}")
        if wanted and not _associate(ec2, wanted, attachment):
            raise RoutingError(f"attachment {attachment} is associated with a route table the blueprint does not "
                               "declare; disassociate it there (the gateway's old default route table?) and retry")
        LOG.info("attachment %s: association %s -> %s", attachment, current or "none", wanted or "none")
    current = {table for table in known if _propagates(ec2, table, attachment)}
    for table in sorted(current - propagations):       # what AWS's default propagation added, or left
        ec2.disable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=table,
                                                            TransitGatewayAttachmentId=attachment)
        LOG.info("attachment %s no longer propagates into %s", attachment, table)
    for table in sorted(propagations - current):
        ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=table,
                                                           TransitGatewayAttachmentId=attachment)
        LOG.info("attachment %s now propagates into %s", attachment, table)


def _attachment(ec2: Any, attachment: str) -> dict[str, Any] | None:
    try:
        found = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment])
    except ClientError as exc:
        if "NotFound" in exc.response.get("Error", {}).get("Code", ""):
            return None
        raise
    items = [a for a in found.get("TransitGatewayAttachments", []) if a.get("State") not in GONE]
    return items[0] if items else None


def _attachment_state(ec2: Any, attachment: str) -> str:
    found = _attachment(ec2, attachment)
    return found.get("State", "") if found else "missing"


def _association(ec2: Any, attachment: str, tables: set[str]) -> str:
    """Which of `tables` the attachment is associated with ("" when none of them)."""
    return next((t for t in sorted(tables) if attachment in _associations(ec2, t)), "")


def _associations(ec2: Any, table: str) -> set[str]:
    """Attachments associated (or associating) with a route table."""
    out, token = set(), None
    while True:
        page = ec2.get_transit_gateway_route_table_associations(
            TransitGatewayRouteTableId=table, **({"NextToken": token} if token else {}))
        out |= {a["TransitGatewayAttachmentId"] for a in page.get("Associations", [])
                if a.get("State") in ("associated", "associating")}
        token = page.get("NextToken")
        if not token:
            return out


def _associate(ec2: Any, table: str, attachment: str) -> bool:
    """Associate; False when the attachment is associated elsewhere already."""
    try:
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=table,
                                                  TransitGatewayAttachmentId=attachment)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "Resource.AlreadyAssociated":
            return False
        raise
    return True


def _propagates(ec2: Any, table: str, attachment: str) -> bool:
    try:
        found = ec2.get_transit_gateway_route_table_propagations(
            TransitGatewayRouteTableId=table,
            Filters=[{"Name": "transit-gateway-attachment-id", "Values": [attachment]}])
    except ClientError as exc:
        if "NotFound" in exc.response.get("Error", {}).get("Code", ""):
            return False
        raise
    return any(p.get("TransitGatewayAttachmentId") == attachment and p.get("State") in ("enabled", "enabling")
               for p in found.get("TransitGatewayRouteTablePropagations", []))


# ---------- common ----------

def _attachments(ec2: Any, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, token = [], None
    while True:
        page = ec2.describe_transit_gateway_attachments(Filters=filters, **({"NextToken": token} if token else {}))
        out += page.get("TransitGatewayAttachments", [])
        token = page.get("NextToken")
        if not token:
            return out


def _wait(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            raise RoutingError(f"waited {WAIT_SECONDS} s for {what}; retry the deployment")
        time.sleep(POLL_SECONDS)


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
