"""MemberAccount: one AWS::Organizations::Account, retained, never replaced by an edit."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from landing_zone.plan import AccountPlan


class MemberAccount(Construct):
    def __init__(self, scope: Construct, id_: str, *, account: AccountPlan, parent_id: str) -> None:
        super().__init__(scope, id_)
        # CloudFormation refuses to update AccountName and Email (the update fails), so a renamed
        # account keeps the name it was created under; ParentIds is an in-place update, so moving an
        # account between OUs never replaces it.
        self.resource = organizations.CfnAccount(
            self, "Resource", account_name=account.account_name, email=account.email, parent_ids=[parent_id],
            tags=[cdk.CfnTag(key=k, value=v) for k, v in account.tags])
        self.resource.override_logical_id(account.logical_id)
        # Deleting the resource would close the account: retain on delete and on replacement.
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
