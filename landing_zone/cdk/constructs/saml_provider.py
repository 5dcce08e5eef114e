"""SamlProvider: an AWS::IAM::SAMLProvider from the identity provider's metadata document."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.plan.identity import SamlProviderPlan


class SamlProvider(Construct):
    def __init__(self, scope: Construct, id_: str, *, provider: SamlProviderPlan) -> None:
        super().__init__(scope, id_)
        self.resource = iam.CfnSAMLProvider(
            self, "Resource", name=provider.name, saml_metadata_document=provider.metadata,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in provider.tags])
        self.resource.override_logical_id(provider.logical_id)
        # Every federated sign-in through it stops when it is deleted; its roles are not retained (removing
        # a role from the blueprint revokes it), the provider alone lets nobody in.
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
