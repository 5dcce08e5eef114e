"""Custom resource: share an AWS Managed Microsoft AD with accounts of the organization."""

from __future__ import annotations

# Properties: DirectoryId, AccountIds (the consumer accounts; ShareTarget accepts accounts only, so
# OU targets are expanded by the planner). ShareMethod ORGANIZATIONS: consumers in the organization
# accept automatically. PhysicalResourceId: `<directory id>/shares`.
#
# Create/Update: ShareDirectory for every account not shared yet (an account already shared is
# skipped). Nothing is ever unshared here: the resource is retained (DeletionPolicy and
# UpdateReplacePolicy Retain), so a stack deletion never sends Delete, and an account is unshared only
# when it leaves the blueprint, by the directory roster (directory_roster.py). Delete: nothing.
import logging
import os
import re
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...). Every SDK logger, children included,
# stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")
DIRECTORY_ID = re.compile(r"^d-[0-9a-f]{10}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
LIVE = {"Shared", "PendingAcceptance", "Sharing"}


class ShareError(RuntimeError):
    """A share could not be created."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    LOG.info("%s %s", request, event.get("LogicalResourceId"))
    if request == "Delete":
        LOG.info("shares of %s kept: an account is unshared only when it leaves the blueprint (directory "
                 "roster)", props.get("DirectoryId"))
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or "")}
    if request not in ("Create", "Update"):
        raise ShareError(f"unknown RequestType {request!r}")
    directory_id = str(props.get("DirectoryId") or "").strip()
    if not DIRECTORY_ID.match(directory_id):
        raise ShareError(f"DirectoryId {directory_id!r} is not a directory id")
    wanted = _accounts(props)
    ds = boto3.client("ds")
    shared = _shared(ds, directory_id)
    for account in wanted:
        if account in shared:
            LOG.info("%s is already shared with %s (%s)", directory_id, account, shared[account])
            continue
        try:
            ds.share_directory(DirectoryId=directory_id, ShareMethod="ORGANIZATIONS",
                               ShareTarget={"Id": account, "Type": "ACCOUNT"})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "DirectoryAlreadySharedException":
                continue
            raise ShareError(f"sharing {directory_id} with {account} failed: {_error_text(exc)}; directory "
                             "sharing needs trusted access for ds.amazonaws.com in the organization") from exc
        except BotoCoreError as exc:
            raise ShareError(f"sharing {directory_id} with {account} failed: {exc}") from exc
        LOG.info("shared %s with %s", directory_id, account)
    return {"PhysicalResourceId": f"{directory_id}/shares"}


def _accounts(props: dict[str, Any]) -> list[str]:
    raw = props.get("AccountIds") or []
    accounts = sorted({str(a).strip() for a in (raw.split(",") if isinstance(raw, str) else raw) if str(a).strip()})
    bad = [a for a in accounts if not ACCOUNT_ID.match(a)]
    if bad:
        raise ShareError(f"AccountIds: {', '.join(bad)} are not account ids (12 digits)")
    return accounts


def _shared(ds: Any, directory_id: str) -> dict[str, str]:
    """Consumer account → share status, for the live shares of the directory."""
    out: dict[str, str] = {}
    try:
        for page in ds.get_paginator("describe_shared_directories").paginate(OwnerDirectoryId=directory_id):
            for item in page.get("SharedDirectories", []):
                if item.get("ShareStatus") in LIVE:
                    out[item["SharedAccountId"]] = item["ShareStatus"]
    except ClientError as exc:
        raise ShareError(f"listing the shares of {directory_id} failed: {_error_text(exc)}") from exc
    return out


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    return str(exc)


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
