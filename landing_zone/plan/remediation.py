"""`guardrails.remediate`: which detective control instances fix what they find, and the AWS Config
remediation (RemediationConfiguration, its Systems Manager role, the catalog's own runbook) that goes
into their detective StackSet.

A remediation covers a subtree of the organization. The control's instances are split so that each
detective StackSet holds the control either with or without the remediation: the split is the same
fewest-targets cover the guardrails use, over the states (instance, remediation) of every node."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from landing_zone.blueprint.issues import Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog.runbooks import is_own, runbook_content
from landing_zone.plan.guardrails import ControlInstance
from landing_zone.plan.names import digest, logical_id
from landing_zone.plan.targets import ROOT_TARGET, Target, Tree
from landing_zone.policy.templating import render

REGION = "${AWS::Region}"
# How many non-compliant resources one rule remediates at once, and the share of failures that stops
# the batch (AWS Config ExecutionControls.SsmControls).
CONCURRENT_PERCENT = 10
ERROR_PERCENT = 10


@dataclass(frozen=True)
class RemediationSpec:
    mode: str                    # automatic | manual
    attempts: int
    retry_seconds: int
    loc: Loc = field(default=("guardrails", "remediate"), compare=False)

    @property
    def automatic(self) -> bool:
        return self.mode == "automatic"


# A node's state: the index of the instance that holds it, and the remediation that covers it.
_State = tuple[int | None, RemediationSpec | None]


def with_remediations(bp: Blueprint, instances: list[ControlInstance]) -> list[ControlInstance]:
    """The instances, those of remediated detective controls split into the parts each remediation
    covers (carrying it) and the rest."""
    entries: dict[str, list[tuple[Target, RemediationSpec]]] = defaultdict(list)
    tree = Tree(bp)
    for i, entry in enumerate(bp.guardrails.remediate):
        spec = RemediationSpec(entry.mode, entry.attempts, entry.retry_seconds, ("guardrails", "remediate", i))
        entries[entry.control] += [(node, spec) for node in tree.of(entry)]
    out: list[ControlInstance] = []
    by_control: dict[str, list[ControlInstance]] = defaultdict(list)
    for instance in instances:
        if instance.control.behavior == "detective" and instance.control.id in entries:
            by_control[instance.control.id].append(instance)
        else:
            out.append(instance)
    for control_id, group in sorted(by_control.items()):
        out += _split(tree, group, dict(entries[control_id]))
    return out


def _split(tree: Tree, instances: list[ControlInstance], specs: dict[Target, RemediationSpec]
           ) -> list[ControlInstance]:
    owner = {target: index for index, instance in enumerate(instances) for target in instance.targets}

    def state_of(node: Target, inherited: _State | None) -> _State:
        index, spec = inherited if isinstance(inherited, tuple) else (None, None)
        return (owner.get(node, index), specs.get(node, spec))

    seen: dict[Target, _State] = {}

    def walk(node: Target, inherited: _State | None) -> None:
        seen[node] = state = state_of(node, inherited)
        for child in tree.children.get(node, []):
            walk(child, state)
    walk(ROOT_TARGET, None)
    states = sorted({s for s in seen.values() if s[0] is not None},
                    key=lambda s: (s[0], s[1] is not None, repr(s[1])))
    out = []
    for state in states:
        index, spec = state
        assert index is not None    # states holds the nodes an instance holds
        targets = tree.cover(state_of, state)
        if targets:
            out.append(replace(instances[index], targets=tuple(targets), remediation=spec))
    return out


def remediation_resources(bp: Blueprint, instance: ControlInstance, rule_id: str,
                          context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The RemediationConfiguration of one remediated control instance, its role, and the catalog's own
    runbook when the control uses one (named after the control, so no two StackSets reaching one account
    ever create the same document)."""
    control, spec = instance.control, instance.remediation
    runbook = control.remediation
    assert runbook is not None      # only remediated instances get here: their control declares a runbook
    slug = control.id.lower().replace("_", "-")
    resources: dict[str, dict[str, Any]] = {}
    target: Any = runbook.document
    if is_own(runbook.document):
        document_id = logical_id("Runbook", control.id)
        resources[document_id] = {
            "Type": "AWS::SSM::Document",
            "Properties": {"Name": f"{bp.name}-{slug}-{runbook.document.removeprefix('LZ-')}"[:128],
                           "DocumentType": "Automation", "DocumentFormat": "YAML",
                           "Content": runbook_content(runbook.document), "UpdateMethod": "NewVersion"}}
        target = {"Ref": document_id}
    role_id = logical_id("RemediationRole", control.id)
    role_name = f"{bp.name}-remediate-{digest(control.id, 8)}-{REGION}"
    resources[role_id] = {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": {"Fn::Sub": role_name},
        "Description": f"Runs {runbook.document} for {control.id}: {runbook.note}"[:1000],
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
        "Policies": [{"PolicyName": "remediate", "PolicyDocument": _runbook_policy(runbook.permissions, role_name)}]}}
    values = {**context, **instance.values}
    parameters: dict[str, Any] = {
        "AutomationAssumeRole": {"StaticValue": {"Values": [{"Fn::GetAtt": [role_id, "Arn"]}]}},
        runbook.resource_parameter: {"ResourceValue": {"Value": "RESOURCE_ID"}}}
    for name, value in sorted(render(runbook.parameters, values).items()):
        items = value if isinstance(value, list) else [value]
        parameters[name] = {"StaticValue": {"Values": [str(v) for v in items]}}
    resources[logical_id("Remediate", control.id)] = {"Type": "AWS::Config::RemediationConfiguration", "Properties": {
        "ConfigRuleName": {"Ref": rule_id}, "TargetType": "SSM_DOCUMENT", "TargetId": target,
        "Parameters": parameters, "Automatic": spec.automatic,
        "MaximumAutomaticAttempts": spec.attempts, "RetryAttemptSeconds": spec.retry_seconds,
        "ExecutionControls": {"SsmControls": {"ConcurrentExecutionRatePercentage": CONCURRENT_PERCENT,
                                              "ErrorPercentage": ERROR_PERCENT}}}}
    return resources


# Resources a runbook's changes may touch, per service: the account's own (in its region where the ARN has
# one). Reads, and services without resource-level permissions (config, ssm, tag), stay on "*".
ACCOUNT_RESOURCES = {
    "s3": "arn:${AWS::Partition}:s3:::*",
    "ec2": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*",
    "rds": "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:*",
}
READ_PREFIXES = ("Describe", "Get", "List")


def _runbook_policy(permissions: list[str], role_name: str) -> dict[str, Any]:
    """Exactly the runbook's actions, its changes on the account's own resources; passing a role only to
    SSM, and only this role itself (a runbook that starts another runbook passes its own role on)."""
    scoped: dict[str, list[str]] = defaultdict(list)
    anywhere = []
    for action in sorted(a for a in set(permissions) if a != "iam:PassRole"):
        service, name = action.split(":", 1)
        if service in ACCOUNT_RESOURCES and not name.startswith(READ_PREFIXES):
            scoped[service].append(action)
        else:
            anywhere.append(action)
    statements: list[dict[str, Any]] = []
    if anywhere:
        statements.append({"Effect": "Allow", "Action": anywhere, "Resource": "*"})
    for service, actions in sorted(scoped.items()):
        statements.append({"Effect": "Allow", "Action": actions, "Resource": {"Fn::Sub": ACCOUNT_RESOURCES[service]}})
    if "iam:PassRole" in permissions:
        statements.append({"Effect": "Allow", "Action": "iam:PassRole",
                           "Resource": {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{role_name}"},
                           "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}})
    return {"Version": "2012-10-17", "Statement": statements}
