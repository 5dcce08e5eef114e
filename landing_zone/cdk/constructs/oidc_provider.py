"""OidcProvider: an AWS::IAM::OIDCProvider (issuer URL, audiences, optional thumbprints)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.plan.identity import OidcProviderPlan


class OidcProvider(Construct):
    def __init__(self, scope: Construct, id_: str, *, provider: OidcProviderPlan) -> None:
        super().__init__(scope, id_)
        self.resource = iam.CfnOIDCProvider(
            self, "Resource", url=provider.url, client_id_list=list(provider.client_ids),
            thumbprint_list=list(provider.thumbprints) or None,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in provider.tags])
        self.resource.override_logical_id(provider.logical_id)
        # As SAML providers: deleting it stops every web-identity sign-in (CI pipelines) at once.
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
