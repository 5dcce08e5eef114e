"""GuardrailsStack (management account, home region): organization policies and guardrail StackSets."""
from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_cloudformation as cloudformation
from aws_cdk import aws_organizations as organizations
from constructs import Construct

from landing_zone.cdk.constructs.guard_rules import GuardRulesBucket
from landing_zone.cdk.constructs.policy_types import PolicyTypes
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import target_id, unit_id
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.stacksets import StackSetPlan


class GuardrailsStack(PlannedStack):
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        types = PolicyTypes(self, "PolicyTypes", prefix=plan.name, root_id=plan.root_id,
                            policy_types=plan.policy_types) if plan.policy_types else None
        tags = [cdk.CfnTag(key=k, value=v) for k, v in plan.tags]
        for policy in plan.policies:
            resource = organizations.CfnPolicy(
                self, policy.logical_id, name=policy.name, type=policy.policy_type,
                description=policy.description, content=policy.document,
                target_ids=[target_id(plan, t) for t in policy.targets], tags=tags)
            resource.override_logical_id(policy.logical_id)
            resource.node.add_dependency(types.enabled[policy.policy_type])
        files = [f for stackset in plan.stacksets for f in stackset.files]
        if files:
            GuardRulesBucket(self, "GuardRules", bucket_name=plan.rules_bucket, organization_id=plan.organization_id,
                             files=tuple(files))
        stacksets: dict[str, cloudformation.CfnStackSet] = {}
        for stackset in plan.stacksets:
            stacksets[stackset.logical_id] = self._stackset(plan, stackset)
            for dependency in stackset.depends_on:
                stacksets[stackset.logical_id].add_resource_dependency(stacksets[dependency])

    def _stackset(self, plan: Plan, stackset: StackSetPlan) -> cloudformation.CfnStackSet:
        groups = []
        units = [target_id(plan, t) for t in stackset.targets if t.kind != "account"]
        if units:
            groups.append(cloudformation.CfnStackSet.StackInstancesProperty(
                deployment_targets=cloudformation.CfnStackSet.DeploymentTargetsProperty(
                    organizational_unit_ids=units), regions=list(stackset.regions)))
        for target in (t for t in stackset.targets if t.kind == "account"):
            # Service-managed StackSets reach one account as "this account within its parent OU".
            account = plan.account(target.ref)
            groups.append(cloudformation.CfnStackSet.StackInstancesProperty(
                deployment_targets=cloudformation.CfnStackSet.DeploymentTargetsProperty(
                    accounts=[account.id], account_filter_type="INTERSECTION",
                    organizational_unit_ids=[unit_id(plan, account.unit)]),
                regions=list(stackset.regions)))
        resource = cloudformation.CfnStackSet(
            self, stackset.logical_id, stack_set_name=stackset.name, description=stackset.description,
            permission_model="SERVICE_MANAGED", call_as="SELF",
            auto_deployment=cloudformation.CfnStackSet.AutoDeploymentProperty(
                enabled=True, retain_stacks_on_account_removal=False),
            capabilities=["CAPABILITY_NAMED_IAM"],
            managed_execution={"Active": True},
            operation_preferences=cloudformation.CfnStackSet.OperationPreferencesProperty(
                region_concurrency_type="SEQUENTIAL", region_order=list(stackset.regions),
                max_concurrent_percentage=25, failure_tolerance_percentage=10),
            stack_instances_group=groups,
            template_body=json.dumps(stackset.template, sort_keys=True, separators=(",", ":")),
            tags=[cdk.CfnTag(key=k, value=v) for k, v in plan.tags])
        resource.override_logical_id(stackset.logical_id)
        return resource
