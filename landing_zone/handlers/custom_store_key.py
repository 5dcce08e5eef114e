"""Custom resource: a KMS key in a custom key store (CloudHSM), which AWS::KMS::Key cannot create."""
# AWS::KMS::Key accepts only the AWS_KMS and EXTERNAL origins. This handler creates the key with
# Origin AWS_CLOUDHSM in the given key store; the stack names it with a native AWS::KMS::Alias whose
# TargetKeyId is this resource's KeyId. Keys are retained, like every other key of the landing zone.
from __future__ import annotations

import json
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

ALIAS_TAG = "lz:key-alias"      # stable tag: finds the key again when a create is retried
KEY_STORE_ID = re.compile(r"^cks-[0-9a-z]{1,64}$")
ALIAS = re.compile(r"^alias/[a-zA-Z0-9/_-]{1,250}$")


class CustomStoreKeyError(RuntimeError):
    """The key could not be created or updated; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create: reuse the key already serving the alias or carrying its tag, else create one.
    Update: new key policy, description and tags. Delete: keep the key (only logged).

    Properties: Alias, CustomKeyStoreId, Description, Policy (JSON string), Tags ([{Key, Value}]).
    PhysicalResourceId: the key id. Data: KeyArn, KeyId.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"), event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("key %s retained on purpose (keys of the landing zone are never deleted by a stack); "
                 "schedule its deletion by hand with `aws kms schedule-key-deletion` if it is really unused",
                 event.get("PhysicalResourceId"))
        return {"PhysicalResourceId": event["PhysicalResourceId"]}
    if request not in ("Create", "Update"):
        raise CustomStoreKeyError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    props = _properties(event.get("ResourceProperties") or {})
    kms = boto3.client("kms")
    if request == "Create":
        key = _existing(kms, props)
        if key is None:
            key = _create(kms, props)
        else:
            _update(kms, key["KeyId"], props)
    else:
        old = event.get("OldResourceProperties") or {}
        if old.get("CustomKeyStoreId") and old["CustomKeyStoreId"] != props["CustomKeyStoreId"]:
            raise CustomStoreKeyError(
                f"the key store of {props['Alias']} cannot change ({old['CustomKeyStoreId']} → "
                f"{props['CustomKeyStoreId']}): a key never moves between key stores. A new key needs a "
                "new alias: add a key with a new alias in the new key store, move its users, then remove "
                "the old one from the blueprint (the old key is retained)")
        key = _describe(kms, event["PhysicalResourceId"])
        _update(kms, key["KeyId"], props)
    return {"PhysicalResourceId": key["KeyId"], "Data": {"KeyArn": key["Arn"], "KeyId": key["KeyId"]}}


def _properties(props: dict[str, Any]) -> dict[str, Any]:
    alias = str(props.get("Alias") or "").strip()
    store = str(props.get("CustomKeyStoreId") or "").strip()
    if not ALIAS.match(alias) or alias.startswith("alias/aws/"):
        raise CustomStoreKeyError(f"Alias {alias!r} is not a customer key alias ('alias/' then letters, "
                                  "digits, '/', '_' or '-'; not 'alias/aws/...')")
    if not KEY_STORE_ID.match(store):
        raise CustomStoreKeyError(f"CustomKeyStoreId {store!r} is not a custom key store id "
                                  "('cks-' and lowercase letters or digits, e.g. cks-1234567890abcdef0)")
    policy = props.get("Policy")
    if not isinstance(policy, str):
        policy = json.dumps(policy, separators=(",", ":"))
    try:
        json.loads(policy)
    except (TypeError, ValueError) as exc:
        raise CustomStoreKeyError(f"Policy of {alias} is not a JSON document: {exc}") from exc
    tags = [{"TagKey": str(t["Key"]), "TagValue": str(t["Value"])} for t in props.get("Tags") or []
            if t.get("Key") != ALIAS_TAG]
    return {"Alias": alias, "CustomKeyStoreId": store, "Description": str(props.get("Description") or ""),
            "Policy": policy, "Tags": [*tags, {"TagKey": ALIAS_TAG, "TagValue": alias}]}


def _existing(kms: Any, props: dict[str, Any]) -> dict[str, Any] | None:
    """The key already serving the alias, else a key of the store tagged with it (a retried create)."""
    alias, store = props["Alias"], props["CustomKeyStoreId"]
    try:
        for page in kms.get_paginator("list_aliases").paginate():
            for entry in page.get("Aliases", []):
                if entry.get("AliasName") == alias and entry.get("TargetKeyId"):
                    key = _describe(kms, entry["TargetKeyId"])
                    if not _in_store(key, store):
                        raise CustomStoreKeyError(
                            f"{alias} already points at key {key['KeyId']}, which is not in custom key store "
                            f"{store} (its store: {key.get('CustomKeyStoreId') or 'none, origin ' + key.get('Origin', '?')}); "
                            "the alias is not moved to a new key: delete or rename that alias, or give this "
                            "key another alias in the blueprint")
                    LOG.info("reusing key %s, already named %s", key["KeyId"], alias)
                    return key
        for page in kms.get_paginator("list_keys").paginate():
            for entry in page.get("Keys", []):
                key = _describe(kms, entry["KeyId"])
                if not _in_store(key, store) or key.get("KeyState") == "PendingDeletion":
                    continue
                tags = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])
                if any(t.get("TagKey") == ALIAS_TAG and t.get("TagValue") == alias for t in tags):
                    LOG.info("reusing key %s, tagged %s=%s (an earlier create)", key["KeyId"], ALIAS_TAG, alias)
                    return key
    except ClientError as exc:
        raise CustomStoreKeyError(f"cannot look for an existing key {alias}: {_describe_error(exc)}") from exc
    return None


def _in_store(key: dict[str, Any], store: str) -> bool:
    """A CloudHSM key of `store` (DescribeKey returns CustomKeyStoreId for such keys; moto omits it)."""
    return key.get("Origin") == "AWS_CLOUDHSM" and key.get("CustomKeyStoreId", store) == store


def _create(kms: Any, props: dict[str, Any]) -> dict[str, Any]:
    try:
        key = kms.create_key(CustomKeyStoreId=props["CustomKeyStoreId"], Origin="AWS_CLOUDHSM",
                             KeySpec="SYMMETRIC_DEFAULT", KeyUsage="ENCRYPT_DECRYPT",
                             Description=props["Description"], Policy=props["Policy"],
                             Tags=props["Tags"])["KeyMetadata"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        hint = {
            "CustomKeyStoreNotFoundException": "check custom_key_store_id in the blueprint and the region",
            "CustomKeyStoreInvalidStateException": "connect the key store (`aws kms connect-custom-key-store`) "
                                                   "and wait for CONNECTED, then deploy again",
            "CloudHsmClusterInvalidConfigurationException": "the CloudHSM cluster needs at least two active "
                                                            "HSMs in different Availability Zones",
            "CloudHsmClusterNotActiveException": "activate the CloudHSM cluster, then deploy again",
            "MalformedPolicyDocumentException": "the key policy was rejected; `lz explain` shows it",
        }.get(code, "see the error above")
        raise CustomStoreKeyError(f"creating {props['Alias']} in custom key store {props['CustomKeyStoreId']} "
                                  f"failed: {_describe_error(exc)}; {hint}") from exc
    except BotoCoreError as exc:
        raise CustomStoreKeyError(f"creating {props['Alias']} failed: {exc}") from exc
    LOG.info("created key %s in %s for %s", key["KeyId"], props["CustomKeyStoreId"], props["Alias"])
    return key


def _update(kms: Any, key_id: str, props: dict[str, Any]) -> None:
    try:
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=props["Policy"])
        kms.update_key_description(KeyId=key_id, Description=props["Description"])
        kms.tag_resource(KeyId=key_id, Tags=props["Tags"])
    except ClientError as exc:
        raise CustomStoreKeyError(f"updating key {key_id} ({props['Alias']}) failed: "
                                  f"{_describe_error(exc)}") from exc
    LOG.info("key %s: policy, description and tags updated", key_id)


def _describe(kms: Any, key_id: str) -> dict[str, Any]:
    try:
        return kms.describe_key(KeyId=key_id)["KeyMetadata"]
    except ClientError as exc:
        raise CustomStoreKeyError(f"cannot describe key {key_id}: {_describe_error(exc)}") from exc


def _describe_error(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))}"


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
