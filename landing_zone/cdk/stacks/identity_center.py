"""IAM Identity Center stacks (management account, home region): permission sets and ABAC attributes;
account assignments, one stack per shard of accounts."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.access_control_attributes import AccessControlAttributes
from landing_zone.cdk.constructs.account_assignment import AccountAssignment
from landing_zone.cdk.constructs.permission_set import PermissionSet
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.identity import AssignmentsPlan, IdentityCenterPlan


class IdentityCenterStack(PlannedStack):
    payload_type = IdentityCenterPlan
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        center: IdentityCenterPlan = self.payload
        for ps in center.permission_sets:
            PermissionSet(self, ps.logical_id, instance_arn=center.instance_arn, permission_set=ps)
        if center.attributes:
            AccessControlAttributes(self, center.attributes_logical_id, instance_arn=center.instance_arn,
                                    logical_id=center.attributes_logical_id, attributes=center.attributes)


class IdentityCenterAssignmentsStack(PlannedStack):
    payload_type = AssignmentsPlan
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        shard: AssignmentsPlan = self.payload
        created: dict[str, AccountAssignment] = {}
        for assignment in shard.assignments:
            created[assignment.logical_id] = AccountAssignment(
                self, assignment.logical_id, instance_arn=shard.instance_arn, assignment=assignment)
        for assignment in shard.assignments:
            if assignment.after:
                created[assignment.logical_id].resource.add_resource_dependency(created[assignment.after].resource)
