"""Custom resource: an AWS Managed Microsoft AD trust to a remote domain (create, update, delete, wait)."""
from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

# The SDK logs request parameters and response bodies at DEBUG (botocore.endpoint, botocore.parsers,
# botocore.hooks, urllib3.connectionpool, boto3.resources, ...), which would include the trust
# password (CreateTrust request) and the secret (GetSecretValue response). Every SDK logger, children
# included, stays at WARNING whatever the function's log level is.
SDK_LOGGERS = ("boto3", "botocore", "urllib3", "s3transfer")

DIRECTIONS = ("One-Way: Outgoing", "One-Way: Incoming", "Two-Way")
TRUST_TYPES = ("Forest", "External")
SELECTIVE_AUTH = ("Enabled", "Disabled")
# AWS verifies every new or updated trust: Creating -> Created -> Verifying -> Verified (or
# VerifyFailed, e.g. when the remote side has no matching trust), Updating -> Updated -> Verifying ->
# Verified. Only Verified means the trust works; Created and Updated are on the way there.
DONE_STATES = {"Verified"}
WAIT_STATES = {"Creating", "Created", "Verifying", "Updating", "Updated"}
FAILED_STATES = {"Failed", "VerifyFailed", "UpdateFailed"}
GONE_STATES = {"Deleting", "Deleted"}

DIRECTORY_ID = re.compile(r"^d-[0-9a-f]{10}$")
TRUST_ID = re.compile(r"^t-[0-9a-f]{10}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9-]{2,63}$")
SECRET_ARN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$")


class TrustError(RuntimeError):
    """The trust could not be created, updated or deleted; the message says why and what to do."""


@dataclass(frozen=True)
class TrustSpec:
    """The trust as the resource properties describe it, validated and normalized."""

    directory_id: str
    remote_domain_name: str
    direction: str
    trust_type: str
    forwarders: tuple[str, ...]
    selective_auth: str
    password_secret_arn: str
    ports: tuple[tuple[str, int, int], ...] = ()   # (protocol, from, to): opened to/from the forwarders

    @property
    def domain_key(self) -> str:
        return self.remote_domain_name.lower()


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create or update the trust; is_complete waits until AWS has verified it. Delete removes nothing.

    Properties: DirectoryId, RemoteDomainName, TrustDirection ("One-Way: Outgoing" | "One-Way: Incoming"
    | "Two-Way"), TrustType ("Forest" default | "External"), ConditionalForwarderIpAddrs (IPv4 list, at
    least one), SelectiveAuth ("Enabled" | "Disabled" default), PasswordSecretArn (a Secrets Manager
    secret holding the password as a plain string or as JSON {"password": ...}), TrustPorts (optional:
    "tcp:53", "tcp:3268-3269", "icmp", ...; the ports AWS documents for trusts).
    PhysicalResourceId: the trust id.

    Create and Update first make sure the directory's own security group (the one AWS created for its
    domain controllers; CloudFormation does not expose it) allows TrustPorts in and out to every
    conditional forwarder address (/32). Rules are only added, never removed: another trust of the
    same directory may use the same servers.

    Update: new forwarder IPs -> UpdateConditionalForwarder; SelectiveAuth -> UpdateTrust; a new
    DirectoryId or RemoteDomainName -> a new trust (new physical id; the old one is retained, like the
    resource: UpdateReplacePolicy Retain); a new TrustDirection or TrustType for the same directory and
    domain -> error, because AWS allows one trust per remote domain so it cannot be replaced in place.
    PasswordSecretArn is only read when a trust is created.

    Delete: nothing. The resource is retained (DeletionPolicy Retain), so a stack deletion never sends
    it; a trust goes only when it leaves the blueprint, and then the directory roster
    (directory_roster.py) deletes it. Answering a stray Delete by deleting would break that rule.
    """
    _quiet_sdk_loggers()
    request = event.get("RequestType")
    LOG.info("%s %s (physical id %s)", request, event.get("LogicalResourceId"),
             event.get("PhysicalResourceId"))
    if request == "Delete":
        LOG.info("trust %s retained: a trust is deleted only when it leaves the blueprint (directory "
                 "roster)", event.get("PhysicalResourceId"))
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or "")}
    if request not in ("Create", "Update"):
        raise TrustError(f"unknown RequestType {request!r}; expected Create, Update or Delete")
    ds = boto3.client("ds")
    spec = parse_properties(event.get("ResourceProperties") or {})
    LOG.info("trust %s -> %s, %s, %s, selective auth %s, forwarders %s", spec.directory_id,
             spec.remote_domain_name, spec.direction, spec.trust_type, spec.selective_auth,
             ", ".join(spec.forwarders))
    if spec.ports:
        _allow_trust_traffic(ds, spec)
    trust_id = _create(ds, spec) if request == "Create" else _update(ds, event, spec)
    return {"PhysicalResourceId": trust_id, "Data": {"TrustId": trust_id}}


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Create/Update: wait for Verified, fail with AWS's TrustStateReason on a failed state. The
    provider's waiter bounds the wait (CloudFormation allows a custom resource one hour)."""
    _quiet_sdk_loggers()
    if event.get("RequestType") == "Delete":
        return {"IsComplete": True}
    trust_id = str(event.get("PhysicalResourceId") or "")
    directory_id = str((event.get("ResourceProperties") or {}).get("DirectoryId") or "").strip()
    ds = boto3.client("ds")
    trust = _describe_trust(ds, directory_id, trust_id)
    if trust is None:
        raise TrustError(f"trust {trust_id} of directory {directory_id} does not exist any more; it was "
                         "deleted outside CloudFormation: deploy again to create it")
    state, reason = trust.get("TrustState"), trust.get("TrustStateReason") or "no reason given"
    domain = trust.get("RemoteDomainName")
    LOG.info("trust %s to %s: %s", trust_id, domain, state)
    if state in DONE_STATES:
        return {"IsComplete": True, "Data": {"TrustId": trust_id}}
    if state in FAILED_STATES or state in GONE_STATES:
        raise TrustError(
            f"trust {trust_id} from directory {directory_id} to {domain} is {state}: {reason}. "
            "Check that the remote domain has a matching trust (same password, opposite direction), that "
            "the conditional forwarder IPs answer DNS for the remote domain, and that the directory's "
            "security group and the network allow traffic to the remote domain controllers")
    if state not in WAIT_STATES:
        LOG.warning("trust %s is in unexpected state %r; waiting", trust_id, state)
    return {"IsComplete": False}


def parse_properties(props: dict[str, Any]) -> TrustSpec:
    """Validate and normalize the resource properties (all strings from CloudFormation)."""
    directory_id = _text(props, "DirectoryId")
    if not DIRECTORY_ID.match(directory_id):
        raise TrustError(f"DirectoryId {directory_id!r} is not a directory id; expected d- and 10 hex digits")
    domain = _text(props, "RemoteDomainName").rstrip(".")
    if not DOMAIN.match(domain):
        raise TrustError(f"RemoteDomainName {domain!r} is not a fully qualified domain name, "
                         "e.g. corp.example.com")
    direction = _choice(props, "TrustDirection", DIRECTIONS, None)
    trust_type = _choice(props, "TrustType", TRUST_TYPES, "Forest")
    selective = str(props.get("SelectiveAuth") or "Disabled").strip()
    selective = {"true": "Enabled", "false": "Disabled"}.get(selective.lower(), selective)
    selective = _choice({"SelectiveAuth": selective}, "SelectiveAuth", SELECTIVE_AUTH, "Disabled")
    secret_arn = _text(props, "PasswordSecretArn")
    if not SECRET_ARN.match(secret_arn):
        raise TrustError(f"PasswordSecretArn {secret_arn!r} is not a Secrets Manager secret ARN "
                         "(arn:aws:secretsmanager:<region>:<account>:secret:<name>)")
    return TrustSpec(directory_id, domain, direction, trust_type, _forwarders(props), selective, secret_arn,
                     _ports(props))


PORT = re.compile(r"^(tcp|udp):(\d{1,5})(?:-(\d{1,5}))?$|^icmp$")


def _ports(props: dict[str, Any]) -> tuple[tuple[str, int, int], ...]:
    """TrustPorts: "tcp:53", "udp:49152-65535" or "icmp" (all ICMP types)."""
    raw = props.get("TrustPorts") or []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    ports: list[tuple[str, int, int]] = []
    for item in (str(i).strip().lower() for i in items):
        if not item:
            continue
        match = PORT.match(item)
        if match is None:
            raise TrustError(f"TrustPorts: {item!r} is not a port; expected tcp:<port>, udp:<from>-<to> or icmp")
        if item == "icmp":
            port = ("icmp", -1, -1)
        else:
            low = int(match.group(2))
            high = int(match.group(3) or low)
            if not 0 < low <= high <= 65535:
                raise TrustError(f"TrustPorts: {item!r} is not a port range within 1-65535")
            port = (match.group(1), low, high)
        if port not in ports:
            ports.append(port)
    return tuple(ports)


def _text(props: dict[str, Any], name: str) -> str:
    value = props.get(name)
    if value is None or not str(value).strip():
        raise TrustError(f"property {name} is required")
    return str(value).strip()


def _choice(props: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None) -> str:
    value = props.get(name)
    if value is None or not str(value).strip():
        if default is None:
            raise TrustError(f"property {name} is required; use one of {', '.join(map(repr, allowed))}")
        return default
    match = next((a for a in allowed if a.lower() == str(value).strip().lower()), None)
    if match is None:
        raise TrustError(f"{name} {value!r} is not allowed; use one of {', '.join(map(repr, allowed))}")
    return match


def _forwarders(props: dict[str, Any]) -> tuple[str, ...]:
    raw = props.get("ConditionalForwarderIpAddrs") or []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    addresses: list[str] = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            address = str(ipaddress.IPv4Address(item))
        except ValueError:
            raise TrustError(f"ConditionalForwarderIpAddrs: {item!r} is not an IPv4 address") from None
        if address not in addresses:
            addresses.append(address)  # order kept: DNS servers are tried in this order
    if not addresses:
        raise TrustError("ConditionalForwarderIpAddrs needs at least one IPv4 address of a DNS server of "
                         "the remote domain: the directory resolves the remote domain through them")
    return tuple(addresses)


def _create(ds: Any, spec: TrustSpec) -> str:
    existing = _find_trust(ds, spec)
    if existing is not None:
        return _adopt(ds, existing, spec)
    password = _trust_password(spec.password_secret_arn)
    try:
        response = ds.create_trust(
            DirectoryId=spec.directory_id,
            RemoteDomainName=spec.remote_domain_name,
            TrustPassword=password,
            TrustDirection=spec.direction,
            TrustType=spec.trust_type,
            ConditionalForwarderIpAddrs=list(spec.forwarders),
            SelectiveAuth=spec.selective_auth,
        )
    except (ClientError, BotoCoreError) as exc:
        # `from None`: the original exception's text is not shown; the scrubbed one is.
        message = _error_text(exc).replace(password, "***")
        raise TrustError(f"creating the trust from {spec.directory_id} to {spec.remote_domain_name} "
                         f"failed: {message}") from None
    trust_id = response["TrustId"]
    LOG.info("created trust %s from %s to %s", trust_id, spec.directory_id, spec.remote_domain_name)
    return trust_id


def _adopt(ds: Any, trust: dict[str, Any], spec: TrustSpec) -> str:
    """Reuse a trust that already exists for the remote domain (a retried or repeated Create)."""
    trust_id, state = trust["TrustId"], trust.get("TrustState")
    if state in FAILED_STATES:
        raise TrustError(
            f"a trust from {spec.directory_id} to {spec.remote_domain_name} already exists ({trust_id}) in "
            f"state {state}: {trust.get('TrustStateReason') or 'no reason given'}; delete it "
            f"(aws ds delete-trust --trust-id {trust_id} --delete-associated-conditional-forwarder), fix "
            "the cause, and deploy again")
    compared = (("TrustDirection", trust.get("TrustDirection"), spec.direction),
                ("TrustType", trust.get("TrustType") or "Forest", spec.trust_type))
    differences = [f"{name} is {have!r}, the blueprint wants {want!r}"
                   for name, have, want in compared if have != want]
    if differences:
        raise TrustError(
            f"a trust from {spec.directory_id} to {spec.remote_domain_name} already exists ({trust_id}) but "
            f"{'; '.join(differences)}; AWS allows one trust per remote domain: change the blueprint to "
            f"match, or delete the trust (aws ds delete-trust --trust-id {trust_id}) and deploy again")
    LOG.info("trust %s to %s already exists (%s); reusing it", trust_id, spec.remote_domain_name, state)
    if trust.get("SelectiveAuth") and trust["SelectiveAuth"] != spec.selective_auth:
        _update_selective_auth(ds, trust_id, spec.selective_auth)
    return trust_id


def _update(ds: Any, event: dict[str, Any], spec: TrustSpec) -> str:
    try:
        old = parse_properties(event.get("OldResourceProperties") or {})
    except TrustError as exc:
        raise TrustError(f"the previous properties of the trust are not readable: {exc}") from exc
    trust_id = str(event.get("PhysicalResourceId") or "")
    if (spec.directory_id, spec.domain_key) != (old.directory_id, old.domain_key):
        LOG.info("directory or remote domain changed (%s -> %s, %s -> %s): creating a new trust; %s is "
                 "retained (the roster deletes a trust whose domain leaves the blueprint)", old.directory_id,
                 spec.directory_id, old.remote_domain_name, spec.remote_domain_name, trust_id)
        return _create(ds, spec)
    changed = [name for name, a, b in (("TrustDirection", old.direction, spec.direction),
                                        ("TrustType", old.trust_type, spec.trust_type)) if a != b]
    if changed:
        raise TrustError(
            f"changing {' and '.join(changed)} of the trust from {spec.directory_id} to "
            f"{spec.remote_domain_name} requires a new trust, and AWS allows only one trust per remote "
            "domain, so it cannot be replaced in place: remove the trust from the blueprint and deploy "
            "(this deletes it), then add it back with the new settings and deploy again")

    trust = _describe_trust(ds, spec.directory_id, trust_id) if TRUST_ID.match(trust_id) else None
    if trust is None or trust.get("TrustState") in GONE_STATES:
        LOG.warning("trust %s is gone (deleted outside CloudFormation); creating it again", trust_id)
        return _create(ds, spec)
    if spec.forwarders != old.forwarders:
        try:
            ds.update_conditional_forwarder(DirectoryId=spec.directory_id,
                                            RemoteDomainName=spec.remote_domain_name,
                                            DnsIpAddrs=list(spec.forwarders))
        except (ClientError, BotoCoreError) as exc:
            raise TrustError(f"updating the conditional forwarder of {spec.directory_id} for "
                             f"{spec.remote_domain_name} failed: {_error_text(exc)}") from exc
        LOG.info("conditional forwarder for %s now %s", spec.remote_domain_name, ", ".join(spec.forwarders))
    if (trust.get("SelectiveAuth") or old.selective_auth) != spec.selective_auth:
        _update_selective_auth(ds, trust_id, spec.selective_auth)
    if spec.password_secret_arn != old.password_secret_arn:
        LOG.info("PasswordSecretArn changed: the password is only used when a trust is created; "
                 "nothing to do for %s", trust_id)
    return trust_id


def _update_selective_auth(ds: Any, trust_id: str, selective_auth: str) -> None:
    try:
        ds.update_trust(TrustId=trust_id, SelectiveAuth=selective_auth)
    except (ClientError, BotoCoreError) as exc:
        raise TrustError(f"setting SelectiveAuth={selective_auth} on trust {trust_id} failed: "
                         f"{_error_text(exc)}") from exc
    LOG.info("trust %s: SelectiveAuth set to %s", trust_id, selective_auth)


def _allow_trust_traffic(ds: Any, spec: TrustSpec) -> None:
    """Open spec.ports in and out between the directory's security group and each forwarder (/32)."""
    try:
        found = ds.describe_directories(DirectoryIds=[spec.directory_id]).get("DirectoryDescriptions", [])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityDoesNotExistException":
            raise TrustError(f"directory {spec.directory_id} does not exist in this account and region; "
                             "check the DirectoryId") from exc
        raise TrustError(f"describing directory {spec.directory_id} failed: {_error_text(exc)}") from exc
    group_id = ((found[0].get("VpcSettings") or {}).get("SecurityGroupId") if found else None)
    if not group_id:
        raise TrustError(f"directory {spec.directory_id} reports no security group (VpcSettings."
                         "SecurityGroupId); it must be an AWS Managed Microsoft AD in a VPC")
    ec2 = boto3.client("ec2")
    wanted = [(protocol, low, high, f"{ip}/32") for ip in spec.forwarders for protocol, low, high in spec.ports]
    try:
        groups = ec2.describe_security_groups(GroupIds=[group_id]).get("SecurityGroups") or [{}]
    except (ClientError, BotoCoreError) as exc:
        raise TrustError(f"describing security group {group_id} of directory {spec.directory_id} "
                         f"failed: {_error_text(exc)}") from exc
    group = groups[0]
    for direction, key, call in (("ingress", "IpPermissions", ec2.authorize_security_group_ingress),
                                 ("egress", "IpPermissionsEgress", ec2.authorize_security_group_egress)):
        have = _rules(group.get(key) or [])
        missing = [rule for rule in wanted if rule not in have]
        if not missing:
            continue
        permissions = [_permission(rule, spec.remote_domain_name) for rule in missing]
        try:
            call(GroupId=group_id, IpPermissions=permissions)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "InvalidPermission.Duplicate":
                raise TrustError(f"allowing trust traffic ({direction}) in security group {group_id} of "
                                 f"directory {spec.directory_id} failed: {_error_text(exc)}") from exc
            # Added meanwhile by someone else: one rule at a time, skipping those that exist.
            for permission in permissions:
                try:
                    call(GroupId=group_id, IpPermissions=[permission])
                except ClientError as inner:
                    if inner.response.get("Error", {}).get("Code") != "InvalidPermission.Duplicate":
                        raise TrustError(f"allowing trust traffic ({direction}) in security group "
                                         f"{group_id} failed: {_error_text(inner)}") from inner
        except BotoCoreError as exc:
            raise TrustError(f"allowing trust traffic ({direction}) in security group {group_id} "
                             f"failed: {exc}") from exc
        LOG.info("security group %s of %s: %d %s rules added for %s", group_id, spec.directory_id,
                 len(missing), direction, spec.remote_domain_name)


def _rules(permissions: list[dict[str, Any]]) -> set[tuple[str, int, int, str]]:
    """Existing rules as (protocol, from, to, cidr); protocol numbers named as the plan names them."""
    names = {"6": "tcp", "17": "udp", "1": "icmp"}
    out = set()
    for permission in permissions:
        protocol = str(permission.get("IpProtocol"))
        protocol = names.get(protocol, protocol)
        low, high = permission.get("FromPort", -1), permission.get("ToPort", -1)
        for ip_range in permission.get("IpRanges") or []:
            out.add((protocol, int(low), int(high), ip_range.get("CidrIp")))
    return out


def _permission(rule: tuple[str, int, int, str], domain: str) -> dict[str, Any]:
    protocol, low, high, cidr = rule
    label = "icmp" if protocol == "icmp" else f"{protocol} {low}" + (f"-{high}" if high != low else "")
    return {"IpProtocol": protocol, "FromPort": low, "ToPort": high,
            "IpRanges": [{"CidrIp": cidr, "Description": f"trust {domain} {label}"}]}


def _find_trust(ds: Any, spec: TrustSpec) -> dict[str, Any] | None:
    """The directory's live (not deleting) trust to the remote domain, if any."""
    try:
        for page in ds.get_paginator("describe_trusts").paginate(DirectoryId=spec.directory_id):
            for trust in page.get("Trusts", []):
                name = str(trust.get("RemoteDomainName") or "").rstrip(".").lower()
                if name == spec.domain_key and trust.get("TrustState") not in GONE_STATES:
                    return trust
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityDoesNotExistException":
            raise TrustError(f"directory {spec.directory_id} does not exist in this account and region; "
                             "check the DirectoryId") from exc
        raise TrustError(f"listing the trusts of {spec.directory_id} failed: {_error_text(exc)}") from exc
    return None


def _describe_trust(ds: Any, directory_id: str, trust_id: str) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {"TrustIds": [trust_id]}
    if DIRECTORY_ID.match(directory_id):
        kwargs["DirectoryId"] = directory_id
    try:
        trusts = ds.describe_trusts(**kwargs).get("Trusts", [])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityDoesNotExistException":
            return None
        raise TrustError(f"describing trust {trust_id} failed: {_error_text(exc)}") from exc
    return next((t for t in trusts if t.get("TrustId") == trust_id), None)


def _trust_password(secret_arn: str) -> str:
    """The trust password from Secrets Manager; never logged, never returned in Data."""
    region = SECRET_ARN.match(secret_arn).group(1)  # type: ignore[union-attr]
    try:
        secret = boto3.client("secretsmanager", region_name=region).get_secret_value(SecretId=secret_arn)
    except ClientError as exc:
        raise TrustError(f"reading the trust password from {secret_arn} failed: {_error_text(exc)}; the "
                         "handler needs secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)"
                         ) from exc
    text = secret.get("SecretString")
    if not isinstance(text, str) or not text:
        raise TrustError(f"secret {secret_arn} has no SecretString; store the trust password as text or as "
                         'JSON {"password": "..."}')
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    password = parsed.get("password") if isinstance(parsed, dict) else text
    if not isinstance(password, str) or not password:
        raise TrustError(f'secret {secret_arn} is a JSON object without a non-empty "password" string')
    if len(password) > 128:
        raise TrustError(f"the trust password in {secret_arn} is longer than 128 characters, the AWS limit")
    return password


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    return str(exc)


def _quiet_sdk_loggers() -> None:
    names = set(SDK_LOGGERS) | {name for name in list(logging.Logger.manager.loggerDict)
                                if name.split(".", 1)[0] in SDK_LOGGERS}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET (0) included: it would inherit an ancestor's level
            logger.setLevel(logging.WARNING)
