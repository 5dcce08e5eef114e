"""Checks of NAT gateways, VPC endpoints, DNS Firewall, IPAM and VPC templates."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from functools import cache
from itertools import combinations
from pathlib import Path

import yaml

from landing_zone.blueprint.checks.network import _reach_common
from landing_zone.blueprint.checks.transit import destination_issues
from landing_zone.blueprint.domains import DOMAIN_HINT, domain_problem
from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import account_unit, accounts_by_name, unit_covers, unit_paths
from landing_zone.blueprint.regions import REGIONS
from landing_zone.blueprint.routing import (
    account_is_covered,
    gateways_by_name,
    network,
    network_account,
    pool_blocks,
    pools_by_name,
    template_accounts,
    unit_is_covered,
    vpcs_by_name,
)
from landing_zone.blueprint.suggest import suggest

VPCS: Loc = ("network", "vpcs")
FIREWALLS: Loc = ("network", "dns_firewall")
IPAM: Loc = ("network", "ipam")
TEMPLATES: Loc = ("network", "vpc_templates")
SERVICES = Path(__file__).resolve().parents[1] / "data" / "endpoint_services.yaml"
FULL_SERVICE_PREFIX = "com.amazonaws."
# What one NAT gateway costs by the hour in us-east-1 (about 730 hours a month), before data processing.
NAT_HOURLY_USD = 0.045


@cache
def endpoint_services() -> dict[str, frozenset[str]]:
    """Short service name → regions it is offered in (the shipped list)."""
    data = yaml.safe_load(SERVICES.read_text(encoding="utf-8"))["services"]
    everywhere = frozenset(r for r in REGIONS if not r.startswith("cn-"))
    return {name: everywhere if spec["regions"] == "all" else frozenset(spec["regions"])
            for name, spec in data.items()}


def nat_gateways_are_placed(bp: Blueprint) -> Iterator[Issue]:
    """per_az puts a NAT gateway in every AZ with private subnets, each in a public subnet of that AZ;
    `nat_gateway: true` on a VPC spanning several AZs must say how many (it used to mean one)."""
    for i, vpc in enumerate(bp.network.vpcs):
        loc = VPCS + (i,)
        if vpc.nat_gateways is not None and "nat_gateway" in vpc.model_fields_set and not vpc.nat_gateway:
            yield Issue("nat-gateway-conflict", f"nat_gateway is false but nat_gateways is {vpc.nat_gateways!r}",
                        loc=loc + ("nat_gateway",), hint="drop nat_gateway: false (nat_gateways turns NAT on)")
            continue
        if not (vpc.nat_gateway or vpc.nat_gateways) or not vpc.internet_gateway:
            continue
        private_zones = sorted({s.az_id for s in vpc.subnets if not s.public})
        public_zones = {s.az_id for s in vpc.subnets if s.public}
        if not public_zones:
            continue                # nat-gateway-without-public-subnet (checks/network.py)
        if vpc.nat_gateways is None and len(private_zones) > 1:
            monthly = round(NAT_HOURLY_USD * 730 * len(private_zones))
            yield Issue("nat-gateways-unstated", f"nat_gateway: true on a VPC with private subnets in "
                        f"{len(private_zones)} AZs now means one NAT gateway per AZ ({len(private_zones)}, about "
                        f"${monthly} a month before data) where it used to mean one", loc=loc + ("nat_gateway",),
                        hint="write nat_gateways: single to keep the one NAT gateway (same logical id, nothing "
                        "replaced), or nat_gateways: per_az with a public subnet in each AZ")
            continue
        if vpc.nat_gateways == "per_az":   # unstated: one gateway, as always (several AZs are refused above)
            for zone in private_zones:
                if zone not in public_zones:
                    yield Issue("nat-gateway-az-without-public-subnet", f"nat_gateways: per_az needs a public "
                                f"subnet in {zone}, where the VPC has private subnets",
                                loc=loc + ("nat_gateways",),
                                hint=f"add a public subnet in {zone}, or write nat_gateways: single (one "
                                "gateway; the other AZs lose egress with its AZ)")


def endpoints_are_known(bp: Blueprint) -> Iterator[Issue]:
    """Interface endpoint services offered in the VPC's region (the shipped list), each listed once,
    in a VPC with subnets; an inbound resolver spans two AZs."""
    known = endpoint_services()
    for i, vpc in enumerate(bp.network.vpcs):
        loc = VPCS + (i, "endpoints")
        seen: set[str] = set()
        for j, service in enumerate(vpc.endpoints.interface):
            if service in seen:
                yield Issue("endpoint-service-duplicate", f"endpoint service {service!r} is listed twice",
                            loc=loc + ("interface", j), hint="list each service once")
            seen.add(service)
            if service.startswith(FULL_SERVICE_PREFIX):
                continue
            if vpc.region not in known.get(service, frozenset()) and vpc.region in REGIONS:
                where = (f"known in {', '.join(sorted(known[service])[:6])}..." if service in known
                         else suggest(service, known))
                yield Issue("endpoint-service-unknown", f"endpoint service {service!r} is not offered in "
                            f"{vpc.region} (the shipped list)", loc=loc + ("interface", j),
                            hint=f"{where}; if AWS offers it there, write the full name "
                            f"com.amazonaws.{vpc.region}.{service}")
        for j, service in enumerate(vpc.endpoints.gateway):
            if service in vpc.endpoints.gateway[:j]:
                yield Issue("endpoint-service-duplicate", f"endpoint service {service!r} is listed twice",
                            loc=loc + ("gateway", j), hint="list each service once")
        if vpc.endpoints.interface and not any(not s.public for s in vpc.subnets):
            yield Issue("endpoints-without-subnets", "interface endpoints need a private subnet to sit in",
                        loc=loc + ("interface",), hint="add private subnets (one per AZ) to the VPC")
        if vpc.endpoints.share_dns_with and not vpc.endpoints.share_dns_with.is_empty() \
                and not vpc.endpoints.interface:
            yield Issue("endpoints-without-interface", "share_dns_with shares the names of interface endpoints, "
                        "and the VPC has none", loc=loc + ("share_dns_with",),
                        hint="list interface endpoints, or drop share_dns_with")
        if vpc.inbound_resolver and len({s.az_id for s in vpc.subnets if not s.public}) < 2:
            yield Issue("resolver-endpoint-one-az", "an inbound resolver endpoint needs private subnets in two AZs",
                        loc=VPCS + (i, "inbound_resolver"), hint=f"add a private subnet in a second AZ to VPC "
                        f"{vpc.name!r}")


def one_route53_profile_per_vpc(bp: Blueprint) -> Iterator[Issue]:
    """A VPC takes one Route 53 Profile: two endpoint VPCs of a region cannot share names with the same accounts."""
    units_of = {name: account_unit(bp, a) or ROOT for name, a in accounts_by_name(bp).items()}
    sharing = [(i, v) for i, v in enumerate(bp.network.vpcs)
               if v.endpoints.interface and v.endpoints.share_dns_with and not v.endpoints.share_dns_with.is_empty()]
    for (_, a), (j, b) in combinations(sharing, 2):
        assert a.endpoints.share_dns_with and b.endpoints.share_dns_with
        if a.region == b.region and _reach_common([a.endpoints.share_dns_with], [b.endpoints.share_dns_with],
                                                  units_of):
            yield Issue("route53-profile-conflict", f"VPCs {a.name!r} and {b.name!r} of {a.region} both share "
                        "their endpoints' names with the same accounts", loc=VPCS + (j, "endpoints", "share_dns_with"),
                        hint="a VPC can be associated with one Route 53 Profile: keep the endpoints of a region "
                        "in one VPC, or share them with different OUs")


def dns_firewalls_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Names unique, domains DNS Firewall accepts, something to block, known VPCs reached by the share."""
    vpcs = vpcs_by_name(bp)
    owner_default = network_account(bp)
    names: set[str] = set()
    for i, firewall in enumerate(bp.network.dns_firewall):
        loc = FIREWALLS + (i,)
        if firewall.name in names:
            yield Issue("network-name-duplicate", f"DNS firewall name {firewall.name!r} is used twice",
                        hint="give each one its own name", loc=loc + ("name",))
        names.add(firewall.name)
        for j, domain in enumerate(firewall.block_domains):
            problem = domain_problem(domain)
            if problem:
                yield Issue("dns-firewall-domain-invalid", f"domain {quote(domain)} {problem}", hint=DOMAIN_HINT,
                            loc=loc + ("block_domains", j))
        if not firewall.block_domains and firewall.block_domains_file is None:
            yield Issue("dns-firewall-domains-empty", f"rule group {firewall.name!r} would block nothing",
                        loc=loc + ("block_domains",), hint="list domains in block_domains or name a "
                        "block_domains_file")
        owner = firewall.account or owner_default
        if owner is None:
            yield Issue("dns-firewall-account-missing", "no account owns the rule group: it names none and no "
                        "account has role network", loc=loc, hint="add account: <name> to the rule group")
        for j, name in enumerate(firewall.vpcs):
            vpc = vpcs.get(name)
            if vpc is None:
                yield Issue("vpc-unknown", f"VPC {name!r} does not exist", hint=suggest(name, vpcs),
                            loc=loc + ("vpcs", j))
            elif owner and vpc.account != owner and not account_is_covered(bp, firewall.share_with, vpc.account):
                yield Issue("dns-firewall-not-shared", f"VPC {name!r} of account {vpc.account!r} cannot use rule "
                            f"group {firewall.name!r} of {owner!r}: it is not shared with that account",
                            loc=loc + ("vpcs", j), hint=f"add {vpc.account!r} or its OU to share_with")


def ipam_is_valid(bp: Blueprint) -> Iterator[Issue]:
    """Governed regions, valid and distinct pools whose regional blocks hold an allocation; VPCs that
    allocate from a pool lie inside its block of their region."""
    ipam = bp.network.ipam
    if ipam is None:
        return
    for j, region in enumerate(ipam.regions):
        if region not in bp.governed_regions and region in REGIONS:
            yield Issue("network-region-not-governed", f"region {region!r} is not a governed region "
                        f"{sorted(bp.governed_regions)}", loc=IPAM + ("regions", j),
                        hint="add it to governed_regions or remove it here")
    placed: list[tuple[str, ipaddress.IPv4Network]] = []
    for j, pool in enumerate(ipam.pools):
        loc = IPAM + ("pools", j)
        if pool.name in [p.name for p in ipam.pools[:j]]:
            yield Issue("network-name-duplicate", f"IPAM pool name {pool.name!r} is used twice",
                        hint="give each one its own name", loc=loc + ("name",))
        net = network(pool.cidr)
        if net is None:
            yield Issue("cidr-invalid", f"pool CIDR {quote(pool.cidr)} is not an IPv4 network", loc=loc + ("cidr",),
                        hint="write an IPv4 network address and prefix length, e.g. 10.64.0.0/12")
            continue
        for other, other_net in placed:
            if net.overlaps(other_net):
                yield Issue("ipam-pool-overlap", f"pool CIDR {pool.cidr} overlaps pool {other!r} ({other_net})",
                            loc=loc + ("cidr",), hint="give each pool its own block")
        placed.append((pool.name, net))
        blocks = pool_blocks(pool, ipam)
        smallest = max((b.prefixlen for b in blocks.values()), default=33)
        if smallest > pool.allocation_netmask:
            yield Issue("ipam-pool-too-small", f"pool {pool.name!r} ({pool.cidr}) split over {len(set(ipam.regions))} "
                        f"regions gives /{smallest} blocks, smaller than one /{pool.allocation_netmask} allocation",
                        loc=loc + ("allocation_netmask",), hint="give the pool a larger CIDR or a smaller "
                        "allocation (a larger allocation_netmask number)")
    pools = pools_by_name(bp)
    for i, vpc in enumerate(bp.network.vpcs):
        if vpc.ipam_pool is None:
            continue
        loc = VPCS + (i, "ipam_pool")
        vpc_pool = pools.get(vpc.ipam_pool)
        if vpc_pool is None:
            yield Issue("ipam-pool-unknown", f"IPAM pool {vpc.ipam_pool!r} does not exist", loc=loc,
                        hint=suggest(vpc.ipam_pool, pools))
            continue
        block = pool_blocks(vpc_pool, ipam).get(vpc.region)
        net = network(vpc.cidr)
        if block is None:
            yield Issue("ipam-pool-no-block", f"pool {vpc_pool.name!r} has no block in {vpc.region}", loc=loc,
                        hint="add the region to network.ipam.regions")
        elif net is not None and not net.subnet_of(block):
            yield Issue("vpc-outside-ipam-pool", f"VPC CIDR {vpc.cidr} is outside pool {vpc_pool.name!r}'s block "
                        f"{block} for {vpc.region}", loc=loc, hint=f"pick a CIDR inside {block}, or drop ipam_pool")
        if vpc.account != ipam.account and not account_is_covered(bp, vpc_pool.share_with, vpc.account):
            yield Issue("ipam-pool-not-shared", f"pool {vpc_pool.name!r} is not shared with the VPC's account "
                        f"{vpc.account!r}", loc=loc, hint=f"add {vpc.account!r} or its OU to the pool's share_with")


def _regions_allowed(bp: Blueprint, unit: str) -> set[str]:
    """Regions where requests from accounts of `unit` are not denied by the region deny."""
    allowed = set(bp.governed_regions)
    deny = bp.guardrails.region_deny
    if deny is not None and deny.allowed_regions:
        applies = not deny.units and not deny.accounts or any(unit_covers(u, unit) for u in deny.units)
        if applies:
            allowed &= set(deny.allowed_regions)
    return allowed


def vpc_templates_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Known OUs, governed regions, a pool with a block in each region, a gateway of the region shared
    with the OUs, rule groups shared with them, and subnets that fit the netmask."""
    units = set(unit_paths(bp)) | {ROOT}
    pools = pools_by_name(bp)
    gateways = gateways_by_name(bp)
    firewalls = {f.name: f for f in bp.network.dns_firewall}
    ipam = bp.network.ipam
    names: set[str] = set()
    for i, template in enumerate(bp.network.vpc_templates):
        loc = TEMPLATES + (i,)
        if template.name in names:
            yield Issue("network-name-duplicate", f"VPC template name {template.name!r} is used twice",
                        hint="give each one its own name", loc=loc + ("name",))
        names.add(template.name)
        known_units = []
        for j, unit in enumerate(template.units):
            if unit not in units:
                yield Issue("vpc-template-unit-unknown", f"OU {unit!r} does not exist", loc=loc + ("units", j),
                            hint=suggest(unit, units))
            else:
                known_units.append(unit)
        for j, region in enumerate(template.regions):
            closed = sorted(u for u in known_units if region not in _regions_allowed(bp, u))
            if region in REGIONS and (region not in bp.governed_regions or closed):
                why = "is not a governed region" if region not in bp.governed_regions else \
                    f"is denied to {', '.join(closed)} by the region deny"
                yield Issue("vpc-template-region-not-governed", f"region {region!r} {why}",
                            loc=loc + ("regions", j), hint="vend VPCs only in regions the OUs may use: add it to "
                            "governed_regions (and the region deny's allowed_regions) or remove it")
        pool = pools.get(template.ipam_pool)
        if pool is None or ipam is None:
            yield Issue("ipam-pool-unknown", f"IPAM pool {template.ipam_pool!r} does not exist",
                        loc=loc + ("ipam_pool",), hint=suggest(template.ipam_pool, pools))
        else:
            blocks = pool_blocks(pool, ipam)
            for j, region in enumerate(template.regions):
                if region not in blocks and region in bp.governed_regions:
                    yield Issue("ipam-pool-no-block", f"pool {pool.name!r} has no block in {region}",
                                loc=loc + ("regions", j), hint="add the region to network.ipam.regions")
            if template.netmask < pool.allocation_netmask:
                yield Issue("vpc-template-netmask-outside-pool", f"netmask /{template.netmask} is larger than the "
                            f"pool's largest allocation /{pool.allocation_netmask}", loc=loc + ("netmask",),
                            hint=f"use /{pool.allocation_netmask} or smaller, or lower the pool's "
                            "allocation_netmask")
            for unit in known_units:
                if ipam.account and not unit_is_covered(pool.share_with, unit):
                    yield _not_shared("IPAM pool", pool.name, unit, loc + ("ipam_pool",))
        parts = 1 << template.azs.bit_length()          # azs private blocks and one block of /28s
        if template.netmask + parts.bit_length() - 1 > 28 - (template.azs - 1).bit_length():
            yield Issue("vpc-template-too-small", f"a /{template.netmask} VPC cannot hold {template.azs} private "
                        f"subnets and {template.azs} /28 attachment subnets", loc=loc + ("netmask",),
                        hint="use a larger VPC (a smaller netmask number) or fewer azs")
        if template.transit_gateway is not None:
            gateway = gateways.get(template.transit_gateway)
            if gateway is None:
                yield Issue("transit-gateway-unknown", f"transit gateway {template.transit_gateway!r} does not "
                            "exist", loc=loc + ("transit_gateway",), hint=suggest(template.transit_gateway, gateways))
            else:
                for j, region in enumerate(template.regions):
                    if region != gateway.region:
                        yield Issue("transit-gateway-other-region", f"gateway {gateway.name!r} is in "
                                    f"{gateway.region}, the template vends in {region}", loc=loc + ("regions", j),
                                    hint="a VPC attaches to a gateway of its own region; one template per region")
                for unit in known_units:
                    if not unit_is_covered(gateway.share_with, unit):
                        yield _not_shared("transit gateway", gateway.name, unit, loc + ("transit_gateway",))
                for j, destination in enumerate(template.routes):
                    yield from destination_issues(bp, destination, loc + ("routes", j), gateway.region,
                                                  ("cidr", "ipam", "vpc"))
        for j, name in enumerate(template.dns_firewall):
            firewall = firewalls.get(name)
            if firewall is None:
                yield Issue("dns-firewall-unknown", f"DNS firewall {name!r} does not exist",
                            loc=loc + ("dns_firewall", j), hint=suggest(name, firewalls))
                continue
            for unit in known_units:
                if not unit_is_covered(firewall.share_with, unit):
                    yield _not_shared("DNS firewall rule group", name, unit, loc + ("dns_firewall", j))


def _not_shared(what: str, name: str, unit: str, loc: Loc) -> Issue:
    return Issue("vpc-template-not-shared", f"{what} {name!r} is not shared with OU {unit!r}, whose accounts the "
                 "template reaches", loc=loc, hint=f"add {unit!r} (or an OU above it) to the {what}'s share_with")


def ipam_pools_hold_the_vended_vpcs(bp: Blueprint) -> Iterator[Issue]:
    """Each regional block holds a VPC for every account the templates reach today, and the declared
    VPCs allocated from it (accounts created later need room too: this is the floor)."""
    ipam = bp.network.ipam
    if ipam is None:
        return
    pools = pools_by_name(bp)
    demand: dict[tuple[str, str], int] = {}
    for vpc in bp.network.vpcs:
        net = network(vpc.cidr)
        if vpc.ipam_pool in pools and net is not None:
            key = (vpc.ipam_pool or "", vpc.region)
            demand[key] = demand.get(key, 0) + net.num_addresses
    for i, template in enumerate(bp.network.vpc_templates):
        pool = pools.get(template.ipam_pool)
        if pool is None:
            continue
        blocks = pool_blocks(pool, ipam)
        accounts = template_accounts(bp, template)
        for region in sorted(set(template.regions)):
            block = blocks.get(region)
            if block is None:
                continue
            key = (pool.name, region)
            demand[key] = demand.get(key, 0) + len(accounts) * (1 << (32 - template.netmask))
            if demand[key] > block.num_addresses:
                yield Issue("ipam-pool-too-small", f"pool {pool.name!r} has {block.num_addresses:,} addresses in "
                            f"{region} ({block}); VPC template {template.name!r} vends a /{template.netmask} to "
                            f"each of {len(accounts)} accounts, {demand[key]:,} addresses with the pool's other "
                            "VPCs", loc=TEMPLATES + (i, "ipam_pool"),
                            hint="give the pool a larger CIDR, vend smaller VPCs (a larger netmask number), or "
                            "narrow the template's units")
