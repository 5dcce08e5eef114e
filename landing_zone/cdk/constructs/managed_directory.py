"""ManagedDirectory: AWS Managed Microsoft AD or Simple AD in two imported subnets, retained."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_directoryservice as ds
from constructs import Construct

from landing_zone.plan.directory import DirectoryPayload


class ManagedDirectory(Construct):
    def __init__(self, scope: Construct, id_: str, *, directory: DirectoryPayload, password: str,
                 vpc_id: str, subnet_ids: list[str]) -> None:
        super().__init__(scope, id_)
        settings = dict(vpc_id=vpc_id, subnet_ids=subnet_ids)
        if directory.kind == "microsoft-ad":
            resource = ds.CfnMicrosoftAD(
                self, "Directory", name=directory.domain, short_name=directory.short_name,
                edition=directory.edition, password=password,
                vpc_settings=ds.CfnMicrosoftAD.VpcSettingsProperty(**settings))
        else:
            resource = ds.CfnSimpleAD(
                self, "Directory", name=directory.domain, short_name=directory.short_name,
                size=directory.size, password=password,
                vpc_settings=ds.CfnSimpleAD.VpcSettingsProperty(**settings))
        resource.override_logical_id(directory.logical_id)
        resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.directory_id: str = resource.ref
        self.dns_ips: list[str] = resource.attr_dns_ip_addresses
