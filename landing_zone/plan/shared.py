"""Names and lookups every component shares: landing zone accounts, buckets, roles, buses, regions.

Other accounts rely on these names (DESIGN: values another account owns are passed by deterministic
names), so each is defined once, here, below every planner.
"""
from __future__ import annotations

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.organization import Account
from landing_zone.blueprint.query import account_role


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def role_account(bp: Blueprint, role: str) -> Account | None:
    """The account holding a landing zone role (log-archive, audit, network, identity), if any."""
    return next((a for a in bp.organization.accounts if account_role(bp, a) == role), None)


def regions_home_first(bp: Blueprint) -> tuple[str, ...]:
    return (bp.home_region,) + tuple(sorted(set(bp.governed_regions) - {bp.home_region}))


# ---------- the log archive ----------

def log_bucket_name(bp: Blueprint, log_archive_id: str) -> str:
    return f"{bp.name}-logs-{log_archive_id}-{bp.home_region}"


def config_bucket_name(bp: Blueprint, log_archive_id: str) -> str:
    """Where AWS Config delivers. AWS Config cannot deliver to a bucket with Object Lock, so a log
    bucket with Object Lock gets a Config bucket beside it (inside the `<name>-logs-*` names the
    mandatory bucket guardrails protect); otherwise Config shares the log bucket."""
    if bp.logging.bucket.object_lock:
        return f"{bp.name}-logs-config-{log_archive_id}-{bp.home_region}"
    return log_bucket_name(bp, log_archive_id)


def access_log_bucket_name(name: str, account_id: str, region: str) -> str:
    return f"{name}-access-logs-{account_id}-{region}"


def log_reader_role_name(blueprint_name: str) -> str:
    return f"{blueprint_name}-log-archive-reader"   # created by the log-archive stack


def organization_trail_arn(bp: Blueprint) -> str:
    return (f"arn:{partition(bp.home_region)}:cloudtrail:{bp.home_region}:"
            f"{bp.organization.management_account_id}:trail/{bp.logging.trail.name}")


# ---------- roles in every member account (the baseline StackSet) ----------
# IAM is global, but StackSets do not follow the region order for automatic deployments to new
# accounts: a role created in one region and used by name in another would race. Each region's
# instance therefore creates and uses its own role, named with the region.

def config_recorder_role(name: str, region: str) -> str:
    return f"{name}-config-recorder-{region}"


def config_recorder_role_pattern(name: str) -> str:
    """Matches the recorder role of every region (bucket and key policies admit these)."""
    return f"{name}-config-recorder-*"


def event_forwarder_role(name: str, region: str) -> str:
    return f"{name}-event-forwarder-{region}"


# ---------- the audit account ----------

def security_bus_name(name: str) -> str:
    return f"{name}-security-events"


def security_bus_arn(bp: Blueprint, audit_id: str) -> str:
    return (f"arn:{partition(bp.home_region)}:events:{bp.home_region}:{audit_id}:event-bus/"
            f"{security_bus_name(bp.name)}")


# ---------- the management account ----------

def rules_bucket_name(bp: Blueprint, region: str) -> str:
    """The Guard rules of the proactive hooks, one bucket per governed region: a hook reads its rules
    from a bucket in its own region."""
    return f"{bp.name}-guard-rules-{bp.organization.management_account_id}-{region}"
