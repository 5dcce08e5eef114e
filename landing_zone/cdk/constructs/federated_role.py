"""FederatedRole: an IAM role assumed through a SAML or OIDC provider, with the plan's trust policy."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.plan.identity import FederatedRolePlan


class FederatedRole(Construct):
    def __init__(self, scope: Construct, id_: str, *, role: FederatedRolePlan,
                 provider: cdk.CfnResource) -> None:
        super().__init__(scope, id_)
        # Policy variables such as ${aws:PrincipalTag/...} stay plain strings: CloudFormation only
        # substitutes ${...} inside Fn::Sub, which is never used here.
        self.resource = iam.CfnRole(
            self, "Resource", role_name=role.name, assume_role_policy_document=role.trust_policy,
            managed_policy_arns=list(role.managed_policy_arns) or None,
            policies=[iam.CfnRole.PolicyProperty(policy_name="inline", policy_document=role.inline_policy)]
            if role.inline_policy else None,
            max_session_duration=role.max_session_duration,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in role.tags])
        self.resource.override_logical_id(role.logical_id)
        # The trust policy names the provider by its deterministic ARN; create the provider first.
        self.resource.add_resource_dependency(provider)
