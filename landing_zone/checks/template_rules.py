"""Rules over the synthesized templates that cfn-lint cannot see, because each comes from the AWS
documentation of a resource or from how stacks of different phases meet. Each rule is one function
yielding findings."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from landing_zone.checks.schemas import region_types
from landing_zone.plan import Plan
from landing_zone.plan.phases import PHASE_OF, PHASES
from landing_zone.plan.vpc_templates import COMPONENT as VPC_TEMPLATES

# CloudFormation gives a custom resource at most one hour.
CUSTOM_RESOURCE_MAX_SECONDS = 3600

Templates = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class TemplateFinding:
    rule: str
    stack: str
    logical_id: str
    message: str

    def format(self) -> str:
        return f"{self.stack}/{self.logical_id}: {self.message} [{self.rule}]"


def _resources(templates: Templates, kind: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for stack, template in sorted(templates.items()):
        for logical_id, resource in sorted(template.get("Resources", {}).items()):
            if resource.get("Type") == kind:
                yield stack, logical_id, resource.get("Properties") or {}


def config_delivery_without_object_lock(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """AWS::Config::DeliveryChannel: AWS Config cannot deliver to a bucket with Object Lock."""
    locked = {p.get("BucketName") for _, _, p in _resources(templates, "AWS::S3::Bucket")
              if p.get("ObjectLockEnabled") or p.get("ObjectLockConfiguration")}
    bodies = dict(templates)
    for stack, _, props in _resources(templates, "AWS::CloudFormation::StackSet"):
        bodies[f"{stack} StackSet {props['StackSetName']}"] = json.loads(props["TemplateBody"])
    for stack, logical_id, props in _resources(bodies, "AWS::Config::DeliveryChannel"):
        if props.get("S3BucketName") in locked:
            yield TemplateFinding("config-object-lock", stack, logical_id,
                                  f"AWS Config delivers to {props['S3BucketName']}, which has Object Lock; "
                                  "AWS Config cannot deliver to such a bucket")


def bucket_keys_by_arn(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """S3 default encryption with a KMS alias resolves the alias in each writer's account: other
    accounts' services (CloudTrail, Config, flow logs) need the key ARN."""
    for stack, logical_id, props in _resources(templates, "AWS::S3::Bucket"):
        rules = (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration", [])
        for rule in rules:
            key = (rule.get("ServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID")
            if isinstance(key, str) and (key.startswith("alias/") or ":alias/" in key):
                yield TemplateFinding("bucket-key-alias", stack, logical_id,
                                      f"default encryption names the key by alias ({key}); use the key ARN")


def custom_resource_timeouts(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    for stack, template in sorted(templates.items()):
        for logical_id, resource in sorted(template.get("Resources", {}).items()):
            kind = resource.get("Type", "")
            if not (kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource"):
                continue
            timeout = (resource.get("Properties") or {}).get("ServiceTimeout")
            if isinstance(timeout, (int, str)) and str(timeout).isdigit() and int(timeout) > CUSTOM_RESOURCE_MAX_SECONDS:
                yield TemplateFinding("custom-resource-timeout", stack, logical_id,
                                      f"ServiceTimeout {timeout} s; CloudFormation allows at most "
                                      f"{CUSTOM_RESOURCE_MAX_SECONDS} s")


def _depends(resource: dict[str, Any]) -> list[str]:
    value = resource.get("DependsOn", [])
    return [value] if isinstance(value, str) else list(value)


def one_account_chain(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """AWS::Organizations::Account: several accounts in one template must be created one at a time,
    through a DependsOn chain."""
    for stack, template in sorted(templates.items()):
        resources = template.get("Resources", {})
        accounts = {k for k, v in resources.items() if v.get("Type") == "AWS::Organizations::Account"}
        if len(accounts) < 2:
            continue
        after = {k: [d for d in _depends(resources[k]) if d in accounts] for k in accounts}
        heads = sorted(k for k, deps in after.items() if not deps)
        followers: dict[str, list[str]] = {}
        for k, deps in after.items():
            for d in deps:
                followers.setdefault(d, []).append(k)
        branching = sorted(k for k, ks in followers.items() if len(ks) > 1)
        if len(heads) != 1 or branching or any(len(d) > 1 for d in after.values()):
            yield TemplateFinding("account-chain", stack, (heads + branching)[0] if heads + branching else "",
                                  f"{len(accounts)} accounts form {len(heads)} DependsOn chains"
                                  + (f", branching after {', '.join(branching)}" if branching else "")
                                  + "; they must form one chain")


def _imports(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::ImportValue" and isinstance(value, str):
                yield value
            else:
                yield from _imports(value)
    elif isinstance(node, list):
        for value in node:
            yield from _imports(value)


def imports_exported_earlier(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """Every Fn::ImportValue names an export of the same account and region, made by a stack that
    deploys earlier: in an earlier phase, or one the importing stack depends on."""
    rank = {name: i for i, (name, *_rest) in enumerate(PHASES)}
    stacks = {s.name: s for s in plan.stacks}
    exports: dict[tuple[str, str, str], str] = {}
    for name, template in templates.items():
        if name not in stacks:
            continue
        for output in template.get("Outputs", {}).values():
            export = (output.get("Export") or {}).get("Name")
            if isinstance(export, str):
                exports[(stacks[name].account_id, stacks[name].region, export)] = name
    for name, template in sorted(templates.items()):
        stack = stacks.get(name)
        if stack is None:
            continue
        for value in sorted(set(_imports(template.get("Resources", {})))):
            exporter = exports.get((stack.account_id, stack.region, value))
            if exporter is None:
                yield TemplateFinding("import-without-export", name, "", f"imports {value}, which no stack of "
                                      f"account {stack.account_id} in {stack.region} exports")
            elif exporter != name and not (rank[PHASE_OF[stacks[exporter].component]] < rank[PHASE_OF[stack.component]]
                                           or exporter in stack.depends_on):
                yield TemplateFinding("import-order", name, "", f"imports {value} from {exporter}, which is not "
                                      "deployed before it")


def _stack_outputs(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::GetStackOutput" and isinstance(value, dict):
                yield value
            else:
                yield from _stack_outputs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _stack_outputs(value)


def stack_outputs_read_earlier(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """Every Fn::GetStackOutput (a weak reference: CloudFormation reads the output when the reader
    deploys, and nothing stops the producer changing later) names an output its stack declares, in
    the producer's own region and account, and the producer deploys before the reader."""
    rank = {name: i for i, (name, *_rest) in enumerate(PHASES)}
    stacks = {s.name: s for s in plan.stacks}
    for name, template in sorted(templates.items()):
        stack = stacks.get(name)
        if stack is None:
            continue
        seen: set[str] = set()
        for reference in _stack_outputs([template.get("Resources", {}), template.get("Outputs", {})]):
            producer_name, output = reference.get("StackName"), reference.get("OutputName")
            if not isinstance(producer_name, str) or not isinstance(output, str):
                continue     # a computed name is not ours to check
            region = reference.get("Region", stack.region)
            key = f"{producer_name}/{output}@{region}"
            if key in seen:
                continue
            seen.add(key)
            producer = stacks.get(producer_name)
            declared = templates.get(producer_name, {}).get("Outputs", {})
            if producer is None or output not in declared:
                yield TemplateFinding("stack-output-missing", name, "", f"reads output {output} of "
                                      f"{producer_name}, which " + ("is no stack of this landing zone"
                                                                    if producer is None else "does not declare it"))
            elif region != producer.region:
                yield TemplateFinding("stack-output-missing", name, "", f"reads {producer_name}/{output} in "
                                      f"{region}, but that stack deploys to {producer.region}")
            elif producer.account_id != stack.account_id and "RoleArn" not in reference:
                yield TemplateFinding("stack-output-missing", name, "", f"reads {producer_name}/{output} of "
                                      f"account {producer.account_id} without a RoleArn; CloudFormation looks "
                                      f"in account {stack.account_id}")
            elif producer_name != name and not (
                    rank[PHASE_OF[producer.component]] < rank[PHASE_OF[stack.component]]
                    or producer_name in stack.depends_on):
                yield TemplateFinding("stack-output-order", name, "", f"reads {producer_name}/{output}, which "
                                      "is not deployed before it")


def stacksets_wait_for_baseline(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """A new account receives every StackSet on its own: detective and proactive StackSets name the
    baseline in AutoDeployment.DependsOn, so the recorder exists before any Config rule. The VPC
    templates' StackSets need nothing of the baseline (a VPC, no Config rule or hook)."""
    baselines = {s.logical_id for s in plan.stacksets if s.name.endswith("-config-baseline")}
    if not baselines:
        return
    independent = {s.name for s in plan.stacks if s.component == VPC_TEMPLATES}
    for stack, logical_id, props in _resources(templates, "AWS::CloudFormation::StackSet"):
        if logical_id in baselines or stack.endswith("-bootstrap") or stack in independent:
            continue
        after = json.dumps((props.get("AutoDeployment") or {}).get("DependsOn", []))
        if not any(b in after for b in baselines):
            yield TemplateFinding("stackset-order", stack, logical_id,
                                  f"{props['StackSetName']} does not wait for the account baseline on automatic "
                                  "deployment (AutoDeployment.DependsOn)")


def resource_types_exist_in_their_region(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """Every resource type is offered by CloudFormation in the region the stack (or StackSet
    instance) deploys to, by cfn-lint's per-region provider schemas: a service missing in a region
    (or a partition: GovCloud, China) is found offline, not by a failed deploy."""
    stacks = {s.name: s for s in plan.stacks}
    places: list[tuple[str, str, dict[str, Any]]] = []
    for name, template in sorted(templates.items()):
        if name in stacks:
            places.append((name, stacks[name].region, template))
        for _, _, props in _resources({name: template}, "AWS::CloudFormation::StackSet"):
            body = json.loads(props["TemplateBody"])
            regions = {r for group in props.get("StackInstancesGroup", []) for r in group.get("Regions", [])}
            places += [(f"{name} StackSet {props['StackSetName']}", region, body) for region in sorted(regions)]
    for label, region, template in places:
        offered = region_types(region)
        if not offered:
            continue    # a region cfn-lint does not know: nothing to say
        for logical_id, resource in sorted(template.get("Resources", {}).items()):
            kind = resource.get("Type", "")
            if kind.startswith("Custom::") or kind in offered:
                continue
            yield TemplateFinding("resource-type-unavailable", label, logical_id,
                                  f"{kind} is not offered by CloudFormation in {region}")


def control_tower_chains(plan: Plan, templates: Templates) -> Iterator[TemplateFinding]:
    """AWS Control Tower runs one OU operation at a time and a bounded number of control operations:
    the EnabledBaseline resources of a template form one DependsOn chain, and its EnabledControl
    resources chains (never a fork) with at most `max_concurrent_operations` heads."""
    lanes = {s.name: s.payload.lanes for s in plan.stacks if s.component == "control-tower-controls"}
    for stack, template in sorted(templates.items()):
        resources = template.get("Resources", {})
        for kind, limit in (("AWS::ControlTower::EnabledBaseline", 1),
                            ("AWS::ControlTower::EnabledControl", lanes.get(stack, 1))):
            chained = {k for k, v in resources.items() if v.get("Type") == kind}
            if not chained:
                continue
            after = {k: [d for d in _depends(resources[k]) if d in chained] for k in chained}
            heads = sorted(k for k, deps in after.items() if not deps)
            waiting: dict[str, int] = {}
            for deps in after.values():
                for d in deps:
                    waiting[d] = waiting.get(d, 0) + 1
            forks = sorted(k for k, n in waiting.items() if n > 1)
            if len(heads) > limit or forks or any(len(d) > 1 for d in after.values()):
                yield TemplateFinding("control-tower-operations", stack, (forks + heads)[0],
                                      f"{len(chained)} {kind.rsplit('::', 1)[1]} resources start {len(heads)} "
                                      f"operations at once (allowed: {limit})"
                                      + (f", forking after {', '.join(forks)}" if forks else ""))


RULES: tuple[Callable[[Plan, Templates], Iterator[TemplateFinding]], ...] = (
    control_tower_chains,
    config_delivery_without_object_lock, bucket_keys_by_arn, custom_resource_timeouts, one_account_chain,
    imports_exported_earlier, stack_outputs_read_earlier, stacksets_wait_for_baseline, resource_types_exist_in_their_region,
)


def template_findings(plan: Plan, templates: Templates) -> list[TemplateFinding]:
    return [finding for rule in RULES for finding in rule(plan, templates)]
