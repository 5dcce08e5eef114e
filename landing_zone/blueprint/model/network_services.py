"""Network services in the `network:` section: VPC endpoints, DNS Firewall, IPAM and the VPC templates
that give every account of an OU a baseline VPC (Account Factory's network)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import Model, Region, Targets

GatewayService = Literal["s3", "dynamodb"]


class Endpoints(Model):
    """VPC endpoints of a VPC: interface endpoints held centrally, gateway endpoints in the VPC itself."""

    interface: list[str] = Field(default_factory=list, description="Interface endpoint services, e.g. ssm, "
                                 "sts, logs (com.amazonaws.<region>.<service>), checked against the services "
                                 "known in the VPC's region; a full service name (com.amazonaws.vpce.*) is "
                                 "taken as written. Private DNS is on. Default: none.")
    gateway: list[GatewayService] = Field(default_factory=list, description="Gateway endpoints (s3, "
                                          "dynamodb), routed from every route table of the VPC. Default: "
                                          "none.")
    share_dns_with: Targets | None = Field(default=None, description="Accounts and OUs whose VPCs in the "
                                           "same region resolve the interface endpoints' names to these "
                                           "endpoints: a Route 53 Profile holding the endpoints, shared "
                                           "through RAM and associated with their VPCs (declared VPCs and "
                                           "VPC templates). Default: only this VPC.")


class DnsFirewall(Model):
    """A Route 53 Resolver DNS Firewall rule group that blocks a list of domains."""

    name: str = Field(description="Rule group name, unique. Required.")
    account: str | None = Field(default=None, description="Owning account. Default: the account with role "
                                "network.")
    block_domains: list[str] = Field(default_factory=list, description="Domains answered with NODATA; "
                                     "`*.` covers subdomains. Default: none.")
    block_domains_file: str | None = Field(default=None, description="A text file (relative to the "
                                           "blueprint) of more domains, one a line, `#` comments. Default: "
                                           "none.")
    vpcs: list[str] = Field(default_factory=list, description="VPCs (by name) the rule group is associated "
                            "with; it is created in each of their regions. Default: none.")
    share_with: Targets | None = Field(default=None, description="RAM share targets (VPC templates and VPCs "
                                       "of other accounts associate it through the share). Default: not "
                                       "shared.")


class IpamPool(Model):
    """An address pool, split into one regional pool per IPAM region, shared through RAM."""

    name: str = Field(description="Pool name, unique. Required.")
    cidr: str = Field(description="IPv4 block; split into equal blocks, one per IPAM region (sorted). "
                      "Required.")
    allocation_netmask: int = Field(ge=8, le=28, description="Default (and largest) allocation, as a prefix "
                                    "length, 8-28. Required.")
    share_with: Targets | None = Field(default=None, description="RAM share targets. Default: not shared.")


class Ipam(Model):
    """An Amazon VPC IP Address Manager in one account, operating in the listed regions."""

    account: str = Field(description="Owning account. Required.")
    regions: list[Region] = Field(description="Operating regions (governed regions); the IPAM and its pools "
                                  "live in the home region when listed, else in the first region by name. "
                                  "Required.")
    pools: list[IpamPool] = Field(default_factory=list, description="Pools. Default: none.")


def _default_gateway_endpoints() -> list[GatewayService]:
    return ["dynamodb", "s3"]


class VpcTemplate(Model):
    """A baseline VPC for every account of some OUs, including accounts created later (a StackSet)."""

    name: str = Field(description="Template name, unique; also its attachment name on the gateway. "
                      "Required.")
    units: list[str] = Field(description="OU paths whose accounts (now and later) get the VPC. Required.")
    regions: list[Region] = Field(description="Regions (governed) the VPC is created in. Required.")
    ipam_pool: str = Field(description="IPAM pool the VPC's CIDR is allocated from. Required.")
    netmask: int = Field(ge=16, le=28, description="VPC prefix length, 16-28. Required.")
    azs: int = Field(default=2, ge=1, le=4, description="Availability Zones, each with a private subnet and a "
                     "/28 attachment subnet. Default: 2.")
    transit_gateway: str | None = Field(default=None, description="Gateway the VPC attaches to (shared with "
                                        "the units, auto-accepting). Default: none.")
    routes: list[str] = Field(default_factory=lambda: ["0.0.0.0/0"], description="Destinations sent to the "
                              "gateway: a CIDR, `ipam:<pool>` or `vpc:<name>`. Default: 0.0.0.0/0 (all "
                              "egress through the gateway).")
    gateway_endpoints: list[GatewayService] = Field(default_factory=_default_gateway_endpoints,
                                                    description="Gateway endpoints in the VPC. Default: "
                                                    "dynamodb and s3 (they cost nothing).")
    dns_firewall: list[str] = Field(default_factory=list, description="DNS Firewall rule groups "
                                    "(network.dns_firewall names, shared with the units) associated with the "
                                    "VPC. Default: none.")
