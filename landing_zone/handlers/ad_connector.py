"""Custom resource: an AD Connector (ConnectDirectory) to an on-premises domain; retained on delete."""

from __future__ import annotations

# Properties: Name (domain), ShortName, Size ("Small" | "Large"), VpcId, SubnetIds (two), DnsIps
# (on-premises DNS servers), ServiceAccountSecretArn (a Secrets Manager secret holding JSON
# {"username": ..., "password": ...}; read here, never passed in the template, the event or the
# logs), Description. PhysicalResourceId: the directory id.
#
# Delete does nothing but log: a directory is retained like every other directory of the landing zone
# (DeletionPolicy Retain); remove it by hand once nothing uses it.
import json
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
SIZES = ("Small", "Large")
FAILED_STAGES = {"Failed", "Impaired", "Inoperable"}
GONE_STAGES = {"Deleting", "Deleted"}


class ConnectorError(RuntimeError):
    """The connector could not be created; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    physical_id = str(event.get("PhysicalResourceId") or "")
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"), physical_id or "-")
    if request == "Delete":
        LOG.info("AD Connector %s is retained: delete it by hand (aws ds delete-directory --directory-id %s) "
                 "once nothing uses it", physical_id, physical_id)
        return {"PhysicalResourceId": physical_id}
    if request not in ("Create", "Update"):
        raise ConnectorError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    props = event.get("ResourceProperties") or {}
    name = _text(props, "Name")
    ds = boto3.client("ds")
    if request == "Update":
        old = event.get("OldResourceProperties") or {}
        if str(old.get("Name") or "").lower() == name.lower() and physical_id.startswith("d-"):
            changed = sorted(k for k in ("ShortName", "Size", "VpcId", "SubnetIds", "DnsIps",
                                         "ServiceAccountSecretArn") if old.get(k) != props.get(k))
            if changed:
                LOG.warning("AD Connector %s: %s changed; an AD Connector cannot be changed in place. "
                            "Change its DNS addresses or service account in the console or with "
                            "`aws ds update-directory-setup`; the template now records the new values",
                            physical_id, ", ".join(changed))
            return {"PhysicalResourceId": physical_id, "Data": {"DirectoryId": physical_id}}
        LOG.info("domain changed (%s -> %s): connecting a new directory; the old one is retained",
                 old.get("Name"), name)
    existing = _find(ds, name)
    if existing:
        LOG.info("AD Connector for %s already exists (%s, %s); reusing it", name, existing["DirectoryId"],
                 existing.get("Stage"))
        return {"PhysicalResourceId": existing["DirectoryId"], "Data": {"DirectoryId": existing["DirectoryId"]}}
    size = _text(props, "Size")
    if size not in SIZES:
        raise ConnectorError(f"Size {size!r} is not allowed; use Small or Large")
    subnets = [str(s) for s in props.get("SubnetIds") or []]
    dns_ips = [str(s) for s in props.get("DnsIps") or []]
    if len(subnets) != 2 or not dns_ips:
        raise ConnectorError("SubnetIds needs two subnets and DnsIps at least one address")
    username, password = _service_account(_text(props, "ServiceAccountSecretArn"))
    try:
        response = ds.connect_directory(
            Name=name, ShortName=_text(props, "ShortName"), Password=password, Size=size,
            Description=str(props.get("Description") or ""),
            ConnectSettings={"VpcId": _text(props, "VpcId"), "SubnetIds": subnets,
                             "CustomerDnsIps": dns_ips, "CustomerUserName": username})
    except (ClientError, BotoCoreError) as exc:
        raise ConnectorError(f"connecting to {name} failed: {_error_text(exc).replace(password, '***')}") from None
    directory_id = response["DirectoryId"]
    LOG.info("connecting AD Connector %s to %s through %s", directory_id, name, ", ".join(dns_ips))
    return {"PhysicalResourceId": directory_id, "Data": {"DirectoryId": directory_id}}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    _quiet_sdk_loggers()
    if event.get("RequestType") == "Delete":
        return {"IsComplete": True}
    directory_id = str(event.get("PhysicalResourceId") or "")
    ds = boto3.client("ds")
    try:
        found = ds.describe_directories(DirectoryIds=[directory_id]).get("DirectoryDescriptions", [])
    except ClientError as exc:
        raise ConnectorError(f"describing {directory_id} failed: {_error_text(exc)}") from exc
    if not found:
        raise ConnectorError(f"AD Connector {directory_id} does not exist any more")
    stage, reason = found[0].get("Stage"), found[0].get("StageReason") or "no reason given"
    LOG.info("AD Connector %s: %s", directory_id, stage)
    if stage == "Active":
        return {"IsComplete": True, "Data": {"DirectoryId": directory_id,
                                             "DnsIpAddrs": ",".join(found[0].get("DnsIpAddrs") or [])}}
    if stage in FAILED_STAGES or stage in GONE_STAGES:
        raise ConnectorError(f"AD Connector {directory_id} is {stage}: {reason}. Check that the DNS "
                             "addresses answer for the domain, that the service account may join computers, "
                             "and that the subnets reach the domain controllers (TCP/UDP 53, 88, 389)")
    return {"IsComplete": False}


def _find(ds: Any, name: str) -> dict[str, Any] | None:
    try:
        for page in ds.get_paginator("describe_directories").paginate():
            for d in page.get("DirectoryDescriptions", []):
                if (d.get("Type") == "ADConnector" and str(d.get("Name") or "").lower() == name.lower()
                        and d.get("Stage") not in GONE_STAGES):
                    return d
    except ClientError as exc:
        raise ConnectorError(f"listing directories failed: {_error_text(exc)}") from exc
    return None


def _service_account(secret_arn: str) -> tuple[str, str]:
    """(username, password) from the secret; never logged."""
    region = secret_arn.split(":")[3] if secret_arn.startswith("arn:") else None
    try:
        secret = boto3.client("secretsmanager", region_name=region).get_secret_value(SecretId=secret_arn)
    except ClientError as exc:
        raise ConnectorError(f"reading the service account from {secret_arn} failed: {_error_text(exc)}; the "
                             "handler needs secretsmanager:GetSecretValue on it") from exc
    try:
        parsed = json.loads(secret.get("SecretString") or "")
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or not parsed.get("username") or not parsed.get("password"):
        raise ConnectorError(f'secret {secret_arn} must be JSON {{"username": "...", "password": "..."}}')
    return str(parsed["username"]), str(parsed["password"])


def _text(props: dict[str, Any], name: str) -> str:
    value = props.get(name)
    if value is None or not str(value).strip():
        raise ConnectorError(f"property {name} is required")
    return str(value).strip()


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
