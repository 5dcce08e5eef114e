"""Network component: VPCs, prefix lists, resolver rules and Transit Gateways per (owner account, region),
RAM shares grouped per (resource type, target set), and the management-account stack that turns on
RAM sharing with the organization (every stack holding a share depends on it)."""
from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.model.network import Network, PrefixList, ResolverRule, TransitGateway, Vpc
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.model import Pending, Plan, StackPlan, Tags
from landing_zone.plan.names import digest, logical_id, stack_name
from landing_zone.plan.shared import log_bucket_name

COMPONENT = "network"
SHARING_COMPONENT = "sharing"
# The EnableSharingWithAwsOrganization provider: handler function, role and policy, CDK's
# framework function, role and policy, and the custom resource itself.
SHARING_STACK_RESOURCES = 7
# Outbound DNS from the resolver endpoint to the forwarding targets.
DNS_PORT = 53
MAX_SHARE_NAME = 128

ResourceType = Literal["subnet", "prefix-list", "resolver-rule", "transit-gateway"]
# RAM resource type of each kind, in a fixed order (shares are emitted in this order).
RAM_TYPES: dict[str, str] = {
    "subnet": "ec2:Subnet",
    "prefix-list": "ec2:PrefixList",
    "resolver-rule": "route53resolver:ResolverRule",
    "transit-gateway": "ec2:TransitGateway",
}


# ---------- payload: what the CDK network stack consumes ----------

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


@dataclass(frozen=True)
class NatGatewayPlan:
    logical_id: str
    subnet: str                 # name of the public subnet it sits in
    tags: Tags


@dataclass(frozen=True)
class ResolverEndpointPlan:
    name: str
    logical_id: str
    subnets: tuple[str, ...]    # subnet names, two AZs
    egress: tuple[str, ...]     # CIDRs (target DNS servers) the endpoint may reach on port 53
    tags: Tags


@dataclass(frozen=True)
class VpcPlan:
    name: str
    logical_id: str
    cidr: str
    subnets: tuple[SubnetPlan, ...]
    internet_gateway: bool
    nat_gateway: NatGatewayPlan | None
    flow_logs_destination: str | None   # S3 bucket ARN; None when off or pending
    resolver_endpoint: ResolverEndpointPlan | None
    tags: Tags
    export_name: str = ""       # CloudFormation export of the VPC id (same account and region)


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
class TransitGatewayPlan:
    name: str
    description: str
    logical_id: str
    amazon_side_asn: int
    tags: Tags


@dataclass(frozen=True)
class SharedResource:
    kind: ResourceType
    key: str                    # "vpc/subnet" for subnets, else the resource name


@dataclass(frozen=True)
class SharePlan:
    name: str
    logical_id: str
    kind: ResourceType
    resources: tuple[SharedResource, ...]
    principals: tuple[str, ...]     # organization / OU ARNs and account ids, sorted
    tags: Tags


@dataclass(frozen=True)
class NetworkPayload:
    account: str
    vpcs: tuple[VpcPlan, ...]
    prefix_lists: tuple[PrefixListPlan, ...]
    resolver_rules: tuple[ResolverRulePlan, ...]
    transit_gateways: tuple[TransitGatewayPlan, ...]
    shares: tuple[SharePlan, ...]


@dataclass(frozen=True)
class SharingPayload:
    prefix: str                 # names the handler function


# ---------- planner ----------

def plan_network(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    result = ComponentResult()
    network = loaded.model.network
    if network is None:
        return result
    owners = _owners(network)
    if not owners:
        return result
    log_archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    bucket_arn = (f"arn:{partition(plan.home_region)}:s3:::{log_bucket_name(loaded.model, log_archive.id)}"
                  if log_archive and log_archive.id else None)

    sharing = stack_name(plan.name, SHARING_COMPONENT)
    uses_sharing = False
    for account, region in sorted(owners):
        payload = _payload(plan, network, account, region, bucket_arn, result)
        role = plan.account(account).role
        stack = member_stack(
            plan, result, account=account, component=COMPONENT, region=region,
            name_part=COMPONENT if role == "network" else f"{COMPONENT}-{plan.account(account).key}",
            description=f"{plan.name} landing zone: shared network of account {account} in {region}",
            resources=count_resources(payload), payload=payload,
            depends_on=(sharing,) if payload.shares else ())
        if stack is None:
            continue
        uses_sharing = uses_sharing or bool(payload.shares)
    if uses_sharing:
        result.stacks.insert(0, sharing_stack(plan))
    return result


def sharing_stack(plan: Plan) -> StackPlan:
    """The management-account stack that turns on RAM sharing with the organization; every stack
    holding a RAM share depends on it (build_plan adds it when only other components need it)."""
    return StackPlan(
        name=stack_name(plan.name, SHARING_COMPONENT), component=SHARING_COMPONENT,
        account_id=plan.management_account_id, region=plan.home_region, resources=SHARING_STACK_RESOURCES,
        description=f"{plan.name} landing zone: RAM sharing with the organization",
        payload=SharingPayload(prefix=plan.name))


def _owners(network: Network) -> set[tuple[str, str]]:
    owned = [*network.vpcs, *network.prefix_lists, *network.transit_gateways]
    return {(item.account, item.region) for item in owned}


def _payload(plan: Plan, network: Network, account: str, region: str, bucket_arn: str | None,
             result: ComponentResult) -> NetworkPayload:
    def owned(items):
        return sorted((i for i in items if (i.account, i.region) == (account, region)), key=lambda i: i.name)

    vpcs, prefix_lists = owned(network.vpcs), owned(network.prefix_lists)
    gateways = owned(network.transit_gateways)
    names = {v.name for v in vpcs}
    rules = sorted((r for r in network.resolver_rules if r.vpc in names), key=lambda r: r.name)
    vpc_plans = tuple(_vpc(plan, vpc, [r for r in rules if r.vpc == vpc.name], bucket_arn, result)
                      for vpc in vpcs)
    shares = _shares(plan, account, region, vpcs, prefix_lists, rules, gateways, result)
    return NetworkPayload(
        account=account,
        vpcs=vpc_plans,
        prefix_lists=tuple(_prefix_list(plan, p, vpcs[0].name if vpcs else None) for p in prefix_lists),
        resolver_rules=tuple(ResolverRulePlan(
            name=r.name, resource_name=f"{plan.name}-{r.name}", logical_id=logical_id("ResolverRule", r.name),
            domain=r.domain, vpc=r.vpc, target_ips=tuple(r.target_ips),
            tags=_named(plan, f"{plan.name}-{r.name}")) for r in rules),
        transit_gateways=tuple(TransitGatewayPlan(
            name=t.name, description=f"{plan.name} landing zone: transit gateway {t.name}",
            logical_id=logical_id("TransitGateway", t.name), amazon_side_asn=t.amazon_side_asn,
            tags=_named(plan, f"{plan.name}-{t.name}")) for t in gateways),
        shares=shares)


def _vpc(plan: Plan, vpc: Vpc, rules: list[ResolverRule], bucket_arn: str | None,
         result: ComponentResult) -> VpcPlan:
    ordered = sorted(vpc.subnets, key=lambda s: s.name)
    public = [s for s in ordered if s.public]
    nat = (NatGatewayPlan(logical_id=logical_id("NatGateway", vpc.name), subnet=public[0].name,
                          tags=_named(plan, f"{plan.name}-{vpc.name}"))
           if vpc.nat_gateway and public else None)

    def route(public_subnet: bool) -> Literal["internet", "nat", "none"]:
        if public_subnet and vpc.internet_gateway:
            return "internet"
        return "nat" if nat and not public_subnet else "none"

    subnets = tuple(SubnetPlan(
        name=s.name, logical_id=logical_id("Subnet", f"{vpc.name}/{s.name}"), cidr=s.cidr, az_id=s.az_id,
        public=s.public, route=route(s.public), tags=_named(plan, f"{plan.name}-{vpc.name}-{s.name}"),
        export_name=subnet_export_name(plan.name, vpc.name, s.name))
        for s in ordered)
    endpoint = None
    if rules:
        endpoint = ResolverEndpointPlan(
            name=f"{plan.name}-{vpc.name}-outbound", logical_id=logical_id("ResolverEndpoint", vpc.name),
            subnets=endpoint_subnets(vpc), egress=tuple(sorted(
                {f"{ip}/{ipaddress.ip_address(ip).max_prefixlen}" for r in rules for ip in r.target_ips})),
            tags=_named(plan, f"{plan.name}-{vpc.name}-outbound"))
    destination = None
    if vpc.flow_logs:
        destination = bucket_arn
        if bucket_arn is None:
            result.pending.append(Pending(f"flow logs of VPC {vpc.name}", "the log-archive account has no id "
                                          "yet, so the log bucket name is unknown; run `lz sync` after it "
                                          "is created"))
    return VpcPlan(name=vpc.name, logical_id=logical_id("Vpc", vpc.name), cidr=vpc.cidr, subnets=subnets,
                   internet_gateway=vpc.internet_gateway, nat_gateway=nat, flow_logs_destination=destination,
                   resolver_endpoint=endpoint, tags=_named(plan, f"{plan.name}-{vpc.name}"),
                   export_name=vpc_export_name(plan.name, vpc.name))


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


def _prefix_list(plan: Plan, prefix_list: PrefixList, example_vpc: str | None) -> PrefixListPlan:
    entries = tuple(sorted((e.cidr, e.description) for e in prefix_list.entries))
    return PrefixListPlan(
        name=prefix_list.name, resource_name=f"{plan.name}-{prefix_list.name}",
        logical_id=logical_id("PrefixList", prefix_list.name),
        address_family=address_family(prefix_list), max_entries=prefix_list.max_entries, entries=entries,
        example_vpc=example_vpc, tags=_named(plan, f"{plan.name}-{prefix_list.name}"))


def address_family(prefix_list: PrefixList) -> Literal["IPv4", "IPv6"]:
    return "IPv6" if any(":" in e.cidr for e in prefix_list.entries) else "IPv4"


# ---------- shares ----------

def _shares(plan: Plan, account: str, region: str, vpcs: list[Vpc], prefix_lists: list[PrefixList],
            rules: list[ResolverRule], gateways: list[TransitGateway],
            result: ComponentResult) -> tuple[SharePlan, ...]:
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[SharedResource, Targets]]] = defaultdict(list)

    def add(kind: ResourceType, key: str, targets: Targets | None) -> None:
        if targets is not None and not targets.is_empty():
            groups[(kind, target_keys(targets))].append((SharedResource(kind, key), targets))

    for vpc in vpcs:
        for subnet in vpc.subnets:
            add("subnet", f"{vpc.name}/{subnet.name}", subnet.share_with)
    for prefix_list in prefix_lists:
        add("prefix-list", prefix_list.name, prefix_list.share_with)
    for rule in rules:
        add("resolver-rule", rule.name, rule.share_with)
    for gateway in gateways:
        add("transit-gateway", gateway.name, gateway.share_with)

    order = list(RAM_TYPES)
    shares = []
    for (kind, keys), members in sorted(groups.items(), key=lambda g: (order.index(g[0][0]), g[0][1])):
        name = share_name(plan.name, kind, keys)
        subject = f"RAM share {name} ({account}, {region})"
        principals = resolve_principals(plan, members[0][1], subject, result)
        if not principals:
            continue
        shares.append(SharePlan(
            name=name, logical_id=logical_id("Share", f"{kind}|{','.join(sorted(map(plan.created, keys)))}"),
            kind=kind,
            resources=tuple(sorted((r for r, _ in members), key=lambda r: r.key)), principals=principals,
            tags=plan.tags))
    return tuple(shares)


def target_keys(targets: Targets) -> tuple[str, ...]:
    """The target set without order or duplicates: OU paths and Root as written, accounts as account:NAME."""
    return tuple(sorted(set(targets.units) | {f"account:{a}" for a in targets.accounts}))


def share_name(prefix: str, kind: str, keys: tuple[str, ...]) -> str:
    """`<name>-<kind>-to-<targets>`, readable; long target sets are cut and made unique by a hash."""
    slug = "_".join(re.sub(r"[^a-z0-9]+", "-", k.removeprefix("account:").lower()).strip("-") for k in keys)
    name = f"{prefix}-{kind}-to-{slug}"
    if len(name) > MAX_SHARE_NAME:
        name = f"{name[:MAX_SHARE_NAME - 9]}-{digest(','.join(keys))}"
    return name


def resolve_principals(plan: Plan, targets: Targets, subject: str,
                       result: ComponentResult) -> tuple[str, ...]:
    """Organization ARN for Root, OU ARNs, account ids; a target without an id yet is reported pending."""
    arn = f"arn:{partition(plan.home_region)}:organizations::{plan.management_account_id}"
    out = set()
    for unit in sorted(set(targets.units)):
        if unit == ROOT:
            out.add(f"{arn}:organization/{plan.organization_id}")
            continue
        unit_id = plan.unit(unit).id
        if unit_id:
            out.add(f"{arn}:ou/{plan.organization_id}/{unit_id}")
        else:
            result.pending.append(Pending(f"{subject} with OU {unit}", "the OU has no id yet; deploy the "
                                          "organization stack, then run `lz sync` to record it"))
    for name in sorted(set(targets.accounts)):
        account_id = plan.account(name).id
        if account_id:
            out.add(account_id)
        else:
            result.pending.append(Pending(f"{subject} with account {name}", "the account has no id yet; "
                                          "run `lz sync` after it is created"))
    return tuple(sorted(out))


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


# ---------- resource budget ----------

def count_resources(payload: NetworkPayload) -> int:
    """What the network stack will hold; kept in step with landing_zone/cdk/stacks/network.py."""
    total = 0
    for vpc in payload.vpcs:
        total += 1 + 3 * len(vpc.subnets)               # VPC; subnet, route table, association
        total += sum(1 for s in vpc.subnets if s.route != "none")   # default routes
        total += 2 if vpc.internet_gateway else 0       # gateway and attachment
        total += 2 if vpc.nat_gateway else 0            # elastic IP and NAT gateway
        total += 1 if vpc.flow_logs_destination else 0
        total += 2 if vpc.resolver_endpoint else 0      # security group and endpoint
    total += sum(2 if p.example_vpc else 1 for p in payload.prefix_lists)
    total += 2 * len(payload.resolver_rules)            # rule and VPC association
    total += len(payload.transit_gateways) + len(payload.shares)
    return total


def _named(plan: Plan, name: str) -> Tags:
    return tuple(sorted(dict(plan.tags, Name=name).items()))
