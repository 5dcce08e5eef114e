"""Transit gateway peerings in the plan: three stacks in three phases (attachment, acceptance with the
peer side's routes, the requester's routes), their resource counts, dependencies and payloads, and the
network stacks leaving the peering's association and routes to them."""
from __future__ import annotations

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.network import NetworkPayload
from landing_zone.plan.peering import PeeringAttachmentsPayload, PeeringRoutingPayload
from landing_zone.plan.shared import WAITING_PROVIDER_RESOURCES
from tests.helpers import write
from tests.unit.plan.test_reachability import peered


@pytest.fixture
def plan(tmp_path):
    return build_plan(load_blueprint(write(tmp_path, peered())))


def peering_stacks(plan) -> dict:
    return {s.name: s for s in plan.stacks if s.component.startswith("network-peering")}


def test_three_stacks_in_three_phases(plan):
    stacks = peering_stacks(plan)
    assert {name: (s.component, s.region, s.account_id) for name, s in stacks.items()} == {
        "acme-network-peering-us-east-1": ("network-peering", "us-east-1", "444444444444"),
        "acme-network-peering-accept-eu-west-1": ("network-peering-accept", "eu-west-1", "444444444444"),
        "acme-network-peering-routes-us-east-1": ("network-peering-routes", "us-east-1", "444444444444")}
    phase = {name: plan.phase_of(name).name for name in stacks}
    assert phase == {"acme-network-peering-us-east-1": "network-links",
                     "acme-network-peering-accept-eu-west-1": "peering-accept",
                     "acme-network-peering-routes-us-east-1": "peering-routes"}
    assert stacks["acme-network-peering-us-east-1"].depends_on == ("acme-network-eu-west-1",
                                                                    "acme-network-us-east-1")
    assert stacks["acme-network-peering-routes-us-east-1"].depends_on == (
        "acme-network-peering-accept-eu-west-1", "acme-network-peering-us-east-1", "acme-network-us-east-1")


def test_payloads_and_counts(plan):
    stacks = peering_stacks(plan)
    attachments: PeeringAttachmentsPayload = stacks["acme-network-peering-us-east-1"].payload
    [peering] = attachments.peerings
    assert (peering.name, peering.account_id) == ("atlantic", "444444444444")
    assert (peering.requester.gateway, peering.requester.table) == ("core", "main")
    assert (peering.accepter.gateway, peering.accepter.table, peering.accepter.region) == ("eu", "eu-main", "eu-west-1")
    assert [r.destination.cidr for r in peering.requester.routes] == ["10.128.0.0/16"]      # vpc:eu
    assert [r.destination.cidr for r in peering.accepter.routes] == ["10.0.0.0/16"]
    assert peering.peer_gateway_id.stack == "acme-network-eu-west-1"
    assert peering.attachment_id.stack == "acme-network-peering-us-east-1"
    accept: PeeringRoutingPayload = stacks["acme-network-peering-accept-eu-west-1"].payload
    assert accept.side == "accepter" and accept.end(peering) == peering.accepter
    # provider with its waiter; acceptance, association, one route
    assert stacks["acme-network-peering-accept-eu-west-1"].resources == WAITING_PROVIDER_RESOURCES + 3
    assert stacks["acme-network-peering-routes-us-east-1"].resources == 2          # association, one route
    assert stacks["acme-network-peering-us-east-1"].resources == 1


def test_the_network_stacks_leave_the_peering_to_the_peering_stacks(plan):
    gateways = {g.name: g for s in plan.stacks if isinstance(s.payload, NetworkPayload)
                for g in s.payload.transit_gateways}
    for gateway in gateways.values():
        assert gateway.peered
        assert "atlantic" not in {a.attachment for a in gateway.associations}
        assert all(r.attachment != "atlantic" for r in gateway.routes)
        [peering] = [a for a in gateway.attachments if a.kind == "peering"]
        assert peering.name == "atlantic" and peering.peer == ({"core", "eu"} - {gateway.name}).pop()
    # ... but route it for the offline proofs.
    assert ("10.128.0.0/16", "atlantic") in gateways["core"].tables[0].routes


def test_a_gateway_owner_other_than_the_network_account_names_its_stacks(tmp_path):
    data = peered()
    data["organization"]["accounts"].append({"name": "hub", "email": "aws+hub@example.com", "unit": "Security",
                                             "id": "555555555555"})
    for vpc in data["network"]["vpcs"]:
        vpc["account"] = "hub"
    for gateway in data["network"]["transit_gateways"]:
        gateway["account"] = "hub"
    plan = build_plan(load_blueprint(write(tmp_path, data)))
    assert sorted(peering_stacks(plan)) == ["acme-network-peering-accept-hub-eu-west-1",
                                            "acme-network-peering-hub-us-east-1",
                                            "acme-network-peering-routes-hub-us-east-1"]


def test_no_peering_no_stack_and_no_output(tmp_path):
    from tests.unit.plan.test_reachability import routed
    plan = build_plan(load_blueprint(write(tmp_path, routed())))
    assert peering_stacks(plan) == {}
    assert not any(g.peered for s in plan.stacks if isinstance(s.payload, NetworkPayload)
                   for g in s.payload.transit_gateways)
