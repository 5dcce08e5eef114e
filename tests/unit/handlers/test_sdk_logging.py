"""No handler lets the SDK log request parameters or response bodies, even with every SDK logger at DEBUG.

botocore logs each request's parameters (botocore.endpoint), each response body (botocore.parsers) and
event arguments (botocore.hooks) at DEBUG; urllib3 and boto3.resources log URLs and action parameters.
A function whose log level is DEBUG, or a library that turns one of those loggers on, would print
trust passwords, service account secrets, key policies and account ids to CloudWatch Logs. Each
scenario runs a handler against moto (Stubber where moto lacks a call) with all those loggers at DEBUG
and checks that no SDK record below WARNING was emitted and that no canary value (something only a
request or response carries, never the handler's own messages) appears in any record.
"""
from __future__ import annotations

import ast
import inspect
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from landing_zone.handlers import (
    account_baseline,
    ad_connector,
    ad_trust,
    control_tower_baseline,
    custom_store_key,
    delegated_admin,
    directory_region,
    directory_roster,
    directory_share,
    enable_policy_type,
    enable_ram_sharing,
    organization_auto_enable,
    rules_objects,
    transit_gateway_peering,
    transit_gateway_routing,
)
from tests.unit.handlers.conftest import SDK_ROOTS
from tests.unit.handlers.support import REGION, cfn_event, is_complete_event

PASSWORD = "Tr0ub4dor&3-horse-BATTERY"
CANARY_SID = "LeakCanaryStatement"
CANARY_ACCOUNT = "999999999999"
CANARY_VPC = "vpc-0c0ffee0c0ffee000"
CANARY_SHARED_ID = "d-c0ffee0000"
DEBUG_LOGGERS = ("boto3", "boto3.resources", "boto3.resources.action", "botocore", "botocore.endpoint",
                 "botocore.parsers", "botocore.hooks", "botocore.auth", "botocore.retryhandler", "urllib3",
                 "urllib3.connectionpool", "s3transfer")
HANDLERS = Path(ad_trust.__file__).parent
MODULES = sorted(p.stem for p in HANDLERS.glob("*.py") if p.name != "__init__.py")


def _vpc() -> tuple[str, list[str]]:
    ec2 = boto3.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in (("10.0.1.0/24", f"{REGION}a"), ("10.0.2.0/24", f"{REGION}b"))]
    return vpc_id, subnets


def _run(handler: Any, event: dict) -> None:
    result = handler.on_event(event, None)
    if hasattr(handler, "is_complete"):
        handler.is_complete(is_complete_event(event, result), None)


def trust(stubs) -> tuple[Callable[[], None], list[str]]:
    vpc_id, subnets = _vpc()
    directory = boto3.client("ds").create_microsoft_ad(
        Name="aws.example.com", Password="Adm1n-Passw0rd!", VpcSettings={"VpcId": vpc_id, "SubnetIds": subnets}
    )["DirectoryId"]
    arn = boto3.client("secretsmanager").create_secret(Name="lz/trust", SecretString=PASSWORD)["ARN"]
    props = {"DirectoryId": directory, "RemoteDomainName": "corp.example.com", "TrustDirection": "Two-Way",
             "ConditionalForwarderIpAddrs": ["192.168.1.10"], "PasswordSecretArn": arn, "TrustPorts": ["tcp:88"]}
    return lambda: _run(ad_trust, cfn_event("Create", props)), [PASSWORD, "TrustPassword"]


def connector(stubs) -> tuple[Callable[[], None], list[str]]:
    vpc_id, subnets = _vpc()
    arn = boto3.client("secretsmanager").create_secret(
        Name="lz/connector", SecretString=json.dumps({"username": "svc", "password": PASSWORD}))["ARN"]
    props = {"Name": "onprem.example.com", "ShortName": "ONPREM", "Size": "Small", "VpcId": vpc_id,
             "SubnetIds": subnets, "DnsIps": ["192.168.1.10"], "ServiceAccountSecretArn": arn}
    return lambda: _run(ad_connector, cfn_event("Create", props)), [PASSWORD, "CustomerUserName"]


def store_key(stubs) -> tuple[Callable[[], None], list[str]]:
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": CANARY_SID, "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "kms:*", "Resource": "*"}]}
    props = {"Alias": "alias/lz/hsm", "CustomKeyStoreId": "cks-1234567890abcdef0", "Description": "key",
             "Policy": json.dumps(policy), "Tags": []}
    return lambda: _run(custom_store_key, cfn_event("Create", props)), [CANARY_SID]


def region(stubs) -> tuple[Callable[[], None], list[str]]:
    props = {"DirectoryId": "d-1234567890", "RegionName": "eu-west-1", "VpcExportName": "vpc",
             "SubnetExportNames": ["a", "b"]}

    def run() -> None:
        stubs.response("ds", "describe_regions", {"RegionsDescription": []})
        stubs.response("ds", "add_region", {})
        stubs.response("cloudformation", "list_exports", {"Exports": [
            {"Name": name, "Value": value} for name, value in (
                ("vpc", "vpc-0eu"), ("a", "subnet-0a"), ("b", "subnet-0b"), ("unrelated", CANARY_VPC))]})
        directory_region.on_event(cfn_event("Create", props), None)
    return run, [CANARY_VPC, "VPCSettings"]


def share(stubs) -> tuple[Callable[[], None], list[str]]:
    def run() -> None:
        stubs.response("ds", "describe_shared_directories", {"SharedDirectories": [
            {"OwnerDirectoryId": "d-1234567890", "SharedAccountId": CANARY_ACCOUNT, "ShareStatus": "Deleted"}]})
        stubs.response("ds", "share_directory", {"SharedDirectoryId": "d-0000000001"})
        directory_share.on_event(cfn_event("Create", {"DirectoryId": "d-1234567890",
                                                      "AccountIds": ["111111111111"]}), None)
    return run, [CANARY_ACCOUNT, "ShareTarget"]


def roster(stubs) -> tuple[Callable[[], None], list[str]]:
    def run() -> None:
        stubs.response("ds", "unshare_directory", {"SharedDirectoryId": CANARY_SHARED_ID})
        old = {"DirectoryId": "d-1234567890", "SharedAccounts": ["111111111111"]}
        directory_roster.on_event(cfn_event("Update", {"DirectoryId": "d-1234567890"}, old=old,
                                            physical_id="d-1234567890/roster"), None)
    return run, [CANARY_SHARED_ID, "UnshareTarget"]


def policy_type(stubs) -> tuple[Callable[[], None], list[str]]:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root_id = org.list_roots()["Roots"][0]["Id"]
    event = cfn_event("Create", {"RootId": root_id, "PolicyType": "TAG_POLICY"})
    return lambda: _run(enable_policy_type, event), ["MasterAccountEmail", "FeatureSet"]


def ram_sharing(stubs) -> tuple[Callable[[], None], list[str]]:
    boto3.client("organizations").create_organization(FeatureSet="ALL")
    return lambda: _run(enable_ram_sharing, cfn_event("Create", {})), ["returnValue"]


def rules(stubs) -> tuple[Callable[[], None], list[str]]:
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="acme-guard-rules")
    event = cfn_event("Create", {"Bucket": "acme-guard-rules",
                                 "Objects": [{"Key": "proactive/a.guard", "Body": "rule LeakCanaryRule {}"}]})
    return lambda: _run(rules_objects, event), ["LeakCanaryRule", "ETag"]


def baseline(stubs) -> tuple[Callable[[], None], list[str]]:
    props = {"AccountId": "123456789012", "S3BlockPublicAccess": "enable", "DeleteDefaultVpc": "true",
             "PasswordPolicy": {"MinimumPasswordLength": "14", "RequireSymbols": "true"}}
    return lambda: _run(account_baseline, cfn_event("Create", props)), ["RestrictPublicBuckets", "RequireSymbols",
                                                                        "CidrBlock"]


def registration(stubs) -> tuple[Callable[[], None], list[str]]:
    props = {"Service": "guardduty", "AccountId": "333333333333"}
    return lambda: _run(delegated_admin, cfn_event("Create", props)), ["AdminStatus", "AdminAccounts"]


def auto_enable(stubs) -> tuple[Callable[[], None], list[str]]:
    def run() -> None:
        stubs.response("macie2", "update_organization_configuration", {})
        organization_auto_enable.on_event(cfn_event("Create", {"Service": "macie"}), None)
    return run, ["autoEnable", "serviceRole"]


SCENARIOS = {"ad_trust": trust, "ad_connector": connector, "custom_store_key": store_key,
             "directory_region": region, "directory_share": share, "directory_roster": roster,
             "enable_policy_type": policy_type, "enable_ram_sharing": ram_sharing,
             "rules_objects": rules, "account_baseline": baseline, "delegated_admin": registration,
             "organization_auto_enable": auto_enable}


def enrollment(stubs) -> tuple[Callable[[], None], list[str]]:
    ou = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-33333333"
    enabled = "arn:aws:controltower:us-east-1:111111111111:enabledbaseline/XAHCR4CJTSI4W07MZ"

    def run() -> None:
        stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": [
            {"arn": enabled, "baselineIdentifier": "arn:aws:controltower:us-east-1::baseline/17BSJV3IGJ2QSGA2",
             "targetIdentifier": ou, "statusSummary": {"status": "SUCCEEDED"}}]})
        stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": [
            {"arn": enabled + "X", "baselineIdentifier": "arn:aws:controltower:us-east-1::baseline/17BSJV3IGJ2QSGA2",
             "targetIdentifier": f"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/{CANARY_ACCOUNT}",
             "statusSummary": {"status": "SUCCEEDED"}}]})
        stubs.response("controltower", "reset_enabled_baseline",
                       {"operationIdentifier": "58f12232-26be-4735-a3e9-dd30d90f021f"})
        control_tower_baseline.on_event(cfn_event("Create", {
            "Purpose": "enroll", "BaselineIdentifier": "arn:aws:controltower:us-east-1::baseline/17BSJV3IGJ2QSGA2",
            "TargetIdentifier": ou, "AccountIds": ["222222222222"]}), None)
    return run, [CANARY_ACCOUNT, "enabledBaselineIdentifier"]


SCENARIOS["control_tower_baseline"] = enrollment


def gateway_routing(stubs) -> tuple[Callable[[], None], list[str]]:
    ec2 = boto3.client("ec2")
    gateway = ec2.create_transit_gateway(Options={"DefaultRouteTableAssociation": "disable"})["TransitGateway"]
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=gateway["TransitGatewayId"])
    vpc_id, subnets = _vpc()
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway["TransitGatewayId"], VpcId=vpc_id, SubnetIds=subnets[:1], TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "Name", "Value": CANARY_SID}]}])
    table_id = table["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    event = cfn_event("Create", {
        "TransitGatewayAttachmentId": attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"],
        "AssociationRouteTableId": table_id, "PropagationRouteTableIds": [table_id], "RouteTableIds": [table_id]})
    event["ResourceType"] = "Custom::TransitGatewayAttachmentRouting"
    return lambda: _run(transit_gateway_routing, event), [CANARY_SID, "TransitGatewayOwnerId"]


SCENARIOS["transit_gateway_routing"] = gateway_routing


def gateway_peering(stubs) -> tuple[Callable[[], None], list[str]]:
    ec2 = boto3.client("ec2")
    requester = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    accepter = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=requester, PeerTransitGatewayId=accepter, PeerAccountId="123456789012", PeerRegion=REGION,
        TagSpecifications=[{"ResourceType": "transit-gateway-attachment",
                            "Tags": [{"Key": "Name", "Value": CANARY_SID}]}])["TransitGatewayPeeringAttachment"]
    event = cfn_event("Create", {"TransitGatewayAttachmentId": attachment["TransitGatewayAttachmentId"],
                                 "TransitGatewayId": accepter})
    event["ResourceType"] = transit_gateway_peering.RESOURCE_TYPE
    return lambda: _run(transit_gateway_peering, event), [requester, "RequesterTgwInfo"]


SCENARIOS["transit_gateway_peering"] = gateway_peering


def test_every_handler_has_a_scenario():
    assert sorted(SCENARIOS) == MODULES


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_sdk_debug_logging_prints_no_parameter_or_secret(stubs, caplog, name):
    run, canaries = SCENARIOS[name](stubs)
    caplog.clear()  # from here on, only the handler runs
    caplog.set_level(logging.DEBUG)
    for logger in DEBUG_LOGGERS:     # someone turned SDK wire logging on, children included
        logging.getLogger(logger).setLevel(logging.DEBUG)

    run()

    texts = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert any(n.startswith("landing_zone.handlers.") for n, _, _ in texts), "the handler's logs were not captured"
    sdk = [(n, t[:120]) for n, level, t in texts if n.split(".", 1)[0] in SDK_ROOTS and level < logging.WARNING]
    assert sdk == []
    assert [(n, c) for n, _, t in texts for c in canaries if c in t] == []


def _quiet_source(module: str) -> str:
    tree = ast.parse((HANDLERS / f"{module}.py").read_text(encoding="utf-8"))
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_quiet_sdk_loggers"]
    return ast.unparse(function)


@pytest.mark.parametrize("module", MODULES)
def test_every_entry_point_quiets_the_sdk_first_with_the_same_code(module):
    # Handlers cannot import each other (Lambda loads each as a top-level module): the copies must agree.
    handler = __import__(f"landing_zone.handlers.{module}", fromlist=["_"])
    assert handler.SDK_LOGGERS == SDK_ROOTS
    assert _quiet_source(module) == _quiet_source("ad_trust")
    for entry in ("on_event", "is_complete"):
        if hasattr(handler, entry):
            body = ast.parse(inspect.getsource(getattr(handler, entry))).body[0].body
            calls = [n for n in body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
            first_call = ast.unparse(calls[0].value) if calls else None
            assert first_call == "_quiet_sdk_loggers()", f"{module}.{entry} starts with {first_call}"
