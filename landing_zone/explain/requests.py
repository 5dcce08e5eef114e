"""Requests and decisions for `lz explain`, `lz matrix`, `lz report` and `lz diff`: a request in an
account of the plan, checked by the evaluator against the organization policies as synthesized."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from landing_zone.blueprint.suggest import suggest
from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.explain.proofs import stand_in_id
from landing_zone.plan import Plan
from landing_zone.policy import actions
from landing_zone.policy.evaluate import Decision, PolicyRef, evaluate
from landing_zone.policy.request import Request, parse_arn

MANAGEMENT = "management"
DEFAULT_PROBES = [
    {"action": "ec2:RunInstances"},
    {"action": "ec2:RunInstances", "region": "ap-southeast-2"},
    {"action": "iam:CreateAccessKey", "principal": "arn:{partition}:iam::{account}:root"},
    {"action": "organizations:LeaveOrganization"},
    {"action": "cloudtrail:StopLogging"},
    {"action": "s3:DeleteObject", "resource": "arn:{partition}:s3:::example-bucket/key"},
]


class UsageError(ValueError):
    """Bad input on the command line: printed as one clear line, exit 1."""


def parse_context(pairs: tuple[str, ...]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--context {pair!r} is not KEY=VALUE (e.g. aws:MultiFactorAuthPresent=true)")
        context[key] = value.split(",") if "," in value else value
    return context


def build_request(plan: Plan, account: str, action: str, region: str | None, resource: str | None,
                  principal: str | None, context: dict[str, Any]) -> Request:
    if account != MANAGEMENT and account not in {a.name for a in plan.accounts}:
        raise UsageError(f"unknown account {account!r}; " + suggest(account, [a.name for a in plan.accounts]
                                                                   + [MANAGEMENT]))
    if actions.has_wildcard(action) or not actions.is_known(action):
        close = actions.suggest(action)
        raise UsageError(f"unknown action {action!r}" + (f"; did you mean {close!r}?" if close else
                                                          "; write service:Action, e.g. s3:GetObject"))
    # Probes name ARNs in whatever partition the landing zone lives in: "arn:{partition}:...".
    resource = resource.replace("{partition}", plan.partition) if resource else resource
    principal = principal.replace("{partition}", plan.partition) if principal else principal
    for flag, arn in (("--resource", resource), ("--principal", principal)):
        if arn not in (None, "*") and parse_arn(arn) is None:
            raise UsageError(f"{flag} {arn!r} is not an ARN (arn:partition:service:region:account:resource)")
    account_id = (plan.management_account_id if account == MANAGEMENT
                  else plan.account(account).id or stand_in_id(account))
    return Request(action=actions.canonical(action), resource=resource or "*",
                   principal=principal or f"arn:{plan.partition}:iam::{account_id}:role/Developer",
                   region=region or plan.home_region, context=context)


def decide(deployed: DeployedPolicies, account: str, request: Request, **policies: Any) -> Decision:
    """Organization guardrails of the account, plus any identity/resource/boundary policies given."""
    if account == MANAGEMENT:
        return evaluate(request, scps=[[]], management_account=True, **policies)
    return evaluate(request, scps=deployed.levels(account), rcps=deployed.levels(account, "RESOURCE_CONTROL_POLICY")
                    if "RESOURCE_CONTROL_POLICY" in deployed.attached else None, **policies)


def read_policy(path: str | None, kind: str) -> list[PolicyRef]:
    if not path:
        return []
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"--{kind}-policy {path!r} is not a readable JSON policy: {exc}") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise UsageError(f"--{kind}-policy {path!r} has no Statement")
    return [PolicyRef(Path(path).name, kind, document)]
