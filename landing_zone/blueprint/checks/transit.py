"""Checks of transit gateway routing: attachments, route tables, routes, VPN and Direct Connect, overlaps.

Unknown owning accounts and share targets are reported by checks/references.py; these checks skip
what they cannot resolve, so each mistake is reported once.
"""
from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterator
from itertools import combinations

from landing_zone.blueprint.checks.network import AZ_ID
from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.network import TransitGateway, Vpc
from landing_zone.blueprint.routing import (
    DESTINATION_KINDS,
    AttachmentRef,
    PeeringRef,
    account_is_covered,
    gateway_attachments,
    gateway_peerings,
    gateways_by_name,
    network,
    parse_destination,
    peerings,
    pool_blocks,
    pools_by_name,
    vpcs_by_name,
)
from landing_zone.blueprint.suggest import suggest

GATEWAYS: Loc = ("network", "transit_gateways")
VPCS: Loc = ("network", "vpcs")
# Amazon side ASNs AWS accepts for a transit gateway (private 16-bit and 32-bit ranges).
AMAZON_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
# A customer gateway's BgpAsn; ASNs AWS reserves in some regions are refused ("Customer gateway options").
CUSTOMER_ASN_RANGE = (1, 2147483647)
RESERVED_ASNS = {7224: "us-east-1", 9059: "eu-west-1", 10124: "ap-northeast-1", 17943: "ap-southeast-1"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _gateway_loc(i: int) -> Loc:
    return GATEWAYS + (i,)


def _cidr_issue(value: str, loc: Loc, what: str) -> Issue | None:
    if network(value) is not None:
        return None
    hint = "write an IPv4 network address and prefix length, e.g. 192.168.0.0/16"
    with contextlib.suppress(ValueError):
        hint = f"host bits are set; did you mean {ipaddress.ip_network(value, strict=False)}?"
    return Issue("cidr-invalid", f"{what} {quote(value)} is not an IPv4 network", hint=hint, loc=loc)


def _public_ipv4(value: str) -> bool:
    """An IPv4 address the internet can route to the device: not RFC 1918, loopback, link-local,
    multicast or unspecified (documentation ranges pass: examples use them)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if not isinstance(address, ipaddress.IPv4Address):
        return False
    private = any(address in ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                               "100.64.0.0/10"))
    return not (private or address.is_loopback or address.is_link_local or address.is_multicast
                or address.is_unspecified or address.is_reserved)


def gateways_are_well_formed(bp: Blueprint) -> Iterator[Issue]:
    """ASNs in AWS's ranges and distinct on both sides of a VPN; VPN and Direct Connect values valid."""
    for i, gateway in enumerate(bp.network.transit_gateways):
        loc = _gateway_loc(i)
        if gateway.asn is not None and "amazon_side_asn" in gateway.model_fields_set \
                and gateway.asn != gateway.amazon_side_asn:
            yield Issue("bgp-asn-out-of-range", f"asn {gateway.asn} and amazon_side_asn "
                        f"{gateway.amazon_side_asn} disagree", loc=loc + ("asn",),
                        hint="give the gateway's ASN once, as asn or as amazon_side_asn")
        asn = gateway.side_asn
        if not any(low <= asn <= high for low, high in AMAZON_ASN_RANGES):
            yield Issue("bgp-asn-out-of-range", f"the gateway's ASN {asn} is outside what AWS accepts "
                        "(64512-65534 or 4200000000-4294967294)", loc=loc + ("asn" if gateway.asn else "amazon_side_asn",),
                        hint="pick a private ASN from those ranges, not one on-premises uses")
        for j, vpn in enumerate(gateway.vpn_connections):
            here = loc + ("vpn_connections", j)
            if not _public_ipv4(vpn.customer_gateway_ip):
                yield Issue("ip-invalid", f"customer gateway address {quote(vpn.customer_gateway_ip)} is not "
                            "a public IPv4 address", loc=here + ("customer_gateway_ip",),
                            hint="the on-premises device's public address, e.g. 203.0.113.10")
            low, high = CUSTOMER_ASN_RANGE
            if not low <= vpn.bgp_asn <= high or vpn.bgp_asn in RESERVED_ASNS:
                why = (f"reserved by AWS in {RESERVED_ASNS[vpn.bgp_asn]}" if vpn.bgp_asn in RESERVED_ASNS
                       else f"outside {low}-{high}")
                yield Issue("bgp-asn-out-of-range", f"customer gateway ASN {vpn.bgp_asn} is {why}",
                            loc=here + ("bgp_asn",), hint="use the ASN the on-premises router announces; "
                            "a private one (64512-65534) when it has none")
            elif vpn.bgp_asn == asn:
                yield Issue("bgp-asn-same-as-gateway", f"customer gateway ASN {vpn.bgp_asn} equals the transit "
                            f"gateway's own ASN", loc=here + ("bgp_asn",),
                            hint="both sides of a BGP session need different ASNs: change the on-premises ASN "
                            "or the gateway's asn")
            for field in ("static_routes", "advertised_routes"):
                for k, cidr in enumerate(getattr(vpn, field)):
                    if issue := _cidr_issue(cidr, here + (field, k), "route"):
                        yield issue
            if vpn.static_routes and not gateway.route_tables:
                yield Issue("vpn-static-without-route-tables", f"VPN {vpn.name!r} uses static routes but the "
                            "gateway declares no route tables", loc=here + ("static_routes",),
                            hint="static routes go into route tables the blueprint names: declare route_tables "
                            "and list the connection in their propagate, or use BGP (advertised_routes)")
            if vpn.static_routes and vpn.advertised_routes:
                yield Issue("vpn-routing-ambiguous", "the connection has static_routes and advertised_routes",
                            loc=here + ("advertised_routes",),
                            hint="static_routes make a static connection; advertised_routes describe what BGP "
                            "learns: keep one of them")
        for j, dx in enumerate(gateway.direct_connect_gateways):
            here = loc + ("direct_connect_gateways", j)
            if not UUID.match(dx.gateway_id):
                yield Issue("direct-connect-gateway-id-invalid", f"Direct Connect gateway id "
                            f"{quote(dx.gateway_id)} is not a gateway id", loc=here + ("gateway_id",),
                            hint="copy the id (a UUID) from `aws directconnect describe-direct-connect-gateways`")
            for field in ("allowed_prefixes", "advertised_routes"):
                for k, cidr in enumerate(getattr(dx, field)):
                    if issue := _cidr_issue(cidr, here + (field, k), "prefix"):
                        yield issue


def attachments_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Route tables name attachments, so two attachments of one gateway cannot share a name."""
    for i, gateway in enumerate(bp.network.transit_gateways):
        seen: dict[str, str] = {}
        named = [(v.name, "VPC", VPCS + (k, "transit_gateway", "name")) for k, v in enumerate(bp.network.vpcs)
                 if v.transit_gateway and v.transit_gateway.name == gateway.name]
        named += [(v.name, "VPN connection", _gateway_loc(i) + ("vpn_connections", k, "name"))
                  for k, v in enumerate(gateway.vpn_connections)]
        named += [(d.name, "Direct Connect gateway", _gateway_loc(i) + ("direct_connect_gateways", k, "name"))
                  for k, d in enumerate(gateway.direct_connect_gateways)]
        named += [(t.name, "VPC template", ("network", "vpc_templates", k, "name"))
                  for k, t in enumerate(bp.network.vpc_templates) if t.transit_gateway == gateway.name]
        named += [(p.name, "peering", p.loc + ("name",)) for p in gateway_peerings(bp, gateway).values()]
        for name, what, loc in named:
            if name in seen:
                yield Issue("transit-gateway-attachment-duplicate", f"{what} {name!r} has the name of the "
                            f"{seen[name]} {name!r} attached to gateway {gateway.name!r}", loc=loc,
                            hint="route tables name attachments: give each attachment of a gateway its own name")
            seen.setdefault(name, what)
        tables = [t.name for t in gateway.route_tables]
        for k, name in enumerate(tables):
            if name in tables[:k]:
                yield Issue("network-name-duplicate", f"route table name {name!r} is used twice",
                            hint="give each one its own name", loc=_gateway_loc(i) + ("route_tables", k, "name"))


def vpc_attachments_are_placed(bp: Blueprint) -> Iterator[Issue]:
    """A VPC attaches to a gateway of its region, through subnets of its own, one per AZ; a gateway of
    another account must be shared with the VPC's account."""
    gateways = gateways_by_name(bp)
    for i, vpc in enumerate(bp.network.vpcs):
        attachment = vpc.transit_gateway
        if attachment is None:
            continue
        loc = VPCS + (i, "transit_gateway")
        gateway = gateways.get(attachment.name)
        if gateway is None:
            yield Issue("transit-gateway-unknown", f"transit gateway {attachment.name!r} does not exist",
                        hint=suggest(attachment.name, gateways), loc=loc + ("name",))
            continue
        if gateway.region != vpc.region:
            yield Issue("transit-gateway-other-region", f"gateway {gateway.name!r} is in {gateway.region}, the "
                        f"VPC in {vpc.region}", loc=loc + ("name",),
                        hint="a VPC attaches to a gateway of its own region")
        elif gateway.account != vpc.account and not account_is_covered(bp, gateway.share_with, vpc.account):
            yield Issue("transit-gateway-not-shared", f"gateway {gateway.name!r} of account {gateway.account!r} "
                        f"is not shared with the VPC's account {vpc.account!r}", loc=loc + ("name",),
                        hint=f"add {vpc.account!r} or its OU to the gateway's share_with")
        subnets = {s.name: s for s in vpc.subnets}
        zones: dict[str, str] = {}
        for j, name in enumerate(attachment.subnets):
            subnet = subnets.get(name)
            if subnet is None:
                yield Issue("transit-gateway-subnet-unknown", f"subnet {name!r} is not a subnet of VPC "
                            f"{vpc.name!r}", hint=suggest(name, subnets), loc=loc + ("subnets", j))
            elif AZ_ID.match(subnet.az_id) and subnet.az_id in zones:
                yield Issue("transit-gateway-subnets-same-az", f"subnets {zones[subnet.az_id]!r} and {name!r} "
                            f"are both in {subnet.az_id}", loc=loc + ("subnets", j),
                            hint="an attachment takes one subnet per Availability Zone")
            elif subnet is not None:
                zones[subnet.az_id] = name
        if not attachment.subnets:
            yield Issue("transit-gateway-subnet-unknown", "the attachment names no subnet", loc=loc,
                        hint="name one subnet per Availability Zone, e.g. subnets: [tgw-a, tgw-b]")
        for j, destination in enumerate(attachment.routes):
            yield from destination_issues(bp, destination, loc + ("routes", j), vpc.region)


def destination_issues(bp: Blueprint, text: str, loc: Loc, region: str,
                       allowed: tuple[str, ...] = DESTINATION_KINDS) -> Iterator[Issue]:
    """A destination is a CIDR or names a prefix list, IPAM pool or VPC that exists (in the region)."""
    kind, name = parse_destination(text)
    if kind not in allowed:
        yield Issue("route-destination-invalid", f"destination {quote(text)} is not accepted here",
                    loc=loc, hint="write " + ", ".join({"cidr": "a CIDR", "pl": "pl:<prefix list>", "ipam":
                                                        "ipam:<pool>", "vpc": "vpc:<name>"}[k] for k in allowed))
        return
    if kind == "cidr":
        if issue := _cidr_issue(name, loc, "destination"):
            yield issue
        return
    if kind == "pl":
        lists = {p.name: p for p in bp.network.prefix_lists}
        if name not in lists:
            yield Issue("route-destination-unknown", f"prefix list {name!r} does not exist", loc=loc,
                        hint=suggest(name, lists))
        elif lists[name].region != region:
            yield Issue("route-destination-unknown", f"prefix list {name!r} is in {lists[name].region}, not "
                        f"{region}", loc=loc, hint="a route uses a prefix list of its own region")
    elif kind == "ipam":
        pools = pools_by_name(bp)
        if name not in pools:
            yield Issue("route-destination-unknown", f"IPAM pool {name!r} does not exist", loc=loc,
                        hint=suggest(name, pools))
        elif bp.network.ipam and region not in pool_blocks(pools[name], bp.network.ipam):
            yield Issue("route-destination-unknown", f"IPAM pool {name!r} has no block in {region}", loc=loc,
                        hint="add the region to network.ipam.regions")
    else:
        vpcs = vpcs_by_name(bp)
        if name not in vpcs:
            yield Issue("route-destination-unknown", f"VPC {name!r} does not exist", loc=loc,
                        hint=suggest(name, vpcs))


def route_tables_are_consistent(bp: Blueprint) -> Iterator[Issue]:
    """Every name a route table uses is an attachment or a peering of its gateway; one association per
    attachment; a peering is associated, never propagated (its routes are static)."""
    vpcs = vpcs_by_name(bp)
    declared = {p.name for g in bp.network.transit_gateways for p in g.peerings}
    names = {g.name for g in bp.network.transit_gateways}
    # A peering whose peer does not exist could be any gateway's: reported at its declaration only.
    dangling = {p.name for g in bp.network.transit_gateways for p in g.peerings if p.gateway not in names}
    for i, gateway in enumerate(bp.network.transit_gateways):
        attachments = gateway_attachments(bp, gateway)
        peers = gateway_peerings(bp, gateway)
        # Peerings of this gateway whose declaration is refused (reported there, once).
        refused = {p.name for p in gateway.peerings} | {p.name for g in bp.network.transit_gateways
                                                         for p in g.peerings if p.gateway == gateway.name}
        refused = (refused | dangling) - set(peers)
        associated: dict[str, str] = {}
        for k, table in enumerate(gateway.route_tables):
            loc = _gateway_loc(i) + ("route_tables", k)
            for field in ("associate", "propagate"):
                for j, name in enumerate(getattr(table, field)):
                    ref = attachments.get(name)
                    if ref is None and name in peers:
                        if field == "propagate":
                            yield Issue("transit-gateway-peering-propagated", f"route table {table.name!r} "
                                        f"propagates peering {name!r}", loc=loc + (field, j),
                                        hint="a peering attachment announces no routes: remove it from "
                                        "propagate and add static routes to it (routes: [{destination: "
                                        f"<CIDR of the peer's networks>, peering: {name}}}])")
                            continue
                    elif ref is None and name in refused:
                        continue
                    elif ref is None:
                        if name in declared:
                            yield _unknown_peering(name, gateway, peers, loc + (field, j))
                        else:
                            yield _unknown_attachment(name, gateway, attachments, vpcs, loc + (field, j), field)
                        continue
                    if field == "associate":
                        if name in associated:
                            yield Issue("transit-gateway-association-duplicate", f"attachment {name!r} is "
                                        f"associated with route tables {associated[name]!r} and {table.name!r}",
                                        loc=loc + (field, j), hint="an attachment uses exactly one route "
                                        "table: remove it from one associate list")
                        associated.setdefault(name, table.name)
            destinations: set[str] = set()
            for j, route in enumerate(table.routes):
                here = loc + ("routes", j)
                targets = sum((route.blackhole, route.attachment is not None, route.peering is not None))
                if targets != 1:
                    yield Issue("transit-gateway-route-invalid", f"route to {quote(route.destination)} needs "
                                "exactly one of attachment, peering or blackhole: true", loc=here,
                                hint="name the attachment or the peering the traffic goes to, or drop it with "
                                "blackhole: true")
                elif route.peering is not None and route.peering not in peers and route.peering not in refused:
                    yield _unknown_peering(route.peering, gateway, peers, here + ("peering",))
                elif route.attachment is not None and route.attachment not in attachments:
                    yield _unknown_attachment(route.attachment, gateway, attachments, vpcs,
                                              here + ("attachment",), "routes")
                elif route.attachment is not None and attachments[route.attachment].remote:
                    yield Issue("transit-gateway-route-to-remote", f"route to {quote(route.destination)} targets "
                                f"VPC template {route.attachment!r}, whose attachments are made in every account "
                                "of its OUs", loc=here + ("attachment",),
                                hint="a static route names one attachment; let the template's VPCs propagate "
                                f"instead (propagate: [{route.attachment}])")
                # CloudFormation has no resource for a prefix-list reference in a transit gateway route table.
                yield from destination_issues(bp, route.destination, here + ("destination",), gateway.region,
                                              ("cidr", "ipam", "vpc"))
                if route.destination in destinations:
                    yield Issue("transit-gateway-route-duplicate", f"route table {table.name!r} has two "
                                f"routes to {quote(route.destination)}", loc=here + ("destination",),
                                hint="keep one route per destination")
                destinations.add(route.destination)


def _unknown_peering(name: str, gateway: TransitGateway, peers: dict[str, PeeringRef], loc: Loc) -> Issue:
    return Issue("transit-gateway-peering-unknown", f"peering {name!r} does not connect gateway "
                 f"{gateway.name!r}", loc=loc, hint=suggest(name, peers) if peers else
                 f"declare it: network.transit_gateways[{gateway.name}].peerings: [{{name: {name}, gateway: "
                 "<gateway of another region>}], or name a peering of this gateway")


def peerings_are_well_formed(bp: Blueprint) -> Iterator[Issue]:
    """A peering joins two existing gateways of one account in two regions, once (either direction)."""
    gateways = gateways_by_name(bp)
    names: dict[str, str] = {}
    pairs: dict[frozenset[str], str] = {}
    for i, gateway in enumerate(bp.network.transit_gateways):
        for j, peering in enumerate(gateway.peerings):
            loc = _gateway_loc(i) + ("peerings", j)
            if peering.name in names:
                yield Issue("transit-gateway-peering-duplicate", f"peering name {peering.name!r} is used by "
                            f"gateway {names[peering.name]!r} already", loc=loc + ("name",),
                            hint="route tables of both sides name a peering: give each peering its own name")
                continue
            names[peering.name] = gateway.name
            peer = gateways.get(peering.gateway)
            if peer is None:
                yield Issue("transit-gateway-peer-unknown", f"peer transit gateway {peering.gateway!r} does not "
                            "exist", loc=loc + ("gateway",), hint=suggest(peering.gateway, gateways))
                continue
            if peer.region == gateway.region:
                yield Issue("transit-gateway-peer-same-region", f"peer {peer.name!r} is in {peer.region}, like "
                            f"gateway {gateway.name!r}" if peer is not gateway else
                            f"gateway {gateway.name!r} peers with itself", loc=loc + ("gateway",),
                            hint="a peering joins gateways of two regions; within one region attach the VPCs "
                            "to one gateway")
                continue
            if peer.account != gateway.account:
                yield Issue("transit-gateway-peering-other-account", f"peer {peer.name!r} belongs to account "
                            f"{peer.account!r}, gateway {gateway.name!r} to {gateway.account!r}",
                            loc=loc + ("gateway",), hint="peerings between gateways of one account only: "
                            "the acceptance and the routes of both sides read ids across regions inside "
                            "the account; move one gateway to the other's account")
                continue
            pair = frozenset((gateway.name, peer.name))
            if pair in pairs:
                yield Issue("transit-gateway-peering-duplicate", f"gateways {gateway.name!r} and {peer.name!r} "
                            f"are peered already (peering {pairs[pair]!r})", loc=loc + ("gateway",),
                            hint="one peering carries all traffic between two gateways: route more "
                            f"destinations through {pairs[pair]!r} and remove this one")
                continue
            pairs[pair] = peering.name
    for ref in peerings(bp):
        if ref.name not in pairs.values():
            continue
        for side in (ref.requester, ref.accepter):
            tables = [t.name for t in gateways[side].route_tables if ref.name in t.associate]
            if not tables:
                yield Issue("transit-gateway-peering-not-associated", f"peering {ref.name!r} is associated "
                            f"with no route table of gateway {side!r}", loc=ref.loc + ("name",),
                            hint=f"list {ref.name} in the associate of one route table of {side} (declare "
                            "route_tables there if it has none): traffic arriving through the peering is "
                            "routed by that table")


def _unknown_attachment(name: str, gateway: TransitGateway, attachments: dict[str, AttachmentRef], vpcs: dict[str, Vpc],
                        loc: Loc,
                        field: str) -> Issue:
    if name in vpcs:
        verb = {"associate": "be associated", "propagate": "propagate", "routes": "receive routes"}[field]
        return Issue("transit-gateway-vpc-not-attached", f"VPC {name!r} cannot {verb}: it is not attached to "
                     f"gateway {gateway.name!r}", loc=loc,
                     hint=f"attach it (vpcs[{name}].transit_gateway: {{name: {gateway.name}, subnets: [...]}}) "
                     "or remove it here")
    return Issue("transit-gateway-attachment-unknown", f"attachment {name!r} does not exist on gateway "
                 f"{gateway.name!r}", loc=loc, hint=suggest(name, attachments))


def remote_attachments_share_defaults(bp: Blueprint) -> Iterator[Issue]:
    """VPC templates' attachments (made in accounts nobody names in advance) are routed by the
    gateway's default association and propagation route tables: one association table and at most
    one propagation table, the same for every template of the gateway."""
    for _i, gateway in enumerate(bp.network.transit_gateways):
        remote = [a for a in gateway_attachments(bp, gateway).values() if a.remote]
        if not remote or not gateway.route_tables:
            continue
        associate = {a.name: frozenset(t.name for t in gateway.route_tables if a.name in t.associate) for a in remote}
        propagate = {a.name: frozenset(t.name for t in gateway.route_tables if a.name in t.propagate) for a in remote}
        first = remote[0]
        for ref in remote[1:]:
            for field, sets in (("associate", associate), ("propagate", propagate)):
                if sets[ref.name] != sets[first.name]:
                    yield Issue("transit-gateway-remote-attachments-disagree", f"VPC templates {ref.name!r} and "
                                f"{first.name!r} {field} differently ({sorted(sets[ref.name])} and "
                                f"{sorted(sets[first.name])})", loc=ref.loc,
                                hint="the attachments of VPC templates are made in accounts nobody names in "
                                "advance: AWS routes them through the gateway's default association and "
                                "propagation route tables, one each; list the templates in the same route tables")
        for field, sets in (("propagate", propagate), ("associate", associate)):
            if len(sets[first.name]) > 1:
                yield Issue("transit-gateway-remote-attachments-disagree", f"VPC template {first.name!r} would "
                            f"{field} into {sorted(sets[first.name])}", loc=first.loc,
                            hint=f"a VPC template's attachments can {field} into one route table only: the "
                            "gateway's default one")


def attached_networks_do_not_overlap(bp: Blueprint) -> Iterator[Issue]:
    """A gateway cannot route between overlapping networks: its VPCs, template blocks and VPN routes."""
    vpcs = vpcs_by_name(bp)
    pools = pools_by_name(bp)
    ipam = bp.network.ipam
    for index, gateway in enumerate(bp.network.transit_gateways):
        # (what, network, loc, pool): templates of one pool share its block, and IPAM gives each
        # vended VPC its own part of it, so those never overlap each other.
        attached: list[tuple[str, ipaddress.IPv4Network, Loc, str | None]] = []
        for k, vpc in enumerate(bp.network.vpcs):
            net = network(vpc.cidr)
            if vpc.transit_gateway and vpc.transit_gateway.name == gateway.name and net is not None \
                    and vpcs.get(vpc.name) is vpc:
                attached.append((f"VPC {vpc.name!r}", net, VPCS + (k, "cidr"), None))
        for k, template in enumerate(bp.network.vpc_templates):
            pool = pools.get(template.ipam_pool)
            block = pool_blocks(pool, ipam).get(gateway.region) if pool and ipam else None
            if template.transit_gateway == gateway.name and block is not None:
                attached.append((f"VPC template {template.name!r} (pool {template.ipam_pool!r})", block,
                                 ("network", "vpc_templates", k, "ipam_pool"), template.ipam_pool))
        for (what_a, net_a, _, pool_a), (what_b, net_b, loc_b, pool_b) in combinations(attached, 2):
            if net_a.overlaps(net_b) and not (pool_a and pool_a == pool_b):
                yield Issue("transit-gateway-cidr-overlap", f"{what_b} ({net_b}) overlaps {what_a} ({net_a}), "
                            f"and both attach to gateway {gateway.name!r}", loc=loc_b,
                            hint="a gateway routes each address to one attachment: give attached VPCs "
                            "distinct CIDRs")
        for j, vpn in enumerate(gateway.vpn_connections):
            field = "static_routes" if vpn.static_routes else "advertised_routes"
            for r, cidr in enumerate(getattr(vpn, field)):
                net = network(cidr)
                hit = next(((what, other) for what, other, _, _ in attached if net and net.overlaps(other)), None)
                if hit:
                    yield Issue("transit-gateway-vpn-overlap", f"on-premises route {quote(cidr)} of VPN "
                                f"{vpn.name!r} overlaps {hit[0]} ({hit[1]})",
                                loc=_gateway_loc(index) + ("vpn_connections", j, field, r),
                                hint="on-premises networks and attached VPCs must not overlap: the gateway "
                                "would send one of them to the wrong side")


def vpc_route_tables_fit_the_quota(bp: Blueprint) -> Iterator[Issue]:
    """Each VPC route table holds its local route, a default route, and the destinations sent to the
    gateway; a prefix list counts as its max_entries (AWS counts it so against the quota)."""
    lists = {p.name: p for p in bp.network.prefix_lists}
    quota = bp.network.route_table_quota
    for i, vpc in enumerate(bp.network.vpcs):
        if vpc.transit_gateway is None:
            continue
        used = 2                    # the local route and a default route
        for j, destination in enumerate(vpc.transit_gateway.routes):
            kind, name = parse_destination(destination)
            weight = lists[name].max_entries if kind == "pl" and name in lists else 1
            used += weight
            if used > quota:
                yield Issue("route-table-quota-exceeded", f"destination {quote(destination)} brings the VPC's "
                            f"route tables to {used} routes, above the quota of {quota}"
                            + (f" (the prefix list counts as its max_entries, {weight})" if kind == "pl" else ""),
                            loc=VPCS + (i, "transit_gateway", "routes", j),
                            hint="lower the prefix list's max_entries, route a summary CIDR instead, or ask AWS "
                            "for more routes per route table and set network.route_table_quota")
                break
