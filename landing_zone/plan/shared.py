"""Names and lookups every component shares: landing zone accounts, buckets, roles, buses, regions.

Other accounts rely on these names (docs/architecture.md, design rules: values another account owns are
passed by deterministic names), so each is defined once, here, below every planner.
"""
from __future__ import annotations

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.model.organization import Account
from landing_zone.blueprint.query import account_key, account_role, account_unit, unit_covers
from landing_zone.blueprint.regions import partition as partition  # re-exported: the planners' one import place
from landing_zone.plan.names import stack_name


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


# What CDK synthesizes for a custom resource's Lambda functions, under the pinned feature flags
# (landing_zone/cdk/feature_flags.json): each function comes with its service role, the role's policy
# and its own log group (@aws-cdk/aws-lambda:useCdkManagedLogGroup, retained like every log).
FUNCTION_RESOURCES = 4
# A custom_resources.Provider without a waiter: the handler function and the framework's on-event function.
PROVIDER_RESOURCES = 2 * FUNCTION_RESOURCES
# A waiting Provider (is_complete): the on-event and is-complete handlers, the framework's on-event,
# is-complete and on-timeout functions, and its waiter state machine with its role and policy.
WAITING_PROVIDER_RESOURCES = 5 * FUNCTION_RESOURCES + 3


# The log archive's read-only role is for people of the audit account, not for the landing zone: the
# guardrails exempt the landing zone's own roles by name (arn:aws:iam::*:role/<name>-*) and deny
# everyone else assuming them (LZ-IAM-003). Under this path its ARN is role/readers/<name>-..., which
# that pattern never matches: a path segment without '-' cannot start with '<name>-', whatever the name.
LOG_READER_ROLE_PATH = "/readers/"


def log_reader_role_name(blueprint_name: str) -> str:
    # Created by the log-archive stack. Not the earlier <name>-log-archive-reader (no path): IAM role
    # paths are create-only, and CloudFormation cannot replace a role that keeps its custom name.
    return f"{blueprint_name}-log-reader"


def log_reader_role_arn(blueprint_name: str, account_id: str, partition_name: str = "aws") -> str:
    """The reader role in the log-archive account `account_id` ('*': in any account)."""
    name = log_reader_role_name(blueprint_name)
    return f"arn:{partition_name}:iam::{account_id}:role{LOG_READER_ROLE_PATH}{name}"


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


# ---------- blueprint keys ----------
# Stacks encrypt with a blueprint key by its alias ARN (a deterministic name: no lookups, no exports
# across accounts) and wait for the keys stack that creates it.

KEYS_COMPONENT = "keys"


def keys_stack_name(blueprint_name: str, account: str, region: str) -> str:
    return stack_name(blueprint_name, f"{KEYS_COMPONENT}-{account}", region)


def key_arn_for(bp: Blueprint, *, service: str, account: str, region: str) -> str | None:
    """The alias ARN of the blueprint key that serves `service` for `account` (a name) in `region`.

    A key qualifies when it lists the service, has a key in `region` (primary or replica) and is
    owned by the account or grants it (by name, through its OU or an OU above it, or Root). The
    account's own key wins over a granted one, then the first alias in order. None when no key
    qualifies or its owner has no id yet. An unknown account (the management account) is in Root.
    """
    ids = {a.name: a.id for a in bp.organization.accounts}
    member = next((a for a in bp.organization.accounts if a.name == account), None)
    unit = (account_unit(bp, member) if member else None) or ROOT
    best = None
    for key in bp.keys:
        if service not in key.services or region not in (key.primary_region, *key.replica_regions):
            continue
        owned = key.account == account
        if owned or account in key.grants.accounts or any(unit_covers(u, unit) for u in key.grants.units):
            rank = (0 if owned else 1, key.alias)
            best = (rank, key) if best is None or rank < best[0] else best
    if best is None or not ids.get(best[1].account):
        return None
    return f"arn:{partition(region)}:kms:{region}:{ids[best[1].account]}:{best[1].alias}"


def keys_stack_for(bp: Blueprint, alias_arn: str) -> str | None:
    """The keys stack that creates the key behind `alias_arn` (from `key_arn_for`), for a stack
    that encrypts with it to depend on; None when no stack does."""
    _, _, _, region, owner_id, alias = alias_arn.split(":", 5)
    owner = next((a.name for a in bp.organization.accounts if a.id == owner_id), None)
    key = next((k for k in bp.keys if k.alias == alias and k.account == owner), None)
    if owner is None or key is None:
        return None
    return keys_stack_name(bp.name, account_key(bp, owner), region)
