"""Custom resource: enable AWS RAM sharing with the organization, and never turn it off."""
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

PHYSICAL_ID = "ram-organization-sharing"


class RamSharingError(RuntimeError):
    """Sharing with the organization could not be enabled; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: call ram:EnableSharingWithAwsOrganization (idempotent). Delete: do nothing.

    No properties. Must run in the organization's management account. Delete leaves sharing on:
    turning it off would break every resource share that targets the organization or an OU.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"),
             event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("sharing with the organization left enabled on purpose: disabling it breaks all shares")
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or PHYSICAL_ID}
    if request not in ("Create", "Update"):
        raise RamSharingError(f"unknown RequestType {request!r}; expected Create, Update or Delete")

    try:
        response = boto3.client("ram").enable_sharing_with_aws_organization()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "Error"), error.get("Message", str(exc))
        hint = ""
        if code == "OperationNotPermittedException":
            hint = ("; this must run in the organization's management account, the organization must "
                    "have all features enabled, and the caller needs organizations:EnableAWSServiceAccess "
                    "and iam:CreateServiceLinkedRole")
        raise RamSharingError(f"enabling RAM sharing with the organization failed: {code}: {message}{hint}"
                              ) from exc
    except BotoCoreError as exc:
        raise RamSharingError(f"enabling RAM sharing with the organization failed: {exc}") from exc
    if response.get("returnValue") is not True:
        raise RamSharingError("enabling RAM sharing with the organization failed: RAM answered "
                              f"returnValue={response.get('returnValue')!r}; retry the deployment, and if it "
                              "fails again enable sharing in the RAM console (Settings) to see the reason")
    LOG.info("RAM sharing with the organization is enabled")
    return {"PhysicalResourceId": PHYSICAL_ID, "Data": {"Enabled": "true"}}


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
