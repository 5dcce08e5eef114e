"""Which changes risk data or identity: stateful resources lost, accounts and OUs renamed, stacks moved."""
from __future__ import annotations

from typing import Any

from landing_zone.diff.model import DATA_LOSS, WARNING, ResourceChange, Risk, StackDiff
from landing_zone.diff.templates import StackArtifact

ACCOUNT = "AWS::Organizations::Account"
OU = "AWS::Organizations::OrganizationalUnit"
# Resources whose deletion destroys data, or an identity other systems hold on to (a key's material,
# a directory's domain). Accounts and OUs are judged apart: even retained, losing their logical id is
# a risk (see _identity_risks).
STATEFUL = frozenset({
    "AWS::Backup::BackupVault", "AWS::CloudTrail::EventDataStore", "AWS::CloudTrail::Trail",
    "AWS::DirectoryService::MicrosoftAD", "AWS::DirectoryService::SimpleAD", "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table", "AWS::EFS::FileSystem", "AWS::KMS::Key", "AWS::KMS::ReplicaKey",
    "AWS::Kinesis::Stream", "AWS::Logs::LogGroup", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance",
    "AWS::S3::Bucket", "AWS::SecretsManager::Secret", "AWS::SQS::Queue",
})


def _props(stacks: dict[str, StackArtifact], change: ResourceChange) -> dict[str, Any]:
    stack = stacks.get(change.stack)
    resource = stack.resources.get(change.logical_id, {}) if stack else {}
    return resource.get("Properties", {})


def _describe(kind: str, props: dict[str, Any]) -> str:
    if kind == ACCOUNT:
        return f"account {props.get('AccountName', '?')} ({props.get('Email', '?')})"
    return f"OU {props.get('Name', '?')}"


def _identity_risks(lost: list[ResourceChange], added: list[ResourceChange],
                    base: dict[str, StackArtifact], head: dict[str, StackArtifact]) -> list[Risk]:
    """An account or OU whose logical id disappears. CloudFormation never moves a resource between
    logical ids: it creates a new account (CreateAccount with the old email fails, or a second, empty
    account appears) or a new OU, and the old one, retained, drifts out of the landing zone's control."""
    risks = []
    fresh = [(c, _props(head, c)) for c in added if c.resource_type in (ACCOUNT, OU)]
    for change in lost:
        old = _props(base, change)
        keys = ("Email", "AccountName") if change.resource_type == ACCOUNT else ("Name",)
        match = next(((c, p) for key in keys for c, p in fresh
                      if c.resource_type == change.resource_type and old.get(key) and p.get(key) == old.get(key)),
                     None)
        what = _describe(change.resource_type, old)
        noun = "account" if change.resource_type == ACCOUNT else "ou"
        if change.kind == "replaced":
            risks.append(Risk(DATA_LOSS, f"{noun}-replaced", change.stack, change.logical_id, change.resource_type,
                              f"{what} would be replaced ({', '.join(change.replacing)} changed): CloudFormation "
                              "creates a new one and keeps the old one outside the landing zone"))
        elif match:
            new_change, new = match
            where = "" if new_change.stack == change.stack else f" in {new_change.stack}"
            again = f"{what} reappears as {new_change.logical_id}{where} ({_describe(change.resource_type, new)}): "
            if change.resource_type == ACCOUNT:
                risks.append(Risk(DATA_LOSS, "account-renamed", change.stack, change.logical_id, ACCOUNT,
                                  again + "CloudFormation would create a new account instead of renaming it, and "
                                  "stop managing the old one (retained); to rename it, give the new entry "
                                  f"`renamed_from: {old.get('AccountName', '?')}`"))
            else:       # the same Name elsewhere: moved, and ParentId is create-only
                risks.append(Risk(DATA_LOSS, "ou-moved", change.stack, change.logical_id, OU,
                                  again + "an OU cannot move to another parent, so CloudFormation would create a "
                                  "new OU and stop managing the old one (retained), with what is attached to it"))
        else:
            risks.append(Risk(DATA_LOSS, f"{noun}-removed", change.stack, change.logical_id, change.resource_type,
                              f"{what} leaves the landing zone: CloudFormation stops managing it (retained, not "
                              "deleted), and adding it back later creates a new one"))
    return risks


def _resource_risk(change: ResourceChange) -> Risk | None:
    if change.kind == "removed":
        if change.retained:
            return Risk(WARNING, "retained-removed", change.stack, change.logical_id, change.resource_type,
                        "removed from the template; retained, so it stays in AWS, no longer managed")
        if change.resource_type in STATEFUL:
            return Risk(DATA_LOSS, "stateful-removed", change.stack, change.logical_id, change.resource_type,
                        "removed and not retained: CloudFormation deletes it, and its data with it")
    if change.kind == "replaced":
        why = ", ".join(change.replacing)
        if change.retained:
            # Not data loss: the old resource stays. But everything after the deploy uses the new one
            # (a new key for new data, an empty new bucket), so a reviewer must see it.
            return Risk(WARNING, "retained-replaced", change.stack, change.logical_id, change.resource_type,
                        f"replaced ({why} cannot change in place): a new one is created and the old one is "
                        "retained, left outside CloudFormation with whatever depends on it")
        if change.resource_type in STATEFUL:
            return Risk(DATA_LOSS, "stateful-replaced", change.stack, change.logical_id, change.resource_type,
                        f"replaced ({why} cannot change in place) and not retained: CloudFormation deletes "
                        "the old one, and its data with it")
    return None


# AWS::Organizations::Account: its update handler fails the stack update on any change to these (no
# API renames an account or changes its root email through CloudFormation).
ACCOUNT_FIXED = ("AccountName", "Email")


def _account_update_risk(change: ResourceChange) -> Risk | None:
    fixed = [p for p in change.properties if p in ACCOUNT_FIXED]
    if change.kind != "modified" or change.resource_type != ACCOUNT or not fixed:
        return None
    return Risk(WARNING, "account-update-refused", change.stack, change.logical_id, ACCOUNT,
                f"{' and '.join(fixed)} changed: CloudFormation refuses to change an existing account's "
                "AccountName or Email, so this deploy would fail; change it in AWS first (`aws account "
                "put-account-name`, or the root user's email in the account settings), or keep the "
                "created name with `renamed_from`")


def find_risks(stacks: tuple[StackDiff, ...], base: dict[str, StackArtifact],
               head: dict[str, StackArtifact]) -> tuple[Risk, ...]:
    risks: list[Risk] = []
    changes = [c for s in stacks for c in s.resources]
    lost = [c for c in changes if c.resource_type in (ACCOUNT, OU) and c.kind in ("removed", "replaced")]
    added = [c for c in changes if c.kind == "added"]
    risks += _identity_risks(lost, added, base, head)
    for change in changes:
        risk = _account_update_risk(change) if change.resource_type == ACCOUNT else \
            _resource_risk(change) if change.resource_type != OU else None
        if risk:
            risks.append(risk)
    for stack in stacks:
        if stack.status == "moved":
            risks.append(Risk(WARNING, "stack-moved", stack.name, stack.name, "stack",
                              f"moves from {stack.base_environment} to {stack.head_environment}: CDK deploys a "
                              "new stack there and leaves the old one, with its resources, where it is"))
        elif stack.status == "removed":
            risks.append(Risk(WARNING, "stack-removed", stack.name, stack.name, "stack",
                              "is no longer synthesized: `cdk deploy` leaves the deployed stack in place; "
                              "deleting it deletes its resources that are not retained"))
    order = {DATA_LOSS: 0, WARNING: 1}
    return tuple(sorted(risks, key=lambda r: (order[r.severity], r.stack, r.subject, r.kind)))
