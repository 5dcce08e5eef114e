"""Custom resource: enable an Organizations policy type on the root, and never disable it."""
from __future__ import annotations

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

POLICY_TYPES = (
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
)
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")


class PolicyTypeError(RuntimeError):
    """A policy type could not be enabled; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: enable the policy type (idempotent). Delete: leave it enabled.

    Properties: RootId (r-...), PolicyType (one of POLICY_TYPES).
    PhysicalResourceId: "<RootId>/<PolicyType>". Changing either property yields a new id, so the
    new type is enabled and CloudFormation's Delete of the old id leaves the old type enabled:
    disabling a policy type detaches every policy of that type from every target.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"),
             event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("policy type left enabled on purpose: disabling it would detach all its policies")
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    if request not in ("Create", "Update"):
        raise PolicyTypeError(f"unknown RequestType {request!r}; expected Create, Update or Delete")

    root_id, policy_type = _properties(event.get("ResourceProperties") or {})
    physical_id = f"{root_id}/{policy_type}"
    org = boto3.client("organizations")
    status = _status(org, root_id, policy_type)
    if status in ("ENABLED", "PENDING_ENABLE"):
        LOG.info("%s is already %s on %s", policy_type, status, root_id)
    else:
        _require_all_features(org, policy_type)
        _enable(org, root_id, policy_type)
    return {"PhysicalResourceId": physical_id, "Data": {"RootId": root_id, "PolicyType": policy_type}}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Complete once ListRoots reports the policy type ENABLED (enabling is asynchronous)."""
    _quiet_sdk_loggers()
    if event.get("RequestType") == "Delete":
        return {"IsComplete": True}
    root_id, policy_type = _properties(event.get("ResourceProperties") or {})
    status = _status(boto3.client("organizations"), root_id, policy_type)
    LOG.info("%s on %s: %s", policy_type, root_id, status or "not listed yet")
    if status != "ENABLED":
        return {"IsComplete": False}
    return {"IsComplete": True, "Data": {"RootId": root_id, "PolicyType": policy_type}}


def _properties(props: dict[str, Any]) -> tuple[str, str]:
    root_id = str(props.get("RootId") or "").strip()
    policy_type = str(props.get("PolicyType") or "").strip().upper()
    if not ROOT_ID.match(root_id):
        raise PolicyTypeError(f"RootId {root_id!r} is not an organization root id; expected 'r-' and "
                              "4-32 lowercase letters or digits, e.g. r-a1b2")
    if policy_type not in POLICY_TYPES:
        raise PolicyTypeError(f"PolicyType {props.get('PolicyType')!r} is not supported; "
                              f"use one of {', '.join(POLICY_TYPES)}")
    return root_id, policy_type


def _status(org: Any, root_id: str, policy_type: str) -> str | None:
    """The policy type's status on the root (ENABLED, PENDING_ENABLE, ...), None if not listed."""
    roots = []
    try:
        for page in org.get_paginator("list_roots").paginate():
            roots.extend(page.get("Roots", []))
    except ClientError as exc:
        raise PolicyTypeError(f"cannot list the organization roots: {_describe(exc)}; this must run in "
                              "the organization's management account") from exc
    root = next((r for r in roots if r.get("Id") == root_id), None)
    if root is None:
        known = ", ".join(sorted(r.get("Id", "?") for r in roots)) or "none"
        raise PolicyTypeError(f"root {root_id} is not a root of this organization (roots: {known}); "
                              "check organization.root_id in the blueprint")
    return next((t.get("Status") for t in root.get("PolicyTypes", []) if t.get("Type") == policy_type), None)


def _require_all_features(org: Any, policy_type: str) -> None:
    try:
        feature_set = org.describe_organization()["Organization"].get("FeatureSet")
    except ClientError as exc:
        raise PolicyTypeError(f"cannot describe the organization: {_describe(exc)}") from exc
    if feature_set != "ALL":
        raise PolicyTypeError(_features_message(policy_type, feature_set))


def _enable(org: Any, root_id: str, policy_type: str) -> None:
    try:
        org.enable_policy_type(RootId=root_id, PolicyType=policy_type)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "PolicyTypeAlreadyEnabledException":
            LOG.info("%s was enabled on %s concurrently", policy_type, root_id)
            return
        if code == "PolicyTypeNotAvailableForOrganizationException":
            raise PolicyTypeError(_features_message(policy_type, None)) from exc
        raise PolicyTypeError(f"enabling {policy_type} on root {root_id} failed: {_describe(exc)}") from exc
    except BotoCoreError as exc:
        raise PolicyTypeError(f"enabling {policy_type} on root {root_id} failed: {exc}") from exc
    LOG.info("enabled %s on %s", policy_type, root_id)


def _features_message(policy_type: str, feature_set: str | None) -> str:
    has = f"has feature set {feature_set}" if feature_set else "does not have all features enabled"
    return (f"cannot enable {policy_type}: the organization {has}, and policy types need ALL features; "
            "enable all features in the AWS Organizations console (every member account must approve), "
            "then deploy again")


def _describe(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))}"


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
