"""What the network section routes, shared by the checks and the plan: route destinations, each transit
gateway's attachments, IPAM blocks per region, and whom a RAM share reaches."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.issues import Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.model.network import TransitGateway, Vpc
from landing_zone.blueprint.model.network_services import Ipam, IpamPool, VpcTemplate
from landing_zone.blueprint.query import account_role, account_unit, accounts_by_name, unit_covers

DestinationKind = Literal["cidr", "pl", "ipam", "vpc"]
AttachmentKind = Literal["vpc", "vpn", "direct-connect", "template"]
DESTINATION_KINDS: tuple[DestinationKind, ...] = ("cidr", "pl", "ipam", "vpc")
PREFIXES: dict[str, DestinationKind] = {"pl:": "pl", "ipam:": "ipam", "vpc:": "vpc"}


def parse_destination(text: str) -> tuple[DestinationKind, str]:
    """`pl:corp` → ("pl", "corp"); anything without a known prefix is a CIDR (checked elsewhere)."""
    for prefix, kind in PREFIXES.items():
        if text.startswith(prefix):
            return kind, text[len(prefix):]
    return "cidr", text


@dataclass(frozen=True)
class AttachmentRef:
    """One attachment of a gateway. A `foreign` one is a declared VPC of another account: that
    account publishes its attachment id, and the owner routes it in a later phase. A `remote` one is
    a VPC template's: made in accounts nobody names in advance, so only the gateway's default
    association and propagation route tables can route it."""

    name: str
    kind: AttachmentKind
    remote: bool
    loc: Loc
    foreign: bool = False


def gateway_attachments(bp: Blueprint, gateway: TransitGateway) -> dict[str, AttachmentRef]:
    """Every attachment of the gateway by name (the first one of a name; duplicates are reported)."""
    out: dict[str, AttachmentRef] = {}

    def add(ref: AttachmentRef) -> None:
        out.setdefault(ref.name, ref)

    for i, vpc in enumerate(bp.network.vpcs):
        if vpc.transit_gateway is not None and vpc.transit_gateway.name == gateway.name:
            add(AttachmentRef(vpc.name, "vpc", False, ("network", "vpcs", i, "transit_gateway"),
                              foreign=vpc.account != gateway.account))
    index = next(i for i, g in enumerate(bp.network.transit_gateways) if g is gateway)
    here: Loc = ("network", "transit_gateways", index)
    for j, vpn in enumerate(gateway.vpn_connections):
        add(AttachmentRef(vpn.name, "vpn", False, here + ("vpn_connections", j, "name")))
    for j, dx in enumerate(gateway.direct_connect_gateways):
        add(AttachmentRef(dx.name, "direct-connect", False, here + ("direct_connect_gateways", j, "name")))
    for i, template in enumerate(bp.network.vpc_templates):
        if template.transit_gateway == gateway.name:
            add(AttachmentRef(template.name, "template", True, ("network", "vpc_templates", i, "transit_gateway")))
    return out


@dataclass(frozen=True)
class PeeringRef:
    """A peering as one of its two gateways sees it: `requester` declares it (network.transit_gateways[]
    .peerings), `accepter` is the peer; `loc` is the declaration."""

    name: str
    requester: str
    accepter: str
    loc: Loc

    def peer_of(self, gateway: str) -> str:
        return self.accepter if gateway == self.requester else self.requester


def peerings(bp: Blueprint) -> list[PeeringRef]:
    """Every declared peering whose two gateways exist and differ (the first of a name; the checks
    report unknown peers and duplicates)."""
    gateways = gateways_by_name(bp)
    out: dict[str, PeeringRef] = {}
    for i, gateway in enumerate(bp.network.transit_gateways):
        if gateways.get(gateway.name) is not gateway:
            continue
        for j, peering in enumerate(gateway.peerings):
            if peering.gateway in gateways and peering.gateway != gateway.name:
                out.setdefault(peering.name, PeeringRef(peering.name, gateway.name, peering.gateway,
                                                        ("network", "transit_gateways", i, "peerings", j)))
    return list(out.values())


def gateway_peerings(bp: Blueprint, gateway: TransitGateway) -> dict[str, PeeringRef]:
    """The peerings of one gateway by name, on either side."""
    return {p.name: p for p in peerings(bp) if gateway.name in (p.requester, p.accepter)}


def gateways_by_name(bp: Blueprint) -> dict[str, TransitGateway]:
    out: dict[str, TransitGateway] = {}
    for gateway in bp.network.transit_gateways:
        out.setdefault(gateway.name, gateway)
    return out


def vpcs_by_name(bp: Blueprint) -> dict[str, Vpc]:
    out: dict[str, Vpc] = {}
    for vpc in bp.network.vpcs:
        out.setdefault(vpc.name, vpc)
    return out


def network(value: str) -> ipaddress.IPv4Network | None:
    """An IPv4 network written with its host bits clear, or None."""
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError:
        return None
    return net if isinstance(net, ipaddress.IPv4Network) else None


# ---------- IPAM ----------

def ipam_home(bp: Blueprint, ipam: Ipam) -> str:
    """Where the IPAM and all its pools live: the home region when it operates there, else the first."""
    return bp.home_region if bp.home_region in ipam.regions else min(ipam.regions, default=bp.home_region)


def pool_blocks(pool: IpamPool, ipam: Ipam) -> dict[str, ipaddress.IPv4Network]:
    """The pool's CIDR split into equal power-of-two blocks, one per operating region in name order
    (empty when the CIDR is invalid or too small to split)."""
    net = network(pool.cidr)
    regions = sorted(set(ipam.regions))
    if net is None or not regions:
        return {}
    bits = (len(regions) - 1).bit_length()
    if net.prefixlen + bits > 32:
        return {}
    return dict(zip(regions, net.subnets(prefixlen_diff=bits), strict=False))


def pools_by_name(bp: Blueprint) -> dict[str, IpamPool]:
    ipam = bp.network.ipam
    out: dict[str, IpamPool] = {}
    for pool in ipam.pools if ipam else []:
        out.setdefault(pool.name, pool)
    return out


# ---------- who a share reaches ----------

def account_is_covered(bp: Blueprint, targets: Targets | None, account: str) -> bool:
    if targets is None:
        return False
    if account in targets.accounts:
        return True
    member = accounts_by_name(bp).get(account)
    unit = (account_unit(bp, member) or ROOT) if member else None
    return unit is not None and any(unit_covers(granted, unit) for granted in targets.units)


def unit_is_covered(targets: Targets | None, unit: str) -> bool:
    return targets is not None and any(unit_covers(granted, unit) for granted in targets.units)


def template_accounts(bp: Blueprint, template: VpcTemplate) -> list[str]:
    """Accounts the template's StackSet reaches today (more arrive with every account created there)."""
    out = []
    for account in bp.organization.accounts:
        unit = account_unit(bp, account) or ROOT
        if any(unit_covers(granted, unit) for granted in template.units):
            out.append(account.name)
    return sorted(set(out))


def network_account(bp: Blueprint) -> str | None:
    return next((a.name for a in bp.organization.accounts if account_role(bp, a) == "network"), None)
