"""A transit gateway as its owner's network stack builds it: route tables, associations, propagations,
static, prefix-list and blackhole routes, site-to-site VPN and Direct Connect, and the default route
tables that route the attachments other accounts create.

Attachments of other accounts reach the gateway through its RAM share and are accepted on their own
(AutoAcceptSharedAttachments: only organization principals receive the share). A declared VPC of
another account publishes its attachment id (a shared SSM parameter); the owner routes it in a later
phase (`ForeignRoutingPlan`, the `network-routing` stack). A VPC template's attachments are made in
accounts nobody names in advance: AWS associates and propagates them through the gateway's default
association and propagation route tables. The owner's own attachments use explicit associations,
which fail on an attachment AWS already associated; so defaults are switched off while they are
created and on again afterwards (`DefaultsPlan`), and the switch-on associates any attachment that
arrived unassociated in between.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.network import TransitGateway
from landing_zone.blueprint.routing import gateway_attachments, gateway_peerings, pool_blocks, pools_by_name
from landing_zone.plan.model import Plan, Tags
from landing_zone.plan.names import digest, logical_id
from landing_zone.plan.shared_values import StackValues
from landing_zone.plan.vpcs import DestinationPlan, destination, named


@dataclass(frozen=True)
class TgwTablePlan:
    name: str
    logical_id: str
    tags: Tags
    export_name: str = ""       # its id, exported whether used or not (the routing stack imports it)


@dataclass(frozen=True)
class TgwLinkPlan:
    """An association or a propagation of one of the owner's own attachments."""

    table: str
    attachment: str
    logical_id: str


@dataclass(frozen=True)
class TgwRoutePlan:
    table: str
    destination: DestinationPlan
    attachment: str | None              # None: blackhole
    logical_id: str


@dataclass(frozen=True)
class VpnPlan:
    name: str
    logical_id: str
    customer_gateway: str               # logical id
    attachment_lookup: str              # logical id of the lookup of its attachment id
    customer_gateway_ip: str
    bgp_asn: int
    static: bool
    tags: Tags


@dataclass(frozen=True)
class DirectConnectPlan:
    name: str
    logical_id: str
    attachment_lookup: str
    gateway_id: str
    allowed_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class DefaultsPlan:
    association_table: str | None
    propagation_table: str | None
    revision: str                       # changes whenever the owner's own attachments or routing change
    off_logical_id: str
    on_logical_id: str


@dataclass(frozen=True)
class ForeignRoutingPlan:
    """A declared VPC of another account: its attachment id (that account's shared parameter) is
    associated and propagated by the owner in the routing phase, whatever AWS's defaults did first."""

    name: str                           # VPC name
    account: str                        # the VPC's account
    logical_id: str
    association: str | None             # route table
    propagations: tuple[str, ...]       # route tables
    routes: tuple[TgwRoutePlan, ...]    # static routes to it


@dataclass(frozen=True)
class AttachmentRouting:
    """Every attachment of the gateway, with the networks reached through it (for the offline proofs)."""

    name: str
    kind: Literal["vpc", "vpn", "direct-connect", "template", "peering"]
    networks: tuple[str, ...]           # a peering's: none of its own (the peer gateway routes on)
    remote: bool
    peer: str = ""                      # a peering's other gateway


@dataclass(frozen=True)
class TableRouting:
    name: str
    associated: tuple[str, ...]
    propagated: tuple[str, ...]
    routes: tuple[tuple[str, str | None], ...]      # (CIDR, attachment; None = blackhole), lists expanded


@dataclass(frozen=True)
class TransitGatewayPlan:
    name: str
    description: str
    logical_id: str
    amazon_side_asn: int
    tags: Tags
    region: str = ""
    own_tables: bool = False            # route tables declared: AWS's default route table is off
    auto_accept: bool = False           # attachments of other accounts (through the share) accepted
    route_tables: tuple[TgwTablePlan, ...] = ()
    associations: tuple[TgwLinkPlan, ...] = ()
    propagations: tuple[TgwLinkPlan, ...] = ()
    routes: tuple[TgwRoutePlan, ...] = ()
    vpns: tuple[VpnPlan, ...] = ()
    direct_connects: tuple[DirectConnectPlan, ...] = ()
    defaults: DefaultsPlan | None = None
    foreign: tuple[ForeignRoutingPlan, ...] = ()
    attachments: tuple[AttachmentRouting, ...] = ()
    tables: tuple[TableRouting, ...] = ()
    peered: bool = False                # in a peering: its id is an output (the peering stacks read it)

    @property
    def lookups(self) -> int:
        return len(self.vpns) + len(self.direct_connects)


def _networks(bp: Blueprint, gateway: TransitGateway, name: str, kind: str) -> tuple[str, ...]:
    if kind == "vpc":
        vpc = next(v for v in bp.network.vpcs if v.name == name)
        return (vpc.cidr,)
    if kind == "vpn":
        vpn = next(v for v in gateway.vpn_connections if v.name == name)
        return tuple(sorted(vpn.static_routes or vpn.advertised_routes))
    if kind == "direct-connect":
        dx = next(d for d in gateway.direct_connect_gateways if d.name == name)
        return tuple(sorted(dx.advertised_routes))
    template = next(t for t in bp.network.vpc_templates if t.name == name)
    pool = pools_by_name(bp)[template.ipam_pool]
    assert bp.network.ipam is not None
    return (str(pool_blocks(pool, bp.network.ipam)[gateway.region]),)


def table_export_name(prefix: str, gateway: str, table: str) -> str:
    return f"{prefix}-tgw-{gateway}-{table}-id"


def plan_transit_gateway(plan: Plan, bp: Blueprint, gateway: TransitGateway, values: StackValues) -> TransitGatewayPlan:
    prefix = f"{gateway.name}/"
    refs = gateway_attachments(bp, gateway)
    # Peering attachments are associated and routed by the peering stacks (plan/peering.py).
    peered = set(gateway_peerings(bp, gateway))
    foreign = {name for name, ref in refs.items() if ref.foreign}
    remote = {name for name, ref in refs.items() if ref.remote} | foreign
    static_vpns = {v.name: v for v in gateway.vpn_connections if v.static_routes}
    tables = sorted(gateway.route_tables, key=lambda t: t.name)
    route_tables = tuple(TgwTablePlan(t.name, logical_id("TgwRouteTable", prefix + t.name),
                                      named(plan, f"{plan.name}-{gateway.name}-{t.name}"),
                                      table_export_name(plan.name, gateway.name, t.name)) for t in tables)
    associations, propagations, routes = [], [], []
    foreign_routes: list[TgwRoutePlan] = []
    routing = []
    for table in tables:
        key = f"{prefix}{table.name}/"
        for name in sorted(set(table.associate) - remote - peered):
            associations.append(TgwLinkPlan(table.name, name, logical_id("TgwAssociation", key + name)))
        for name in sorted(set(table.propagate) - remote):
            if name in static_vpns:
                for cidr in sorted(set(static_vpns[name].static_routes)):
                    routes.append(TgwRoutePlan(table.name, DestinationPlan(cidr, cidr=cidr), name,
                                               logical_id("TgwRoute", f"{key}{cidr}|{name}")))
            else:
                propagations.append(TgwLinkPlan(table.name, name, logical_id("TgwPropagation", key + name)))
        expanded: list[tuple[str, str | None]] = []
        for route in sorted(table.routes, key=lambda r: r.destination):
            if route.peering is not None:       # built by the peering stacks; routed here for the proofs
                peering: str = route.peering
                expanded += [(cidr, peering) for cidr in
                             destination(bp, route.destination, gateway.region, values).networks]
                continue
            target = route.attachment if not route.blackhole else None
            resolved = destination(bp, route.destination, gateway.region, values)
            (foreign_routes if target in foreign else routes).append(TgwRoutePlan(
                table.name, resolved, target, logical_id("TgwRoute", f"{key}{route.destination}|{target or 'blackhole'}")))
            expanded += [(cidr, target) for cidr in resolved.networks]
        expanded += [(cidr, name) for name in sorted(set(table.propagate) & set(static_vpns))
                     for cidr in static_vpns[name].static_routes]
        routing.append(TableRouting(table.name, tuple(sorted(set(table.associate))),
                                    tuple(sorted(set(table.propagate))), tuple(sorted(set(expanded), key=str))))
    defaults = None
    templates = remote - foreign
    if templates and tables:
        first = sorted(templates)[0]
        association = next((t.name for t in tables if first in t.associate), None)
        propagation = next((t.name for t in tables if first in t.propagate), None)
        own = sorted(set(refs) - remote)
        revision = digest(repr((own, [(a.table, a.attachment) for a in associations],
                                [(p.table, p.attachment) for p in propagations], association, propagation,
                                gateway.side_asn)), 12)
        defaults = DefaultsPlan(association, propagation, revision, logical_id("TgwDefaultsOff", gateway.name),
                                logical_id("TgwDefaultsOn", gateway.name))
    vpns = tuple(VpnPlan(
        name=v.name, logical_id=logical_id("Vpn", prefix + v.name),
        customer_gateway=logical_id("CustomerGateway", prefix + v.name),
        attachment_lookup=logical_id("VpnAttachment", prefix + v.name), customer_gateway_ip=v.customer_gateway_ip,
        bgp_asn=v.bgp_asn, static=bool(v.static_routes), tags=named(plan, f"{plan.name}-{gateway.name}-{v.name}"))
        for v in sorted(gateway.vpn_connections, key=lambda v: v.name))
    direct_connects = tuple(DirectConnectPlan(
        name=d.name, logical_id=logical_id("DirectConnect", prefix + d.name),
        attachment_lookup=logical_id("DirectConnectAttachment", prefix + d.name), gateway_id=d.gateway_id,
        allowed_prefixes=tuple(sorted(set(d.allowed_prefixes))))
        for d in sorted(gateway.direct_connect_gateways, key=lambda d: d.name))
    attachments = tuple(sorted(
        [AttachmentRouting(name, ref.kind, _networks(bp, gateway, name, ref.kind), ref.remote)
         for name, ref in refs.items()]
        + [AttachmentRouting(name, "peering", (), False, peer=ref.peer_of(gateway.name))
           for name, ref in gateway_peerings(bp, gateway).items() if name not in refs],
        key=lambda a: a.name))
    accounts = {v.name: v.account for v in bp.network.vpcs}
    foreign_plans = tuple(ForeignRoutingPlan(
        name=name, account=accounts[name], logical_id=logical_id("TgwAttachmentRouting", prefix + name),
        association=next((t.name for t in tables if name in t.associate), None),
        propagations=tuple(t.name for t in tables if name in t.propagate),
        routes=tuple(sorted((r for r in foreign_routes if r.attachment == name), key=lambda r: r.logical_id)))
        for name in sorted(foreign))
    return TransitGatewayPlan(
        name=gateway.name, description=f"{plan.name} landing zone: transit gateway {gateway.name}",
        logical_id=logical_id("TransitGateway", gateway.name), amazon_side_asn=gateway.side_asn,
        tags=named(plan, f"{plan.name}-{gateway.name}"), region=gateway.region, own_tables=bool(tables),
        auto_accept=bool(remote), route_tables=route_tables, associations=tuple(associations),
        propagations=tuple(propagations), routes=tuple(sorted(routes, key=lambda r: r.logical_id)), vpns=vpns,
        direct_connects=direct_connects, defaults=defaults, foreign=foreign_plans, attachments=attachments,
        tables=tuple(routing), peered=bool(peered))
