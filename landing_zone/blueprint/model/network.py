"""The `network:` section: VPCs and subnets, prefix lists and resolver rules shared through RAM."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import Model, Region, Targets
from landing_zone.blueprint.model.network_services import DnsFirewall, Endpoints, Ipam, VpcTemplate
from landing_zone.blueprint.model.transit import (
    DirectConnectGateway,
    RouteTable,
    TransitPeering,
    VpcAttachment,
    VpnConnection,
)


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
    nat_gateway: bool = Field(default=False, description="NAT gateways for the private subnets, as many as "
                              "nat_gateways says. Default: no (unless nat_gateways is given).")
    nat_gateways: Literal["per_az", "single"] | None = Field(
        default=None, description="per_az: a NAT gateway in each AZ that has private subnets, each routing "
        "its own AZ (an AZ outage stops only that AZ's egress; each gateway is billed by the hour, about $33 "
        "a month in us-east-1, plus $0.045 a GB processed). single: one gateway for the VPC (cheaper; the "
        "other AZs lose egress with its AZ and pay cross-AZ transfer). Giving it turns NAT on. Default: "
        "per_az, which for private subnets in one AZ is the one gateway nat_gateway: true always made; "
        "nat_gateway: true on a VPC with private subnets in several AZs must state it (it used to mean one).")
    transit_gateway: VpcAttachment | None = Field(default=None, description="Attachment to a transit "
                                                  "gateway and the destinations routed to it. Default: "
                                                  "not attached.")
    endpoints: Endpoints = Field(default_factory=Endpoints, description="VPC endpoints. Default: none.")
    inbound_resolver: bool = Field(default=False, description="A Route 53 Resolver inbound endpoint in two "
                                   "AZs, answering DNS from the VPC and the networks it routes to its "
                                   "transit gateway (on-premises resolving AWS names). Default: no.")
    ipam_pool: str | None = Field(default=None, description="IPAM pool the VPC's cidr is allocated in (an "
                                  "allocation of exactly that CIDR, so no vended VPC gets it; the VPC itself "
                                  "is unchanged). Default: none.")
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
    amazon_side_asn: int = Field(default=64512, description="BGP ASN of the AWS side: 64512-65534 or "
                                 "4200000000-4294967294. Default: 64512.")
    asn: int | None = Field(default=None, description="Same as amazon_side_asn (give one of them). "
                            "Default: amazon_side_asn.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. VPCs of other accounts "
                                       "and VPC templates attach through this share; the gateway accepts "
                                       "those attachments on its own (only organization principals can "
                                       "receive the share). Default: not shared.")
    route_tables: list[RouteTable] = Field(default_factory=list, description="Route tables. Given: no "
                                           "attachment lands in a default route table except through them. "
                                           "Default: none (AWS's default route table, every attachment "
                                           "associated and propagated).")
    vpn_connections: list[VpnConnection] = Field(default_factory=list, description="Site-to-site VPN "
                                                 "connections. Default: none.")
    direct_connect_gateways: list[DirectConnectGateway] = Field(default_factory=list, description="Direct "
                                                                "Connect gateway associations. Default: none.")
    peerings: list[TransitPeering] = Field(default_factory=list, description="Peering attachments this "
                                           "gateway requests to gateways of other regions; each must be "
                                           "associated with one route table on each side. Default: none "
                                           "(no traffic leaves the region through the gateway).")

    @property
    def side_asn(self) -> int:
        return self.asn if self.asn is not None else self.amazon_side_asn


class Network(Model):
    """The shared network owned by the network account."""

    vpcs: list[Vpc] = Field(default_factory=list, description="VPCs. Default: none.")
    prefix_lists: list[PrefixList] = Field(default_factory=list, description="Prefix lists. Default: none.")
    resolver_rules: list[ResolverRule] = Field(default_factory=list, description="Resolver forwarding "
                                               "rules. Default: none.")
    transit_gateways: list[TransitGateway] = Field(default_factory=list, description="Transit Gateways. "
                                                   "Default: none.")
    dns_firewall: list[DnsFirewall] = Field(default_factory=list, description="DNS Firewall rule groups. "
                                            "Default: none.")
    ipam: Ipam | None = Field(default=None, description="IP address manager and its pools. Default: none.")
    vpc_templates: list[VpcTemplate] = Field(default_factory=list, description="Baseline VPCs for every "
                                             "account of some OUs. Default: none.")
    route_table_quota: int = Field(default=50, ge=1, le=1000, description="Routes a VPC route table may "
                                   "hold (the VPC quota; a prefix list counts as its max_entries). Raise it "
                                   "once AWS raised the quota. Default: 50.")
    address_family: Literal["IPv4"] = Field(default="IPv4", description="Address family of VPCs. "
                                            "Default: IPv4 (the only one supported today).")
