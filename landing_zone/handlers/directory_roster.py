"""Custom resource: removes a directory's trusts, replica regions and shares that left the blueprint."""

from __future__ import annotations

# Why this resource exists: the trust, replica and share resources of a directory are retained
# (DeletionPolicy and UpdateReplacePolicy Retain), so neither a stack deletion nor a resource leaving
# the template removes anything. CloudFormation sends both as the same Delete event, so a handler
# cannot tell "the stack is going away" from "the blueprint dropped this trust". This resource lists
# what the blueprint wants, and a list that shrinks is an Update, which Retain does not swallow:
# the removal is explicit in the template diff.
#
# Properties: DirectoryId, Trusts (remote domain names), Regions (replica regions), SharedAccounts
# (account ids). PhysicalResourceId: `<directory id>/roster`.
#
# Create: nothing (the lists are where the blueprint starts). Update, same DirectoryId: every
# account that left SharedAccounts is unshared, then every trust that left Trusts is deleted with its
# conditional forwarder, then every region that left Regions is removed (RemoveRegion, in that
# region; a region with shared directories cannot be removed, hence the order). Removals are
# started, not awaited: AWS finishes them. A new DirectoryId (the directory was replaced; the old one
# is retained) removes nothing. Delete: nothing.
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
GONE = {"Deleting", "Deleted"}
NOT_THERE = {"EntityDoesNotExistException", "DirectoryNotSharedException"}


class RosterError(RuntimeError):
    """Something that left the blueprint could not be removed; the message says what and why."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"), event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("nothing removed: the stack is being deleted or the directory left the blueprint, and "
                 "both leave the directory's trusts, regions and shares in place")
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or "")}
    if request not in ("Create", "Update"):
        raise RosterError(f"unknown RequestType {request!r}")
    directory_id = str(props.get("DirectoryId") or "").strip()
    if not DIRECTORY_ID.match(directory_id):
        raise RosterError(f"DirectoryId {directory_id!r} is not a directory id")
    new = _lists(props)
    old = _lists(event.get("OldResourceProperties") or {}) if request == "Update" else None
    if old is None or str((event.get("OldResourceProperties") or {}).get("DirectoryId")) != directory_id:
        return {"PhysicalResourceId": f"{directory_id}/roster"}
    gone = {key: sorted(set(old[key]) - set(new[key])) for key in new}
    LOG.info("left the blueprint: trusts %s, regions %s, shares with %s", gone["Trusts"] or "none",
             gone["Regions"] or "none", gone["SharedAccounts"] or "none")
    if gone["SharedAccounts"] or gone["Trusts"]:
        ds = boto3.client("ds")
        for account in gone["SharedAccounts"]:
            _unshare(ds, directory_id, account)
        for domain in gone["Trusts"]:
            _delete_trust(ds, directory_id, domain)
    for region in gone["Regions"]:
        _remove_region(directory_id, region)
    return {"PhysicalResourceId": f"{directory_id}/roster"}


def _lists(props: dict[str, Any]) -> dict[str, list[str]]:
    out = {}
    for key in ("Trusts", "Regions", "SharedAccounts"):
        raw = props.get(key) or []
        items = raw.split(",") if isinstance(raw, str) else list(raw)
        out[key] = sorted({str(i).strip().rstrip(".").lower() for i in items if str(i).strip()})
    return out


def _unshare(ds: Any, directory_id: str, account: str) -> None:
    try:
        ds.unshare_directory(DirectoryId=directory_id, UnshareTarget={"Id": account, "Type": "ACCOUNT"})
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in NOT_THERE:
            LOG.info("%s is not shared with %s: nothing to remove", directory_id, account)
            return
        raise RosterError(f"unsharing {directory_id} from account {account}, which left share_with, failed: "
                          f"{_error_text(exc)}") from exc
    except BotoCoreError as exc:
        raise RosterError(f"unsharing {directory_id} from account {account} failed: {exc}") from exc
    LOG.info("unshared %s from %s (it left share_with)", directory_id, account)


def _delete_trust(ds: Any, directory_id: str, domain: str) -> None:
    try:
        trusts = [t for page in ds.get_paginator("describe_trusts").paginate(DirectoryId=directory_id)
                  for t in page.get("Trusts", [])
                  if str(t.get("RemoteDomainName") or "").rstrip(".").lower() == domain
                  and t.get("TrustState") not in GONE]
        for trust in trusts:
            ds.delete_trust(TrustId=trust["TrustId"], DeleteAssociatedConditionalForwarder=True)
            LOG.info("deleting trust %s of %s to %s (it left the blueprint)", trust["TrustId"], directory_id,
                     domain)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in NOT_THERE:
            LOG.info("trust of %s to %s is already gone", directory_id, domain)
            return
        raise RosterError(f"deleting the trust of {directory_id} to {domain}, which left the blueprint, "
                          f"failed: {_error_text(exc)}") from exc
    except BotoCoreError as exc:
        raise RosterError(f"deleting the trust of {directory_id} to {domain} failed: {exc}") from exc
    if not trusts:
        LOG.info("%s has no trust to %s: nothing to remove", directory_id, domain)


def _remove_region(directory_id: str, region: str) -> None:
    try:
        # RemoveRegion removes the region it is called in.
        boto3.client("ds", region_name=region).remove_region(DirectoryId=directory_id)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in NOT_THERE:
            LOG.info("%s has no replica in %s: nothing to remove", directory_id, region)
            return
        raise RosterError(f"removing region {region}, which left replicate_to, from {directory_id} failed: "
                          f"{_error_text(exc)}; a region with shared directories or authorized "
                          "applications cannot be removed") from exc
    except BotoCoreError as exc:
        raise RosterError(f"removing region {region} from {directory_id} failed: {exc}") from exc
    LOG.info("removing the replica of %s in %s (it left replicate_to)", directory_id, region)


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
