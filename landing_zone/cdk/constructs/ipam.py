"""Ipam: an IPAM operating in its regions, a top-level pool per blueprint pool and a regional pool per
region (allocations from it default to, and never exceed, the blueprint's allocation_netmask)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.plan.ipam import MAX_NETMASK, IpamPlan, pool_key


def _tags(tags) -> list[cdk.CfnTag]:
    return [cdk.CfnTag(key=k, value=v) for k, v in tags]


class Ipam(Construct):
    def __init__(self, scope: Construct, id_: str, *, ipam: IpamPlan) -> None:
        super().__init__(scope, id_)
        created = ec2.CfnIPAM(self, "Ipam", description=ipam.description, tags=_tags(ipam.tags),
                              operating_regions=[ec2.CfnIPAM.IpamOperatingRegionProperty(region_name=r)
                                                 for r in ipam.regions])
        created.override_logical_id(ipam.logical_id)
        # The allocation record of every VPC (vended ones included) lives here.
        created.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.pool_ids: dict[str, str] = {}
        self.pool_arns: dict[str, str] = {}
        for pool in ipam.pools:
            top = ec2.CfnIPAMPool(self, f"Pool{pool.name}", address_family="ipv4",
                                  ipam_scope_id=created.attr_private_default_scope_id,
                                  description=f"{pool.name}: every region's block",
                                  provisioned_cidrs=[ec2.CfnIPAMPool.ProvisionedCidrProperty(cidr=pool.cidr)],
                                  tags=_tags(pool.tags))
            top.override_logical_id(pool.logical_id)
            top.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            for regional in pool.regional:
                child = ec2.CfnIPAMPool(
                    self, f"Pool{pool.name}{regional.region}", address_family="ipv4", locale=regional.region,
                    ipam_scope_id=created.attr_private_default_scope_id, source_ipam_pool_id=top.attr_ipam_pool_id,
                    description=f"{pool.name} in {regional.region}",
                    provisioned_cidrs=[ec2.CfnIPAMPool.ProvisionedCidrProperty(cidr=regional.cidr)],
                    allocation_default_netmask_length=regional.allocation_netmask,
                    allocation_min_netmask_length=regional.allocation_netmask,
                    allocation_max_netmask_length=MAX_NETMASK, tags=_tags(regional.tags))
                child.override_logical_id(regional.logical_id)
                child.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
                self.pool_ids[pool_key(pool.name, regional.region)] = child.attr_ipam_pool_id
                self.pool_arns[pool_key(pool.name, regional.region)] = child.attr_arn
