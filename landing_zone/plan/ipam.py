"""IPAM: an IP address manager in its owner's network stack of its home region, a top-level pool per
`network.ipam.pools` entry and one regional pool (locale) per operating region, shared through RAM.

IPAM pools live in the IPAM's home region whatever their locale; the id of a regional pool is
published, for other accounts, in its own region by the owner's network stack there, which reads it
from the home region's stack (an output that stack always declares, read with Fn::GetStackOutput)."""
from __future__ import annotations

from dataclasses import dataclass

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.routing import ipam_home, pool_blocks
from landing_zone.plan.model import Plan, Tags
from landing_zone.plan.names import logical_id
from landing_zone.plan.vpcs import named

# Allocations never smaller than a /28 (AWS's smallest VPC).
MAX_NETMASK = 28


@dataclass(frozen=True)
class RegionalPoolPlan:
    region: str
    logical_id: str
    cidr: str
    allocation_netmask: int     # default and largest allocation
    tags: Tags


@dataclass(frozen=True)
class IpamPoolPlan:
    name: str
    logical_id: str
    cidr: str
    regional: tuple[RegionalPoolPlan, ...]
    tags: Tags


@dataclass(frozen=True)
class IpamPlan:
    logical_id: str
    description: str
    regions: tuple[str, ...]
    pools: tuple[IpamPoolPlan, ...]
    tags: Tags


def pool_key(pool: str, region: str) -> str:
    return f"{pool}/{region}"


def plan_ipam(plan: Plan, bp: Blueprint, account: str, region: str) -> IpamPlan | None:
    ipam = bp.network.ipam
    if ipam is None or ipam.account != account or ipam_home(bp, ipam) != region:
        return None
    pools = []
    for pool in sorted(ipam.pools, key=lambda p: p.name):
        regional = tuple(RegionalPoolPlan(
            region=r, logical_id=logical_id("IpamPool", pool_key(pool.name, r)), cidr=str(block),
            allocation_netmask=pool.allocation_netmask, tags=named(plan, f"{plan.name}-{pool.name}-{r}"))
            for r, block in sorted(pool_blocks(pool, ipam).items()))
        pools.append(IpamPoolPlan(name=pool.name, logical_id=logical_id("IpamPool", pool.name), cidr=pool.cidr,
                                  regional=regional, tags=named(plan, f"{plan.name}-{pool.name}")))
    return IpamPlan(logical_id=logical_id("Ipam", bp.name), description=f"{plan.name} landing zone IPAM",
                    regions=tuple(sorted(set(ipam.regions))), pools=tuple(pools), tags=named(plan, f"{plan.name}-ipam"))
