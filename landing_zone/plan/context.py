"""Values catalog templates may use (catalog/context.py declares them), derived from the blueprint."""
from __future__ import annotations

from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog.security import BASELINE_ACTIONS, BLUEPRINT_SERVICES, SERVICE_ACTIONS, protected_actions
from landing_zone.plan.principals import landing_zone_principals
from landing_zone.plan.shared import log_reader_role_arn, partition


def landing_zone_context(bp: Blueprint) -> dict[str, Any]:
    # Bucket ARNs use a wildcard for the log-archive account id: SCPs then need no account id and
    # never change when `lz sync` records one.
    arn = partition(bp.home_region)
    principals = landing_zone_principals(arn, bp.name, bp.deploy.qualifier)
    region_deny = bp.guardrails.region_deny.exempt_principals if bp.guardrails.region_deny else []
    return {
        "name": bp.name,
        "org_id": bp.organization.id,
        "management_account_id": bp.organization.management_account_id,
        "home_region": bp.home_region,
        "governed_regions": sorted(bp.governed_regions),
        "partition": arn,
        "log_bucket_arn": f"arn:{arn}:s3:::{bp.name}-logs-*",
        "access_log_bucket_arn": f"arn:{arn}:s3:::{bp.name}-access-logs-*",
        "trail_arn": f"arn:{arn}:cloudtrail:{bp.home_region}:{bp.organization.management_account_id}:"
                     f"trail/{bp.logging.trail.name}",
        "cdk_qualifier": bp.deploy.qualifier,
        "log_reader_role_arn": log_reader_role_arn(bp.name, "*", arn),
        "landing_zone_principals": principals,
        # Everything any guardrail exempts: each must be protected from change, passing and assumption.
        "guardrail_exemptions": sorted(set(principals) | set(region_deny)),
        **_security_context(bp),
    }


def _security_context(bp: Blueprint) -> dict[str, Any]:
    """What the security controls protect: the services and baseline settings the blueprint turns on."""
    services = sorted(BLUEPRINT_SERVICES[s] for s in bp.security.enabled())
    # Only settings the baseline hardens: one it puts back to the AWS default (false) needs no protection.
    baseline = bp.account_baseline
    settings = sorted(s for s in (baseline.settings() if baseline else ())
                      if s in BASELINE_ACTIONS and getattr(baseline, s) is not False)
    return {"security_services": services,
            "security_service_actions": protected_actions(services, SERVICE_ACTIONS),
            "account_baseline_settings": settings,
            "account_baseline_actions": protected_actions(settings, BASELINE_ACTIONS),
            "blueprint_tags": sorted(f"{k}={v}" for k, v in bp.tags.items())}
