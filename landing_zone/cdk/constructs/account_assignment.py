"""AccountAssignment: one AWS::SSO::Assignment (a group or user, a permission set, an account)."""
from __future__ import annotations

from aws_cdk import aws_sso as sso
from constructs import Construct

from landing_zone.plan.identity import AssignmentPlan


class AccountAssignment(Construct):
    def __init__(self, scope: Construct, id_: str, *, instance_arn: str, assignment: AssignmentPlan) -> None:
        super().__init__(scope, id_)
        self.resource = sso.CfnAssignment(
            self, "Resource", instance_arn=instance_arn, permission_set_arn=assignment.permission_set_arn,
            principal_type=assignment.principal_type, principal_id=assignment.principal_id,
            target_type="AWS_ACCOUNT", target_id=assignment.account_id)
        self.resource.override_logical_id(assignment.logical_id)
        # Not retained: removing an assignment from the blueprint must revoke that access (a retained one
        # would outlive its removal unseen). Its logical id comes from names, so no reordering deletes it,
        # and one deleted by mistake comes back with the next deployment; it holds no data.
