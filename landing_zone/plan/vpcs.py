"""A declared VPC as its network stack builds it: subnets and route tables, NAT gateways (one per AZ
or one), the transit gateway attachment and the routes every route table sends to it, VPC endpoints,
Resolver endpoints, DNS Firewall and Route 53 Profile associations, flow logs."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.network import ResolverRule, Vpc
from landing_zone.blueprint.routing import ipam_home, parse_destination, pool_blocks, pools_by_name, vpcs_by_name
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.model import Pending, Plan, Tags
from landing_zone.plan.names import logical_id
from landing_zone.plan.shared_values import Ref, StackValues

GATEWAY_SERVICES = {"s3": "s3", "dynamodb": "dynamodb"}
DEFAULT_ROUTE = "0.0.0.0/0"


@dataclass(frozen=True)
class SubnetPlan:
    name: str
    logical_id: str
    cidr: str
    az_id: str
    public: bool
    route: Literal["internet", "nat", "none"]     # where 0.0.0.0/0 goes from this subnet
    tags: Tags
    export_name: str = ""       # CloudFormation export of the subnet id (same account and region)
    nat_gateway: str = ""       # logical id of the NAT gateway its default route uses (route "nat")


@dataclass(frozen=True)
class NatGatewayPlan:
    logical_id: str
    subnet: str                 # name of the public subnet it sits in
    tags: Tags
    az_id: str = ""


@dataclass(frozen=True)
class ResolverEndpointPlan:
    name: str
    logical_id: str
    subnets: tuple[str, ...]    # subnet names, two AZs
    egress: tuple[str, ...]     # CIDRs (target DNS servers) the endpoint may reach on port 53
    tags: Tags


@dataclass(frozen=True)
class InboundResolverPlan:
    """An inbound Resolver endpoint: DNS (53) from the VPC and the networks routed to its gateway."""

    name: str
    logical_id: str
    subnets: tuple[str, ...]
    sources: tuple[str, ...]            # CIDRs
    source_lists: tuple[Ref, ...]       # prefix lists
    tags: Tags


@dataclass(frozen=True)
class DestinationPlan:
    """Where a route sends traffic, resolved: a CIDR, or a prefix list (its id, and its entries for the
    offline reachability proof)."""

    text: str                           # as the blueprint writes it (logical ids derive from it)
    cidr: str | None = None
    prefix_list: Ref | None = None
    entries: tuple[str, ...] = ()

    @property
    def networks(self) -> tuple[str, ...]:
        return (self.cidr,) if self.cidr else self.entries


@dataclass(frozen=True)
class VpcAttachmentPlan:
    gateway: str                        # transit gateway name
    gateway_ref: Ref
    logical_id: str
    subnets: tuple[str, ...]            # one per AZ, sorted by name
    routes: tuple[DestinationPlan, ...]
    tags: Tags

    def route_id(self, subnet: SubnetPlan, destination: DestinationPlan) -> str:
        return logical_id("TgwRoute", f"{subnet.name}/{destination.text}|{self.gateway}")


@dataclass(frozen=True)
class InterfaceEndpointPlan:
    service: str
    service_name: str
    logical_id: str
    tags: Tags


@dataclass(frozen=True)
class GatewayEndpointPlan:
    service: str
    service_name: str
    logical_id: str


@dataclass(frozen=True)
class ProfilePlan:
    """A Route 53 Profile holding the VPC's interface endpoints, shared through RAM: VPCs associated with
    it resolve the services' names to these endpoints."""

    name: str
    logical_id: str
    tags: Tags


@dataclass(frozen=True)
class AssociationPlan:
    """The VPC's association with something another stack (or account) makes: a Route 53 Profile or
    a DNS Firewall rule group."""

    ref: Ref
    name: str
    logical_id: str
    priority: int = 0                   # DNS Firewall: 101-9899, unique per VPC


@dataclass(frozen=True)
class EndpointsPlan:
    interface: tuple[InterfaceEndpointPlan, ...]
    gateway: tuple[GatewayEndpointPlan, ...]
    subnets: tuple[str, ...]            # interface endpoints: one private subnet per AZ
    security_group: str                 # logical id
    ingress: tuple[str, ...]            # CIDRs allowed to reach them on 443
    profile: ProfilePlan | None


@dataclass(frozen=True)
class VpcPlan:
    name: str
    logical_id: str
    cidr: str
    subnets: tuple[SubnetPlan, ...]
    internet_gateway: bool
    nat_gateways: tuple[NatGatewayPlan, ...]
    flow_logs_destination: str | None   # S3 bucket ARN; None when off or pending
    resolver_endpoint: ResolverEndpointPlan | None
    tags: Tags
    export_name: str = ""       # CloudFormation export of the VPC id (same account and region)
    attachment: VpcAttachmentPlan | None = None
    endpoints: EndpointsPlan | None = None
    inbound_resolver: InboundResolverPlan | None = None
    associations: tuple[AssociationPlan, ...] = ()
    ipam_pool: Ref | None = None
    region: str = field(default="", compare=False)

    @property
    def nat_gateway(self) -> NatGatewayPlan | None:
        """The first NAT gateway (the only one with nat_gateways: single)."""
        return self.nat_gateways[0] if self.nat_gateways else None


def routes_through(subnet: SubnetPlan, destination: str) -> bool:
    """Whether a subnet sends `destination` to the gateway: its own default route (internet or NAT
    gateway) wins over a 0.0.0.0/0 sent to the gateway."""
    return not (destination == DEFAULT_ROUTE and subnet.route != "none")


def named(plan: Plan, name: str) -> Tags:
    return tuple(sorted(dict(plan.tags, Name=name).items()))


def _export_part(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")


def vpc_export_name(prefix: str, vpc: str) -> str:
    """Every VPC id is exported under this name, used or not (an export that comes and goes with its
    importers deadlocks deploys); names are unique per account and region like the VPC names."""
    return f"{prefix}-vpc-{_export_part(vpc)}-id"


def subnet_export_name(prefix: str, vpc: str, subnet: str) -> str:
    return f"{prefix}-vpc-{_export_part(vpc)}-subnet-{_export_part(subnet)}-id"


def endpoint_subnets(vpc: Vpc) -> tuple[str, ...]:
    """Two subnets in two AZs for the outbound endpoint: private ones first, then by AZ id and name."""
    chosen: dict[str, str] = {}
    for subnet in sorted(vpc.subnets, key=lambda s: (s.public, s.az_id, s.name)):
        chosen.setdefault(subnet.az_id, subnet.name)
    return tuple(sorted(list(chosen.values())[:2]))


def per_az_subnets(vpc: Vpc) -> tuple[str, ...]:
    """One private subnet per AZ for interface endpoints: not the attachment's subnets when the AZ has
    others (those are usually /28s), then by name."""
    attached = set(vpc.transit_gateway.subnets) if vpc.transit_gateway else set()
    chosen: dict[str, str] = {}
    for subnet in sorted((s for s in vpc.subnets if not s.public), key=lambda s: (s.az_id, s.name in attached, s.name)):
        chosen.setdefault(subnet.az_id, subnet.name)
    return tuple(sorted(chosen.values()))


def destination(bp: Blueprint, text: str, region: str, values: StackValues) -> DestinationPlan:
    """A route destination resolved for a stack of `values`' account and region."""
    kind, name = parse_destination(text)
    if kind == "vpc":
        return DestinationPlan(text, cidr=vpcs_by_name(bp)[name].cidr)
    if kind == "ipam":
        assert bp.network.ipam is not None
        return DestinationPlan(text, cidr=str(pool_blocks(pools_by_name(bp)[name], bp.network.ipam)[region]))
    if kind == "pl":
        prefix_list = next(p for p in bp.network.prefix_lists if p.name == name)
        ref = values.use("prefix-list", name, prefix_list.account, prefix_list.region)
        return DestinationPlan(text, prefix_list=ref, entries=tuple(sorted(e.cidr for e in prefix_list.entries)))
    return DestinationPlan(text, cidr=text)


def _nat_gateways(plan: Plan, vpc: Vpc) -> tuple[tuple[NatGatewayPlan, ...], dict[str, str]]:
    """NAT gateways and, per AZ, the one its private subnets use. The single gateway (and, with
    per_az, the one in its AZ) keeps the id the single gateway always had: moving from one to per_az
    adds gateways and replaces none."""
    public = sorted((s for s in vpc.subnets if s.public), key=lambda s: s.name)
    if not (vpc.nat_gateway or vpc.nat_gateways) or not public or not vpc.internet_gateway:
        return (), {}
    tags = named(plan, f"{plan.name}-{vpc.name}")
    first = public[0]
    legacy = NatGatewayPlan(logical_id=logical_id("NatGateway", vpc.name), subnet=first.name, tags=tags,
                            az_id=first.az_id)
    private_zones = sorted({s.az_id for s in vpc.subnets if not s.public})
    # Unstated with private subnets in one AZ: one gateway, as nat_gateway: true always meant (the
    # checks refuse it unstated across several AZs).
    if vpc.nat_gateways != "per_az" or private_zones in ([], [first.az_id]):
        return (legacy,), {zone: legacy.logical_id for zone in private_zones}
    gateways, used = [], {}
    for zone in sorted(set(private_zones) | {first.az_id}):
        host = next((s for s in public if s.az_id == zone), None)
        if host is None:
            continue            # the checks refuse per_az without a public subnet in every private AZ
        gateway = legacy if zone == first.az_id else NatGatewayPlan(
            logical_id=logical_id("NatGateway", f"{vpc.name}/{zone}"), subnet=host.name,
            tags=named(plan, f"{plan.name}-{vpc.name}-{zone}"), az_id=zone)
        gateways.append(gateway)
        used[zone] = gateway.logical_id
    return tuple(sorted(gateways, key=lambda g: g.logical_id)), used


def plan_vpc(plan: Plan, bp: Blueprint, vpc: Vpc, rules: list[ResolverRule], bucket_arn: str | None,
             values: StackValues, result: ComponentResult, *, peers: dict[str, tuple[str, ...]],
             associations: tuple[AssociationPlan, ...] = ()) -> VpcPlan:
    """`peers`: per transit gateway, the networks attached to it (who may use this VPC's endpoints)."""
    ordered = sorted(vpc.subnets, key=lambda s: s.name)
    nats, nat_of = _nat_gateways(plan, vpc)

    def route(public_subnet: bool, zone: str) -> Literal["internet", "nat", "none"]:
        if public_subnet and vpc.internet_gateway:
            return "internet"
        return "nat" if not public_subnet and zone in nat_of else "none"

    subnets = tuple(SubnetPlan(
        name=s.name, logical_id=logical_id("Subnet", f"{vpc.name}/{s.name}"), cidr=s.cidr, az_id=s.az_id,
        public=s.public, route=route(s.public, s.az_id), tags=named(plan, f"{plan.name}-{vpc.name}-{s.name}"),
        export_name=subnet_export_name(plan.name, vpc.name, s.name),
        nat_gateway=nat_of.get(s.az_id, "") if route(s.public, s.az_id) == "nat" else "")
        for s in ordered)
    endpoint = None
    if rules:
        endpoint = ResolverEndpointPlan(
            name=f"{plan.name}-{vpc.name}-outbound", logical_id=logical_id("ResolverEndpoint", vpc.name),
            subnets=endpoint_subnets(vpc), egress=tuple(sorted(
                {f"{ip}/{ipaddress.ip_address(ip).max_prefixlen}" for r in rules for ip in r.target_ips})),
            tags=named(plan, f"{plan.name}-{vpc.name}-outbound"))
    destination_arn = None
    if vpc.flow_logs:
        destination_arn = bucket_arn
        if bucket_arn is None:
            result.pending.append(Pending(f"flow logs of VPC {vpc.name}", "the log-archive account has no id "
                                          "yet, so the log bucket name is unknown; run `lz sync` after it "
                                          "is created"))
    attachment = None
    if vpc.transit_gateway is not None:
        gateway = next(g for g in bp.network.transit_gateways if g.name == vpc.transit_gateway.name)
        attachment = VpcAttachmentPlan(
            gateway=gateway.name, gateway_ref=values.use("transit-gateway", gateway.name, gateway.account,
                                                         gateway.region),
            logical_id=logical_id("TgwAttachment", vpc.name), subnets=tuple(sorted(vpc.transit_gateway.subnets)),
            routes=tuple(sorted((destination(bp, d, vpc.region, values) for d in set(vpc.transit_gateway.routes)),
                                key=lambda d: d.text)),
            tags=named(plan, f"{plan.name}-{vpc.name}-{gateway.name}"))
    endpoints = _endpoints(plan, vpc, peers.get(attachment.gateway, ()) if attachment else ())
    inbound = None
    if vpc.inbound_resolver:
        routed = attachment.routes if attachment else ()
        inbound = InboundResolverPlan(
            name=f"{plan.name}-{vpc.name}-inbound", logical_id=logical_id("InboundResolver", vpc.name),
            subnets=endpoint_subnets(vpc),
            sources=tuple(sorted({vpc.cidr} | {d.cidr for d in routed if d.cidr and d.cidr != DEFAULT_ROUTE})),
            source_lists=tuple(sorted({d.prefix_list for d in routed if d.prefix_list})),
            tags=named(plan, f"{plan.name}-{vpc.name}-inbound"))
    pool = None
    if vpc.ipam_pool is not None and bp.network.ipam is not None:
        pool = values.use("ipam-pool", f"{vpc.ipam_pool}/{vpc.region}", bp.network.ipam.account,
                          ipam_home(bp, bp.network.ipam))
    return VpcPlan(name=vpc.name, logical_id=logical_id("Vpc", vpc.name), cidr=vpc.cidr, subnets=subnets,
                   internet_gateway=vpc.internet_gateway, nat_gateways=nats, flow_logs_destination=destination_arn,
                   resolver_endpoint=endpoint, tags=named(plan, f"{plan.name}-{vpc.name}"),
                   export_name=vpc_export_name(plan.name, vpc.name), attachment=attachment, endpoints=endpoints,
                   inbound_resolver=inbound, associations=associations, ipam_pool=pool, region=vpc.region)


def _endpoints(plan: Plan, vpc: Vpc, peers: tuple[str, ...]) -> EndpointsPlan | None:
    spec = vpc.endpoints
    if not spec.interface and not spec.gateway:
        return None
    interface = tuple(InterfaceEndpointPlan(
        service=s, service_name=s if s.startswith("com.amazonaws.") else f"com.amazonaws.{vpc.region}.{s}",
        logical_id=logical_id("Endpoint", f"{vpc.name}/{s}"), tags=named(plan, f"{plan.name}-{vpc.name}-{s}"))
        for s in sorted(set(spec.interface)))
    gateway = tuple(GatewayEndpointPlan(service=s, service_name=f"com.amazonaws.{vpc.region}.{GATEWAY_SERVICES[s]}",
                                        logical_id=logical_id("GatewayEndpoint", f"{vpc.name}/{s}"))
                    for s in sorted(set(spec.gateway)))
    profile = None
    if interface and spec.share_dns_with and not spec.share_dns_with.is_empty():
        profile = ProfilePlan(name=f"{plan.name}-{vpc.name}-endpoints", logical_id=logical_id("Profile", vpc.name),
                              tags=named(plan, f"{plan.name}-{vpc.name}-endpoints"))
    return EndpointsPlan(interface=interface, gateway=gateway, subnets=per_az_subnets(vpc) if interface else (),
                         security_group=logical_id("EndpointSecurityGroup", vpc.name),
                         ingress=tuple(sorted({vpc.cidr, *peers})) if interface else (), profile=profile)
