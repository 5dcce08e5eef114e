"""ad_connector against moto (ConnectDirectory, DescribeDirectories, Secrets Manager); no stubs needed."""
from __future__ import annotations

import json
import logging

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ds.models import ds_backends

from landing_zone.handlers.ad_connector import ConnectorError, is_complete, on_event
from tests.unit.handlers.support import REGION, cfn_event, is_complete_event

PASSWORD = "Svc-Acc0unt-Passw0rd!"


@pytest.fixture
def props(aws) -> dict:
    ec2 = boto3.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in (("10.0.1.0/24", f"{REGION}a"), ("10.0.2.0/24", f"{REGION}b"))]
    arn = boto3.client("secretsmanager").create_secret(
        Name="lz/ad/connector", SecretString=json.dumps({"username": "svc-connector", "password": PASSWORD}))["ARN"]
    return {"Name": "onprem.example.com", "ShortName": "ONPREM", "Size": "Small", "VpcId": vpc_id,
            "SubnetIds": subnets, "DnsIps": ["192.168.1.10"], "ServiceAccountSecretArn": arn}


def _directory(directory_id: str):
    return ds_backends[DEFAULT_ACCOUNT_ID][REGION].directories[directory_id]


def test_create_connects_with_the_service_account_from_the_secret(props, caplog):
    caplog.set_level(logging.DEBUG)
    result = on_event(cfn_event("Create", props))
    directory = _directory(result["PhysicalResourceId"])
    assert directory.directory_type == "ADConnector"
    assert directory.password == PASSWORD
    assert directory.connect_settings["CustomerUserName"] == "svc-connector"
    assert directory.connect_settings["CustomerDnsIps"] == ["192.168.1.10"]
    assert PASSWORD not in caplog.text and PASSWORD not in json.dumps(result)


def test_is_complete_waits_for_active(props):
    event = cfn_event("Create", props)
    result = on_event(event)
    directory = _directory(result["PhysicalResourceId"])
    directory.stage = "Creating"
    assert is_complete(is_complete_event(event, result)) == {"IsComplete": False}
    directory.stage = "Active"
    assert is_complete(is_complete_event(event, result))["IsComplete"] is True


def test_failed_stage_fails_with_the_reason(props):
    event = cfn_event("Create", props)
    result = on_event(event)
    directory = _directory(result["PhysicalResourceId"])
    directory.stage = "Failed"
    with pytest.raises(ConnectorError, match="is Failed"):
        is_complete(is_complete_event(event, result))


def test_already_exists_is_adopted(props):
    first = on_event(cfn_event("Create", props))
    second = on_event(cfn_event("Create", props))
    assert first["PhysicalResourceId"] == second["PhysicalResourceId"]


def test_update_of_settings_keeps_the_directory(props, caplog):
    created = on_event(cfn_event("Create", props))
    new = dict(props, DnsIps=["192.168.1.11"])
    result = on_event(cfn_event("Update", new, old=props, physical_id=created["PhysicalResourceId"]))
    assert result["PhysicalResourceId"] == created["PhysicalResourceId"]
    assert "DnsIps changed" in caplog.text


def test_delete_retains_the_directory(props, caplog):
    caplog.set_level(logging.INFO)
    created = on_event(cfn_event("Create", props))
    directory_id = created["PhysicalResourceId"]
    on_event(cfn_event("Delete", props, physical_id=directory_id))
    assert directory_id in ds_backends[DEFAULT_ACCOUNT_ID][REGION].directories
    assert "retained" in caplog.text


def test_secret_that_is_not_json_fails_without_echoing_it(props):
    boto3.client("secretsmanager").put_secret_value(SecretId=props["ServiceAccountSecretArn"],
                                                   SecretString=PASSWORD)
    with pytest.raises(ConnectorError) as error:
        on_event(cfn_event("Create", props))
    assert PASSWORD not in str(error.value)
