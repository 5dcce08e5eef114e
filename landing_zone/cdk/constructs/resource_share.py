"""ResourceShare: one RAM share with organization, OU or account principals, never external ones."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ram as ram
from constructs import Construct

from landing_zone.plan.network import SharePlan


class ResourceShare(Construct):
    def __init__(self, scope: Construct, id_: str, *, share: SharePlan, resource_arns: list[str]) -> None:
        super().__init__(scope, id_)
        resource = ram.CfnResourceShare(
            self, "Share", name=share.name, allow_external_principals=False,
            principals=list(share.principals), resource_arns=resource_arns,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in share.tags])
        resource.override_logical_id(share.logical_id)
        # Deleting a share cuts every consumer account off the subnets, prefix lists, rules or gateways in it
        # at once. Narrowing its targets is an update, which unshares exactly what left; a share that
        # leaves the blueprint entirely stays, to be deleted by hand.
        resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
