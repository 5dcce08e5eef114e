"""Transit gateway peering between regions, synthesized (no shipped blueprint peers): the requester's
attachment (phase network-links), its acceptance by a custom resource with the peer side's routes
(peering-accept), the requesting side's routes (peering-routes). Every template lints clean, holds
exactly what its plan counted, and passes the template rules (outputs read after they exist)."""
from __future__ import annotations

import json

from cfnlint.api import ManualArgs, lint

from landing_zone.checks.template_rules import template_findings

PEERING_STACKS = ["acme-network-peering-accept-eu-west-1", "acme-network-peering-routes-us-east-1",
                  "acme-network-peering-us-east-1"]


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_every_template_lints_clean_and_matches_its_plan(network_peering):
    templates = network_peering.templates()
    stacks = [s for s in network_peering.plan.stacks if s.component.startswith("network")]
    assert sorted(s.name for s in stacks) == ["acme-network-eu-west-1", *PEERING_STACKS[:2],
                                             PEERING_STACKS[2], "acme-network-us-east-1"]
    for stack in stacks:
        template = templates[stack.name]
        assert len(template["Resources"]) == stack.resources, stack.name
        errors = [str(m) for m in lint(json.dumps(template), config=ManualArgs(regions=[stack.region]))
                  if m.rule.id.startswith("E")]
        assert errors == [], stack.name


def test_each_step_has_its_phase_after_the_one_before(network_peering):
    plan = network_peering.plan
    phases = {p.name: p.stacks for p in plan.phases}
    assert "acme-network-peering-us-east-1" in phases["network-links"]
    assert phases["peering-accept"] == ("acme-network-peering-accept-eu-west-1",)
    assert phases["peering-routes"] == ("acme-network-peering-routes-us-east-1",)
    names = [p.name for p in plan.phases]
    assert names.index("network-links") < names.index("peering-accept") < names.index("peering-routes") \
        < names.index("policies")
    routes = plan.stack("acme-network-peering-routes-us-east-1")
    assert "acme-network-peering-accept-eu-west-1" in routes.depends_on


def test_the_attachment_peers_both_gateways_by_their_stack_outputs(network_peering):
    templates = network_peering.templates()
    [attachment] = resources(templates["acme-network-peering-us-east-1"],
                             "AWS::EC2::TransitGatewayPeeringAttachment").values()
    props = attachment["Properties"]
    assert (props["PeerAccountId"], props["PeerRegion"]) == ("444444444444", "eu-west-1")
    ours, theirs = props["TransitGatewayId"]["Fn::GetStackOutput"], props["PeerTransitGatewayId"]["Fn::GetStackOutput"]
    assert (ours["StackName"], ours["Region"]) == ("acme-network-us-east-1", "us-east-1")
    assert (theirs["StackName"], theirs["Region"]) == ("acme-network-eu-west-1", "eu-west-1")
    assert ours["OutputName"] in templates["acme-network-us-east-1"]["Outputs"]
    assert theirs["OutputName"] in templates["acme-network-eu-west-1"]["Outputs"]
    assert {"Key": "Name", "Value": "acme-atlantic"} in props["Tags"]


def test_the_peer_accepts_then_associates_and_routes(network_peering):
    accept = network_peering.templates()["acme-network-peering-accept-eu-west-1"]
    [(acceptance_id, acceptance)] = resources(accept, "Custom::TransitGatewayPeeringAcceptance").items()
    reference = acceptance["Properties"]["TransitGatewayAttachmentId"]["Fn::GetStackOutput"]
    assert (reference["StackName"], reference["Region"]) == ("acme-network-peering-us-east-1", "us-east-1")
    [association] = resources(accept, "AWS::EC2::TransitGatewayRouteTableAssociation").values()
    [route] = resources(accept, "AWS::EC2::TransitGatewayRoute").values()
    assert association["DependsOn"] == [acceptance_id] and route["DependsOn"] == [acceptance_id]
    assert association["Properties"]["TransitGatewayRouteTableId"] == {"Fn::ImportValue": "acme-tgw-west-main-id"}
    assert route["Properties"]["DestinationCidrBlock"] == "10.0.0.0/16"
    # Least privilege: acceptance of exactly this attachment, by ARN; describing has no resource level.
    statements = [s for p in resources(accept, "AWS::IAM::Policy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]
                  if "ec2:AcceptTransitGatewayPeeringAttachment" in json.dumps(s)]
    assert len(statements) == 2                 # on_event and is_complete
    for statement in statements:
        prefix, output = statement["Resource"]["Fn::Join"][1]
        assert prefix == "arn:aws:ec2:eu-west-1:444444444444:transit-gateway-attachment/"
        assert output == acceptance["Properties"]["TransitGatewayAttachmentId"]


def test_the_requester_routes_through_the_accepted_attachment(network_peering):
    routes = network_peering.templates()["acme-network-peering-routes-us-east-1"]
    [association] = resources(routes, "AWS::EC2::TransitGatewayRouteTableAssociation").values()
    [route] = resources(routes, "AWS::EC2::TransitGatewayRoute").values()
    assert route["Properties"]["DestinationCidrBlock"] == "10.128.0.0/16"       # vpc:west
    assert association["Properties"]["TransitGatewayRouteTableId"] == {"Fn::ImportValue": "acme-tgw-east-main-id"}
    # The network stacks route no peering themselves: the blackhole stays, the peering routes moved out.
    west = network_peering.templates()["acme-network-eu-west-1"]
    assert [r["Properties"].get("Blackhole") for r in resources(west, "AWS::EC2::TransitGatewayRoute").values()] \
        == [True]


def test_template_rules_hold(network_peering):
    templates = network_peering.templates()
    findings = [f for f in template_findings(network_peering.plan, templates) if f.stack in templates]
    assert findings == []
