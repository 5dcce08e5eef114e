"""DirectoryShare: shares the directory with organization accounts (handlers/directory_share.py); retained."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import SharePlan


class DirectoryShare(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, directory_id: str, share: SharePlan) -> None:
        super().__init__(scope, id_)
        directory_arn = (f"arn:{cdk.Aws.PARTITION}:ds:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
                         f"directory/{directory_id}")
        provider = HandlerProvider(self, "Handler", module="directory_share", function_name=f"{prefix}-share",
                                   waits=False, statements=[
            # Unsharing is the roster's job (directory_roster.py), never this handler's.
            iam.PolicyStatement(actions=["ds:ShareDirectory", "ds:DescribeSharedDirectories"],
                                resources=[directory_arn]),
            # ShareMethod ORGANIZATIONS checks the consumer is in the caller's organization.
            iam.PolicyStatement(actions=["organizations:DescribeOrganization"], resources=["*"])])
        self.resource = provider.resource(self, share.logical_id, resource_type="Custom::DirectoryShare",
                                          retain=True, properties={"DirectoryId": directory_id,
                                                                   "AccountIds": list(share.account_ids)})
