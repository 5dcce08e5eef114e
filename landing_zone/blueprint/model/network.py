"""The `network:` section: VPCs and subnets, prefix lists and resolver rules shared through RAM."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import Model, Region, Targets


class Subnet(Model):
    """A subnet placed by AZ id (AZ names differ between accounts, AZ ids do not)."""

    name: str = Field(description="Subnet name, unique in its VPC. Required.")
    cidr: str = Field(description="IPv4 CIDR inside the VPC's CIDR. Required.")
    az_id: str = Field(description="Availability Zone id of the VPC's region, e.g. use1-az1. Required.")
    public: bool = Field(default=False, description="Route 0.0.0.0/0 to the internet gateway. "
                         "Default: private.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. Default: not shared.")


class Vpc(Model):
    """A VPC owned by one account in one region."""

    name: str = Field(description="VPC name, unique in the blueprint. Required.")
    account: str = Field(description="Owning account name. Required.")
    region: Region = Field(description="Region (a governed region). Required.")
    cidr: str = Field(description="IPv4 CIDR, /16 to /28. Required.")
    subnets: list[Subnet] = Field(default_factory=list, description="Subnets. Default: none.")
    internet_gateway: bool = Field(default=False, description="Attach an internet gateway. Default: no.")
    nat_gateway: bool = Field(default=False, description="NAT gateway for private subnets. Default: no.")
    flow_logs: bool = Field(default=True, description="VPC flow logs to the log bucket (CIS 3.7). "
                            "Default: on; false is accepted as the blueprint's decision for this VPC "
                            "(the synthesis acknowledges cdk-nag AwsSolutions-VPC7 for it alone).")


class PrefixListEntry(Model):
    """One CIDR of a prefix list."""

    cidr: str = Field(description="CIDR; every entry of a list has the same address family. Required.")
    description: str = Field(default="", description="Entry description. Default: empty.")


class PrefixList(Model):
    """A customer-managed prefix list, shared so security groups and routes refer to one list."""

    name: str = Field(description="Prefix list name, not starting with com.amazonaws. Required.")
    account: str = Field(description="Owning account name. Required.")
    region: Region = Field(description="Region. Required.")
    max_entries: int = Field(ge=1, le=1000, description="Maximum entries, 1-1000 (counts toward quotas "
                             "of every referencing security group). Required.")
    entries: list[PrefixListEntry] = Field(default_factory=list, description="Entries. Default: none.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. Default: not shared.")


class ResolverRule(Model):
    """A Route 53 Resolver forwarding rule for a domain, shared through RAM."""

    name: str = Field(description="Rule name, unique. Required.")
    domain: str = Field(description="Domain forwarded, e.g. onprem.example.com. Required.")
    vpc: str = Field(description="VPC (by name) whose outbound endpoint forwards. Required.")
    target_ips: list[str] = Field(description="DNS server addresses the domain forwards to. Required.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. Default: not shared.")


class TransitGateway(Model):
    """A Transit Gateway shared through RAM."""

    name: str = Field(description="Transit Gateway name, unique. Required.")
    account: str = Field(description="Owning account name. Required.")
    region: Region = Field(description="Region. Required.")
    amazon_side_asn: int = Field(default=64512, description="BGP ASN of the AWS side. Default: 64512.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. Default: not shared.")


class Network(Model):
    """The shared network owned by the network account."""

    vpcs: list[Vpc] = Field(default_factory=list, description="VPCs. Default: none.")
    prefix_lists: list[PrefixList] = Field(default_factory=list, description="Prefix lists. Default: none.")
    resolver_rules: list[ResolverRule] = Field(default_factory=list, description="Resolver forwarding "
                                               "rules. Default: none.")
    transit_gateways: list[TransitGateway] = Field(default_factory=list, description="Transit Gateways. "
                                                   "Default: none.")
    address_family: Literal["IPv4"] = Field(default="IPv4", description="Address family of VPCs. "
                                            "Default: IPv4 (the only one supported today).")
