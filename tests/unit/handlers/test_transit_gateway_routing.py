"""transit_gateway_routing handler against moto: attachment lookups, the default route tables switch and its
sweep, and the exact routing of another account's attachment (whatever AWS's defaults did first)."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers import transit_gateway_routing as handler
from tests.unit.handlers.support import REGION, cfn_event

LOOKUP, DEFAULTS, ROUTING = ("Custom::TransitGatewayAttachmentLookup", "Custom::TransitGatewayDefaults",
                             "Custom::TransitGatewayAttachmentRouting")


def event(kind: str, request: str, props: dict, **extra) -> dict:
    made = cfn_event(request, props, **extra)
    made["ResourceType"] = kind
    return made


@pytest.fixture
def ec2(aws):
    return boto3.client("ec2", region_name=REGION)


@pytest.fixture
def gateway(ec2) -> dict:
    """A gateway with three route tables and its defaults off."""
    tgw = ec2.create_transit_gateway(Options={"DefaultRouteTableAssociation": "disable",
                                              "DefaultRouteTablePropagation": "disable"})["TransitGateway"]
    gateway_id = tgw["TransitGatewayId"]
    tables = {name: ec2.create_transit_gateway_route_table(TransitGatewayId=gateway_id)[
        "TransitGatewayRouteTable"]["TransitGatewayRouteTableId"] for name in ("default", "shared", "spokes")}
    return {"id": gateway_id, "tables": tables}


def attach(ec2, gateway) -> str:
    """A new VPC (one subnet) attached to the gateway: its attachment id."""
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetId"]
    return ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateway["id"], VpcId=vpc, SubnetIds=[subnet])[
        "TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]


def association(ec2, gateway, attachment: str) -> str:
    return handler._association(ec2, attachment, set(gateway["tables"].values()))


def propagations(ec2, gateway, attachment: str) -> set[str]:
    return {name for name, table in gateway["tables"].items() if handler._propagates(ec2, table, attachment)}


# ---------- lookups ----------

def test_lookup_finds_the_vpn_connections_attachment(ec2, gateway):
    customer = ec2.create_customer_gateway(BgpAsn=65010, PublicIp="203.0.113.10", Type="ipsec.1")
    vpn = ec2.create_vpn_connection(CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
                                    Type="ipsec.1", TransitGatewayId=gateway["id"])["VpnConnection"]["VpnConnectionId"]
    result = handler.on_event(event(LOOKUP, "Create", {"TransitGatewayId": gateway["id"], "ResourceType": "vpn",
                                                       "ResourceId": vpn}))
    [attachment] = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-id", "Values": [vpn]}])["TransitGatewayAttachments"]
    assert result["PhysicalResourceId"] == result["Data"]["AttachmentId"] == attachment["TransitGatewayAttachmentId"]


@pytest.mark.parametrize("request_type, raises", [("Create", True), ("Delete", False)], ids=["create", "delete"])
def test_lookup_of_nothing_fails_on_create_and_deletes_quietly(gateway, request_type, raises):
    props = {"TransitGatewayId": gateway["id"], "ResourceType": "vpn", "ResourceId": "vpn-0000000000000000"}
    if raises:
        with pytest.raises(handler.RoutingError, match="no vpn attachment of vpn-0000000000000000"):
            handler.on_event(event(LOOKUP, request_type, props))
    else:
        assert handler.on_event(event(LOOKUP, request_type, props, physical_id="tgw-attach-1")) == {
            "PhysicalResourceId": "tgw-attach-1"}


# ---------- default route tables ----------

def test_defaults_on_names_the_tables_and_sweeps_unassociated_attachments_except_kept(ec2, gateway):
    swept, kept = attach(ec2, gateway), attach(ec2, gateway)
    tables = gateway["tables"]
    result = handler.on_event(event(DEFAULTS, "Create", {
        "TransitGatewayId": gateway["id"], "Enable": "true", "AssociationRouteTableId": tables["spokes"],
        "PropagationRouteTableId": tables["shared"], "Keep": [kept], "RouteTableIds": sorted(tables.values())}))
    options = ec2.describe_transit_gateways(TransitGatewayIds=[gateway["id"]])["TransitGateways"][0]["Options"]
    assert (options["DefaultRouteTableAssociation"], options["AssociationDefaultRouteTableId"]) == ("enable", tables["spokes"])
    assert (options["DefaultRouteTablePropagation"], options["PropagationDefaultRouteTableId"]) == ("enable", tables["shared"])
    assert result == {"PhysicalResourceId": f"{gateway['id']}-defaults-on", "Data": {"Swept": "1"}}
    assert association(ec2, gateway, swept) == tables["spokes"] and propagations(ec2, gateway, swept) == {"shared"}
    assert association(ec2, gateway, kept) == "" and propagations(ec2, gateway, kept) == set()


def test_defaults_off_disables_both(ec2, gateway):
    handler.on_event(event(DEFAULTS, "Update", {"TransitGatewayId": gateway["id"], "Enable": "false"}))
    options = ec2.describe_transit_gateways(TransitGatewayIds=[gateway["id"]])["TransitGateways"][0]["Options"]
    assert (options["DefaultRouteTableAssociation"], options["DefaultRouteTablePropagation"]) == ("disable", "disable")


# ---------- another account's attachment ----------

def test_routing_moves_an_attachment_aws_associated_by_default_and_sets_propagations_exactly(ec2, gateway):
    tables = gateway["tables"]
    attachment = attach(ec2, gateway)
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=tables["default"],
                                              TransitGatewayAttachmentId=attachment)
    ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=tables["default"],
                                                       TransitGatewayAttachmentId=attachment)
    props = {"TransitGatewayAttachmentId": attachment, "AssociationRouteTableId": tables["shared"],
             "PropagationRouteTableIds": [tables["shared"], tables["spokes"]], "RouteTableIds": sorted(tables.values())}
    result = handler.on_event(event(ROUTING, "Create", props))
    assert result["PhysicalResourceId"] == attachment
    assert association(ec2, gateway, attachment) == tables["shared"]
    assert propagations(ec2, gateway, attachment) == {"shared", "spokes"}

    handler.on_event(event(ROUTING, "Update", {**props, "AssociationRouteTableId": tables["spokes"],
                                               "PropagationRouteTableIds": [tables["shared"]]}, physical_id=attachment))
    assert association(ec2, gateway, attachment) == tables["spokes"]
    assert propagations(ec2, gateway, attachment) == {"shared"}


def test_routing_delete_undoes_its_association_and_propagation(ec2, gateway):
    tables = gateway["tables"]
    attachment = attach(ec2, gateway)
    props = {"TransitGatewayAttachmentId": attachment, "AssociationRouteTableId": tables["spokes"],
             "PropagationRouteTableIds": [tables["shared"]], "RouteTableIds": sorted(tables.values())}
    handler.on_event(event(ROUTING, "Create", props))
    assert (association(ec2, gateway, attachment), propagations(ec2, gateway, attachment)) == (tables["spokes"],
                                                                                              {"shared"})
    handler.on_event(event(ROUTING, "Delete", props, physical_id=attachment))
    assert association(ec2, gateway, attachment) == "" and propagations(ec2, gateway, attachment) == set()


def test_routing_delete_of_a_vanished_attachment_does_nothing(gateway):
    props = {"TransitGatewayAttachmentId": "tgw-attach-0123456789abcdef0", "AssociationRouteTableId": "",
             "PropagationRouteTableIds": [], "RouteTableIds": [gateway["tables"]["shared"]]}
    assert handler.on_event(event(ROUTING, "Delete", props, physical_id="tgw-attach-0123456789abcdef0")) == {
        "PhysicalResourceId": "tgw-attach-0123456789abcdef0"}


@pytest.mark.parametrize("kind, request_type, message", [
    ("Custom::Other", "Create", "unknown resource type 'Custom::Other'"),
    (LOOKUP, "Replace", "unknown RequestType 'Replace'"),
], ids=["unknown-type", "unknown-request"])
def test_unknown_requests_are_refused(aws, kind, request_type, message):
    with pytest.raises(handler.RoutingError, match=message):
        handler.on_event(event(kind, request_type, {}))
