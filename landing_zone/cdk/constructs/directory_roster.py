"""DirectoryRoster: the one resource that removes trusts, regions and shares that left the blueprint."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import RosterPlan


class DirectoryRoster(Construct):
    """Retained like the trusts, replicas and shares it lists: only a shorter list removes anything."""

    def __init__(self, scope: Construct, id_: str, *, prefix: str, directory_id: str, roster: RosterPlan) -> None:
        super().__init__(scope, id_)
        directory_arn = (f"arn:{cdk.Aws.PARTITION}:ds:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
                         f"directory/{directory_id}")
        provider = HandlerProvider(self, "Handler", module="directory_roster", function_name=f"{prefix}-roster",
                                   waits=False, statements=[
            iam.PolicyStatement(actions=["ds:DeleteTrust", "ds:UnshareDirectory"], resources=[directory_arn]),
            # RemoveRegion is called in the region it removes, where the directory has the same id; which
            # regions is only known when one leaves the blueprint.
            iam.PolicyStatement(actions=["ds:RemoveRegion"], resources=[
                f"arn:{cdk.Aws.PARTITION}:ds:*:{cdk.Aws.ACCOUNT_ID}:directory/{directory_id}"]),
            # No resource-level permissions (Service Authorization Reference).
            iam.PolicyStatement(actions=["ds:DescribeTrusts"], resources=["*"])])
        self.resource = provider.resource(self, roster.logical_id, resource_type="Custom::DirectoryRoster",
                                          retain=True, properties={
                                              "DirectoryId": directory_id, "Trusts": list(roster.trusts),
                                              "Regions": list(roster.regions),
                                              "SharedAccounts": list(roster.accounts)})
