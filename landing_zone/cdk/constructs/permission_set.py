"""PermissionSet: one AWS::SSO::PermissionSet and the SSM parameter that publishes its ARN."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_sso as sso
from constructs import Construct

from landing_zone.plan.identity import PermissionSetPlan


class PermissionSet(Construct):
    def __init__(self, scope: Construct, id_: str, *, instance_arn: str,
                 permission_set: PermissionSetPlan) -> None:
        super().__init__(scope, id_)
        ps = permission_set
        boundary = None
        if ps.boundary_arn:
            boundary = sso.CfnPermissionSet.PermissionsBoundaryProperty(managed_policy_arn=ps.boundary_arn)
        elif ps.boundary_reference:
            name, path = ps.boundary_reference
            boundary = sso.CfnPermissionSet.PermissionsBoundaryProperty(
                customer_managed_policy_reference=sso.CfnPermissionSet.CustomerManagedPolicyReferenceProperty(
                    name=name, path=path))
        self.resource = sso.CfnPermissionSet(
            self, "Resource", instance_arn=instance_arn, name=ps.name, description=ps.description,
            session_duration=ps.session_duration,
            managed_policies=list(ps.managed_policy_arns) or None,
            customer_managed_policy_references=[
                sso.CfnPermissionSet.CustomerManagedPolicyReferenceProperty(name=name, path=path)
                for name, path in ps.customer_managed_policies] or None,
            inline_policy=ps.inline_policy, permissions_boundary=boundary, relay_state_type=ps.relay_state,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in ps.tags])
        self.resource.override_logical_id(ps.logical_id)
        # Deleting a permission set deprovisions it from every account, with every assignment made from
        # it (ours and any added by hand): a rename or a careless edit would lock people out at once.
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        # Assignment stacks read the ARN by this deterministic name (a dynamic reference, no export).
        self.parameter = ssm.CfnParameter(
            self, "Arn", name=ps.parameter_name, type="String", value=self.resource.attr_permission_set_arn,
            description=f"ARN of the IAM Identity Center permission set {ps.name}", tags=dict(ps.tags))
        self.parameter.override_logical_id(ps.parameter_logical_id)
