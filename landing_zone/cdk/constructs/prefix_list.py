"""PrefixList: a customer-managed prefix list, optionally with the example security group (SSH from it)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from landing_zone.plan.network import PrefixListPlan

SSH_PORT = 22


class PrefixList(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix_list: PrefixListPlan) -> None:
        super().__init__(scope, id_)
        self.plan = prefix_list
        self._tags = [cdk.CfnTag(key=k, value=v) for k, v in prefix_list.tags]
        resource = ec2.CfnPrefixList(
            self, "PrefixList", prefix_list_name=prefix_list.resource_name,
            address_family=prefix_list.address_family, max_entries=prefix_list.max_entries,
            entries=[ec2.CfnPrefixList.EntryProperty(cidr=cidr, description=description or None)
                     for cidr, description in prefix_list.entries], tags=self._tags)
        resource.override_logical_id(prefix_list.logical_id)
        self.arn: str = resource.attr_arn
        self.id: str = resource.attr_prefix_list_id

    def add_example(self, vpc_id: str) -> None:
        """The example security group (SSH from the list) in a VPC of the same owner and region."""
        prefix_list = self.plan
        group = ec2.CfnSecurityGroup(
            self, "SshFromPrefixList", vpc_id=vpc_id,
            group_description=f"Example: SSH from the {prefix_list.resource_name} prefix list",
            security_group_ingress=[ec2.CfnSecurityGroup.IngressProperty(
                ip_protocol="tcp", from_port=SSH_PORT, to_port=SSH_PORT,
                source_prefix_list_id=self.id,
                description=f"SSH from {prefix_list.resource_name}")],
            tags=self._tags)
        group.override_logical_id(f"{prefix_list.logical_id}SshSecurityGroup")
