"""Fixtures for handler tests: moto with fake credentials, stubbing single calls, SDK log levels restored."""
from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.unit.handlers.support import REGION, PassThroughStubber


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """moto for every AWS call, with fake credentials and no local AWS config."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with mock_aws():
        yield


class Stubs:
    """Queue answers for single calls of the clients the handlers create; the rest goes to moto.

    The next client created for that service takes the queued answers, so queue them right before
    calling the handler, after the test's own set-up calls. Answers queued with `region` go to the next
    client created with that region_name (a handler calling RemoveRegion in the replica region).
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._pending: dict[tuple[str, str | None], list[tuple[str, str, Any, Any]]] = defaultdict(list)
        self._stubbers: list[PassThroughStubber] = []
        real_client = boto3.client

        def client(service: str, *args: Any, **kwargs: Any) -> Any:
            made = real_client(service, *args, **kwargs)
            key = (service, kwargs.get("region_name"))
            if not self._pending.get(key):
                key = (service, None)
            if self._pending.get(key):
                stubber = PassThroughStubber(made)
                for method, kind, payload, expected in self._pending.pop(key):
                    if kind == "response":
                        stubber.add_response(method, payload, expected)
                    else:
                        stubber.add_client_error(method, service_error_code=payload[0],
                                                 service_message=payload[1], expected_params=expected)
                stubber.activate()
                self._stubbers.append(stubber)
            return made

        monkeypatch.setattr(boto3, "client", client)

    def response(self, service: str, method: str, response: dict[str, Any],
                 expected_params: dict[str, Any] | None = None, *, region: str | None = None) -> None:
        self._pending[(service, region)].append((method, "response", response, expected_params))

    def error(self, service: str, method: str, code: str, message: str,
              expected_params: dict[str, Any] | None = None, *, region: str | None = None) -> None:
        self._pending[(service, region)].append((method, "error", (code, message), expected_params))

    def assert_all_used(self) -> None:
        assert not any(self._pending.values()), f"no client was created for {dict(self._pending)}"
        for stubber in self._stubbers:
            stubber.assert_no_pending_responses()


@pytest.fixture
def stubs(aws, monkeypatch):
    stubs = Stubs(monkeypatch)
    yield stubs
    stubs.assert_all_used()


SDK_ROOTS = ("boto3", "botocore", "urllib3", "s3transfer")


def sdk_logger_names() -> list[str]:
    return sorted(set(SDK_ROOTS) | {name for name in list(logging.Logger.manager.loggerDict)
                                    if name.split(".", 1)[0] in SDK_ROOTS})


@pytest.fixture(autouse=True)
def _restore_sdk_log_levels():
    """The handlers raise every SDK logger to WARNING; do not leak that into other tests."""
    saved = {name: logging.getLogger(name).level for name in sdk_logger_names()}
    yield
    for name in sdk_logger_names():
        logging.getLogger(name).setLevel(saved.get(name, logging.NOTSET))
