"""The `<name>-bootstrap` StackSet: the CDK bootstrap of every member account and region that
receives a landing zone stack, trusting the management account (deploy.bootstrap: stackset).

The body is the bootstrap template of the pinned CDK CLI (`cdk bootstrap --show-template`), checked
in as data/cdk-bootstrap.yaml; a test keeps it equal to what the pinned CLI prints.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.model import AccountPlan, StackPlan
from landing_zone.plan.names import logical_id
from landing_zone.plan.shared import partition
from landing_zone.plan.stacksets import StackSetPlan

TEMPLATE_FILE = Path(__file__).parent / "data" / "cdk-bootstrap.yaml"
COMPONENT = "bootstrap"


@cache
def bootstrap_template() -> dict[str, Any]:
    return cast(dict[str, Any], yaml.load(TEMPLATE_FILE.read_text(encoding="utf-8"),
                                          Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def bootstrap_stackset(bp: Blueprint, stacks: list[StackPlan], accounts: tuple[AccountPlan, ...]
                       ) -> StackSetPlan | None:
    """None when no member account receives a stack (or the blueprint bootstraps by hand)."""
    if bp.deploy.bootstrap != "stackset":
        return None
    names = {a.id: a.name for a in accounts if a.id}
    regions: dict[str, set[str]] = {}
    for stack in stacks:
        if stack.account_id != bp.organization.management_account_id and stack.account_id in names:
            regions.setdefault(names[stack.account_id], set()).add(stack.region)
    if not regions:
        return None
    name = f"{bp.name}-bootstrap"
    management = bp.organization.management_account_id
    return StackSetPlan(
        name=name, description=f"{bp.name} landing zone: CDK bootstrap (qualifier {bp.deploy.qualifier}) "
                               f"trusting the management account {management}",
        template=bootstrap_template(), targets=(), regions=(), logical_id=logical_id("StackSet", name),
        account_regions=tuple(sorted((account, tuple(sorted(r))) for account, r in regions.items())),
        parameters=(
            ("CloudFormationExecutionPolicies",
             f"arn:{partition(bp.home_region)}:iam::aws:policy/AdministratorAccess"),
            # The CLI's own default: the AWS managed S3 key, not a new customer managed key per account.
            ("FileAssetsBucketKmsKeyId", "AWS_MANAGED_KEY"),
            ("Qualifier", bp.deploy.qualifier),
            ("TrustedAccounts", management),
        ),
        auto_deployment=False)
