"""FederationStack (one account, IAM is global): SAML and OIDC providers and the roles they may assume."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.federated_role import FederatedRole
from landing_zone.cdk.constructs.oidc_provider import OidcProvider
from landing_zone.cdk.constructs.saml_provider import SamlProvider
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.identity import FederationPlan


class FederationStack(PlannedStack):
    payload_type = FederationPlan
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        federation: FederationPlan = self.payload
        providers: dict[str, cdk.CfnResource] = {}
        for saml in federation.saml_providers:
            providers[saml.logical_id] = SamlProvider(self, saml.logical_id, provider=saml).resource
        for oidc in federation.oidc_providers:
            providers[oidc.logical_id] = OidcProvider(self, oidc.logical_id, provider=oidc).resource
        for role in federation.roles:
            FederatedRole(self, role.logical_id, role=role, provider=providers[role.provider_logical_id])
