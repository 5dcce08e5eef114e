"""Directory component: the identity account's directory (`<name>-directory-<region>`).

- AWS Managed Microsoft AD (Standard or Enterprise) with its admin password generated in Secrets
  Manager and passed only as a dynamic reference; trusts, region replication (Enterprise) and
  sharing through custom resources (CloudFormation has no resources for them).
- Simple AD (native resource) and AD Connector (custom resource; the service account is read from
  Secrets Manager by the handler).

The directory's VPC and subnets belong to the network stack of the same account and region, which
exports their ids under names derived from the blueprint, VPC and subnet names (exported whether
used or not); the directory stack imports them and depends on that stack. A replica region's VPC
and subnets are exported the same way by the network stack of that region: the replication handler
resolves those export names in the replica region at deploy time.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model.identity import Directory
from landing_zone.blueprint.model.network import Vpc
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.model import Pending, Plan, Tags
from landing_zone.plan.names import logical_id, stack_name
from landing_zone.plan.network import SHARING_COMPONENT
from landing_zone.plan.shared import (
    PROVIDER_RESOURCES,
    WAITING_PROVIDER_RESOURCES,
    key_arn_for,
    keys_stack_for,
    partition,
)
from landing_zone.plan.shares import SharePlan as RamSharePlan
from landing_zone.plan.shares import resolve_principals
from landing_zone.plan.targets import Tree
from landing_zone.plan.vpcs import ResolverEndpointPlan, subnet_export_name, vpc_export_name

COMPONENT = "directory"
NETWORK_COMPONENT = "network"


# Ports AWS documents for trusts with a self-managed domain ("Prerequisites for creating a trust"):
# (protocol, from, to); ICMP all types.
TRUST_PORTS: tuple[tuple[str, int, int], ...] = (
    ("tcp", 53, 53), ("udp", 53, 53),          # DNS
    ("tcp", 88, 88), ("udp", 88, 88),          # Kerberos
    ("udp", 123, 123),                         # NTP
    ("tcp", 135, 135),                         # RPC endpoint mapper
    ("udp", 138, 138),                         # NetBIOS datagram (DFSN, NetLogon)
    ("tcp", 389, 389), ("udp", 389, 389),      # LDAP
    ("tcp", 445, 445),                         # SMB
    ("tcp", 464, 464), ("udp", 464, 464),      # Kerberos password change
    ("tcp", 636, 636),                         # LDAPS
    ("tcp", 3268, 3269),                       # global catalog
    ("tcp", 9389, 9389),                       # AD web services
    ("tcp", 49152, 65535),                     # RPC dynamic ports
    ("icmp", -1, -1),
)


@dataclass(frozen=True)
class NetworkRef:
    """A VPC and two subnets, by the export names of the network stack that owns them."""

    vpc: str
    vpc_export: str
    subnet_exports: tuple[str, str]


@dataclass(frozen=True)
class TrustPlan:
    remote_domain: str
    logical_id: str
    direction: str
    trust_type: str
    forwarders: tuple[str, ...]
    selective_auth: Literal["Enabled", "Disabled"]
    secret_name: str
    secret_arn: str             # partial ARN (no random suffix): what the handler reads
    secret_arn_pattern: str     # `<partial ARN>-??????` for the handler's IAM policy


@dataclass(frozen=True)
class ReplicaPlan:
    region: str
    logical_id: str
    network: NetworkRef


@dataclass(frozen=True)
class SharePlan:
    logical_id: str
    account_ids: tuple[str, ...]        # sorted; ShareDirectory targets accounts only


@dataclass(frozen=True)
class RosterPlan:
    """What the blueprint wants the directory to have, for the removal rule: every trust, replica
    and share resource is retained (a stack deletion or a resource leaving the template removes
    nothing), and this one resource, also retained, removes on Update whatever leaves a list."""

    logical_id: str
    trusts: tuple[str, ...]             # remote domains, lower case, sorted
    regions: tuple[str, ...]            # replica regions, sorted
    accounts: tuple[str, ...]           # share consumer account ids, sorted


@dataclass(frozen=True)
class DnsPlan:
    """Item 5: a Route 53 Resolver rule forwarding the directory's domain to its DNS addresses
    (the directory's DnsIpAddresses, known at deploy time), through an outbound endpoint in the
    directory's subnets, shared through RAM with the directory's share_with targets. The directory's
    own VPC is not associated: the rule is for the VPCs of the accounts it is shared with."""

    endpoint: ResolverEndpointPlan      # subnets: the directory's two; egress: the VPC CIDR on 53
    rule_name: str
    rule_logical_id: str
    share: RamSharePlan | None          # None while no target has an id yet (pending)
    tags: Tags


@dataclass(frozen=True)
class DirectoryPayload:
    kind: Literal["microsoft-ad", "simple", "connector"]
    prefix: str                 # names functions, the secret and the security group
    logical_id: str
    domain: str
    short_name: str
    edition: Literal["Standard", "Enterprise"]
    size: Literal["Small", "Large"]
    network: NetworkRef
    admin_secret_name: str | None      # generated admin password (Managed AD, Simple AD)
    admin_secret_key_arn: str | None   # a blueprint key serving secretsmanager (alias ARN); None: default key
    connector_secret_name: str | None  # service account (AD Connector)
    connector_secret_arn: str | None
    connector_secret_arn_pattern: str | None
    dns_ips: tuple[str, ...]           # AD Connector: on-premises DNS servers
    trusts: tuple[TrustPlan, ...]
    trust_peers: tuple[str, ...]       # /32 CIDRs of the trusts' forwarders (the trust handler opens
                                       # trust_ports to them in the directory's own security group)
    trust_ports: tuple[tuple[str, int, int], ...]
    replicas: tuple[ReplicaPlan, ...]
    share: SharePlan | None
    tags: Tags
    dns: DnsPlan | None = None
    roster: RosterPlan | None = None   # Managed AD only


def plan_directory(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    result = ComponentResult()
    bp = loaded.model
    directory = bp.identity.directory
    if directory is None:
        return result
    member = plan.account(directory.account)
    account_id = member.id or "000000000000"
    arn = f"arn:{partition(directory.region)}:secretsmanager:{directory.region}:{account_id}:secret:"
    prefix = f"{plan.name}-directory"
    vpcs = {v.name: v for v in bp.network.vpcs}
    network_component = (NETWORK_COMPONENT if member.role == "network"
                         else f"{NETWORK_COMPONENT}-{member.key}")

    def ref(vpc_name: str, subnets: list[str]) -> NetworkRef:
        # Sorted: the subnets reach VpcSettings.SubnetIds (create-only: a new order would replace the
        # directory) and a replica's SubnetExportNames, so the blueprint's order must never show.
        return NetworkRef(vpc=vpc_name, vpc_export=vpc_export_name(plan.name, vpc_name),
                          subnet_exports=tuple(subnet_export_name(plan.name, vpc_name, s)
                                               for s in sorted(subnets[:2])))  # type: ignore[arg-type]

    depends = {stack_name(plan.name, network_component, directory.region)}
    replicas = []
    if directory.type == "microsoft-ad" and directory.edition == "Enterprise":
        for replica in sorted(directory.replicate_to, key=lambda r: r.region):
            vpc_name, subnets = _replica_placement(directory, replica.region, replica.vpc, replica.subnets,
                                                   list(vpcs.values()))
            replicas.append(ReplicaPlan(region=replica.region, logical_id=logical_id("Replica", replica.region),
                                        network=ref(vpc_name, subnets)))
            depends.add(stack_name(plan.name, network_component, replica.region))

    trusts = tuple(TrustPlan(
        remote_domain=t.remote_domain.rstrip("."), logical_id=logical_id("Trust", t.remote_domain.rstrip(".").lower()),
        direction=t.direction, trust_type=t.type, forwarders=tuple(t.conditional_forwarder_ips),
        selective_auth="Enabled" if t.selective_authentication else "Disabled",
        secret_name=t.password_secret, secret_arn=f"{arn}{t.password_secret}",
        secret_arn_pattern=f"{arn}{t.password_secret}-??????")
        for t in sorted(directory.trusts, key=lambda t: t.remote_domain.lower()))
    peers = tuple(sorted({f"{ip}/{ipaddress.ip_address(ip).max_prefixlen}"
                          for t in trusts for ip in t.forwarders}))

    share = None
    if directory.type == "microsoft-ad" and directory.share_with and not directory.share_with.is_empty():
        tree = Tree(bp)
        ids = {a.name: a.id for a in plan.accounts}
        names = sorted({a for target in tree.of(directory.share_with) for a in tree.accounts_under(target)}
                       - {directory.account, *(a.name for a in plan.accounts if a.id == plan.management_account_id)})
        for name in names:
            if not ids.get(name):
                result.pending.append(Pending(f"directory sharing with account {name}", "the account has "
                                              "no id yet; run `lz sync` after it is created"))
        account_ids = tuple(sorted({known for n in names if (known := ids.get(n))}))
        if account_ids:
            share = SharePlan(logical_id=logical_id("Share", directory.domain.lower()), account_ids=account_ids)

    dns = None
    if directory.type in ("microsoft-ad", "simple") and directory.share_with \
            and not directory.share_with.is_empty():
        dns = _dns(plan, directory, prefix, vpcs[directory.vpc].cidr, result)
        if dns.share:
            depends.add(stack_name(plan.name, SHARING_COMPONENT))

    connector_secret = directory.service_account_secret if directory.type == "connector" else None
    secret_key = key_arn_for(bp, service="secretsmanager", account=directory.account, region=directory.region) \
        if directory.type != "connector" else None
    keys_stack = keys_stack_for(bp, secret_key) if secret_key else None
    if keys_stack:
        depends.add(keys_stack)   # the key must exist before the secret uses it
    roster = None
    if directory.type == "microsoft-ad":
        roster = RosterPlan(logical_id=logical_id("Roster", directory.domain.rstrip(".").lower()),
                            trusts=tuple(sorted(t.remote_domain.lower() for t in trusts)),
                            regions=tuple(r.region for r in replicas),
                            accounts=share.account_ids if share else ())
    payload = DirectoryPayload(
        kind=directory.type, prefix=prefix, logical_id=logical_id("Directory", directory.domain.lower()),
        domain=directory.domain.rstrip("."),
        short_name=directory.short_name or directory.domain.split(".")[0].upper(),
        edition=directory.edition, size=directory.size, network=ref(directory.vpc, directory.subnets),
        admin_secret_name=f"{plan.name}/directory/{directory.domain.lower()}/admin"
        if directory.type != "connector" else None,
        admin_secret_key_arn=secret_key,
        connector_secret_name=connector_secret,
        connector_secret_arn=f"{arn}{connector_secret}" if connector_secret else None,
        connector_secret_arn_pattern=f"{arn}{connector_secret}-??????" if connector_secret else None,
        dns_ips=tuple(directory.dns_ips) if directory.type == "connector" else (),
        trusts=trusts if directory.type == "microsoft-ad" else (),
        trust_peers=peers if directory.type == "microsoft-ad" else (),
        trust_ports=TRUST_PORTS if directory.type == "microsoft-ad" and trusts else (),
        replicas=tuple(replicas), share=share,
        tags=tuple(sorted(dict(plan.tags, Name=prefix).items())), dns=dns, roster=roster)
    member_stack(plan, result, account=directory.account, component=COMPONENT, region=directory.region,
                 description=f"{plan.name} landing zone: directory {payload.domain} ({directory.type})",
                 resources=count_resources(payload), payload=payload, depends_on=tuple(sorted(depends)))
    return result


def _dns(plan: Plan, directory: Directory, prefix: str, vpc_cidr: str, result: ComponentResult) -> DnsPlan:
    domain = directory.domain.rstrip(".").lower()
    tags = tuple(sorted(dict(plan.tags, Name=f"{prefix}-dns").items()))
    endpoint = ResolverEndpointPlan(
        name=f"{prefix}-dns", logical_id=logical_id("DirectoryDnsEndpoint", domain),
        subnets=tuple(sorted(directory.subnets[:2])), egress=(vpc_cidr,), tags=tags)
    share_name = f"{prefix}-resolver-rule"
    assert directory.share_with is not None
    principals = resolve_principals(plan, directory.share_with, f"RAM share {share_name}", result)
    share = RamSharePlan(name=share_name, logical_id=logical_id("DirectoryDnsShare", domain),
                         kind="resolver-rule", resources=(), principals=principals,
                         tags=plan.tags) if principals else None
    return DnsPlan(endpoint=endpoint, rule_name=f"{prefix}-{domain.replace('.', '-')}",
                   rule_logical_id=logical_id("DirectoryDnsRule", domain), share=share, tags=tags)


def _replica_placement(directory: Directory, region: str, vpc_name: str | None, subnets: list[str],
                       vpcs: list[Vpc]) -> tuple[str, list[str]]:
    """The replica's VPC and subnets, with the same defaults as the directory checks (the first two
    subnets of the VPC by name, never by position)."""
    if vpc_name is None:
        vpc_name = min(v.name for v in vpcs if v.account == directory.account and v.region == region)
    vpc = next(v for v in vpcs if v.name == vpc_name)
    return vpc_name, subnets or sorted(s.name for s in vpc.subnets)[:2]


def count_resources(payload: DirectoryPayload) -> int:
    """What the directory stack will hold; kept in step with landing_zone/cdk/stacks/directory.py."""
    waiting, plain = WAITING_PROVIDER_RESOURCES, PROVIDER_RESOURCES
    if payload.kind == "connector":
        return waiting + 1
    total = 2                                           # secret, directory
    if payload.trusts:
        total += waiting + len(payload.trusts)          # provider, trusts
    if payload.dns:
        total += 3 + (1 if payload.dns.share else 0)    # endpoint security group, endpoint, rule; share
    if payload.replicas:
        total += waiting + len(payload.replicas)
    if payload.share:
        total += plain + 1
    if payload.roster:
        total += plain + 1
    return total
