"""Values catalog templates may use (catalog/context.py declares them), derived from the blueprint."""
from __future__ import annotations

from typing import Any

from landing_zone.blueprint.model import Blueprint


def landing_zone_context(bp: Blueprint) -> dict[str, Any]:
    # Bucket ARNs use a wildcard for the log-archive account id: SCPs then need no account id and
    # never change when `lz sync` records one.
    return {
        "name": bp.name,
        "org_id": bp.organization.id,
        "management_account_id": bp.organization.management_account_id,
        "home_region": bp.home_region,
        "governed_regions": sorted(bp.governed_regions),
        "log_bucket_arn": f"arn:aws:s3:::{bp.name}-logs-*",
        "access_log_bucket_arn": f"arn:aws:s3:::{bp.name}-access-logs-*",
        "trail_arn": f"arn:aws:cloudtrail:{bp.home_region}:{bp.organization.management_account_id}:"
                     f"trail/{bp.logging.trail.name}",
        "landing_zone_principals": [
            f"arn:aws:iam::*:role/{bp.name}-*",               # the landing zone's own roles
            "arn:aws:iam::*:role/stacksets-exec-*",            # service-managed StackSets
            "arn:aws:iam::*:role/cdk-hnb659fds-cfn-exec-role-*",   # cdk deploy
        ],
    }
