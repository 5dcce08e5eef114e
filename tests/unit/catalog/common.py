"""Shared by the catalog tests: the catalog, a sample landing zone context, rendering and proof helpers."""
from __future__ import annotations

from typing import Any

from landing_zone.catalog import Control, load_catalog
from landing_zone.catalog.security import BASELINE_ACTIONS, SERVICE_ACTIONS, protected_actions
from landing_zone.policy.templating import render

CATALOG = load_catalog()
IDS = sorted(CATALOG)
PREVENTIVE = sorted(i for i, c in CATALOG.items() if c.behavior == "preventive")
DETECTIVE = sorted(i for i, c in CATALOG.items() if c.behavior == "detective")
PROACTIVE = sorted(i for i, c in CATALOG.items() if c.behavior == "proactive")

# What the plan derives from a blueprint (landing_zone/plan/context.py), for `acme`.
SAMPLE_CONTEXT: dict[str, Any] = {
    "name": "acme",
    "org_id": "o-a1b2c3d4e5",
    "management_account_id": "111111111111",
    "home_region": "us-east-1",
    "governed_regions": ["eu-west-1", "us-east-1"],
    "partition": "aws",
    "log_bucket_arn": "arn:aws:s3:::acme-logs-*",
    "access_log_bucket_arn": "arn:aws:s3:::acme-access-logs-*",
    "trail_arn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/organization-trail",
    "cdk_qualifier": "lzdeploy",
    "log_reader_role_arn": "arn:aws:iam::*:role/readers/acme-log-reader",
    "landing_zone_principals": [
        "arn:aws:iam::*:role/acme-*",
        "arn:aws:iam::*:role/stacksets-exec-*",
        "arn:aws:iam::*:role/cdk-lzdeploy-*",
    ],
    "guardrail_exemptions": [
        "arn:aws:iam::*:role/BreakGlass",
        "arn:aws:iam::*:role/acme-*",
        "arn:aws:iam::*:role/cdk-lzdeploy-*",
        "arn:aws:iam::*:role/stacksets-exec-*",
    ],
    # A blueprint with every security service and every baseline setting on (plan/context.py).
    "security_services": sorted(SERVICE_ACTIONS),
    "security_service_actions": protected_actions(sorted(SERVICE_ACTIONS), SERVICE_ACTIONS),
    "account_baseline_settings": sorted(BASELINE_ACTIONS),
    "account_baseline_actions": protected_actions(sorted(BASELINE_ACTIONS), BASELINE_ACTIONS),
    "blueprint_tags": ["CostCenter=1000", "Owner=platform"],
}
# Proof placeholders besides the context variables: a member account and a governed region.
SAMPLE_ACCOUNT = "444444444444"
SAMPLE_REGION = "eu-west-1"


def default_values(control: Control, context: dict[str, Any] = SAMPLE_CONTEXT) -> dict[str, Any]:
    """The parameter values a control gets when enabled without parameters."""
    return {p.name: context[p.default_from] if p.default_from else p.default for p in control.parameters}


def rendered_scp(control: Control, context: dict[str, Any] = SAMPLE_CONTEXT) -> dict[str, Any]:
    """The control's statements as one SCP document, rendered with the default parameters."""
    statements = render(control.scp, {**context, **default_values(control, context)})
    return {"Version": "2012-10-17", "Statement": statements}


def fill(value: Any, context: dict[str, Any] = SAMPLE_CONTEXT) -> Any:
    """Render a proof value (a Jinja2 template, keys too) for the sample account and region."""
    return render(value, {**context, "account": SAMPLE_ACCOUNT, "region": SAMPLE_REGION})
