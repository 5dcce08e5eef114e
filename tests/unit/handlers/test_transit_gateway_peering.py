"""transit_gateway_peering handler against moto: a peering attachment requested in another region is
accepted in the accepter's region and waited for; acceptance is idempotent, refuses an attachment of
another gateway or one that is gone, and delete leaves the attachment to its requester."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers import transit_gateway_peering as handler
from tests.unit.handlers.support import REGION, cfn_event, is_complete_event

PEER_REGION = "eu-west-1"
ACCOUNT = "123456789012"          # moto's account


def event(request: str, props: dict, **extra) -> dict:
    made = cfn_event(request, props, **extra)
    made["ResourceType"] = handler.RESOURCE_TYPE
    return made


@pytest.fixture
def peering(aws, monkeypatch) -> dict:
    """A gateway in us-east-1 requesting a peering with one in eu-west-1; the handler runs in eu-west-1."""
    requester = boto3.client("ec2", region_name=REGION)
    accepter = boto3.client("ec2", region_name=PEER_REGION)
    ours = requester.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    theirs = accepter.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = requester.create_transit_gateway_peering_attachment(
        TransitGatewayId=ours, PeerTransitGatewayId=theirs, PeerAccountId=ACCOUNT, PeerRegion=PEER_REGION,
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", PEER_REGION)
    return {"attachment": attachment, "gateway": theirs, "requester_gateway": ours, "ec2": accepter}


def state(peering: dict) -> str:
    return peering["ec2"].describe_transit_gateway_peering_attachments(
        TransitGatewayAttachmentIds=[peering["attachment"]])["TransitGatewayPeeringAttachments"][0]["State"]


def props(peering: dict, **overrides) -> dict:
    return {"TransitGatewayAttachmentId": peering["attachment"], "TransitGatewayId": peering["gateway"], **overrides}


def test_create_accepts_and_waits_until_available(peering):
    assert state(peering) == "pendingAcceptance"
    created = event("Create", props(peering))
    result = handler.on_event(created)
    assert result == {"PhysicalResourceId": peering["attachment"]}
    assert state(peering) == "available"
    done = handler.is_complete(is_complete_event(created, result))
    assert done == {"IsComplete": True, "Data": {"TransitGatewayAttachmentId": peering["attachment"]}}


def test_an_accepted_attachment_is_not_accepted_again(peering, monkeypatch):
    handler.on_event(event("Create", props(peering)))
    calls = []
    monkeypatch.setattr(handler, "_accept", lambda ec2, attachment: calls.append(attachment))
    again = event("Update", props(peering), old=props(peering), physical_id=peering["attachment"])
    assert handler.on_event(again) == {"PhysicalResourceId": peering["attachment"]}
    assert handler.is_complete(is_complete_event(again, {}))["IsComplete"] is True
    assert calls == []


def test_is_complete_accepts_what_became_pending_after_on_event(peering, monkeypatch):
    # on_event saw the attachment still initiating; the waiter accepts it once it waits for acceptance.
    real = handler._state
    seen = iter(["initiatingRequest", "initiatingRequest"])
    monkeypatch.setattr(handler, "_state", lambda ec2, a, g: next(seen, None) or real(ec2, a, g))
    created = event("Create", props(peering))
    handler.on_event(created)
    assert state(peering) == "pendingAcceptance"
    assert handler.is_complete(is_complete_event(created, {}))["IsComplete"] is False
    assert handler.is_complete(is_complete_event(created, {}))["IsComplete"] is False   # accepted now
    assert state(peering) == "available"
    assert handler.is_complete(is_complete_event(created, {}))["IsComplete"] is True


def test_an_attachment_of_another_gateway_is_refused(peering):
    other = peering["ec2"].create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    with pytest.raises(handler.PeeringError, match="not this gateway's to accept"):
        handler.on_event(event("Create", props(peering, TransitGatewayId=other)))
    assert state(peering) == "pendingAcceptance"


def test_a_rejected_attachment_fails_with_what_to_do(peering):
    peering["ec2"].reject_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering["attachment"])
    with pytest.raises(handler.PeeringError, match="is rejected.*request a new one"):
        handler.on_event(event("Create", props(peering)))


def test_an_unknown_attachment_fails(peering):
    with pytest.raises(handler.PeeringError, match="tgw-attach-0123456789abcdef0"):
        handler.on_event(event("Create", props(peering, TransitGatewayAttachmentId="tgw-attach-0123456789abcdef0")))


@pytest.mark.parametrize("bad", [{"TransitGatewayAttachmentId": ""}, {"TransitGatewayId": "vpc-1"}])
def test_malformed_properties_fail_before_any_call(peering, bad):
    with pytest.raises(handler.PeeringError, match="must be a transit gateway attachment id"):
        handler.on_event(event("Create", props(peering, **bad)))


def test_delete_leaves_the_attachment_to_its_requester(peering):
    handler.on_event(event("Create", props(peering)))
    deleted = event("Delete", props(peering), physical_id=peering["attachment"])
    assert handler.on_event(deleted) == {"PhysicalResourceId": peering["attachment"]}
    assert handler.is_complete(deleted) == {"IsComplete": True}
    assert state(peering) == "available"


def test_unknown_requests_and_types_are_refused(peering):
    with pytest.raises(handler.PeeringError, match="RequestType"):
        handler.on_event(event("Replace", props(peering)))
    wrong = event("Create", props(peering))
    wrong["ResourceType"] = "Custom::Other"
    with pytest.raises(handler.PeeringError, match="resource type"):
        handler.on_event(wrong)
