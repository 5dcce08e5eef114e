"""Transit gateway routing in the `network:` section: route tables, site-to-site VPN, Direct Connect,
peerings with gateways of other regions, and a VPC's attachment with the destinations its route tables
send to the gateway."""
from __future__ import annotations

from pydantic import Field

from landing_zone.blueprint.model.common import Model

DESTINATION_HELP = ("a CIDR, `pl:<prefix list>` (every entry of a network.prefix_lists list), "
                    "`ipam:<pool>` (the pool's block for the VPC's region) or `vpc:<name>` (that VPC's CIDR)")


class VpcAttachment(Model):
    """A VPC's attachment to a transit gateway, and what its route tables send there."""

    name: str = Field(description="Transit gateway (network.transit_gateways[].name) in the VPC's region; "
                      "a gateway of another account is used through its RAM share. Required.")
    subnets: list[str] = Field(description="Subnets (by name) that hold the attachment's network "
                               "interfaces, one per Availability Zone; small dedicated subnets (/28) are "
                               "usual. Required.")
    routes: list[str] = Field(default_factory=list, description="Destinations every route table of the "
                              f"VPC sends to the gateway: {DESTINATION_HELP}. Default: none.")


class TransitRoute(Model):
    """A static route of a transit gateway route table."""

    destination: str = Field(description="Destination: a CIDR, `ipam:<pool>` or `vpc:<name>` (CloudFormation "
                             "has no prefix-list reference for transit gateway route tables). Required.")
    attachment: str | None = Field(default=None, description="Attachment the traffic goes to: a VPC, "
                                   "VPN connection or Direct Connect gateway of this gateway, by "
                                   "name. Default: none (then peering or blackhole must be given).")
    peering: str | None = Field(default=None, description="Peering (a network.transit_gateways[].peerings "
                                "name of this gateway or of its peer) the traffic goes to: the peer gateway "
                                "routes it on with the route table associated with the peering on its side. "
                                "Default: none (then attachment or blackhole must be given).")
    blackhole: bool = Field(default=False, description="Drop traffic to the destination. Default: no.")


class TransitPeering(Model):
    """A peering attachment from this gateway (the requester) to a gateway of another region (the
    accepter), accepted in the peer's region by a custom resource; traffic crosses it only through
    static routes naming it."""

    name: str = Field(description="Peering name, unique among the peerings of the network and the "
                      "attachments of both gateways; route tables of both sides name it. Required.")
    gateway: str = Field(description="Peer transit gateway (network.transit_gateways[].name) of another "
                         "region, owned by the same account. Required.")


class RouteTable(Model):
    """A transit gateway route table: which attachments use it, which announce their networks into it."""

    name: str = Field(description="Route table name, unique in its gateway. Required.")
    associate: list[str] = Field(default_factory=list, description="Attachments (VPC, VPN, Direct Connect, "
                                 "VPC template or peering names) whose traffic this table routes; an "
                                 "attachment is associated with one table at most, and a peering with "
                                 "exactly one on each side. Default: none.")
    propagate: list[str] = Field(default_factory=list, description="Attachments whose networks this table "
                                 "learns: a VPC's CIDR, a VPN's static_routes (as static routes) or BGP "
                                 "routes, a VPC template's IPAM block. Not a peering: routes through a "
                                 "peering are static only (routes: [{destination: ..., peering: ...}]). "
                                 "Default: none.")
    routes: list[TransitRoute] = Field(default_factory=list, description="Static and blackhole routes. "
                                       "Default: none.")


class VpnConnection(Model):
    """A site-to-site VPN connection to the gateway, with its customer gateway."""

    name: str = Field(description="Connection name, unique among the gateway's attachments. Required.")
    customer_gateway_ip: str = Field(description="Public IPv4 address of the on-premises device. Required.")
    bgp_asn: int = Field(default=65000, description="BGP ASN of the on-premises device, 1-2147483647, not "
                         "the gateway's own ASN (the customer gateway carries it even with static routes). "
                         "Default: 65000.")
    static_routes: list[str] = Field(default_factory=list, description="On-premises networks reached "
                                     "through this connection. Given: the connection uses static routing, "
                                     "and every route table that propagates it gets these as static routes "
                                     "to it. Default: none (BGP).")
    advertised_routes: list[str] = Field(default_factory=list, description="With BGP: the networks "
                                         "on-premises is expected to advertise. BGP learns routes at run "
                                         "time; the offline checks (reachability, overlaps) take these as "
                                         "what it will learn. Default: none.")


class DirectConnectGateway(Model):
    """An existing Direct Connect gateway associated with the transit gateway."""

    name: str = Field(description="Attachment name, unique among the gateway's attachments. Required.")
    gateway_id: str = Field(description="Direct Connect gateway id (a UUID). Required.")
    allowed_prefixes: list[str] = Field(description="CIDRs announced to on-premises through Direct "
                                        "Connect. Required.")
    advertised_routes: list[str] = Field(default_factory=list, description="Networks on-premises is "
                                         "expected to advertise (for the offline checks). Default: none.")
