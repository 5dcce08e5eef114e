"""Turns a catalog proof into a concrete request for one account of a planned landing zone."""
from __future__ import annotations

from landing_zone.catalog.model import Request as ProofRequest
from landing_zone.plan import Plan
from landing_zone.plan.names import digest
from landing_zone.policy.request import Request
from landing_zone.policy.templating import render


def stand_in_id(name: str) -> str:
    """A stable 12-digit id for an account that does not exist yet (proofs need an ARN)."""
    return str(int(digest(name, 12), 16) % 10**12).zfill(12)


def proof_values(plan: Plan, account: str, trail_name: str) -> dict[str, str]:
    log_archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    archive_id = (log_archive.id if log_archive and log_archive.id else stand_in_id("log-archive"))
    account_id = plan.account(account).id or stand_in_id(account)
    return {
        "account": account_id, "region": plan.home_region, "home_region": plan.home_region,
        "name": plan.name, "org_id": plan.organization_id, "cdk_qualifier": plan.qualifier,
        "management_account_id": plan.management_account_id,
        "partition": plan.partition,
        "log_bucket_arn": f"arn:{plan.partition}:s3:::{plan.name}-logs-{archive_id}-{plan.home_region}",
        "access_log_bucket_arn": f"arn:{plan.partition}:s3:::{plan.name}-access-logs-{archive_id}-{plan.home_region}",
        "trail_arn": f"arn:{plan.partition}:cloudtrail:{plan.home_region}:{plan.management_account_id}:trail/{trail_name}",
    }


def concrete(proof: ProofRequest, values: dict[str, str]) -> Request:
    return Request(action=proof.action, resource=render(proof.resource, values),
                   principal=render(proof.principal, values), region=render(proof.region, values),
                   context=render(dict(proof.context), values))
