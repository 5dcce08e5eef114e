"""The AWS Control Tower landing zone manifest, generated from the blueprint for its declared version.

Key: AWS Control Tower encrypts its trail and AWS Config deliveries with a KMS key it names by key
ARN (an alias ARN is refused), and the key must be a single-Region symmetric key of the management
account in the home region. Blueprint keys belong to member accounts and their key ARNs are only
known once created, so when a blueprint key serves `cloudtrail` (plan/shared.py key_arn_for) the
landing zone stack creates that key itself and the manifest names it by the key's ARN (GetAtt in the
same template). Without such a blueprint key the manifest names none (Control Tower's default, SSE-S3).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog.control_tower import has_organization_structure, landing_zone_versions, shape_problems
from landing_zone.plan.shared import key_arn_for, partition, role_account

# What the manifest holds until the CDK layer puts the key's ARN there (a string, as the shape wants).
KEY_ARN = "<control tower key arn>"
# The trail and AWS Config recorder names AWS Control Tower gives its own resources.
BASELINE_TRAIL = "aws-controltower-BaselineCloudTrail"


@dataclass(frozen=True)
class TowerKeyPlan:
    """The management account's key for AWS Control Tower's trail and AWS Config deliveries."""

    alias: str
    description: str
    management_account_id: str
    trail_arn: str                         # the landing zone's trail (CloudTrail's aws:SourceArn)
    trail_arn_pattern: str                 # kms:EncryptionContext:aws:cloudtrail:arn


def tower_key(bp: Blueprint) -> TowerKeyPlan | None:
    log_archive = role_account(bp, "log-archive")
    if log_archive is None or key_arn_for(bp, service="cloudtrail", account=log_archive.name,
                                          region=bp.home_region) is None:
        return None
    management, home, arn = bp.organization.management_account_id, bp.home_region, partition(bp.home_region)
    return TowerKeyPlan(alias=f"alias/{bp.name}/control-tower",
                        description=f"{bp.name} landing zone: AWS Control Tower trail and AWS Config deliveries",
                        management_account_id=management,
                        trail_arn=f"arn:{arn}:cloudtrail:{home}:{management}:trail/{BASELINE_TRAIL}",
                        trail_arn_pattern=f"arn:{arn}:cloudtrail:*:{management}:trail/*")


def landing_zone_manifest(bp: Blueprint, log_archive_id: str, audit_id: str, with_key: bool
                          ) -> tuple[dict[str, Any], tuple[tuple[str, ...], ...]]:
    """The manifest and the paths where the key's ARN goes (empty without a key)."""
    settings = bp.control_tower.landing_zone
    retention = bp.logging.bucket.retention_days
    logs: dict[str, Any] = {"loggingBucket": {"retentionDays": retention},
                            "accessLoggingBucket": {"retentionDays": retention}}
    if with_key:
        logs["kmsKeyArn"] = KEY_ARN
    manifest: dict[str, Any] = {
        "governedRegions": sorted(bp.governed_regions),
        "centralizedLogging": {"accountId": log_archive_id, "enabled": True, "configurations": copy.deepcopy(logs)},
        "securityRoles": {"accountId": audit_id},
        "accessManagement": {"enabled": settings.access_management},
    }
    paths: list[tuple[str, ...]] = [("centralizedLogging", "configurations", "kmsKeyArn")] if with_key else []
    if has_organization_structure(settings.version):
        manifest["organizationStructure"] = {"security": {"name": bp.control_tower.security_unit}}
    else:
        # 4.0: AWS Config is a landing zone integration of its own, delivered to the log archive too.
        manifest["config"] = {"accountId": log_archive_id, "enabled": True, "configurations": copy.deepcopy(logs)}
        manifest["securityRoles"]["enabled"] = True
        paths += [("config", "configurations", "kmsKeyArn")] if with_key else []
    return _merged(manifest, dict(settings.extra_manifest)), tuple(paths)


def manifest_issues(bp: Blueprint, manifest: dict[str, Any]) -> list[Issue]:
    """The generated manifest against the declared version's shape (extra_manifest has its own check;
    this one catches what the two produce together)."""
    version = bp.control_tower.landing_zone.version
    shape = landing_zone_versions()[version].manifest
    return [Issue("control-tower-manifest-invalid", f"the landing zone manifest field {path!r}: {problem} for "
                  f"version {version}", loc=("control_tower", "landing_zone"),
                  hint="check control_tower.landing_zone.extra_manifest against the version's fields")
            for path, problem in shape_problems(manifest, shape)]


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
