"""Checks of the `network:` section: CIDRs, subnet placement, AZ ids, prefix lists, resolver rules, shares.

Whether `share_with` targets and owning accounts exist is checked once for every section in
checks/references.py; these checks skip what those report, so each mistake is reported once.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Sequence
from itertools import combinations

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.model.network import PrefixList, ResolverRule, TransitGateway, Vpc
from landing_zone.blueprint.query import account_unit, accounts_by_name, walk_targets
from landing_zone.blueprint.regions import AZ_ID_PREFIX
from landing_zone.blueprint.suggest import suggest

VPCS: Loc = ("network", "vpcs")
PREFIX_LISTS: Loc = ("network", "prefix_lists")
RESOLVER_RULES: Loc = ("network", "resolver_rules")
TRANSIT_GATEWAYS: Loc = ("network", "transit_gateways")
AZ_ID = re.compile(r"^([a-z]+[0-9]+)-az([0-9]+)$")
# VPC and subnet sizes AWS accepts (IPv4).
MIN_PREFIX, MAX_PREFIX = 16, 28
# CloudFormation accepts at most this many entries in one AWS::EC2::PrefixList (add more with the API).
MAX_TEMPLATE_ENTRIES = 100
# Names reserved for AWS-managed prefix lists.
RESERVED_PREFIX = "com.amazonaws"
# Directory types whose stack forwards the domain to the directory's DNS (shared with share_with).
DIRECTORY_FORWARDS = ("microsoft-ad", "simple")

Network4 = ipaddress.IPv4Network


def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError:
        return None


def _bad_cidr(value: str, loc: Loc, what: str) -> Issue:
    hint = "write an IPv4 network address and prefix length, e.g. 10.0.0.0/16"
    try:
        fixed = ipaddress.ip_network(value, strict=False)
        hint = f"host bits are set; did you mean {fixed}?"
    except ValueError:
        pass
    return Issue("cidr-invalid", f"{what} CIDR {quote(value)} is not a valid network", hint=hint, loc=loc)


def _vpc_network(vpc: Vpc) -> ipaddress.IPv4Network | None:
    net = _network(vpc.cidr)
    return net if isinstance(net, Network4) and MIN_PREFIX <= net.prefixlen <= MAX_PREFIX else None


def cidrs_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """VPC and subnet CIDRs are IPv4 /16 to /28 networks, prefix-list entries networks, DNS targets IPs."""
    for i, vpc in enumerate(bp.network.vpcs):
        items = [(vpc.cidr, VPCS + (i, "cidr"), "VPC")]
        items += [(s.cidr, VPCS + (i, "subnets", j, "cidr"), "subnet") for j, s in enumerate(vpc.subnets)]
        for value, loc, what in items:
            net = _network(value)
            if net is None:
                yield _bad_cidr(value, loc, what)
            elif not isinstance(net, Network4) or not MIN_PREFIX <= net.prefixlen <= MAX_PREFIX:
                yield Issue("cidr-invalid", f"{what} CIDR {quote(value)} is not an IPv4 block of "
                            f"/{MIN_PREFIX} to /{MAX_PREFIX}", loc=loc,
                            hint=f"AWS accepts IPv4 {what} blocks from /{MIN_PREFIX} (65,536 addresses) to "
                                 f"/{MAX_PREFIX} (16 addresses)")
    for i, prefix_list in enumerate(bp.network.prefix_lists):
        for j, entry in enumerate(prefix_list.entries):
            if _network(entry.cidr) is None:
                yield _bad_cidr(entry.cidr, PREFIX_LISTS + (i, "entries", j, "cidr"), "prefix list entry")
    for i, rule in enumerate(bp.network.resolver_rules):
        for j, ip in enumerate(rule.target_ips):
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                yield Issue("ip-invalid", f"DNS target {quote(ip)} is not an IP address",
                            hint="list the on-premises DNS servers' addresses, e.g. 192.168.1.10",
                            loc=RESOLVER_RULES + (i, "target_ips", j))


def names_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Logical ids and references derive from these names, so two items cannot share one."""
    sections: list[tuple[Loc, Sequence[Vpc | PrefixList | ResolverRule | TransitGateway]]] = [
        (VPCS, bp.network.vpcs), (PREFIX_LISTS, bp.network.prefix_lists),
        (RESOLVER_RULES, bp.network.resolver_rules), (TRANSIT_GATEWAYS, bp.network.transit_gateways)]
    for loc, items in sections:
        yield from _unique([item.name for item in items], loc, str(loc[-1]).replace("_", " ").rstrip("s"))
    for i, vpc in enumerate(bp.network.vpcs):
        yield from _unique([s.name for s in vpc.subnets], VPCS + (i, "subnets"),
                           f"subnet of VPC {vpc.name!r}")


def _unique(names: list[str], loc: Loc, what: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield Issue("network-name-duplicate", f"{what} name {name!r} is used twice",
                        hint="give each one its own name", loc=loc + (i, "name"))
        seen.add(name)


def subnets_fit_their_vpc(bp: Blueprint) -> Iterator[Issue]:
    """Each subnet lies inside its VPC's CIDR and overlaps no other subnet of the VPC."""
    for i, vpc in enumerate(bp.network.vpcs):
        parent = _vpc_network(vpc)
        placed: list[tuple[str, ipaddress.IPv4Network]] = []
        for j, subnet in enumerate(vpc.subnets):
            net = _network(subnet.cidr)
            if not isinstance(net, Network4):
                continue        # reported by cidrs_are_valid
            loc = VPCS + (i, "subnets", j, "cidr")
            if parent is not None and not net.subnet_of(parent):
                yield Issue("subnet-outside-vpc", f"subnet CIDR {quote(subnet.cidr)} is not inside the VPC's "
                            f"{vpc.cidr}", hint=f"pick a block inside {vpc.cidr}", loc=loc)
                continue
            for other, other_net in placed:
                if net.overlaps(other_net):
                    yield Issue("subnet-overlap", f"subnet CIDR {quote(subnet.cidr)} overlaps subnet "
                                f"{other!r} ({other_net})", hint="subnets of a VPC must not overlap; pick a "
                                "free block", loc=loc)
                    break
            placed.append((subnet.name, net))


def az_ids_belong_to_the_region(bp: Blueprint) -> Iterator[Issue]:
    """AZ ids (use1-az1) are the same in every account, AZ names are not; each must be of the VPC's region."""
    for i, vpc in enumerate(bp.network.vpcs):
        prefix = AZ_ID_PREFIX.get(vpc.region)
        for j, subnet in enumerate(vpc.subnets):
            loc = VPCS + (i, "subnets", j, "az_id")
            match = AZ_ID.match(subnet.az_id)
            example = f"{prefix or 'use1'}-az1"
            if match is None:
                hint = f"write an AZ id like {example}"
                if re.match(r"^[a-z]{2}-[a-z]+-\d[a-z]$", subnet.az_id):
                    hint = (f"{subnet.az_id!r} is an AZ name, which differs between accounts; use the AZ id "
                            f"(`aws ec2 describe-availability-zones`), like {example}")
                yield Issue("az-id-malformed", f"AZ id {quote(subnet.az_id)} is not well formed", hint=hint,
                            loc=loc)
            elif prefix is not None and match.group(1) != prefix:
                yield Issue("az-id-wrong-region", f"AZ id {quote(subnet.az_id)} is not in the VPC's region "
                            f"{vpc.region} (its AZ ids start with {prefix}-)",
                            hint=f"use an AZ id of {vpc.region}, like {example}, or move the VPC", loc=loc)


def gateways_are_consistent(bp: Blueprint) -> Iterator[Issue]:
    """Public subnets need an internet gateway; a NAT gateway needs one and a public subnet to sit in."""
    for i, vpc in enumerate(bp.network.vpcs):
        public = [j for j, s in enumerate(vpc.subnets) if s.public]
        if not vpc.internet_gateway:
            for j in public:
                yield Issue("public-subnet-without-internet-gateway", f"subnet {vpc.subnets[j].name!r} is "
                            "public but the VPC has no internet gateway",
                            loc=VPCS + (i, "subnets", j, "public"),
                            hint="set internet_gateway: true on the VPC, or make the subnet private")
        if (vpc.nat_gateway or vpc.nat_gateways) and not (vpc.internet_gateway and public):
            field = "nat_gateway" if vpc.nat_gateway else "nat_gateways"
            yield Issue("nat-gateway-without-public-subnet", "the VPC asks for a NAT gateway but has no "
                        "internet gateway and public subnet for it", loc=VPCS + (i, field),
                        hint=f"add internet_gateway: true and a subnet with public: true, or drop {field}")


def resolver_rules_have_endpoints(bp: Blueprint) -> Iterator[Issue]:
    """A rule names a declared VPC; that VPC's outbound endpoint needs subnets in two AZs."""
    vpcs: dict[str, Vpc] = {}
    for declared in bp.network.vpcs:
        vpcs.setdefault(declared.name, declared)     # duplicates are reported by names_are_unique
    reported: set[str] = set()
    for i, rule in enumerate(bp.network.resolver_rules):
        vpc = vpcs.get(rule.vpc)
        if vpc is None:
            yield Issue("vpc-unknown", f"VPC {rule.vpc!r} does not exist", hint=suggest(rule.vpc, vpcs),
                        loc=RESOLVER_RULES + (i, "vpc"))
            continue
        zones = {s.az_id for s in vpc.subnets}
        if len(zones) < 2 and vpc.name not in reported:
            reported.add(vpc.name)
            yield Issue("resolver-endpoint-one-az", f"VPC {vpc.name!r} forwards DNS for this rule but has "
                        f"subnets in {len(zones)} AZ(s) ({', '.join(sorted(zones)) or 'none'}); an outbound "
                        "endpoint needs two", loc=RESOLVER_RULES + (i, "vpc"),
                        hint=f"add a subnet in a second AZ to VPC {vpc.name!r}")


def prefix_lists_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Entries fit max_entries and one template; one address family; AWS-reserved names are refused."""
    for i, prefix_list in enumerate(bp.network.prefix_lists):
        loc = PREFIX_LISTS + (i,)
        count = len(prefix_list.entries)
        if prefix_list.name.lower().startswith(RESERVED_PREFIX):
            yield Issue("prefix-list-name-reserved", f"prefix list name {quote(prefix_list.name)} starts "
                        f"with {RESERVED_PREFIX}, which AWS reserves for its managed lists",
                        hint="pick another name", loc=loc + ("name",))
        if count > prefix_list.max_entries:
            yield Issue("prefix-list-too-many-entries", f"prefix list has {count} entries but max_entries is "
                        f"{prefix_list.max_entries}", loc=loc + ("max_entries",),
                        hint=f"raise max_entries to at least {count} (at most 1000) or remove entries")
        if count > MAX_TEMPLATE_ENTRIES:
            yield Issue("prefix-list-too-many-entries-for-template", f"prefix list has {count} entries; "
                        f"CloudFormation accepts at most {MAX_TEMPLATE_ENTRIES} in one template",
                        hint="split it into several prefix lists", loc=loc + ("entries",))
        families = [(j, net.version) for j, e in enumerate(prefix_list.entries)
                    if (net := _network(e.cidr)) is not None]
        if families:
            first = families[0][1]
            for j, version in families:
                if version != first:
                    entry = quote(prefix_list.entries[j].cidr)
                    yield Issue("prefix-list-mixed-families", f"entry {entry} is IPv{version} but the "
                                f"list's first entry is IPv{first}",
                                hint="a prefix list holds one address family; put IPv4 and IPv6 entries in "
                                "separate lists", loc=loc + ("entries", j, "cidr"))


def vpcs_shared_with_the_same_targets_do_not_overlap(bp: Blueprint) -> Iterator[Issue]:
    """An account receiving subnets of two VPCs cannot route between overlapping ones."""
    units_of = {name: account_unit(bp, a) or ROOT for name, a in accounts_by_name(bp).items()}
    shared = []
    for i, vpc in enumerate(bp.network.vpcs):
        net = _vpc_network(vpc)
        targets = [s.share_with for s in vpc.subnets if s.share_with is not None]
        if net is not None and targets:
            shared.append((i, vpc, net, targets))
    for (_, a, net_a, targets_a), (j, b, net_b, targets_b) in combinations(shared, 2):
        if net_a.overlaps(net_b) and _reach_common(targets_a, targets_b, units_of):
            yield Issue("vpc-overlap", f"VPC CIDR {quote(b.cidr)} overlaps VPC {a.name!r} ({a.cidr}), and "
                        "both share subnets with the same accounts", loc=VPCS + (j, "cidr"),
                        hint="give VPCs shared with the same OUs or accounts distinct CIDRs")


def _reach_common(a: list[Targets], b: list[Targets], units_of: dict[str, str]) -> bool:
    def scopes(targets: list[Targets]) -> set[str]:
        out = {u for t in targets for u in t.units}
        return out | {f"{units_of.get(n, ROOT)}//{n}" for t in targets for n in t.accounts}

    def covers(outer: str, inner: str) -> bool:
        return outer == ROOT or inner == outer or inner.startswith(outer + "/")

    return any(covers(x, y) or covers(y, x) for x in scopes(a) for y in scopes(b))


def shares_skip_the_management_account(bp: Blueprint) -> Iterator[Issue]:
    """RAM never shares with the management account by name: it is not a member account of the blueprint."""
    for targets, loc in walk_targets(bp):
        if loc[-1:] != ("share_with",):
            continue
        for i, name in enumerate(targets.accounts):
            if names_management_account(bp, name):
                yield Issue("share-target-management", f"share target {quote(name)} is the management "
                            "account", loc=loc + ("accounts", i),
                            hint="keep workloads and shared resources out of the management account; share "
                            "with member accounts or OUs")


def network_regions_are_governed(bp: Blueprint) -> Iterator[Issue]:
    """Network resources outside governed_regions would be blocked by the region deny guardrail."""
    sections: list[tuple[Loc, Sequence[Vpc | PrefixList | TransitGateway]]] = [
        (VPCS, bp.network.vpcs), (PREFIX_LISTS, bp.network.prefix_lists),
        (TRANSIT_GATEWAYS, bp.network.transit_gateways)]
    for loc, items in sections:
        for i, item in enumerate(items):
            if item.region not in bp.governed_regions and item.region in AZ_ID_PREFIX:
                yield Issue("network-region-not-governed", f"region {item.region!r} is not a governed region "
                            f"{sorted(bp.governed_regions)}", loc=loc + (i, "region"),
                            hint="add it to governed_regions or move the resource")


def names_management_account(bp: Blueprint, name: str) -> bool:
    """The management account's id, or `management` when no member account has that name."""
    return name == bp.organization.management_account_id or (
        name == "management" and name not in accounts_by_name(bp))


def directory_domain_is_forwarded_once(bp: Blueprint) -> Iterator[Issue]:
    """A directory shared with OUs or accounts also forwards its own domain to its domain controllers
    (a FORWARD rule shared with its share_with); a resolver rule for the same domain reaching any of
    the same accounts gives them two rules for one domain, pointing at different servers."""
    directory = bp.identity.directory if bp.identity else None
    if directory is None or directory.type not in DIRECTORY_FORWARDS or not directory.share_with \
            or directory.share_with.is_empty():
        return
    domain = directory.domain.rstrip(".").lower()
    units_of = {name: account_unit(bp, a) or ROOT for name, a in accounts_by_name(bp).items()}
    for i, rule in enumerate(bp.network.resolver_rules):
        if rule.domain.rstrip(".").lower() != domain or rule.share_with is None or rule.share_with.is_empty():
            continue
        if _reach_common([rule.share_with], [directory.share_with], units_of):
            yield Issue("resolver-rule-duplicates-directory",
                        f"resolver rule {rule.name!r} forwards {quote(rule.domain)}, the domain of "
                        f"identity.directory, which already forwards it to its domain controllers with a rule "
                        f"shared with the same accounts ({_targets(directory.share_with)}); a VPC uses only "
                        "one rule per domain, so which servers answer would depend on the account",
                        hint=f"drop resolver rule {rule.name!r} (the directory's own rule answers for "
                             f"{domain}), or share it only with accounts the directory is not shared with",
                        loc=RESOLVER_RULES + (i, "domain"), related=("identity", "directory", "domain"))


def _targets(targets: Targets) -> str:
    return ", ".join([*targets.units, *targets.accounts])
