"""TrustSecurityGroup: the ports AWS documents for trusts, to and from the remote domain's servers."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.plan.model import Tags

PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp"}


class TrustSecurityGroup(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str, logical_id: str, vpc_id: str,
                 peers: tuple[str, ...], ports: tuple[tuple[str, int, int], ...], tags: Tags) -> None:
        super().__init__(scope, id_)
        rules = [dict(ip_protocol=PROTOCOLS[protocol], from_port=low, to_port=high, cidr_ip=peer,
                      description=f"trust {protocol} {low}-{high}" if low >= 0 else "trust icmp")
                 for peer in peers for protocol, low, high in ports]
        group = ec2.CfnSecurityGroup(
            self, "Group", group_name=name, vpc_id=vpc_id,
            group_description="Directory trust traffic with the remote domain controllers",
            security_group_ingress=[ec2.CfnSecurityGroup.IngressProperty(**r) for r in rules],
            security_group_egress=[ec2.CfnSecurityGroup.EgressProperty(**r) for r in rules],
            tags=[cdk.CfnTag(key=k, value=v) for k, v in tags])
        group.override_logical_id(logical_id)
        self.group_id: str = group.attr_group_id
