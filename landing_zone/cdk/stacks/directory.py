"""DirectoryStack (identity account, directory region): the directory, its trusts, replicas and shares."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.ad_connector import AdConnector
from landing_zone.cdk.constructs.directory_admin_secret import DirectoryAdminSecret
from landing_zone.cdk.constructs.directory_dns import DirectoryDns
from landing_zone.cdk.constructs.directory_replicas import DirectoryReplicas
from landing_zone.cdk.constructs.directory_roster import DirectoryRoster
from landing_zone.cdk.constructs.directory_share import DirectoryShare
from landing_zone.cdk.constructs.directory_trusts import DirectoryTrusts
from landing_zone.cdk.constructs.managed_directory import ManagedDirectory
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.directory import DirectoryPayload
from landing_zone.plan.names import logical_id


class DirectoryStack(PlannedStack):
    payload_type = DirectoryPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: DirectoryPayload = self.payload
        # Exports of the network stack of this account and region (deployed first: depends_on).
        vpc_id = cdk.Fn.import_value(payload.network.vpc_export)
        subnet_ids = [cdk.Fn.import_value(name) for name in payload.network.subnet_exports]
        if payload.kind == "connector":
            AdConnector(self, "Connector", directory=payload, vpc_id=vpc_id, subnet_ids=subnet_ids)
            return
        assert payload.admin_secret_name
        secret = DirectoryAdminSecret(self, "AdminSecret", name=payload.admin_secret_name,
                                      logical_id=logical_id("AdminSecret", payload.domain.lower()),
                                      tags=payload.tags, kms_key_arn=payload.admin_secret_key_arn)
        directory = ManagedDirectory(self, "Directory", directory=payload, password=secret.password,
                                     vpc_id=vpc_id, subnet_ids=subnet_ids)
        # Trusts, replicas, shares and the roster are all retained: a stack deletion removes none of
        # them. The roster removes what leaves the blueprint, before anything new is added (a region
        # being removed and one being added would otherwise overlap).
        added: list[cdk.CustomResource] = []
        if payload.trusts:
            # The trust handler opens the ports in the directory's own security group (the domain
            # controllers' group, which CloudFormation does not expose) before creating each trust.
            trusts = DirectoryTrusts(self, "Trusts", prefix=payload.prefix, directory_id=directory.directory_id,
                                     vpc_id=vpc_id, trusts=payload.trusts, ports=payload.trust_ports)
            added += trusts.trusts.values()
        if payload.dns:
            DirectoryDns(self, "Dns", dns=payload.dns, domain=payload.domain, dns_ips=directory.dns_ips,
                         vpc_id=vpc_id, subnet_ids=subnet_ids)
        if payload.replicas:
            added += DirectoryReplicas(self, "Replicas", prefix=payload.prefix,
                                       directory_id=directory.directory_id, replicas=payload.replicas).resources
        if payload.share:
            added.append(DirectoryShare(self, "Share", prefix=payload.prefix, directory_id=directory.directory_id,
                                        share=payload.share).resource)
        if payload.roster:
            roster = DirectoryRoster(self, "Roster", prefix=payload.prefix, directory_id=directory.directory_id,
                                     roster=payload.roster)
            for resource in added:
                resource.node.add_dependency(roster.resource)
