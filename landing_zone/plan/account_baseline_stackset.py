"""Where `account_baseline` goes: into the Config baseline's body when it applies to Root alone (the
management account then gets it through its baseline stacks too), else into a StackSet of its own that
targets its OUs and accounts and waits for the Config baseline."""
from __future__ import annotations

from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.account_baseline import (
    account_baseline_template,
    applies_to_root_only,
    baseline_properties,
    baseline_targets,
)
from landing_zone.plan.model import Pending
from landing_zone.plan.stacksets import StackSetPlan, stackset_plan


def account_baseline_stacksets(bp: Blueprint, config_baseline: StackSetPlan,
                               pending: list[Pending]) -> list[StackSetPlan]:
    baseline = bp.account_baseline
    plans: list[StackSetPlan] = []
    if baseline is None:
        return plans
    if applies_to_root_only(baseline):
        baseline_properties(bp, baseline, pending)      # its pending items; the body has the resources
    else:
        plans.append(stackset_plan(bp, name=f"{bp.name}-account-baseline",
                                   template=account_baseline_template(bp, baseline, pending),
                                   targets=baseline_targets(bp, baseline),
                                   depends_on=(config_baseline.logical_id,)))
    return plans
