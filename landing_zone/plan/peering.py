"""Transit gateway peerings between regions (network.transit_gateways[].peerings), in three steps, each a
stack of its own phase, because each needs the one before deployed:

1. `<name>-network-peering-<region>` (phase `network-links`, requester's account and region, after both
   gateways' network stacks): the AWS::EC2::TransitGatewayPeeringAttachment, its id an output.
2. `<name>-network-peering-accept-<region>` (phase `peering-accept`, the peer's region): CloudFormation
   has no resource that accepts a peering attachment, so a custom resource (handler
   `transit_gateway_peering`) accepts it and waits until it is available; then the peer side's
   association and static routes.
3. `<name>-network-peering-routes-<region>` (phase `peering-routes`, requester's region): the requesting
   side's association and static routes, once the attachment is available.

Both gateways belong to one account (the checks refuse others), so every id crosses regions with
Fn::GetStackOutput inside that account: the gateways' ids from their network stacks (`peered`
gateways output them), the attachment id from step 1's stack; route table ids are the network
stacks' exports in their own region. A peering carries static routes only (AWS propagates nothing
through it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.routing import gateways_by_name, peerings
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.model import Plan, Tags
from landing_zone.plan.names import logical_id, stack_name
from landing_zone.plan.shared import WAITING_PROVIDER_RESOURCES
from landing_zone.plan.shared_values import StackValues, network_stack_name, output_name
from landing_zone.plan.transit import TgwRoutePlan, table_export_name
from landing_zone.plan.vpcs import destination, named

COMPONENT = "network-peering"
ACCEPT_COMPONENT = "network-peering-accept"
ROUTES_COMPONENT = "network-peering-routes"
ATTACHMENT = "peering-attachment"
GATEWAY = "transit-gateway"

Side = Literal["requester", "accepter"]


@dataclass(frozen=True)
class StackOutput:
    """A value read with Fn::GetStackOutput (same account)."""

    stack: str
    region: str
    output: str


@dataclass(frozen=True)
class PeeringSide:
    """One gateway's end of a peering: the route table associated with it, and its static routes."""

    gateway: str
    region: str
    table: str
    table_export: str                   # the route table id, exported by the gateway's network stack
    association_logical_id: str
    routes: tuple[TgwRoutePlan, ...]    # attachment: the peering's name


@dataclass(frozen=True)
class PeeringPlan:
    name: str
    logical_id: str                     # the peering attachment (step 1)
    acceptance_logical_id: str          # its acceptance (step 2)
    account_id: str                     # both gateways'
    requester: PeeringSide
    accepter: PeeringSide
    gateway_id: StackOutput             # the requester gateway's id
    peer_gateway_id: StackOutput        # the accepter gateway's id
    attachment_id: StackOutput          # the attachment's id (step 1's output)
    tags: Tags


@dataclass(frozen=True)
class PeeringAttachmentsPayload:
    """Step 1: the peering attachments a gateway of this account and region requests."""

    account: str
    region: str
    peerings: tuple[PeeringPlan, ...]


@dataclass(frozen=True)
class PeeringRoutingPayload:
    """Step 2 (side "accepter": acceptance, then association and routes) or step 3 (side "requester":
    association and routes) of the peerings of one account and region."""

    account: str
    region: str
    side: Side
    prefix: str                         # names the acceptance handler's function
    peerings: tuple[PeeringPlan, ...]

    def end(self, peering: PeeringPlan) -> PeeringSide:
        return peering.accepter if self.side == "accepter" else peering.requester


def count_attachments(payload: PeeringAttachmentsPayload) -> int:
    return len(payload.peerings)


def count_routing(payload: PeeringRoutingPayload) -> int:
    """Per peering: its association and routes, and on the accepter side its acceptance; the accepter
    side holds the waiting handler's provider."""
    total = sum(1 + len(payload.end(p).routes) for p in payload.peerings)
    if payload.side == "accepter":
        total += WAITING_PROVIDER_RESOURCES + len(payload.peerings)
    return total


def peering_stack_name(plan: Plan, component: str, account: str, region: str) -> str:
    return stack_name(plan.name, _part(plan, component, account), region)


def _side(plan: Plan, bp: Blueprint, gateway_name: str, peering: str) -> PeeringSide:
    gateway = gateways_by_name(bp)[gateway_name]
    table = next(t for t in gateway.route_tables if peering in t.associate)
    values = StackValues(plan, gateway.account, gateway.region)
    routes = []
    for route_table in sorted(gateway.route_tables, key=lambda t: t.name):
        key = f"{gateway.name}/{route_table.name}/"
        for route in sorted(route_table.routes, key=lambda r: r.destination):
            if route.peering == peering:
                routes.append(TgwRoutePlan(route_table.name, destination(bp, route.destination, gateway.region, values),
                                           peering, logical_id("TgwRoute", f"{key}{route.destination}|{peering}")))
    return PeeringSide(gateway=gateway.name, region=gateway.region, table=table.name,
                       table_export=table_export_name(plan.name, gateway.name, table.name),
                       association_logical_id=logical_id("TgwAssociation", f"{gateway.name}/{table.name}/{peering}"),
                       routes=tuple(routes))


def plan_peerings(plan: Plan, bp: Blueprint, made: set[str], result: ComponentResult) -> None:
    """The three steps' stacks, for every peering whose gateways' network stacks are planned (an
    account without an id is reported pending by the network planner)."""
    gateways = gateways_by_name(bp)
    planned: list[PeeringPlan] = []
    for ref in sorted(peerings(bp), key=lambda r: r.name):
        requester, accepter = gateways[ref.requester], gateways[ref.accepter]
        account_id = plan.account(requester.account).id
        stacks = {network_stack_name(plan, g.account, g.region) for g in (requester, accepter)}
        if not account_id or not stacks <= made:
            continue
        attachments = peering_stack_name(plan, COMPONENT, requester.account, requester.region)
        planned.append(PeeringPlan(
            name=ref.name, logical_id=logical_id("TgwPeering", ref.name),
            acceptance_logical_id=logical_id("TgwPeeringAcceptance", ref.name), account_id=account_id,
            requester=_side(plan, bp, requester.name, ref.name), accepter=_side(plan, bp, accepter.name, ref.name),
            gateway_id=StackOutput(network_stack_name(plan, requester.account, requester.region), requester.region,
                                   output_name(GATEWAY, requester.name)),
            peer_gateway_id=StackOutput(network_stack_name(plan, accepter.account, accepter.region),
                                        accepter.region, output_name(GATEWAY, accepter.name)),
            attachment_id=StackOutput(attachments, requester.region, output_name(ATTACHMENT, ref.name)),
            tags=named(plan, f"{plan.name}-{ref.name}")))
    owners = {(gateways[p.requester.gateway].account, p.requester.region) for p in planned}
    for account, region in sorted(owners):
        mine = tuple(p for p in planned if (gateways[p.requester.gateway].account, p.requester.region)
                     == (account, region))
        payload = PeeringAttachmentsPayload(account=account, region=region, peerings=mine)
        member_stack(plan, result, account=account, component=COMPONENT, region=region,
                     name_part=_part(plan, COMPONENT, account),
                     description=f"{plan.name} landing zone: transit gateway peering attachments requested "
                                 f"by account {account} in {region}",
                     resources=count_attachments(payload), payload=payload,
                     depends_on=tuple(sorted({p.gateway_id.stack for p in mine} | {p.peer_gateway_id.stack
                                                                                   for p in mine})))
    sides: tuple[Side, ...] = ("accepter", "requester")
    for side in sides:
        ends: dict[tuple[str, str], list[PeeringPlan]] = {}
        for peering in planned:
            end = peering.accepter if side == "accepter" else peering.requester
            ends.setdefault((gateways[end.gateway].account, end.region), []).append(peering)
        component = ACCEPT_COMPONENT if side == "accepter" else ROUTES_COMPONENT
        for (account, region), group in sorted(ends.items()):
            routing = PeeringRoutingPayload(account=account, region=region, side=side,
                                            prefix=plan.name, peerings=tuple(group))
            depends = {p.attachment_id.stack for p in group} | {network_stack_name(plan, account, region)}
            if side == "requester":     # after the acceptances
                depends |= {peering_stack_name(plan, ACCEPT_COMPONENT, gateways[p.accepter.gateway].account,
                                               p.accepter.region) for p in group}
            what = ("accepted, with the peer side's routes" if side == "accepter"
                    else "routed on the requesting side")
            member_stack(plan, result, account=account, component=component, region=region,
                         name_part=_part(plan, component, account),
                         description=f"{plan.name} landing zone: transit gateway peerings {what} "
                                     f"({account}, {region})",
                         resources=count_routing(routing), payload=routing, depends_on=tuple(sorted(depends)))


def _part(plan: Plan, component: str, account: str) -> str:
    member = plan.account(account)
    return component if member.role == "network" else f"{component}-{member.key}"
