"""Custom resource: account-level hardening (EBS default encryption, S3 Block Public Access, password policy, IMDS defaults, default VPCs)."""
from __future__ import annotations

import json
import logging
import os
import urllib.request
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...). Every SDK logger, children included,
# stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")

PHYSICAL_ID = "account-baseline"
# Properties (CloudFormation passes every value as a string). A setting left out is not touched.
ENABLE, DISABLE = "enable", "disable"
PASSWORD_FIELDS = {"MinimumPasswordLength": int, "RequireSymbols": bool, "RequireNumbers": bool,
                   "RequireUppercaseCharacters": bool, "RequireLowercaseCharacters": bool,
                   "AllowUsersToChangePassword": bool, "MaxPasswordAge": int, "PasswordReusePrevention": int,
                   "HardExpiry": bool}


class BaselineError(RuntimeError):
    """A setting could not be applied; the message says which and why."""


def handler(event: dict[str, Any], context: Any = None) -> None:
    """The function's entry point: CloudFormation invokes it directly (the code is inline in the StackSet
    body, where no provider framework can be deployed), so it answers on the pre-signed ResponseURL."""
    _quiet_sdk_loggers()
    try:
        result = on_event(event, context)
        _respond(event, "SUCCESS", result["PhysicalResourceId"], result.get("Data", {}), "")
    except Exception as exc:  # noqa: BLE001 - every failure must reach CloudFormation, or the stack hangs
        LOG.error("%s", exc)
        _respond(event, "FAILED", event.get("PhysicalResourceId") or PHYSICAL_ID, {}, str(exc)[:3000])


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: apply each setting the properties name (idempotent). Delete: nothing at all.

    Properties: AccountId; EbsEncryption enable|disable and EbsKmsKeyId (a key or alias ARN; empty for the
    AWS managed key); S3BlockPublicAccess enable|disable; PasswordPolicy a JSON object of
    UpdateAccountPasswordPolicy parameters, or "delete"; ImdsDefaults require-v2|no-preference;
    DeleteDefaultVpc "true". Removing the stack (or a setting) leaves the account as it is: settings go
    back to the AWS defaults only when the blueprint says false.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s", request, event.get("LogicalResourceId"))
    if request == "Delete":
        LOG.info("account settings left as they are on purpose: removing the baseline changes nothing")
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or PHYSICAL_ID}
    if request not in ("Create", "Update"):
        raise BaselineError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    props = event.get("ResourceProperties") or {}
    clients = _Clients()
    done: dict[str, str] = {}
    steps = (("EbsEncryption", _ebs), ("S3BlockPublicAccess", _s3), ("PasswordPolicy", _password),
             ("ImdsDefaults", _imds), ("DeleteDefaultVpc", _default_vpcs))
    for name, step in steps:
        if props.get(name) not in (None, ""):
            try:
                done[name] = step(props, clients)
            except (ClientError, BotoCoreError) as exc:
                raise BaselineError(f"{name}: {_describe(exc)}") from exc
    LOG.info("applied: %s", ", ".join(f"{k}={v}" for k, v in done.items()) or "nothing")
    return {"PhysicalResourceId": PHYSICAL_ID, "Data": done}


def _ebs(props: dict[str, Any], clients: _Clients) -> str:
    ec2 = clients("ec2")
    if props["EbsEncryption"] == DISABLE:
        ec2.disable_ebs_encryption_by_default()
        return "disabled"
    _expect(props["EbsEncryption"], "EbsEncryption", (ENABLE, DISABLE))
    ec2.enable_ebs_encryption_by_default()
    key = props.get("EbsKmsKeyId") or ""
    if key:
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
        return f"enabled with {key}"
    ec2.reset_ebs_default_kms_key_id()
    return "enabled with the AWS managed key"


def _s3(props: dict[str, Any], clients: _Clients) -> str:
    s3control, account = clients("s3control"), props["AccountId"]
    if props["S3BlockPublicAccess"] == DISABLE:
        try:
            s3control.delete_public_access_block(AccountId=account)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NoSuchPublicAccessBlockConfiguration":
                raise
        return "removed"
    _expect(props["S3BlockPublicAccess"], "S3BlockPublicAccess", (ENABLE, DISABLE))
    s3control.put_public_access_block(AccountId=account, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    return "all four settings on"


def _password(props: dict[str, Any], clients: _Clients) -> str:
    iam = clients("iam")
    if props["PasswordPolicy"] == "delete":
        try:
            iam.delete_account_password_policy()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
                raise
        return "deleted"
    given = props["PasswordPolicy"]
    given = json.loads(given) if isinstance(given, str) else given
    unknown = sorted(set(given) - set(PASSWORD_FIELDS))
    if unknown:
        raise BaselineError(f"PasswordPolicy: unknown parameters {', '.join(unknown)}")
    # Parameters left out fall back to IAM's defaults (no expiry, no reuse restriction).
    iam.update_account_password_policy(**{k: _typed(PASSWORD_FIELDS[k], v) for k, v in sorted(given.items())})
    return "set"


def _imds(props: dict[str, Any], clients: _Clients) -> str:
    value = _expect(props["ImdsDefaults"], "ImdsDefaults", ("require-v2", "no-preference"))
    ec2 = clients("ec2")
    if value == "require-v2":
        ec2.modify_instance_metadata_defaults(HttpTokens="required", HttpPutResponseHopLimit=2)
        return "IMDSv2 required"
    ec2.modify_instance_metadata_defaults(HttpTokens="no-preference", HttpPutResponseHopLimit=-1)
    return "no preference"


def _default_vpcs(props: dict[str, Any], clients: _Clients) -> str:
    _expect(str(props["DeleteDefaultVpc"]).lower(), "DeleteDefaultVpc", ("true",))
    ec2 = clients("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
    if not vpcs:
        return "none"
    vpc_id = vpcs[0]["VpcId"]
    in_use = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NetworkInterfaces"]
    if in_use:
        # Something runs in it: deleting would fail anyway, and nobody asked to break a workload.
        LOG.warning("default VPC %s kept: %d network interface(s) in use", vpc_id, len(in_use))
        return f"{vpc_id} kept (in use)"
    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    for gateway in gateways["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    ec2.delete_vpc(VpcId=vpc_id)
    return f"{vpc_id} deleted"


class _Clients:
    """One client per service for the whole request (several settings share EC2)."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._made:
            self._made[service] = boto3.client(service)
        return self._made[service]


def _expect(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise BaselineError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _typed(kind: type, value: Any) -> Any:
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return int(value)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))}"
    return str(exc)


def _respond(event: dict[str, Any], status: str, physical_id: str, data: dict[str, str], reason: str) -> None:
    body = json.dumps({"Status": status, "Reason": reason or "see the function's log", "PhysicalResourceId":
                       physical_id, "StackId": event.get("StackId"), "RequestId": event.get("RequestId"),
                       "LogicalResourceId": event.get("LogicalResourceId"), "Data": data}).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - CloudFormation's https URL
        LOG.info("answered %s (HTTP %s)", status, response.status)


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
