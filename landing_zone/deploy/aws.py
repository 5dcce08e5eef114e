"""AWS sessions for the deploy commands: the management account's own, member accounts' through an
assumed role, and botocore failures turned into one-line messages."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "lz-preflight"


class AwsError(Exception):
    """AWS cannot be reached with these credentials at all; the message is one line for the user."""


class AssumeFailed(Exception):
    """A member account cannot be read: the role to assume is missing or does not trust us."""


def client_error(exc: Exception) -> str:
    """`Operation failed (Code): message` of a ClientError, on one line."""
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {})
    message = " ".join(str(error.get("Message", "")).split())
    return f"{getattr(exc, 'operation_name', 'call')} failed ({error.get('Code', 'Error')})" + (
        f": {message}" if message else "")


@contextmanager
def fatal_errors(what: str = "AWS") -> Iterator[None]:
    """Failures that no check can report on its own (no credentials, no profile, no network)."""
    from botocore.exceptions import (
        BotoCoreError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ProfileNotFound,
    )

    try:
        yield
    except NoCredentialsError:
        raise AwsError("no AWS credentials found: pass --profile or set AWS_PROFILE") from None
    except ProfileNotFound as exc:
        raise AwsError(f"{exc}: check --profile against ~/.aws/config") from None
    except NoRegionError:
        raise AwsError("no AWS region configured: set AWS_DEFAULT_REGION or the profile's region") from None
    except EndpointConnectionError as exc:
        raise AwsError(f"cannot reach {what}: {exc}") from None
    except BotoCoreError as exc:  # expired SSO token, bad config, timeouts: botocore's words are clear
        raise AwsError(f"{what}: {exc}") from None


class Accounts:
    """Clients in the management account (the caller's credentials) and in member accounts
    (`role` assumed there). `clients` replaces management account clients by service name: the
    tests use it for services moto cannot serve."""

    def __init__(self, management_id: str, partition: str, *, profile: str | None = None,
                 session: Any = None, role: str = DEFAULT_ROLE, clients: dict[str, Any] | None = None):
        import boto3

        self.management_id = management_id
        self.partition = partition
        self.role = role
        self.session = session or boto3.Session(profile_name=profile)
        self.overrides = dict(clients or {})
        self._sessions: dict[str, dict[str, str]] = {}   # account id -> assumed role's keys
        self._failed: dict[str, str] = {}
        # boto3 sessions are not thread-safe: clients are made under this lock, then used freely.
        self._lock = threading.Lock()

    def role_arn(self, account_id: str) -> str:
        return f"arn:{self.partition}:iam::{account_id}:role/{self.role}"

    def client(self, service: str, region: str, account_id: str | None = None) -> Any:
        account_id = account_id or self.management_id
        if account_id == self.management_id and service in self.overrides:
            return self.overrides[service]
        # Member clients come from the same session with the assumed role's keys: one loaded copy of
        # each service model for all accounts, not one per account.
        credentials = {} if account_id == self.management_id else self._member(account_id)
        with self._lock:
            return self.session.client(service, region_name=region, **credentials)

    def _member(self, account_id: str) -> dict[str, str]:
        from botocore.exceptions import ClientError

        with self._lock:
            if account_id in self._sessions:
                return self._sessions[account_id]
            if account_id in self._failed:
                raise AssumeFailed(self._failed[account_id])
            sts = self.session.client("sts")
        try:
            credentials = sts.assume_role(RoleArn=self.role_arn(account_id),
                                          RoleSessionName=SESSION_NAME)["Credentials"]
        except ClientError as exc:
            with self._lock:
                self._failed[account_id] = client_error(exc)
            raise AssumeFailed(self._failed[account_id]) from None
        keys = {"aws_access_key_id": credentials["AccessKeyId"],
                "aws_secret_access_key": credentials["SecretAccessKey"],
                "aws_session_token": credentials["SessionToken"]}
        with self._lock:
            self._sessions[account_id] = keys
        return keys
