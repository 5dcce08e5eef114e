"""The `deploy:` section: how the landing zone is deployed (CDK bootstrap qualifier, member bootstrap)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from landing_zone.blueprint.model.common import Model

# The CDK bootstrap template's Qualifier parameter; lowercase only, because it is part of the
# staging bucket's name (cdk-<qualifier>-assets-<account>-<region>).
QUALIFIER_PATTERN = r"^[a-z0-9]{1,10}$"
DEFAULT_QUALIFIER = "lzdeploy"
CDK_DEFAULT_QUALIFIER = "hnb659fds"


class Deploy(Model):
    """How stacks reach their accounts: the CDK bootstrap the landing zone deploys with."""

    qualifier: Annotated[str, StringConstraints(pattern=QUALIFIER_PATTERN)] = Field(
        default=DEFAULT_QUALIFIER,
        description="CDK bootstrap qualifier of the landing zone's own bootstrap (roles "
        "cdk-<qualifier>-deploy-role-*, cdk-<qualifier>-cfn-exec-role-*); 1-10 lowercase letters or "
        "digits. The guardrails exempt exactly these roles and protect them, so they are reserved for "
        "the landing zone in every member account. Default: lzdeploy, which leaves CDK's default "
        "qualifier (hnb659fds) to the teams in their own accounts.")
    bootstrap: Literal["stackset", "manual"] = Field(
        default="stackset",
        description="stackset: the <name>-bootstrap stack bootstraps every member account and region "
        "that receives a stack, through a service-managed StackSet trusting the management account; "
        "manual: you run `cdk bootstrap` yourself (`lz preflight` checks it). The management account "
        "is always bootstrapped by `lz deploy` (or by hand). Default: stackset.")
