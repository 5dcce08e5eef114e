"""Custom resource: register the delegated administrator of GuardDuty, Macie, Inspector or Access Analyzer, never deregister."""
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

ACCESS_ANALYZER = "access-analyzer.amazonaws.com"
MANUAL = ("the landing zone never deregisters a delegated administrator (that would switch the service off "
          "for the organization); deregister the current one by hand first, as docs/security-services.md "
          "(Manual, one-time steps) describes, then deploy again")


class DelegatedAdminError(RuntimeError):
    """The registration failed; the message says why and what to do."""


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: make AccountId the delegated administrator of Service in this region (idempotent: an
    account already registered is left as it is). Delete: nothing.

    Properties: Service (guardduty | macie | inspector | access-analyzer), AccountId. Must run in the
    management account. GuardDuty, Macie and Inspector register per region; Access Analyzer's registration
    is an Organizations one, for every region at once.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    props = event.get("ResourceProperties") or {}
    service, account = props.get("Service"), props.get("AccountId")
    LOG.info("%s %s: %s administered by %s", request, event.get("LogicalResourceId"), service, account)
    if request == "Delete":
        LOG.info("delegated administrator left registered on purpose: %s", MANUAL)
        return {"PhysicalResourceId": event.get("PhysicalResourceId") or f"{service}/{account}"}
    if request not in ("Create", "Update"):
        raise DelegatedAdminError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    if service not in REGISTRARS:
        raise DelegatedAdminError(f"unknown Service {service!r}; expected one of {', '.join(sorted(REGISTRARS))}")
    if not (isinstance(account, str) and account.isdigit() and len(account) == 12):
        raise DelegatedAdminError(f"AccountId {account!r} is not a 12-digit account id")
    try:
        current = REGISTRARS[service](account)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise DelegatedAdminError(f"registering {account} as the {service} delegated administrator failed: "
                                  f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))}; this must run "
                                  "in the organization's management account, with all features enabled") from exc
    except BotoCoreError as exc:
        raise DelegatedAdminError(f"registering {account} as the {service} delegated administrator failed: "
                                  f"{exc}") from exc
    return {"PhysicalResourceId": f"{service}/{account}", "Data": {"AdminAccountId": account, "Result": current}}


def _guardduty(account: str) -> str:
    client = boto3.client("guardduty")
    admins = client.list_organization_admin_accounts().get("AdminAccounts", [])
    return _register(account, "guardduty", [a["AdminAccountId"] for a in admins if a.get("AdminStatus") == "ENABLED"],
                     lambda: client.enable_organization_admin_account(AdminAccountId=account))


def _macie(account: str) -> str:
    client = boto3.client("macie2")
    admins = client.list_organization_admin_accounts().get("adminAccounts", [])
    return _register(account, "macie", [a["accountId"] for a in admins if a.get("status") == "ENABLED"],
                     lambda: client.enable_organization_admin_account(adminAccountId=account))


def _inspector(account: str) -> str:
    client = boto3.client("inspector2")
    admins = client.list_delegated_admin_accounts().get("delegatedAdminAccounts", [])
    return _register(account, "inspector", [a["accountId"] for a in admins if a.get("status") == "ENABLED"],
                     lambda: client.enable_delegated_admin_account(delegatedAdminAccountId=account))


def _access_analyzer(account: str) -> str:
    client = boto3.client("organizations")
    # Trusted access first: Organizations refuses a delegated administrator for a service without it.
    client.enable_aws_service_access(ServicePrincipal=ACCESS_ANALYZER)
    admins = client.list_delegated_administrators(ServicePrincipal=ACCESS_ANALYZER).get("DelegatedAdministrators", [])
    return _register(account, "access-analyzer", [a["Id"] for a in admins],
                     lambda: client.register_delegated_administrator(AccountId=account, ServicePrincipal=ACCESS_ANALYZER))


def _register(account: str, service: str, current: list[str], register: Callable[[], Any]) -> str:
    if account in current:
        LOG.info("%s is already the %s delegated administrator", account, service)
        return "already registered"
    if current:
        raise DelegatedAdminError(f"{', '.join(sorted(current))} is the {service} delegated administrator, not "
                                  f"{account}: {MANUAL}")
    register()
    LOG.info("%s registered as the %s delegated administrator", account, service)
    return "registered"


REGISTRARS: dict[str, Callable[[str], str]] = {
    "guardduty": _guardduty, "macie": _macie, "inspector": _inspector, "access-analyzer": _access_analyzer}


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
