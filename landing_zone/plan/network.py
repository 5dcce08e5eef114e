"""Network component: one stack per (owner account, region) holding its VPCs (plan/vpcs.py), prefix
lists, resolver rules, transit gateways and their routing (plan/transit.py), DNS Firewall rule groups
(plan/dns_firewall.py), the IPAM (plan/ipam.py), the SSM parameters that pass ids to other accounts
(plan/shared_values.py) and RAM shares grouped per (resource type, target set); the VPC templates'
StackSets (plan/vpc_templates.py); and the management-account stack that turns on RAM sharing with
the organization (every stack holding a share depends on it). A directory trust needs a route to its
forwarders: proven offline from these payloads (plan/reachability.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal, TypeGuard, TypeVar

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import Targets
from landing_zone.blueprint.model.network import PrefixList, TransitGateway, Vpc
from landing_zone.blueprint.routing import (
    account_is_covered,
    ipam_home,
    pool_blocks,
    pools_by_name,
    vpcs_by_name,
)
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.dns_firewall import (
    FirewallPlan,
    firewall_associations,
    firewall_owner,
    firewall_regions,
    plan_firewalls,
)
from landing_zone.plan.gateway_routing import ATTACHMENT, attachment_targets, plan_gateway_routing
from landing_zone.plan.ipam import IpamPlan, plan_ipam, pool_key
from landing_zone.plan.model import Pending, Plan, StackPlan, Tags
from landing_zone.plan.names import logical_id, stack_name
from landing_zone.plan.peering import plan_peerings
from landing_zone.plan.reachability import trust_issues
from landing_zone.plan.shared import PROVIDER_RESOURCES, log_bucket_name
from landing_zone.plan.shared import partition as partition
from landing_zone.plan.shared_values import Imported, Published, StackValues, network_stack_name, published
from landing_zone.plan.shares import (  # noqa: F401 - re-exported: CDK code imports them from here
    RAM_TYPES,
    SharedResource,
    SharePlan,
    plan_shares,
    resolve_principals,
    share_name,
    target_keys,
)
from landing_zone.plan.transit import TransitGatewayPlan, plan_transit_gateway
from landing_zone.plan.vpc_templates import plan_vpc_templates
from landing_zone.plan.vpcs import (  # noqa: F401 - re-exported: CDK code imports them from here
    AssociationPlan,
    NatGatewayPlan,
    ResolverEndpointPlan,
    SubnetPlan,
    VpcPlan,
    endpoint_subnets,
    named,
    plan_vpc,
    routes_through,
    subnet_export_name,
    vpc_export_name,
)

COMPONENT = "network"
SHARING_COMPONENT = "sharing"
# The EnableSharingWithAwsOrganization provider and its custom resource.
SHARING_STACK_RESOURCES = PROVIDER_RESOURCES + 1
# Outbound DNS from the resolver endpoint to the forwarding targets.
DNS_PORT = 53
# The transit gateway handler's provider, shared by a stack's attachment lookups and default-route-table
# switches.
ROUTING_PROVIDER_RESOURCES = PROVIDER_RESOURCES


# What one account owns in one region.
_Owned = TypeVar("_Owned", Vpc, PrefixList, TransitGateway)

# ---------- payload: what the CDK network stack consumes ----------

@dataclass(frozen=True)
class PrefixListPlan:
    name: str
    resource_name: str          # the name in AWS, prefixed with the blueprint name
    logical_id: str
    address_family: Literal["IPv4", "IPv6"]
    max_entries: int
    entries: tuple[tuple[str, str], ...]     # (cidr, description), sorted by cidr
    example_vpc: str | None                  # VPC (same owner and region) of the example SSH security group
    tags: Tags


@dataclass(frozen=True)
class ResolverRulePlan:
    name: str
    resource_name: str
    logical_id: str
    domain: str
    vpc: str                    # forwarding VPC (its outbound endpoint), associated with the rule
    target_ips: tuple[str, ...]
    tags: Tags


@dataclass(frozen=True)
class NetworkPayload:
    account: str
    vpcs: tuple[VpcPlan, ...]
    prefix_lists: tuple[PrefixListPlan, ...]
    resolver_rules: tuple[ResolverRulePlan, ...]
    transit_gateways: tuple[TransitGatewayPlan, ...]
    shares: tuple[SharePlan, ...]
    region: str = ""
    firewalls: tuple[FirewallPlan, ...] = ()
    ipam: IpamPlan | None = None
    published: tuple[Published, ...] = ()
    imports: tuple[Imported, ...] = ()
    cross_region: tuple[tuple[str, str, str], ...] = ()     # (kind, key, producing stack) read here

    @property
    def routing_handler(self) -> bool:
        """Whether the stack needs the transit gateway handler (attachment lookups, defaults)."""
        return any(g.lookups or g.defaults for g in self.transit_gateways)


@dataclass(frozen=True)
class SharingPayload:
    prefix: str                 # names the handler function


# ---------- planner ----------

def plan_network(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    result = ComponentResult()
    bp = loaded.model
    owners = _owners(bp)
    if not owners:
        return result
    log_archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    bucket_arn = (f"arn:{partition(plan.home_region)}:s3:::{log_bucket_name(bp, log_archive.id)}"
                  if log_archive and log_archive.id else None)

    sharing = stack_name(plan.name, SHARING_COMPONENT)
    payloads: dict[tuple[str, str], NetworkPayload] = {}
    made: list[str] = []
    for account, region in sorted(owners):
        values = StackValues(plan, account, region)
        payload = _payload(loaded, plan, account, region, bucket_arn, values, result)
        payloads[(account, region)] = payload
        for owner in sorted(set(values.missing)):
            result.pending.append(Pending(f"network of account {account} in {region}", f"account {owner} has "
                                          "no id yet, so its shared parameters' ARNs are unknown; run `lz sync`"))
        depends = sorted(values.depends | ({sharing} if payload.shares else set()))
        stack = member_stack(
            plan, result, account=account, component=COMPONENT, region=region,
            name_part=COMPONENT if plan.account(account).role == "network" else f"{COMPONENT}-{plan.account(account).key}",
            description=f"{plan.name} landing zone: shared network of account {account} in {region}",
            resources=count_resources(payload), payload=payload, depends_on=tuple(depends))
        if stack is not None:
            made.append(stack.name)
            plan_gateway_routing(plan, account, region, payload.transit_gateways, result)
    result.stacks = _dependencies_first(result.stacks)
    if any(p.shares for p in payloads.values()) and any(sharing in s.depends_on for s in result.stacks):
        result.stacks.insert(0, sharing_stack(plan))
    plan_vpc_templates(bp, plan, bucket_arn, result, tuple(sorted(made)))
    plan_peerings(plan, bp, set(made), result)
    result.issues += trust_issues(bp, [*payloads.values()])
    return result


def _dependencies_first(stacks: list[StackPlan]) -> list[StackPlan]:
    """Stacks in name order, each after the stacks of this list it depends on (a VPC of another account
    waits for the gateway's stack; a regional pool's stack for the IPAM's)."""
    by_name = {s.name: s for s in stacks}
    done: dict[str, StackPlan] = {}

    def visit(stack: StackPlan, seen: tuple[str, ...]) -> None:
        if stack.name in done or stack.name in seen:
            return
        for name in stack.depends_on:
            if name in by_name:
                visit(by_name[name], seen + (stack.name,))
        done[stack.name] = stack

    for stack in stacks:
        visit(stack, ())
    return list(done.values())


def sharing_stack(plan: Plan) -> StackPlan:
    """The management-account stack that turns on RAM sharing with the organization; every stack
    holding a RAM share depends on it (build_plan adds it when only other components need it)."""
    return StackPlan(
        name=stack_name(plan.name, SHARING_COMPONENT), component=SHARING_COMPONENT,
        account_id=plan.management_account_id, region=plan.home_region, resources=SHARING_STACK_RESOURCES,
        description=f"{plan.name} landing zone: RAM sharing with the organization",
        payload=SharingPayload(prefix=plan.name))


def _owners(bp: Blueprint) -> set[tuple[str, str]]:
    network = bp.network
    owned: list[Vpc | PrefixList | TransitGateway] = [*network.vpcs, *network.prefix_lists, *network.transit_gateways]
    out = {(item.account, item.region) for item in owned}
    out |= {(firewall_owner(bp, f), r) for f in network.dns_firewall for r in firewall_regions(bp, f)}
    if network.ipam is not None:
        out.add((network.ipam.account, ipam_home(bp, network.ipam)))
        out |= {(network.ipam.account, r) for r in _pool_export_regions(bp)}
    return out


def _pool_export_regions(bp: Blueprint) -> tuple[str, ...]:
    """Regions other than the IPAM's home whose network stack (the IPAM's account) reads a regional
    pool id (from the home region's stack, Fn::GetStackOutput): to publish it for other accounts, or
    for its own VPCs."""
    ipam = bp.network.ipam
    if ipam is None:
        return ()
    home = ipam_home(bp, ipam)
    shared = any(p.share_with and not p.share_with.is_empty() for p in ipam.pools)
    regions = {r for r in ipam.regions if shared}
    regions |= {v.region for v in bp.network.vpcs if v.ipam_pool and v.account == ipam.account}
    return tuple(sorted(regions - {home}))


def _payload(loaded: LoadedBlueprint, plan: Plan, account: str, region: str, bucket_arn: str | None,
             values: StackValues, result: ComponentResult) -> NetworkPayload:
    bp = loaded.model
    network = bp.network

    def owned(items: list[_Owned]) -> list[_Owned]:
        return sorted((i for i in items if (i.account, i.region) == (account, region)), key=lambda i: i.name)

    vpcs, prefix_lists = owned(network.vpcs), owned(network.prefix_lists)
    gateways = [plan_transit_gateway(plan, bp, g, values) for g in owned(network.transit_gateways)]
    names = {v.name for v in vpcs}
    rules = sorted((r for r in network.resolver_rules if r.vpc in names), key=lambda r: r.name)
    peers = _peers(bp)
    vpc_plans = tuple(plan_vpc(plan, bp, vpc, [r for r in rules if r.vpc == vpc.name], bucket_arn, values, result,
                               peers=peers, associations=_associations(plan, bp, vpc.name, values))
                      for vpc in vpcs)
    firewalls = plan_firewalls(loaded, plan, account, region)
    ipam = plan_ipam(plan, bp, account, region)
    publish = _published(plan, bp, account, region, gateways, prefix_lists, firewalls, vpc_plans, values)
    shares = plan_shares(plan, bp, account, region, vpcs, prefix_lists, rules, gateways, firewalls, ipam,
                     publish, result)
    return NetworkPayload(
        account=account, region=region,
        vpcs=vpc_plans,
        prefix_lists=tuple(_prefix_list(plan, p, vpcs[0].name if vpcs else None) for p in prefix_lists),
        resolver_rules=tuple(ResolverRulePlan(
            name=r.name, resource_name=f"{plan.name}-{r.name}", logical_id=logical_id("ResolverRule", r.name),
            domain=r.domain, vpc=r.vpc, target_ips=tuple(sorted(set(r.target_ips))),
            tags=named(plan, f"{plan.name}-{r.name}")) for r in rules),
        transit_gateways=tuple(gateways), shares=shares, firewalls=firewalls, ipam=ipam, published=publish,
        imports=tuple(sorted(values.imports.values(), key=lambda i: i.parameter_id)),
        cross_region=tuple(sorted((k, key, s) for (k, key), s in values.cross_region.items())))


def _peers(bp: Blueprint) -> dict[str, tuple[str, ...]]:
    """Per gateway, the networks attached to it: VPC CIDRs and VPC templates' IPAM blocks."""
    out: dict[str, set[str]] = defaultdict(set)
    for vpc in bp.network.vpcs:
        if vpc.transit_gateway is not None:
            out[vpc.transit_gateway.name].add(vpc.cidr)
    pools, ipam = pools_by_name(bp), bp.network.ipam
    for template in bp.network.vpc_templates:
        if template.transit_gateway and ipam is not None and template.ipam_pool in pools:
            blocks = pool_blocks(pools[template.ipam_pool], ipam)
            out[template.transit_gateway] |= {str(blocks[r]) for r in template.regions if r in blocks}
    return {name: tuple(sorted(cidrs)) for name, cidrs in out.items()}


def _associations(plan: Plan, bp: Blueprint, vpc_name: str, values: StackValues) -> tuple[AssociationPlan, ...]:
    """DNS Firewall rule groups and the Route 53 Profile of the region's shared endpoints."""
    vpc = vpcs_by_name(bp)[vpc_name]
    out = list(firewall_associations(plan, bp, vpc_name, lambda f: values.use(
        "firewall-rule-group", f.name, firewall_owner(bp, f), vpc.region)))
    for owner in sorted(bp.network.vpcs, key=lambda v: v.name):
        dns = owner.endpoints.share_dns_with
        if owner is vpc or owner.region != vpc.region or not owner.endpoints.interface or dns is None:
            continue
        if account_is_covered(bp, dns, vpc.account):
            out.append(AssociationPlan(ref=values.use("route53-profile", owner.name, owner.account, owner.region),
                                       name=f"{plan.name}-{vpc.name}-endpoints",
                                       logical_id=logical_id("ProfileAssociation", vpc.name)))
            break
    return tuple(out)


def _published(plan: Plan, bp: Blueprint, account: str, region: str, gateways: list[TransitGatewayPlan],
               prefix_lists: list[PrefixList], firewalls: tuple[FirewallPlan, ...], vpcs: tuple[VpcPlan, ...],
               values: StackValues) -> tuple[Published, ...]:
    """The ids this stack writes into shared SSM parameters: whatever it shares with other accounts."""
    out = []

    def shared(targets: Targets | None) -> TypeGuard[Targets]:
        return targets is not None and not targets.is_empty()

    by_name = {g.name: g for g in bp.network.transit_gateways}
    out += [published(plan, "transit-gateway", g.name, targets) for g in gateways
            if shared(targets := by_name[g.name].share_with)]
    out += [published(plan, "prefix-list", p.name, p.share_with) for p in prefix_lists if shared(p.share_with)]
    specs = {f.name: f for f in bp.network.dns_firewall}
    out += [published(plan, "firewall-rule-group", f.name, targets) for f in firewalls
            if shared(targets := specs[f.name].share_with)]
    declared = vpcs_by_name(bp)
    for vpc in vpcs:
        gateway = by_name.get(vpc.attachment.gateway) if vpc.attachment else None
        if gateway is not None and gateway.account != account:
            out.append(published(plan, ATTACHMENT, vpc.name, attachment_targets(gateway.account)))
        if vpc.endpoints and vpc.endpoints.profile:
            dns = declared[vpc.name].endpoints.share_dns_with
            assert dns is not None      # a profile is planned only for endpoints shared with someone
            out.append(published(plan, "route53-profile", vpc.name, dns))
    ipam = bp.network.ipam
    if ipam is not None and ipam.account == account and region in ipam.regions:
        home = ipam_home(bp, ipam)
        for pool in sorted(ipam.pools, key=lambda p: p.name):
            if shared(pool.share_with) and region in pool_blocks(pool, ipam):
                key = pool_key(pool.name, region)
                values.use("ipam-pool", key, ipam.account, home)       # cross-region when not home
                out.append(published(plan, "ipam-pool", key, pool.share_with,
                                     network_stack_name(plan, account, home) if region != home else ""))
    return tuple(sorted(out, key=lambda p: p.logical_id))


def _prefix_list(plan: Plan, prefix_list: PrefixList, example_vpc: str | None) -> PrefixListPlan:
    entries = tuple(sorted((e.cidr, e.description) for e in prefix_list.entries))
    return PrefixListPlan(
        name=prefix_list.name, resource_name=f"{plan.name}-{prefix_list.name}",
        logical_id=logical_id("PrefixList", prefix_list.name),
        address_family=address_family(prefix_list), max_entries=prefix_list.max_entries, entries=entries,
        example_vpc=example_vpc, tags=named(plan, f"{plan.name}-{prefix_list.name}"))


def address_family(prefix_list: PrefixList) -> Literal["IPv4", "IPv6"]:
    return "IPv6" if any(":" in e.cidr for e in prefix_list.entries) else "IPv4"


# ---------- resource budget ----------

def count_resources(payload: NetworkPayload) -> int:
    """What the network stack will hold; kept in step with landing_zone/cdk/stacks/network.py."""
    total = sum(_vpc_resources(vpc) for vpc in payload.vpcs)
    total += sum(2 if p.example_vpc else 1 for p in payload.prefix_lists)
    total += 2 * len(payload.resolver_rules)            # rule and VPC association
    for gateway in payload.transit_gateways:
        total += 1 + len(gateway.route_tables) + len(gateway.associations) + len(gateway.propagations)
        total += len(gateway.routes) + 3 * len(gateway.vpns) + 2 * len(gateway.direct_connects)
        total += 2 if gateway.defaults else 0           # default route tables off, then on
    total += ROUTING_PROVIDER_RESOURCES if payload.routing_handler else 0
    total += 2 * len(payload.firewalls)                 # domain list and rule group
    if payload.ipam:
        total += 1 + sum(1 + len(p.regional) for p in payload.ipam.pools)
    return total + len(payload.published) + len(payload.shares)


def _vpc_resources(vpc: VpcPlan) -> int:
    total = 1 + 3 * len(vpc.subnets)                    # VPC; subnet, route table, association
    total += sum(1 for s in vpc.subnets if s.route != "none")   # default routes
    total += 2 if vpc.internet_gateway else 0           # gateway and attachment
    total += 2 * len(vpc.nat_gateways)                  # elastic IP and NAT gateway
    total += 1 if vpc.flow_logs_destination else 0
    total += 2 if vpc.resolver_endpoint else 0          # security group and endpoint
    if vpc.attachment:
        total += 1 + sum(1 for s in vpc.subnets for d in vpc.attachment.routes if routes_through(s, d.text))
    if vpc.endpoints:
        interface = len(vpc.endpoints.interface)
        total += (1 + interface if interface else 0) + len(vpc.endpoints.gateway)
        total += 1 + interface if vpc.endpoints.profile else 0     # profile, one association per endpoint
    total += 2 if vpc.inbound_resolver else 0           # security group and endpoint
    total += 1 if vpc.ipam_pool else 0                  # the CIDR's allocation in the pool
    return total + len(vpc.associations)
