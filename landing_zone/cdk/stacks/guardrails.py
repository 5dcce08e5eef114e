"""StackSetsStack (management account, home region): service-managed StackSets that reach member
accounts: the CDK bootstrap (`<name>-bootstrap`), or the account baseline with the detective and
proactive guardrails (`<name>-guardrails`)."""
from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_cloudformation as cloudformation
from constructs import Construct

from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import target_id, unit_id
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.management import StackSetsPayload
from landing_zone.plan.stacksets import StackSetPlan

MAX_CONCURRENT_PERCENTAGE = 25


class StackSetsStack(PlannedStack):
    payload_type = StackSetsPayload   # the bootstrap and the guardrails StackSets
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: StackSetsPayload = self.payload
        stacksets: dict[str, cloudformation.CfnStackSet] = {}
        for stackset in payload.stacksets:
            depends = [stacksets[d] for d in stackset.depends_on]
            stacksets[stackset.logical_id] = resource = self._stackset(plan, stackset, depends)
            for dependency in depends:
                resource.add_resource_dependency(dependency)

    def _groups(self, plan: Plan, stackset: StackSetPlan) -> list[cloudformation.CfnStackSet.StackInstancesProperty]:
        groups = []
        units = [target_id(plan, t) for t in stackset.targets if t.kind != "account"]
        if units:
            groups.append(cloudformation.CfnStackSet.StackInstancesProperty(
                deployment_targets=cloudformation.CfnStackSet.DeploymentTargetsProperty(
                    organizational_unit_ids=units), regions=list(stackset.regions)))
        # Service-managed StackSets reach single accounts as "these accounts within their parent OUs".
        by_regions: dict[tuple[str, ...], list[str]] = {}
        for target in (t for t in stackset.targets if t.kind == "account"):
            by_regions.setdefault(tuple(stackset.regions), []).append(target.ref)
        for account, regions in stackset.account_regions:
            by_regions.setdefault(regions, []).append(account)
        for regions, names in sorted(by_regions.items()):
            accounts = [plan.account(n) for n in sorted(names)]
            groups.append(cloudformation.CfnStackSet.StackInstancesProperty(
                deployment_targets=cloudformation.CfnStackSet.DeploymentTargetsProperty(
                    accounts=[a.id for a in accounts], account_filter_type="INTERSECTION",
                    organizational_unit_ids=[unit_id(plan, u) for u in sorted({a.unit for a in accounts})]),
                regions=list(regions)))
        return groups

    def _stackset(self, plan: Plan, stackset: StackSetPlan,
                  depends: list[cloudformation.CfnStackSet]) -> cloudformation.CfnStackSet:
        regions = stackset.regions or tuple(sorted({r for _, rs in stackset.account_regions for r in rs}))
        # A new account's instances of this StackSet wait for those it depends on (the baseline's
        # recorder before any Config rule); StackSet ARNs carry a generated id, so they are built here.
        after = [cdk.Fn.sub("arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stackset/${Id}",
                            {"Id": d.attr_stack_set_id}) for d in depends]
        resource = cloudformation.CfnStackSet(
            self, stackset.logical_id, stack_set_name=stackset.name, description=stackset.description,
            permission_model="SERVICE_MANAGED", call_as="SELF",
            auto_deployment=cloudformation.CfnStackSet.AutoDeploymentProperty(
                enabled=stackset.auto_deployment, depends_on=after or None,
                retain_stacks_on_account_removal=False if stackset.auto_deployment else None),
            capabilities=["CAPABILITY_NAMED_IAM"],
            managed_execution={"Active": True},
            operation_preferences=cloudformation.CfnStackSet.OperationPreferencesProperty(
                region_concurrency_type="SEQUENTIAL", region_order=list(regions),
                max_concurrent_percentage=MAX_CONCURRENT_PERCENTAGE,
                failure_tolerance_count=stackset.failure_tolerance,
                concurrency_mode="SOFT_FAILURE_TOLERANCE"),
            parameters=[cloudformation.CfnStackSet.ParameterProperty(parameter_key=k, parameter_value=v)
                        for k, v in stackset.parameters] or None,
            stack_instances_group=self._groups(plan, stackset),
            template_body=json.dumps(stackset.template, sort_keys=True, separators=(",", ":")),
            tags=[cdk.CfnTag(key=k, value=v) for k, v in plan.tags])
        resource.override_logical_id(stackset.logical_id)
        return resource
