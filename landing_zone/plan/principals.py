"""The principals that deploy the landing zone, by name: CDK bootstrap roles and StackSet execution roles.

Guardrails exempt exactly these patterns (and protect them: catalog LZ-IAM-003, LZ-CDK-001), and the
deploy proofs evaluate the SCPs as these principals, so both read the names from here.
"""
from __future__ import annotations

# StackSets (service-managed) act in member accounts through roles AWS names stacksets-exec-<hash>.
STACKSET_EXECUTION_ROLE = "stacksets-exec-{digest}"
STACKSET_EXECUTION_PATTERN = "arn:aws:iam::*:role/stacksets-exec-*"
# A stand-in for the hash part, for evaluation (any value matches the exemption pattern alike).
STACKSET_EXECUTION_STAND_IN = "0123456789abcdef0123456789abcdef"


def cdk_role_name(qualifier: str, kind: str, account: str, region: str) -> str:
    """kind: deploy | cfn-exec | file-publishing | image-publishing | lookup (CDK bootstrap roles)."""
    return f"cdk-{qualifier}-{kind}-role-{account}-{region}"


def cdk_role_arn(qualifier: str, kind: str, account: str, region: str) -> str:
    return f"arn:aws:iam::{account}:role/{cdk_role_name(qualifier, kind, account, region)}"


def cdk_role_pattern(qualifier: str, kind: str = "*") -> str:
    return f"arn:aws:iam::*:role/cdk-{qualifier}-{kind}-role-*" if kind != "*" \
        else f"arn:aws:iam::*:role/cdk-{qualifier}-*"


def stackset_execution_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:role/stacksets-exec-{STACKSET_EXECUTION_STAND_IN}"


def landing_zone_principals(name: str, qualifier: str) -> list[str]:
    """Who deploys and runs the landing zone: its own roles, the StackSet execution roles, and the CDK
    bootstrap roles of its qualifier (the deploy role starts change sets and passes the execution
    role, the publishing roles stage assets, the lookup role reads)."""
    return [f"arn:aws:iam::*:role/{name}-*", STACKSET_EXECUTION_PATTERN, cdk_role_pattern(qualifier)]
