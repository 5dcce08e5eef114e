"""What deploying a template asks AWS for: the calls of the CDK deploy role, of the principal that
creates the resources (CloudFormation's handler permissions from the provider schemas), and of
custom-resource handler roles. Pure data from synthesized templates; the evaluation is elsewhere."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.regions import partition
from landing_zone.checks.schemas import DEPLOY_HANDLERS, handler_permissions

STACK_ID = "00000000-0000-4000-8000-000000000000"   # stand-in for the stack id part of a stack ARN

# The CloudFormation calls `cdk deploy` makes as the CDK deploy role, on the stack it deploys.
DEPLOY_ROLE_STACK_CALLS = (
    "cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStackEvents", "cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet",
    "cloudformation:GetTemplate",
)
# What the file publishing role does to the staging bucket before the deploy.
PUBLISHING_CALLS = ("s3:GetBucketLocation", "s3:ListBucket", "s3:PutObject")


@dataclass(frozen=True)
class Call:
    """One call a principal makes while a template deploys."""

    action: str
    resource: str                   # an ARN, or "*" when it cannot be known offline
    logical_id: str = ""            # the template resource it is for ("" for stack-level calls)
    why: str = ""


def _sub(value: Any, account: str, region: str) -> str | None:
    """A name given literally or by Fn::Sub over pseudo parameters; None when it is not known offline."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        text = (value["Fn::Sub"].replace("${AWS::AccountId}", account).replace("${AWS::Region}", region)
                .replace("${AWS::Partition}", partition(region) if region else "aws"))
        return None if "${" in text else text
    return None


# type → (ARN template, name property); {name} is the property's value.
_ARNS: dict[str, tuple[str, str]] = {
    "AWS::IAM::Role": ("arn:{partition}:iam::{account}:role/{name}", "RoleName"),
    "AWS::S3::Bucket": ("arn:{partition}:s3:::{name}", "BucketName"),
    "AWS::SNS::Topic": ("arn:{partition}:sns:{region}:{account}:{name}", "TopicName"),
    "AWS::Lambda::Function": ("arn:{partition}:lambda:{region}:{account}:function:{name}", "FunctionName"),
    "AWS::Events::Rule": ("arn:{partition}:events:{region}:{account}:rule/{name}", "Name"),
    "AWS::Events::EventBus": ("arn:{partition}:events:{region}:{account}:event-bus/{name}", "Name"),
    "AWS::Logs::LogGroup": ("arn:{partition}:logs:{region}:{account}:log-group:{name}", "LogGroupName"),
    "AWS::KMS::Alias": ("arn:{partition}:kms:{region}:{account}:{name}", "AliasName"),
    "AWS::SSM::Parameter": ("arn:{partition}:ssm:{region}:{account}:parameter{name}", "Name"),
    "AWS::CloudTrail::Trail": ("arn:{partition}:cloudtrail:{region}:{account}:trail/{name}", "TrailName"),
    "AWS::SecretsManager::Secret": ("arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-AbCdEf", "Name"),
    "AWS::CloudFormation::StackSet": ("arn:{partition}:cloudformation:{region}:{account}:stackset/{name}:" + STACK_ID,
                                      "StackSetName"),
    "AWS::Config::ConfigRule": ("arn:{partition}:config:{region}:{account}:config-rule/config-rule-{name}", "ConfigRuleName"),
}
# What a resource of a type without a name property is called in its ARN (the id is generated).
_GENERATED = {"AWS::KMS::Key": "arn:{partition}:kms:{region}:{account}:key/" + STACK_ID}


def resource_arn(resource_type: str, properties: dict[str, Any], account: str, region: str) -> str | None:
    arn = partition(region)
    if resource_type in _GENERATED:
        return _GENERATED[resource_type].format(partition=arn, account=account, region=region)
    known = _ARNS.get(resource_type)
    if not known:
        return None
    name = _sub(properties.get(known[1]), account, region)
    if name is None:
        return None
    if resource_type == "AWS::IAM::Role":
        path = properties.get("Path", "/")
        name = (path if isinstance(path, str) else "/").lstrip("/") + name
    if resource_type == "AWS::SSM::Parameter" and not name.startswith("/"):
        name = "/" + name
    return known[0].format(partition=arn, account=account, region=region, name=name)


def _service(text: str) -> str:
    return text.split(":", 1)[0].lower()


def _retained(resource: dict[str, Any]) -> bool:
    return resource.get("DeletionPolicy") == "Retain" and resource.get("UpdateReplacePolicy") == "Retain"


def exec_calls(template: dict[str, Any], account: str, region: str) -> Iterator[Call]:
    """What the principal that creates the template's resources needs: every action the provider
    schema's create, update and delete handlers call (not delete for a resource retained on deletion
    and on replacement: CloudFormation never deletes it). An action is evaluated on the resource's
    own ARN when it is of the resource's service and the ARN is known offline, on "*" otherwise."""
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        kind = resource.get("Type", "")
        if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
            yield Call("lambda:InvokeFunction", "*", logical_id, "custom resource: invoke the service token")
            continue
        arn = resource_arn(kind, resource.get("Properties") or {}, account, region)
        arn_service = arn.split(":")[2] if arn else ""
        handlers = ("create", "update") if _retained(resource) else DEPLOY_HANDLERS
        for action in handler_permissions(kind, region, handlers):
            on = arn if arn and _service(action) == arn_service else "*"
            yield Call(action, on, logical_id, f"{kind} handler")


def stack_output_calls(template: dict[str, Any], account: str, region: str) -> Iterator[Call]:
    """Fn::GetStackOutput (CDK's cross-stack references under its recommended flags): CloudFormation reads
    the other stack's outputs as the execution role, in that stack's region, when the template deploys."""
    def walk(value: Any, logical_id: str) -> Iterator[Call]:
        if isinstance(value, dict):
            reference = value.get("Fn::GetStackOutput")
            if isinstance(reference, dict) and isinstance(reference.get("StackName"), str):
                where = reference.get("Region") if isinstance(reference.get("Region"), str) else region
                yield Call("cloudformation:DescribeStacks",
                           f"arn:{partition(where)}:cloudformation:{where}:{account}:stack/"
                           f"{reference['StackName']}/{STACK_ID}", logical_id, "Fn::GetStackOutput")
            for item in value.values():
                yield from walk(item, logical_id)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, logical_id)

    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        yield from walk(resource.get("Properties") or {}, logical_id)


def deploy_role_calls(stack: str, account: str, region: str, qualifier: str) -> Iterator[Call]:
    arn = partition(region)
    stack_arn = f"arn:{arn}:cloudformation:{region}:{account}:stack/{stack}/{STACK_ID}"
    for action in DEPLOY_ROLE_STACK_CALLS:
        yield Call(action, stack_arn, why="cdk deploy")
    yield Call("iam:PassRole", f"arn:{arn}:iam::{account}:role/cdk-{qualifier}-cfn-exec-role-{account}-{region}",
               why="cdk deploy passes the CloudFormation execution role")
    yield Call("ssm:GetParameters", f"arn:{arn}:ssm:{region}:{account}:parameter/cdk-bootstrap/{qualifier}/version",
               why="the template's bootstrap version rule")


def publishing_calls(account: str, region: str, qualifier: str) -> Iterator[Call]:
    bucket = f"arn:{partition(region)}:s3:::cdk-{qualifier}-assets-{account}-{region}"
    for action in PUBLISHING_CALLS:
        yield Call(action, bucket + ("/asset.zip" if action == "s3:PutObject" else ""), why="asset publishing")


def _statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    statements = document.get("Statement", [])
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict)]


def _strings(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v if isinstance(v, str) else "*" for v in values]


def _lambda_roles(template: dict[str, Any]) -> set[str]:
    """Logical ids of roles that Lambda functions assume (custom-resource handlers and their framework)."""
    roles = set()
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Lambda::Function":
            role = (resource.get("Properties") or {}).get("Role")
            if isinstance(role, dict) and "Fn::GetAtt" in role:
                roles.add(role["Fn::GetAtt"][0])
    return roles


def handler_role_calls(template: dict[str, Any], stack: str) -> Iterator[tuple[str, Call]]:
    """(role name, call) for each action the template's Lambda roles are allowed: what the handlers
    declare they call. Role names are generated from the stack name (`<stack>-<logical id>-...`)."""
    roles = _lambda_roles(template)
    resources = template.get("Resources", {})
    for role in sorted(roles):
        body = resources.get(role, {})
        props = body.get("Properties") or {}
        name = _sub(props.get("RoleName"), "", "") or f"{stack}-{role}"
        documents = [p.get("PolicyDocument") for p in props.get("Policies", []) if isinstance(p, dict)]
        for _logical_id, other in resources.items():
            if other.get("Type") == "AWS::IAM::Policy":
                attached = (other.get("Properties") or {}).get("Roles", [])
                if any(isinstance(r, dict) and r.get("Ref") == role for r in attached):
                    documents.append((other.get("Properties") or {}).get("PolicyDocument"))
        for document in documents:
            for statement in _statements(document):
                if statement.get("Effect") != "Allow" or "Action" not in statement:
                    continue
                for action in _strings(statement["Action"]):
                    if re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9*?]+", action):
                        for resource in _strings(statement.get("Resource", "*")):
                            yield name, Call(action, resource if resource.startswith("arn:") or resource == "*"
                                             else "*", role, "custom-resource handler")
