"""Custom resource: write the proactive Guard rules into the rules bucket of a region, and keep them."""
from __future__ import annotations

import hashlib
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
PREFIX = "proactive/"


class RulesError(RuntimeError):
    """The rules could not be written; the message says which object and why."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: put every object of `Objects` ([{Key, Body}], keys under proactive/) into `Bucket`.
    Delete: leave them: hooks in member accounts read them until their own StackSet is gone.

    The physical id is the bucket and a digest of the objects, so a changed rule is a new write."""
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties", {})
    bucket, objects = props.get("Bucket"), props.get("Objects") or []
    LOG.info("%s %s: %d objects in %s", request, event.get("LogicalResourceId"), len(objects), bucket)
    if request == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or f"{bucket}"}
    if request not in ("Create", "Update"):
        raise RulesError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    if not isinstance(bucket, str) or not bucket:
        raise RulesError("the Bucket property is missing")
    digest = hashlib.sha256()
    client = boto3.client("s3")
    for item in sorted(objects, key=lambda o: str(o.get("Key"))):
        key, body = item.get("Key"), item.get("Body")
        if not isinstance(key, str) or not key.startswith(PREFIX) or not isinstance(body, str):
            raise RulesError(f"object {key!r}: each object needs a Key under {PREFIX} and a text Body")
        try:
            client.put_object(Bucket=bucket, Key=key, Body=body.encode("utf-8"), ContentType="text/plain",
                              ServerSideEncryption="AES256")
        except (ClientError, BotoCoreError) as exc:
            raise RulesError(f"writing s3://{bucket}/{key} failed: {exc}") from exc
        digest.update(key.encode() + b"\0" + body.encode())
    return {"PhysicalResourceId": f"{bucket}:{digest.hexdigest()[:16]}", "Data": {"Objects": str(len(objects))}}


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
