"""Key checks, table-driven: rotation the synthesis requires, and secrets without a customer managed key."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from landing_zone.blueprint.load import load_blueprint
from tests.helpers import assert_issues, minimal, write

KEY = {"alias": "alias/lz/data", "account": "log-archive", "primary_region": "us-east-1"}


@pytest.mark.parametrize(("key", "expected"), [
    pytest.param({}, set(), id="default-rotates"),
    pytest.param({"rotation": True, "rotation_period_days": 180}, set(), id="rotation-period"),
    pytest.param({"rotation": False}, {("key-rotation-required", "keys[alias/lz/data].rotation")},
                 id="aws-kms-without-rotation"),
    pytest.param({"origin": "EXTERNAL", "rotation": False}, set(), id="external-cannot-rotate"),
    pytest.param({"custom_key_store_id": "cks-1234567890abcdef0", "rotation": False}, set(),
                 id="custom-store-cannot-rotate"),
])
def test_aws_kms_keys_rotate(tmp_path, key, expected):
    data = minimal()
    data["keys"] = [{**KEY, **key}]
    assert_issues(tmp_path, data, expected)


def with_directory(data: dict) -> dict:
    data["organization"]["accounts"].append(
        {"name": "identity", "email": "aws+identity@example.com", "unit": "Security", "role": "identity",
         "id": "444444444444"})
    data["network"] = {"vpcs": [
        {"name": "ids", "account": "identity", "region": "us-east-1", "cidr": "10.1.0.0/16", "subnets": [
            {"name": "a", "cidr": "10.1.0.0/24", "az_id": "use1-az1"},
            {"name": "b", "cidr": "10.1.1.0/24", "az_id": "use1-az2"}]}]}
    data["identity"] = {"directory": {"account": "identity", "region": "us-east-1", "vpc": "ids",
                                      "subnets": ["a", "b"], "domain": "corp.example.com"}}
    return data


def secrets_key(**changes) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        data.setdefault("keys", []).append({"alias": "alias/lz/secrets", "account": "identity",
                                            "primary_region": "us-east-1", "services": ["secretsmanager"],
                                            **changes})
    return change


def directory_type(kind: str, **extra) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        data["identity"]["directory"].update(type=kind, **extra)
    return change


WARNED = [("secret-default-key", "identity.directory", "warning")]


@pytest.mark.parametrize(("mutate", "expected"), [
    pytest.param(lambda d: None, WARNED, id="no-key"),
    pytest.param(secrets_key(), [], id="owned-key"),
    pytest.param(secrets_key(account="audit", grants={"accounts": ["identity"]}), [], id="granted-by-name"),
    pytest.param(secrets_key(account="audit", grants={"units": ["Security"]}), [], id="granted-by-ou"),
    pytest.param(secrets_key(account="audit", grants={"units": ["Root"]}), [], id="granted-to-root"),
    pytest.param(secrets_key(account="audit"), WARNED, id="key-of-another-account"),
    pytest.param(secrets_key(primary_region="eu-west-1"), WARNED, id="key-in-another-region"),
    pytest.param(secrets_key(primary_region="eu-west-1", replica_regions=["us-east-1"]), [],
                 id="replica-in-the-region"),
    pytest.param(secrets_key(services=["s3"]), WARNED, id="key-without-secretsmanager"),
    pytest.param(directory_type("simple"), WARNED, id="simple-ad"),
    pytest.param(directory_type("connector", dns_ips=["192.168.1.10"], service_account_secret="lz/ad/svc"), [],
                 id="connector-creates-no-secret"),
])
def test_a_secret_without_a_customer_managed_key_is_a_warning(tmp_path, mutate, expected):
    data = with_directory(minimal())
    mutate(data)
    loaded = load_blueprint(write(tmp_path, data))
    assert [(w.code, w.path, w.severity) for w in loaded.warnings] == expected
    for warning in loaded.warnings:
        assert warning.line and "aws/secretsmanager" in warning.message and "identity" in warning.hint


def test_lz_validate_prints_the_warning_and_succeeds(tmp_path):
    from click.testing import CliRunner

    from landing_zone.cli import cli

    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, with_directory(minimal())))])
    assert result.exit_code == 0, result.output
    assert "warning: identity.directory:" in result.output and "[secret-default-key]" in result.output
    assert "hint: add a key with services: [secretsmanager, ds]" in result.output
