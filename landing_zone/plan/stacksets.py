"""Service-managed StackSets: the account baseline, and the detective and proactive guardrails per target set."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog.load import GUARD_DIR
from landing_zone.catalog.model import GuardRule
from landing_zone.plan.baseline import REGION, TEMPLATE_VERSION, baseline_template
from landing_zone.plan.guardrails import ControlInstance
from landing_zone.plan.names import digest, logical_id, pascal
from landing_zone.plan.remediation import remediation_resources, with_remediations
from landing_zone.plan.shared import regions_home_first, rules_bucket_name
from landing_zone.plan.targets import ROOT_TARGET, Target, created_targets
from landing_zone.policy.templating import render


@dataclass(frozen=True)
class StackSetPlan:
    name: str
    description: str
    template: dict[str, Any]
    targets: tuple[Target, ...]
    regions: tuple[str, ...]          # home region first: global resources are created there
    logical_id: str
    controls: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()  # logical ids of StackSets to create first (also for auto-deployment)
    files: tuple[tuple[str, str], ...] = ()   # (key, text) the rules buckets must hold for it
    # (account name, regions) instances beside `targets` x `regions`: the bootstrap, which goes to the
    # accounts and regions that receive a stack, not to whole OUs.
    account_regions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    auto_deployment: bool = True
    failure_tolerance: int = 1        # accounts per region that may fail before the operation stops there


def stackset_plan(bp: Blueprint, *, name: str, template: dict[str, Any], targets: tuple[Target, ...],
                  **extra: Any) -> StackSetPlan:
    return StackSetPlan(name=name, description=template["Description"], template=template, targets=targets,
                        regions=regions_home_first(bp), logical_id=logical_id("StackSet", name), **extra)


def config_baseline(bp: Blueprint, log_archive_id: str) -> StackSetPlan:
    """Every member account's AWS Config recorder (which every detective control needs), delivery into
    the log archive, and the security event forwarding (plan/baseline.py)."""
    return stackset_plan(bp, name=f"{bp.name}-config-baseline", template=baseline_template(bp, log_archive_id),
                         targets=(ROOT_TARGET,))


def detective_stacksets(bp: Blueprint, instances: list[ControlInstance], context: dict[str, Any],
                        baseline: StackSetPlan) -> list[StackSetPlan]:
    by_targets: dict[tuple[Target, ...], list[ControlInstance]] = defaultdict(list)
    for instance in with_remediations(bp, instances):
        if instance.control.behavior == "detective":
            by_targets[tuple(sorted(instance.targets))].append(instance)
    created = created_targets(bp)
    plans = []
    for targets, group in sorted(by_targets.items()):
        resources = {}
        for instance in sorted(group, key=lambda i: i.control.id):
            rule = instance.control.config_rule
            assert rule is not None     # a detective control declares its Config rule (the catalog checks)
            properties: dict[str, Any] = {
                "ConfigRuleName": f"{bp.name}-{instance.control.id.lower().replace('_', '-')}"[:128],
                "Description": instance.control.title,
                "Source": {"Owner": "AWS", "SourceIdentifier": rule.identifier},
            }
            inputs = render(rule.input_parameters, {**context, **instance.values})
            inputs = {k: v for k, v in inputs.items() if v not in (None, "", [])}
            if inputs:
                properties["InputParameters"] = inputs
            if rule.resource_types:
                properties["Scope"] = {"ComplianceResourceTypes": list(rule.resource_types)}
            if rule.maximum_execution_frequency:
                properties["MaximumExecutionFrequency"] = rule.maximum_execution_frequency
            resources[logical_id("Rule", instance.control.id)] = {
                "Type": "AWS::Config::ConfigRule", "Properties": properties}
            if instance.remediation is not None:
                resources.update(remediation_resources(bp, instance, logical_id("Rule", instance.control.id),
                                                       context))
        first = tuple(sorted(created.get(t, t) for t in targets))    # StackSetName is create-only
        key = ",".join(t.key for t in first)
        label = "root" if first == (ROOT_TARGET,) else pascal(first[0].ref).lower()[:30]
        name = f"{bp.name}-detective-{label}-{digest(key, 6)}"
        controls = tuple(sorted(i.control.id for i in group))
        template = {"AWSTemplateFormatVersion": TEMPLATE_VERSION,
                    "Description": f"{bp.name} detective guardrails for {', '.join(t.label() for t in targets)}"[:1024],
                    "Resources": resources}
        plans.append(stackset_plan(bp, name=name, template=template, targets=targets, controls=controls,
                                   depends_on=(baseline.logical_id,)))
    return plans


def _guard_rule(instance: ControlInstance) -> GuardRule:
    rule = instance.control.guard_rule
    assert rule is not None     # a proactive control declares its Guard rule (the catalog checks)
    return rule


def proactive_stacksets(bp: Blueprint, instances: list[ControlInstance],
                        baseline: StackSetPlan | None) -> list[StackSetPlan]:
    """A CloudFormation Guard hook per target set, reading its rules from the management account's
    rules bucket of its region: every stack operation in those accounts is checked before anything is
    created. With FailureMode FAIL a hook that cannot read its rules blocks every stack operation,
    so the role may read exactly what AWS's hook policy needs, and the StackSet is deployed after
    the rules are uploaded (its stack depends on the rules bucket stacks)."""
    by_targets: dict[tuple[Target, ...], list[ControlInstance]] = defaultdict(list)
    for instance in instances:
        if instance.control.behavior == "proactive":
            by_targets[tuple(sorted(instance.targets))].append(instance)
    created = created_targets(bp)
    plans = []
    for targets, group in sorted(by_targets.items()):
        group = sorted(group, key=lambda i: i.control.id)
        first = tuple(sorted(created.get(t, t) for t in targets))    # StackSetName is create-only
        key = ",".join(t.key for t in first)
        label = "root" if first == (ROOT_TARGET,) else pascal(first[0].ref).lower()[:30]
        name = f"{bp.name}-proactive-{label}-{digest(key, 6)}"
        rules_key = f"proactive/{name}.guard"
        rules = "\n".join((GUARD_DIR / _guard_rule(i).file).read_text() for i in group)
        bucket = rules_bucket_name(bp, REGION)
        types = sorted({t for i in group for t in _guard_rule(i).target_types})
        template = {
            "AWSTemplateFormatVersion": TEMPLATE_VERSION,
            "Description": f"{bp.name} proactive guardrails for {', '.join(t.label() for t in targets)}"[:1024],
            "Resources": {
                "HookRole": {
                    "Type": "AWS::IAM::Role",
                    "Properties": {
                        "RoleName": {"Fn::Sub": f"{bp.name}-guard-hook-{digest(key, 6)}-{REGION}"},
                        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Principal": {"Service": "hooks.cloudformation.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
                        # What a Guard hook's execution role needs to read its rules (AWS's minimum).
                        "Policies": [{"PolicyName": "read-guard-rules", "PolicyDocument": {
                            "Version": "2012-10-17", "Statement": [
                                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                                 "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}/{rules_key}"}},
                                {"Effect": "Allow", "Action": "s3:ListBucket",
                                 "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket}"}}]}}],
                    }},
                "GuardHook": {
                    "Type": "AWS::CloudFormation::GuardHook",
                    "Properties": {
                        "Alias": f"Lz::{pascal(bp.name)}::Proactive{digest(key, 6)}",
                        "ExecutionRole": {"Fn::GetAtt": ["HookRole", "Arn"]},
                        "FailureMode": "FAIL", "HookStatus": "ENABLED",
                        "RuleLocation": {"Uri": {"Fn::Sub": f"s3://{bucket}/{rules_key}"}},
                        "TargetOperations": ["RESOURCE"],
                        "TargetFilters": {"Actions": ["CREATE", "UPDATE"], "TargetNames": types},
                    }},
            },
        }
        plans.append(stackset_plan(bp, name=name, template=template, targets=targets,
                                   controls=tuple(i.control.id for i in group), files=((rules_key, rules),),
                                   depends_on=(baseline.logical_id,) if baseline else ()))
    return plans
