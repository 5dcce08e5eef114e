"""ad_trust against moto's Directory Service and Secrets Manager; Stubber only for calls moto lacks."""
from __future__ import annotations

import json
import logging

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ds.models import ds_backends

from landing_zone.handlers import ad_trust
from landing_zone.handlers.ad_trust import TrustError, is_complete, on_event
from tests.unit.handlers.support import REGION, cfn_event, is_complete_event

PASSWORD = "Tr0ub4dor&3-horse-BATTERY"  # the trust password: must never show up in logs or results
DOMAIN = "corp.example.com"


@pytest.fixture
def directory(aws) -> str:
    """An AWS Managed Microsoft AD in a moto VPC with two subnets in two AZs."""
    ec2 = boto3.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for cidr, az in (("10.0.1.0/24", f"{REGION}a"), ("10.0.2.0/24", f"{REGION}b"))]
    return boto3.client("ds").create_microsoft_ad(
        Name="aws.example.com", ShortName="AWS", Password="Adm1n-Passw0rd!", Edition="Standard",
        VpcSettings={"VpcId": vpc_id, "SubnetIds": subnets})["DirectoryId"]


@pytest.fixture
def secret_arn(aws) -> str:
    return boto3.client("secretsmanager").create_secret(Name="lz/trust/corp", SecretString=PASSWORD)["ARN"]


@pytest.fixture
def props(directory, secret_arn) -> dict:
    return {
        "DirectoryId": directory,
        "RemoteDomainName": DOMAIN,
        "TrustDirection": "Two-Way",
        "TrustType": "Forest",
        "ConditionalForwarderIpAddrs": ["192.168.1.10", "192.168.1.11"],
        "SelectiveAuth": "Disabled",
        "PasswordSecretArn": secret_arn,
    }


def _trusts(directory_id: str) -> list:
    """moto's trust objects: their state is set by hand, moto leaves every trust in Creating."""
    return ds_backends[DEFAULT_ACCOUNT_ID][REGION].directories[directory_id].trusts


def _trust(directory_id: str, trust_id: str):
    return next(t for t in _trusts(directory_id) if t.trust_id == trust_id)


def _set_state(directory_id: str, trust_id: str, state: str, reason: str = "") -> None:
    trust = _trust(directory_id, trust_id)
    trust.trust_state, trust.trust_state_reason = state, reason


def _create(props: dict) -> tuple[dict, dict]:
    event = cfn_event("Create", props)
    return event, on_event(event, None)


# --- create -------------------------------------------------------------------------------------------

def test_create_starts_the_trust_with_the_secret_password(props, directory):
    _, result = _create(props)

    trust_id = result["PhysicalResourceId"]
    assert result == {"PhysicalResourceId": trust_id, "Data": {"TrustId": trust_id}}
    assert ad_trust.TRUST_ID.match(trust_id)
    trust = _trust(directory, trust_id)
    assert (trust.remote_domain_name, trust.trust_direction, trust.trust_type, trust.selective_auth) == (
        DOMAIN, "Two-Way", "Forest", "Disabled")
    assert trust.conditional_forwarder_ip_addrs == ["192.168.1.10", "192.168.1.11"]
    assert trust.trust_password == PASSWORD


@pytest.mark.parametrize(("secret_string", "password"), [
    (json.dumps({"username": "admin", "password": PASSWORD}), PASSWORD),
    ("12345678", "12345678"),
    ('"quoted"', '"quoted"'),
], ids=["json-object", "plain-digits-are-json-but-not-an-object", "plain-json-string"])
def test_password_is_the_json_password_key_or_the_whole_string(props, directory, secret_string, password):
    arn = boto3.client("secretsmanager").create_secret(Name="other", SecretString=secret_string)["ARN"]

    _, result = _create({**props, "PasswordSecretArn": arn})

    assert _trust(directory, result["PhysicalResourceId"]).trust_password == password


@pytest.mark.parametrize("path", [
    ("Creating", "Created", "Verifying"),
    ("Updating", "Updated", "Verifying"),
], ids=["create", "update"])
def test_is_complete_waits_until_aws_has_verified_the_trust(props, directory, path):
    event, result = _create(props)
    trust_id = result["PhysicalResourceId"]
    waiting = is_complete_event(event, result)

    for state in path:  # Created and Updated are on the way: verification may still fail
        _set_state(directory, trust_id, state)
        assert is_complete(waiting, None) == {"IsComplete": False}, state
    _set_state(directory, trust_id, "Verified")
    assert is_complete(waiting, None) == {"IsComplete": True, "Data": {"TrustId": trust_id}}


def test_a_created_trust_that_fails_verification_fails_the_resource(props, directory):
    # The remote side has no matching trust: AWS creates ours, then verification fails. The resource
    # must not have completed at Created, and must fail with AWS's reason.
    event, result = _create(props)
    trust_id = result["PhysicalResourceId"]
    waiting = is_complete_event(event, result)
    _set_state(directory, trust_id, "Created")
    assert is_complete(waiting, None) == {"IsComplete": False}

    _set_state(directory, trust_id, "VerifyFailed", "The trust relationship between the primary domain "
                                                    "and the trusted domain failed.")
    with pytest.raises(TrustError) as raised:
        is_complete(waiting, None)

    assert str(raised.value).startswith(
        f"trust {trust_id} from directory {directory} to {DOMAIN} is VerifyFailed: The trust relationship "
        "between the primary domain and the trusted domain failed.. Check that the remote domain has a "
        "matching trust")


@pytest.mark.parametrize("state", sorted(ad_trust.FAILED_STATES | {"Deleting"}))
def test_is_complete_fails_with_the_trust_state_reason(props, directory, state):
    event, result = _create(props)
    trust_id = result["PhysicalResourceId"]
    _set_state(directory, trust_id, state, "The remote domain corp.example.com could not be contacted")

    with pytest.raises(TrustError) as raised:
        is_complete(is_complete_event(event, result), None)

    assert str(raised.value).startswith(
        f"trust {trust_id} from directory {directory} to {DOMAIN} is {state}: "
        "The remote domain corp.example.com could not be contacted. Check that the remote domain has a "
        "matching trust")


def test_is_complete_fails_when_the_trust_vanished(props, directory):
    event, result = _create(props)
    _trusts(directory).clear()

    with pytest.raises(TrustError, match="does not exist any more; it was deleted outside CloudFormation"):
        is_complete(is_complete_event(event, result), None)


@pytest.mark.parametrize("variant", [DOMAIN, "CORP.Example.com", f"{DOMAIN}."],
                         ids=["same", "other-case", "trailing-dot"])
def test_create_again_reuses_the_existing_trust(props, directory, variant):
    _, first = _create(props)
    _set_state(directory, first["PhysicalResourceId"], "Verified")

    _, second = _create({**props, "RemoteDomainName": variant})

    assert second == first
    assert len(_trusts(directory)) == 1


def test_create_again_ignores_a_trust_being_deleted(props, directory):
    _, first = _create(props)
    _set_state(directory, first["PhysicalResourceId"], "Deleting")

    _, second = _create(props)

    assert second["PhysicalResourceId"] != first["PhysicalResourceId"]


def test_create_again_with_another_direction_fails_clearly(props, directory):
    _, first = _create(props)
    trust_id = first["PhysicalResourceId"]

    with pytest.raises(TrustError) as raised:
        _create({**props, "TrustDirection": "One-Way: Outgoing", "TrustType": "External"})

    assert str(raised.value) == (
        f"a trust from {directory} to {DOMAIN} already exists ({trust_id}) but TrustDirection is 'Two-Way', "
        "the blueprint wants 'One-Way: Outgoing'; TrustType is 'Forest', the blueprint wants 'External'; "
        "AWS allows one trust per remote domain: change the blueprint to match, or delete the trust "
        f"(aws ds delete-trust --trust-id {trust_id}) and deploy again")


def test_create_again_over_a_failed_trust_says_how_to_recover(props, directory):
    _, first = _create(props)
    trust_id = first["PhysicalResourceId"]
    _set_state(directory, trust_id, "VerifyFailed", "Trust password mismatch")

    with pytest.raises(TrustError) as raised:
        _create(props)

    assert str(raised.value) == (
        f"a trust from {directory} to {DOMAIN} already exists ({trust_id}) in state VerifyFailed: Trust "
        f"password mismatch; delete it (aws ds delete-trust --trust-id {trust_id} "
        "--delete-associated-conditional-forwarder), fix the cause, and deploy again")


def test_create_again_with_other_selective_auth_updates_it(props, directory, stubs):
    _, first = _create(props)
    trust_id = first["PhysicalResourceId"]
    # moto 5.2.5 has no ds.update_trust: Stubber answers that one call, moto the rest.
    stubs.response("ds", "update_trust", {"RequestId": "r-1", "TrustId": trust_id},
                   expected_params={"TrustId": trust_id, "SelectiveAuth": "Enabled"})

    _, second = _create({**props, "SelectiveAuth": "Enabled"})

    assert second == first


# --- update -------------------------------------------------------------------------------------------

def _update(old: dict, new: dict, trust_id: str) -> dict:
    return on_event(cfn_event("Update", new, old=old, physical_id=trust_id), None)


def test_update_of_forwarders_updates_the_conditional_forwarder(props, directory, stubs):
    _, created = _create(props)
    trust_id = created["PhysicalResourceId"]
    # moto 5.2.5 has no ds.update_conditional_forwarder: Stubber answers that one call, moto the rest.
    stubs.response("ds", "update_conditional_forwarder", {}, expected_params={
        "DirectoryId": directory, "RemoteDomainName": DOMAIN, "DnsIpAddrs": ["192.168.1.12", "192.168.1.10"]})

    result = _update(props, {**props, "ConditionalForwarderIpAddrs": "192.168.1.12, 192.168.1.10"}, trust_id)

    assert result == created


def test_update_of_selective_auth_updates_the_trust(props, directory, stubs):
    _, created = _create(props)
    trust_id = created["PhysicalResourceId"]
    # moto 5.2.5 has no ds.update_trust: Stubber answers that one call, moto the rest.
    stubs.response("ds", "update_trust", {"RequestId": "r-1", "TrustId": trust_id},
                   expected_params={"TrustId": trust_id, "SelectiveAuth": "Enabled"})

    assert _update(props, {**props, "SelectiveAuth": "true"}, trust_id) == created


def test_update_of_forwarders_and_selective_auth_does_both(props, directory, stubs):
    _, created = _create(props)
    trust_id = created["PhysicalResourceId"]
    # moto 5.2.5 lacks both operations: Stubber answers them, in this order.
    stubs.response("ds", "update_conditional_forwarder", {}, expected_params={
        "DirectoryId": directory, "RemoteDomainName": DOMAIN, "DnsIpAddrs": ["192.168.9.9"]})
    stubs.response("ds", "update_trust", {"RequestId": "r-1", "TrustId": trust_id},
                   expected_params={"TrustId": trust_id, "SelectiveAuth": "Enabled"})

    new = {**props, "ConditionalForwarderIpAddrs": ["192.168.9.9"], "SelectiveAuth": "Enabled"}
    assert _update(props, new, trust_id) == created


def test_update_failure_of_an_aws_call_fails_clearly(props, directory, stubs):
    _, created = _create(props)
    trust_id = created["PhysicalResourceId"]
    # moto 5.2.5 has no ds.update_trust: Stubber answers that one call with an error.
    stubs.error("ds", "update_trust", "InvalidParameterException", "Selective authentication not supported")

    with pytest.raises(TrustError) as raised:
        _update(props, {**props, "SelectiveAuth": "Enabled"}, trust_id)

    assert str(raised.value) == (f"setting SelectiveAuth=Enabled on trust {trust_id} failed: "
                                 "InvalidParameterException: Selective authentication not supported")


def test_update_of_only_the_secret_changes_nothing(props, directory):
    _, created = _create(props)
    other = boto3.client("secretsmanager").create_secret(Name="rotated", SecretString="x")["ARN"]

    # No stub queued: a call to UpdateTrust or UpdateConditionalForwarder would fail against moto.
    assert _update(props, {**props, "PasswordSecretArn": other}, created["PhysicalResourceId"]) == created
    assert _trust(directory, created["PhysicalResourceId"]).trust_password == PASSWORD


@pytest.mark.parametrize("change", [
    {"RemoteDomainName": "emea.example.com"},
    {"RemoteDomainName": "emea.example.com", "TrustDirection": "One-Way: Incoming"},
], ids=["domain", "domain-and-direction"])
def test_update_of_the_remote_domain_creates_a_new_trust(props, directory, change):
    _, created = _create(props)
    old_id = created["PhysicalResourceId"]

    new_props = {**props, **change}
    updated = _update(props, new_props, old_id)
    # A new physical id: UpdateReplacePolicy Retain keeps the old trust (a stray Delete removes nothing);
    # the roster deletes it when its domain leaves the blueprint.
    on_event(cfn_event("Delete", props, physical_id=old_id), None)

    new_id = updated["PhysicalResourceId"]
    assert new_id != old_id
    assert sorted((t.trust_id, t.remote_domain_name) for t in _trusts(directory)) == sorted(
        [(old_id, DOMAIN), (new_id, "emea.example.com")])


@pytest.mark.parametrize(("change", "changed"), [
    ({"TrustDirection": "One-Way: Outgoing"}, "TrustDirection"),
    ({"TrustType": "External"}, "TrustType"),
    ({"TrustDirection": "One-Way: Incoming", "TrustType": "External"}, "TrustDirection and TrustType"),
], ids=["direction", "type", "both"])
def test_update_of_direction_or_type_fails_with_the_way_out(props, directory, change, changed):
    _, created = _create(props)

    with pytest.raises(TrustError) as raised:
        _update(props, {**props, **change}, created["PhysicalResourceId"])

    assert str(raised.value) == (
        f"changing {changed} of the trust from {directory} to {DOMAIN} requires a new trust, and AWS allows "
        "only one trust per remote domain, so it cannot be replaced in place: remove the trust from the "
        "blueprint and deploy (this deletes it), then add it back with the new settings and deploy again")
    assert len(_trusts(directory)) == 1


def test_update_recreates_a_trust_deleted_outside_cloudformation(props, directory):
    _, created = _create(props)
    boto3.client("ds").delete_trust(TrustId=created["PhysicalResourceId"])

    updated = _update(props, dict(props), created["PhysicalResourceId"])

    assert updated["PhysicalResourceId"] != created["PhysicalResourceId"]
    assert [t.trust_id for t in _trusts(directory)] == [updated["PhysicalResourceId"]]


# --- delete -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("physical_id", [
    None,  # the trust created by the fixture
    "t-0123456789",  # already deleted
    "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED",
    "",
], ids=["live-trust", "already-gone", "create-failed-marker", "empty"])
def test_delete_removes_nothing_and_calls_nothing(props, directory, monkeypatch, physical_id):
    # The resource is retained: a stack deletion never sends Delete, and a stray one must not remove the
    # trust. Only the roster (directory_roster.py) deletes a trust, when it leaves the blueprint.
    _, created = _create(props)
    physical_id = created["PhysicalResourceId"] if physical_id is None else physical_id
    event = cfn_event("Delete", props, physical_id=physical_id)

    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)
    results = on_event(event, None), is_complete(event, None)
    monkeypatch.undo()

    assert results == ({"PhysicalResourceId": physical_id}, {"IsComplete": True})
    assert [t.trust_id for t in _trusts(directory)] == [created["PhysicalResourceId"]]


# --- errors -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    ({"DirectoryId": "d-123"}, "DirectoryId 'd-123' is not a directory id; expected d- and 10 hex digits"),
    ({"RemoteDomainName": "corp"}, "RemoteDomainName 'corp' is not a fully qualified domain name"),
    ({"RemoteDomainName": None}, "property RemoteDomainName is required"),
    ({"TrustDirection": "Outgoing"}, "TrustDirection 'Outgoing' is not allowed; use one of "
                                     "'One-Way: Outgoing', 'One-Way: Incoming', 'Two-Way'"),
    ({"TrustDirection": ""}, "property TrustDirection is required"),
    ({"TrustType": "Realm"}, "TrustType 'Realm' is not allowed; use one of 'Forest', 'External'"),
    ({"SelectiveAuth": "yes"}, "SelectiveAuth 'yes' is not allowed; use one of 'Enabled', 'Disabled'"),
    ({"ConditionalForwarderIpAddrs": ["10.0.0.300"]}, "ConditionalForwarderIpAddrs: '10.0.0.300' is not an"),
    ({"ConditionalForwarderIpAddrs": ["fd00::53"]}, "'fd00::53' is not an IPv4 address"),
    ({"ConditionalForwarderIpAddrs": []}, "ConditionalForwarderIpAddrs needs at least one IPv4 address"),
    ({"PasswordSecretArn": "lz/trust/corp"}, "PasswordSecretArn 'lz/trust/corp' is not a Secrets Manager"),
], ids=["directory-id", "single-label-domain", "no-domain", "direction", "no-direction", "type",
        "selective-auth", "bad-ip", "ipv6", "no-forwarders", "secret-name-not-arn"])
def test_bad_properties_fail_clearly(props, change, message):
    with pytest.raises(TrustError, match=message):
        _create({**props, **change})


def test_properties_are_normalized(props, directory):
    raw = {**props, "TrustDirection": "two-way", "TrustType": None, "SelectiveAuth": "false",
           "ConditionalForwarderIpAddrs": " 192.168.1.10 ,192.168.1.10, 192.168.1.11"}

    _, result = _create(raw)

    trust = _trust(directory, result["PhysicalResourceId"])
    assert (trust.trust_direction, trust.trust_type) == ("Two-Way", "Forest")
    assert trust.selective_auth == "Disabled"
    assert trust.conditional_forwarder_ip_addrs == ["192.168.1.10", "192.168.1.11"]


def test_unknown_directory_fails_clearly(props):
    with pytest.raises(TrustError, match="directory d-0000000000 does not exist in this account and region"):
        _create({**props, "DirectoryId": "d-0000000000"})


@pytest.mark.parametrize(("secret", "message"), [
    (None, r"reading the trust password from arn:.*:secret:missing failed: ResourceNotFoundException"),
    (json.dumps({"user": "admin"}), 'is a JSON object without a non-empty "password" string'),
    (json.dumps({"password": ""}), 'is a JSON object without a non-empty "password" string'),
    ("x" * 129, "is longer than 128 characters, the AWS limit"),
    (b"binary", "has no SecretString; store the trust password as text"),
], ids=["missing", "json-without-password", "json-empty-password", "too-long", "binary"])
def test_unusable_secret_fails_clearly(props, directory, secret, message):
    sm = boto3.client("secretsmanager")
    if secret is None:
        arn = f"arn:aws:secretsmanager:{REGION}:{DEFAULT_ACCOUNT_ID}:secret:missing"
    elif isinstance(secret, bytes):
        arn = sm.create_secret(Name="bin", SecretBinary=secret)["ARN"]
    else:
        arn = sm.create_secret(Name="bad", SecretString=secret)["ARN"]

    with pytest.raises(TrustError, match=message):
        _create({**props, "PasswordSecretArn": arn})
    assert _trusts(directory) == []


def test_create_trust_error_never_echoes_the_password(props, directory, stubs):
    # Stubber plays a service that echoes the password in its error text (moto redacts it).
    stubs.error("ds", "create_trust", "InvalidParameterException", f"Invalid TrustPassword {PASSWORD}")

    with pytest.raises(TrustError) as raised:
        _create(props)

    assert str(raised.value) == (f"creating the trust from {directory} to {DOMAIN} failed: "
                                 "InvalidParameterException: Invalid TrustPassword ***")
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


# --- the secret stays secret --------------------------------------------------------------------------

def test_the_password_appears_in_no_log_record_result_or_error(props, directory, caplog, stubs):
    json_arn = boto3.client("secretsmanager").create_secret(
        Name="json", SecretString=json.dumps({"password": PASSWORD}))["ARN"]
    caplog.clear()  # from here on, only the handler runs
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="botocore")  # even if someone turns SDK wire logging on
    outputs: list = []

    for arn in (props["PasswordSecretArn"], json_arn):
        created_event = cfn_event("Create", {**props, "PasswordSecretArn": arn})
        created = on_event(created_event, None)
        trust_id = created["PhysicalResourceId"]
        outputs += [created, is_complete(is_complete_event(created_event, created), None)]
        _set_state(directory, trust_id, "Verified")
        outputs += [is_complete(is_complete_event(created_event, created), None),
                    on_event(created_event, None)]  # a repeated Create reuses the trust
        assert _trust(directory, trust_id).trust_password == PASSWORD  # the password did reach AWS
        deleted_event = cfn_event("Delete", props, physical_id=trust_id)
        deleted = on_event(deleted_event, None)
        outputs += [deleted, is_complete(is_complete_event(deleted_event, deleted), None)]
        _trusts(directory).clear()  # as the roster would, so that the next Create creates again
    stubs.error("ds", "create_trust", "InvalidParameterException", f"bad {PASSWORD}")
    with pytest.raises(TrustError) as raised:
        on_event(cfn_event("Create", props), None)
    outputs.append(str(raised.value))

    texts = [record.getMessage() for record in caplog.records]
    assert any("created trust" in text for text in texts), "the handler's own logs were not captured"
    assert not [text for text in texts if PASSWORD in text]
    assert PASSWORD not in repr(outputs)


# --- the directory's own security group (TrustPorts) ----------------------------------------------------
# moto 5.2.5's create_microsoft_ad creates the controllers' security group in its EC2 backend and
# describe_directories returns it as VpcSettings.SecurityGroupId: no Stubber is needed for it.

PORTS = ["tcp:53", "udp:53", "tcp:88", "tcp:3268-3269", "tcp:49152-65535", "icmp"]


def _group(directory_id: str) -> tuple[str, dict]:
    group_id = boto3.client("ds").describe_directories(DirectoryIds=[directory_id])[
        "DirectoryDescriptions"][0]["VpcSettings"]["SecurityGroupId"]
    return group_id, boto3.client("ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]


def _trust_rules(group: dict, key: str) -> set[tuple]:
    return {(p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), r["CidrIp"])
            for p in group[key] for r in p.get("IpRanges", []) if r["CidrIp"].startswith("192.168.")}


def _wanted(*ips: str) -> set[tuple]:
    ports = {("tcp", 53, 53), ("udp", 53, 53), ("tcp", 88, 88), ("tcp", 3268, 3269), ("tcp", 49152, 65535),
             ("icmp", -1, -1)}
    return {(*port, f"{ip}/32") for ip in ips for port in ports}


def test_create_opens_the_trust_ports_in_the_directorys_security_group(props, directory):
    _create({**props, "TrustPorts": PORTS})

    _, group = _group(directory)
    wanted = _wanted("192.168.1.10", "192.168.1.11")
    assert _trust_rules(group, "IpPermissions") == wanted
    assert _trust_rules(group, "IpPermissionsEgress") == wanted
    descriptions = {r.get("Description") for p in group["IpPermissions"] for r in p.get("IpRanges", [])}
    assert f"trust {DOMAIN} tcp 3268-3269" in descriptions


def test_security_group_rules_are_idempotent(props, directory):
    group_id, _ = _group(directory)
    # One rule already there (another trust to the same servers, or an earlier attempt).
    boto3.client("ec2").authorize_security_group_ingress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 88, "ToPort": 88, "IpRanges": [{"CidrIp": "192.168.1.10/32"}]}])

    _create({**props, "TrustPorts": PORTS})
    _create({**props, "TrustPorts": PORTS})   # a repeated Create adds nothing and does not fail

    _, group = _group(directory)
    assert _trust_rules(group, "IpPermissions") == _wanted("192.168.1.10", "192.168.1.11")


def test_a_rule_added_meanwhile_falls_back_to_one_rule_at_a_time(props, directory, stubs):
    # The batch call loses a race (InvalidPermission.Duplicate): Stubber answers it, moto the rest.
    stubs.error("ec2", "authorize_security_group_ingress", "InvalidPermission.Duplicate",
                "the specified rule already exists")

    _create({**props, "TrustPorts": PORTS})

    _, group = _group(directory)
    assert _trust_rules(group, "IpPermissions") == _wanted("192.168.1.10", "192.168.1.11")


def test_update_opens_the_ports_to_a_new_forwarder(props, directory, stubs):
    props = {**props, "TrustPorts": PORTS}
    _, created = _create(props)
    stubs.response("ds", "update_conditional_forwarder", {})   # moto 5.2.5 lacks it

    _update(props, {**props, "ConditionalForwarderIpAddrs": ["192.168.1.10", "192.168.1.12"]},
            created["PhysicalResourceId"])

    _, group = _group(directory)
    # Added, never removed: 192.168.1.11 may serve another trust of the directory.
    assert _trust_rules(group, "IpPermissions") == _wanted("192.168.1.10", "192.168.1.11", "192.168.1.12")


def test_other_security_group_errors_fail_clearly(props, directory, stubs):
    stubs.error("ec2", "authorize_security_group_egress", "UnauthorizedOperation", "not allowed")

    with pytest.raises(TrustError, match=r"allowing trust traffic \(egress\) in security group sg-\w+ of "
                                         rf"directory {directory} failed: UnauthorizedOperation"):
        _create({**props, "TrustPorts": PORTS})
    assert _trusts(directory) == []   # no trust without its network path


@pytest.mark.parametrize("ports", [["tcp:0"], ["tcp:70000"], ["gre:47"], ["tcp:90-80"]])
def test_bad_trust_ports_fail_clearly(props, ports):
    with pytest.raises(TrustError, match="TrustPorts"):
        ad_trust.parse_properties({**props, "TrustPorts": ports})
