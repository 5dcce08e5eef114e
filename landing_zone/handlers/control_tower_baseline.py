"""Custom resource: find an AWS Control Tower enabled baseline, or enroll an OU's accounts by re-applying it."""
from __future__ import annotations

import logging
import os
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...). Every SDK logger, children included,
# stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")
PURPOSES = ("lookup", "enroll")
DONE = "SUCCEEDED"


class BaselineError(RuntimeError):
    """An enabled baseline could not be found or re-applied; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Properties: Purpose, BaselineIdentifier (a baseline ARN), TargetIdentifier (OU or account
    ARN; lookup: optional), AccountIds (enroll: the OU's accounts that must be enrolled).

    lookup: the ARN of the enabled baseline (Data.Arn), e.g. the IdentityCenterBaseline AWS Control
    Tower enables with the landing zone, whose ARN every OU registration names.
    enroll: re-applies the OU's AWSControlTowerBaseline when one of AccountIds is not enrolled yet
    (an account created or moved into the OU after it was registered); Data.OperationIdentifier is
    the operation is_complete waits for. Delete changes nothing: accounts stay enrolled.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    purpose = props.get("Purpose")
    LOG.info("%s %s (%s)", request, event.get("LogicalResourceId"), purpose)
    if purpose not in PURPOSES:
        raise BaselineError(f"Purpose {purpose!r} is not supported; use one of {', '.join(PURPOSES)}")
    if request == "Delete":
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    if request not in ("Create", "Update"):
        raise BaselineError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    client = boto3.client("controltower")
    baseline, target = _required(props, "BaselineIdentifier"), props.get("TargetIdentifier") or None
    enabled = _find(client, baseline, target)
    if purpose == "lookup":
        return {"PhysicalResourceId": enabled, "Data": {"Arn": enabled}}
    accounts = sorted({str(a) for a in props.get("AccountIds") or []})
    enrolled = _enrolled(client, enabled)
    missing = [a for a in accounts if a not in enrolled]
    physical = f"{target}/enrollment"
    if not missing:
        LOG.info("every account of %s is enrolled (%d)", target, len(accounts))
        return {"PhysicalResourceId": physical, "Data": {"OperationIdentifier": ""}}
    LOG.info("%d account(s) of %s not enrolled yet: re-applying its baseline", len(missing), target)
    operation = _call(client.reset_enabled_baseline, f"re-applying the baseline of {target}",
                      enabledBaselineIdentifier=enabled)["operationIdentifier"]
    return {"PhysicalResourceId": physical, "Data": {"OperationIdentifier": operation}}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Complete once the baseline operation on_event started has SUCCEEDED (none started: at once)."""
    _quiet_sdk_loggers()
    operation = (event.get("Data") or {}).get("OperationIdentifier")
    if event.get("RequestType") == "Delete" or not operation:
        return {"IsComplete": True}
    client = boto3.client("controltower")
    status = _call(client.get_baseline_operation, f"reading baseline operation {operation}",
                   operationIdentifier=operation)["baselineOperation"]
    LOG.info("baseline operation %s: %s", operation, status.get("status"))
    if status.get("status") == "FAILED":
        raise BaselineError(f"AWS Control Tower could not re-apply the baseline (operation {operation}): "
                            f"{status.get('statusMessage', 'no message')}; see the AWS Control Tower console "
                            "(Organization page) for the account that failed, fix it, then deploy again")
    return {"IsComplete": status.get("status") == DONE}


def _find(client: Any, baseline: str, target: str | None) -> str:
    query: dict[str, Any] = {"baselineIdentifiers": [baseline]}
    if target:
        query["targetIdentifiers"] = [target]
    found = [b["arn"] for page in _pages(client, {"filter": query}) for b in page.get("enabledBaselines", [])]
    if not found:
        where = f" on {target}" if target else ""
        raise BaselineError(f"AWS Control Tower has no enabled baseline {baseline}{where}; the landing zone or "
                            "the OU registration that enables it has not been deployed (or access management "
                            "is off in the landing zone while the blueprint says it is on)")
    return sorted(found)[0]


def _enrolled(client: Any, enabled: str) -> set[str]:
    """Account ids under the OU's enabled baseline whose own (child) baseline succeeded."""
    pages = _pages(client, {"filter": {"parentIdentifiers": [enabled]}, "includeChildren": True})
    return {b["targetIdentifier"].rsplit("/", 1)[-1] for page in pages for b in page.get("enabledBaselines", [])
            if (b.get("statusSummary") or {}).get("status") == DONE and ":account/" in b.get("targetIdentifier", "")}


def _pages(client: Any, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    pages, token = [], None
    while True:
        page = _call(client.list_enabled_baselines, "listing enabled baselines",
                     **arguments, **({"nextToken": token} if token else {}))
        pages.append(page)
        token = page.get("nextToken")
        if not token:
            return pages


def _call(method: Any, doing: str, **arguments: Any) -> dict[str, Any]:
    try:
        return method(**arguments)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise BaselineError(f"{doing} failed: {error.get('Code', 'Error')}: {error.get('Message', str(exc))}"
                            ) from exc
    except BotoCoreError as exc:
        raise BaselineError(f"{doing} failed: {exc}") from exc


def _required(props: dict[str, Any], name: str) -> str:
    value = str(props.get(name) or "").strip()
    if not value.startswith("arn:"):
        raise BaselineError(f"{name} {props.get(name)!r} is not an ARN")
    return value


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
