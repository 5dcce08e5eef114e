"""RAM shares of a network stack: one share per (resource type, target set), its principals resolved
(organization, OU ARNs, account ids; a target without an id yet is pending, never dropped silently)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.model.network import PrefixList, ResolverRule, Vpc
from landing_zone.blueprint.routing import pools_by_name
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.dns_firewall import FirewallPlan
from landing_zone.plan.ipam import IpamPlan, pool_key
from landing_zone.plan.model import Pending, Plan, Tags
from landing_zone.plan.names import digest, logical_id
from landing_zone.plan.shared import partition
from landing_zone.plan.shared_values import Published
from landing_zone.plan.transit import TransitGatewayPlan

MAX_SHARE_NAME = 128

ResourceType = Literal["subnet", "prefix-list", "resolver-rule", "transit-gateway", "ipam-pool",
                       "firewall-rule-group", "route53-profile", "parameter"]
# RAM resource type of each kind, in a fixed order (shares are emitted in this order).
RAM_TYPES: dict[str, str] = {
    "subnet": "ec2:Subnet",
    "prefix-list": "ec2:PrefixList",
    "resolver-rule": "route53resolver:ResolverRule",
    "transit-gateway": "ec2:TransitGateway",
    "ipam-pool": "ec2:IpamPool",
    "firewall-rule-group": "route53resolver:FirewallRuleGroup",
    "route53-profile": "route53profiles:Profile",
    "parameter": "ssm:Parameter",
}


@dataclass(frozen=True)
class SharedResource:
    kind: ResourceType
    key: str                    # "vpc/subnet" for subnets, "pool/region" for pools, "kind/key" for
                                # parameters, else the resource name


@dataclass(frozen=True)
class SharePlan:
    name: str
    logical_id: str
    kind: ResourceType
    resources: tuple[SharedResource, ...]
    principals: tuple[str, ...]     # organization / OU ARNs and account ids, sorted
    tags: Tags


def plan_shares(plan: Plan, bp: Blueprint, account: str, region: str, vpcs: list[Vpc], prefix_lists: list[PrefixList],
            rules: list[ResolverRule], gateways: list[TransitGatewayPlan], firewalls: tuple[FirewallPlan, ...],
            ipam: IpamPlan | None, publish: tuple[Published, ...], result: ComponentResult) -> tuple[SharePlan, ...]:
    groups: dict[tuple[ResourceType, tuple[str, ...]], list[tuple[SharedResource, Targets]]] = defaultdict(list)

    def add(kind: ResourceType, key: str, targets: Targets | None) -> None:
        if targets is not None and not targets.is_empty():
            groups[(kind, target_keys(targets))].append((SharedResource(kind, key), targets))

    for vpc in vpcs:
        for subnet in vpc.subnets:
            add("subnet", f"{vpc.name}/{subnet.name}", subnet.share_with)
        if vpc.endpoints.interface:
            add("route53-profile", vpc.name, vpc.endpoints.share_dns_with)
    for prefix_list in prefix_lists:
        add("prefix-list", prefix_list.name, prefix_list.share_with)
    for rule in rules:
        add("resolver-rule", rule.name, rule.share_with)
    specs = {g.name: g for g in bp.network.transit_gateways}
    for gateway in gateways:
        add("transit-gateway", gateway.name, specs[gateway.name].share_with)
    if ipam is not None and bp.network.ipam is not None:
        pools = pools_by_name(bp)
        for pool in ipam.pools:
            for regional in pool.regional:
                add("ipam-pool", pool_key(pool.name, regional.region), pools[pool.name].share_with)
    walls = {f.name: f for f in bp.network.dns_firewall}
    for firewall in firewalls:
        add("firewall-rule-group", firewall.name, walls[firewall.name].share_with)
    for parameter in publish:
        add("parameter", f"{parameter.kind}/{parameter.key}", parameter.targets)

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
