"""The management account's own stacks: the account baseline per region, the Guard rules buckets per
region, the StackSets that reach every member account, and the organization policies."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.cfn import resolve_for
from landing_zone.plan.model import Plan, StackPlan
from landing_zone.plan.names import stack_name
from landing_zone.plan.policies import PolicyPlan
from landing_zone.plan.shared import (
    PROVIDER_RESOURCES,
    WAITING_PROVIDER_RESOURCES,
    access_log_bucket_name,
    regions_home_first,
    rules_bucket_name,
)
from landing_zone.plan.stacksets import StackSetPlan
from landing_zone.plan.targets import Tree

BOOTSTRAP = "bootstrap"
GUARDRAILS = "guardrails"
POLICIES = "policies"
GUARD_RULES = "guard-rules"
MANAGEMENT_BASELINE = "management-baseline"
# The EnablePolicyType provider (it waits for the policy type to be enabled).
POLICY_TYPES_FIXED_RESOURCES = WAITING_PROVIDER_RESOURCES
# The Guard rules bucket, its policy, its access-log bucket and that bucket's policy, and the writer
# (its provider and the custom resource).
RULES_BUCKET_RESOURCES = 4 + PROVIDER_RESOURCES + 1
# A StackSet operation stops in a region once more accounts than this share fail (at least one,
# so that one account in trouble never stops the rest; a percentage would round down to 0 below
# ten accounts).
FAILURE_TOLERANCE_SHARE = 0.1


@dataclass(frozen=True)
class StackSetsPayload:
    stacksets: tuple[StackSetPlan, ...]


@dataclass(frozen=True)
class PoliciesPayload:
    policies: tuple[PolicyPlan, ...]
    policy_types: tuple[str, ...]


@dataclass(frozen=True)
class GuardRulesPayload:
    bucket_name: str
    organization_id: str
    files: tuple[tuple[str, str], ...]
    access_log_bucket_name: str = ""        # server access logs of the rules bucket, same account and region
    access_log_retention_days: int = 3650   # as long as the log archive keeps its logs


@dataclass(frozen=True)
class TemplatePayload:
    """Resources of a CloudFormation template, already resolved for the stack's account and region."""

    template: dict[str, Any]


def failure_tolerance(tree: Tree, stackset: StackSetPlan) -> int:
    accounts = {a for t in stackset.targets for a in tree.accounts_under(t)} | \
        {a for a, _ in stackset.account_regions}
    return max(1, math.ceil(len(accounts) * FAILURE_TOLERANCE_SHARE))


def management_stacks(bp: Blueprint, plan: Plan, baseline: StackSetPlan | None) -> list[StackPlan]:
    management, home = plan.management_account_id, plan.home_region
    stacks: list[StackPlan] = []

    def add(component: str, region: str | None, description: str, resources: int, payload: Any,
            depends_on: tuple[str, ...] = ()) -> StackPlan:
        stack = StackPlan(name=stack_name(plan.name, component, region), component=component,
                          account_id=management, region=region or home,
                          description=f"{plan.name} landing zone: {description}", resources=resources,
                          depends_on=depends_on, payload=payload)
        stacks.append(stack)
        return stack

    if baseline:
        # Service-managed StackSets never reach the management account: it gets the same baseline
        # as a plain stack in every governed region.
        for region in regions_home_first(bp):
            template = resolve_for(baseline.template, account=management, region=region)
            add(MANAGEMENT_BASELINE, region, f"the management account's baseline in {region} (AWS Config "
                "recorder and delivery, security event forwarding)", len(template["Resources"]),
                TemplatePayload(template))
    files = tuple(f for s in plan.stacksets for f in s.files)
    rules = [add(GUARD_RULES, region, f"Guard rules for the proactive hooks in {region}", RULES_BUCKET_RESOURCES,
                 GuardRulesPayload(rules_bucket_name(bp, region), plan.organization_id, files,
                                   access_log_bucket_name(plan.name, management, region),
                                   bp.logging.bucket.retention_days))
             for region in (regions_home_first(bp) if files else ())]
    if plan.stacksets:
        # The proactive hooks read their rules from the buckets above: uploaded first.
        add(GUARDRAILS, None, "account baseline, detective and proactive guardrail StackSets",
            len(plan.stacksets), StackSetsPayload(plan.stacksets), depends_on=tuple(s.name for s in rules))
    if plan.policies:
        add(POLICIES, None, "organization policies and their attachments",
            len(plan.policies) + len(plan.policy_types) + (POLICY_TYPES_FIXED_RESOURCES if plan.policy_types else 0),
            PoliciesPayload(plan.policies, plan.policy_types))
    return stacks
