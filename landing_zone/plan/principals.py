"""The principals that deploy the landing zone, by name: CDK bootstrap roles and StackSet execution roles.

Guardrails exempt exactly these patterns (and protect them: catalog LZ-IAM-003, LZ-CDK-001), and the
deploy proofs evaluate the SCPs as these principals, so both read the names from here. Every ARN is
in the partition of the landing zone's regions.
"""
from __future__ import annotations

# A stand-in for the hash part of a StackSet execution role (stacksets-exec-<hash>), for evaluation:
# any value matches the exemption pattern alike.
STACKSET_EXECUTION_STAND_IN = "0123456789abcdef0123456789abcdef"


def cdk_role_name(qualifier: str, kind: str, account: str, region: str) -> str:
    """kind: deploy | cfn-exec | file-publishing | image-publishing | lookup (CDK bootstrap roles)."""
    return f"cdk-{qualifier}-{kind}-role-{account}-{region}"


def cdk_role_arn(partition: str, qualifier: str, kind: str, account: str, region: str) -> str:
    return f"arn:{partition}:iam::{account}:role/{cdk_role_name(qualifier, kind, account, region)}"


def cdk_role_pattern(partition: str, qualifier: str) -> str:
    return f"arn:{partition}:iam::*:role/cdk-{qualifier}-*"


def stackset_execution_arn(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:role/stacksets-exec-{STACKSET_EXECUTION_STAND_IN}"


def landing_zone_principals(partition: str, name: str, qualifier: str) -> list[str]:
    """Who deploys and runs the landing zone: its own roles, the StackSet execution roles (AWS names
    them stacksets-exec-<hash>), and the CDK bootstrap roles of its qualifier (the deploy role starts
    change sets and passes the execution role, the publishing roles stage assets, the lookup role reads)."""
    return [f"arn:{partition}:iam::*:role/{name}-*", f"arn:{partition}:iam::*:role/stacksets-exec-*",
            cdk_role_pattern(partition, qualifier)]
