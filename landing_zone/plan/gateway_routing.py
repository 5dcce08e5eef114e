"""The `network-routing` stack (transit gateway owner's account and region, deployed after every network
stack): routing of the declared VPCs of other accounts attached to its gateways.

Such a VPC's stack attaches it through the gateway's RAM share and publishes the attachment id in an
SSM parameter shared with the owner's account; this stack reads it by ARN (a template parameter),
takes the route table ids from the owner's network stack exports, and sets the attachment's
association and propagations exactly (a custom resource: AWS may have associated it with the
gateway's default route table already), then adds static routes to it."""
from __future__ import annotations

from dataclasses import dataclass

from landing_zone.blueprint.model.common import Targets
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.model import Pending, Plan
from landing_zone.plan.shared import PROVIDER_RESOURCES
from landing_zone.plan.shared_values import Imported, imported, network_stack_name
from landing_zone.plan.transit import ForeignRoutingPlan, TransitGatewayPlan

COMPONENT = "network-routing"
ATTACHMENT = "attachment"


@dataclass(frozen=True)
class GatewayRouting:
    gateway: str
    tables: tuple[tuple[str, str], ...]         # (route table, export name of its id)
    foreign: tuple[ForeignRoutingPlan, ...]


@dataclass(frozen=True)
class GatewayRoutingPayload:
    account: str
    region: str
    gateways: tuple[GatewayRouting, ...]
    imports: tuple[Imported, ...]               # the attachment ids, by VPC name (key)


def attachment_targets(gateway_account: str) -> Targets:
    """Who reads a VPC's published attachment id: the gateway's owner."""
    return Targets(accounts=[gateway_account])


def count_resources(payload: GatewayRoutingPayload) -> int:
    foreign = [f for g in payload.gateways for f in g.foreign]
    return PROVIDER_RESOURCES + len(foreign) + sum(len(f.routes) for f in foreign)


def plan_gateway_routing(plan: Plan, account: str, region: str, gateways: tuple[TransitGatewayPlan, ...],
                         result: ComponentResult) -> None:
    routed = [g for g in gateways if g.foreign]
    if not routed:
        return
    imports, missing = [], []
    for gateway in routed:
        for foreign in gateway.foreign:
            owner_id = plan.account(foreign.account).id
            if owner_id:
                imports.append(imported(plan, ATTACHMENT, foreign.name, owner_id, region))
            else:
                missing.append(foreign.account)
    if missing:
        result.pending.append(Pending(f"transit gateway routing of account {account} in {region}",
                                      f"account(s) {', '.join(sorted(set(missing)))} have no id yet; run `lz sync`"))
        return
    payload = GatewayRoutingPayload(
        account=account, region=region,
        gateways=tuple(GatewayRouting(g.name, tuple((t.name, t.export_name) for t in g.route_tables), g.foreign)
                       for g in routed),
        imports=tuple(sorted(imports, key=lambda i: i.parameter_id)))
    publishers = {network_stack_name(plan, f.account, region) for g in routed for f in g.foreign}
    member = plan.account(account)
    member_stack(plan, result, account=account, component=COMPONENT, region=region,
                 name_part=COMPONENT if member.role == "network" else f"{COMPONENT}-{member.key}",
                 description=f"{plan.name} landing zone: transit gateway routing of other accounts' VPCs "
                             f"({account}, {region})",
                 resources=count_resources(payload), payload=payload,
                 depends_on=tuple(sorted(publishers | {network_stack_name(plan, account, region)})))
