"""Custom resource: the delegated administrator turns GuardDuty, Macie, Inspector or Detective on for the organization's accounts."""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...). Every SDK logger, children included,
# stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")

INSPECTOR_SCANS = ("ec2", "ecr", "lambda", "lambdaCode")
INSPECTOR_RESOURCE_TYPES = {"ec2": "EC2", "ecr": "ECR", "lambda": "LAMBDA", "lambdaCode": "LAMBDA_CODE"}


class AutoEnableError(RuntimeError):
    """The organization configuration could not be set; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: switch Service on in this account (the delegated administrator) and for every account
    of the organization (GuardDuty: existing and new; Macie, Inspector, Detective: new), idempotent.
    Delete: nothing; the service stays on everywhere.

    Properties: Service (guardduty | macie | inspector | detective); guardduty: Features and
    AdditionalConfiguration (feature names turned on for every account); inspector: Scans (ec2, ecr,
    lambda, lambdaCode). Must run in the delegated administrator account, after the management account
    registered it.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    service = props.get("Service")
    LOG.info("%s %s: %s", request, event.get("LogicalResourceId"), service)
    if request == "Delete":
        LOG.info("%s left on for the organization on purpose: switching it off is a manual decision", service)
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or f"{service}-organization"}
    if request not in ("Create", "Update"):
        raise AutoEnableError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    if service not in CONFIGURERS:
        raise AutoEnableError(f"unknown Service {service!r}; expected one of {', '.join(sorted(CONFIGURERS))}")
    try:
        data = CONFIGURERS[service](props)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise AutoEnableError(f"configuring {service} for the organization failed: {error.get('Code', 'Error')}: "
                              f"{error.get('Message', str(exc))}; this must run in the delegated administrator "
                              "account, after the management account registered it (security-admin stack)") from exc
    except BotoCoreError as exc:
        raise AutoEnableError(f"configuring {service} for the organization failed: {exc}") from exc
    return {"PhysicalResourceId": f"{service}-organization", "Data": data}


def _names(props: dict[str, Any], key: str) -> list[str]:
    value = props.get(key) or []
    return sorted({value} if isinstance(value, str) else set(value))


def _guardduty(props: dict[str, Any]) -> dict[str, str]:
    client = boto3.client("guardduty")
    detectors = client.list_detectors().get("DetectorIds", [])
    # Registering the administrator usually creates its detector; if not, this account gets one here.
    detector = detectors[0] if detectors else client.create_detector(Enable=True)["DetectorId"]
    additional = [{"Name": name, "AutoEnable": "ALL"} for name in _names(props, "AdditionalConfiguration")]
    features = []
    for name in _names(props, "Features"):
        feature: dict[str, Any] = {"Name": name, "AutoEnable": "ALL"}
        if name == "RUNTIME_MONITORING" and additional:
            feature["AdditionalConfiguration"] = additional
        features.append(feature)
    # The administrator is no member of itself: its own detector gets the same features directly.
    own = []
    for feature in features:
        item: dict[str, Any] = {"Name": feature["Name"], "Status": "ENABLED"}
        if "AdditionalConfiguration" in feature:
            item["AdditionalConfiguration"] = [{"Name": a["Name"], "Status": "ENABLED"}
                                               for a in feature["AdditionalConfiguration"]]
        own.append(item)
    client.update_detector(DetectorId=detector, Enable=True, **({"Features": own} if own else {}))
    client.update_organization_configuration(DetectorId=detector, AutoEnableOrganizationMembers="ALL",
                                             Features=features)
    return {"DetectorId": detector, "Features": ",".join(f["Name"] for f in features)}


def _macie(props: dict[str, Any]) -> dict[str, str]:
    client = boto3.client("macie2")
    try:
        status = client.get_macie_session().get("status")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("AccessDeniedException", "ResourceNotFoundException"):
            raise
        status = None      # Macie answers AccessDenied while it is not enabled in the account
    if status is None:
        client.enable_macie(status="ENABLED")
    elif status != "ENABLED":
        client.update_macie_session(status="ENABLED")
    client.update_organization_configuration(autoEnable=True)
    return {"Status": "ENABLED"}


def _inspector(props: dict[str, Any]) -> dict[str, str]:
    scans = _names(props, "Scans")
    unknown = sorted(set(scans) - set(INSPECTOR_SCANS))
    if unknown:
        raise AutoEnableError(f"unknown Scans {', '.join(unknown)}; expected {', '.join(INSPECTOR_SCANS)}")
    client = boto3.client("inspector2")
    account = boto3.client("sts").get_caller_identity()["Account"]
    if scans:
        client.enable(accountIds=[account], resourceTypes=[INSPECTOR_RESOURCE_TYPES[s] for s in scans])
    client.update_organization_configuration(autoEnable={s: s in scans for s in INSPECTOR_SCANS})
    return {"Scans": ",".join(scans)}


def _detective(props: dict[str, Any]) -> dict[str, str]:
    client = boto3.client("detective")
    graphs = client.list_graphs().get("GraphList", [])
    if not graphs:
        raise AutoEnableError("this account has no Detective behavior graph: the management account's "
                              "AWS::Detective::OrganizationAdmin (security-admin stack) creates it; deploy that first")
    graph = sorted(g["Arn"] for g in graphs)[0]
    client.update_organization_configuration(GraphArn=graph, AutoEnable=True)
    return {"GraphArn": graph}


CONFIGURERS: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "guardduty": _guardduty, "macie": _macie, "inspector": _inspector, "detective": _detective}


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
