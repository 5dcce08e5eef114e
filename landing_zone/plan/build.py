"""Builds the frozen plan from a loaded blueprint: OU tree, account shards and creation lanes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import ACCOUNTS_LOC, account_role, account_tags, account_unit, walk_units
from landing_zone.plan.components import COMPONENTS
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.model import AccountPlan, Pending, Plan, StackPlan, Tags, UnitPlan
from landing_zone.plan.names import bucket_of, logical_id, stack_name
from landing_zone.plan.network import sharing_stack
from landing_zone.plan.policies import PolicyPlan, plan_policies
from landing_zone.plan.stacksets import (
    StackSetPlan, config_baseline, detective_stacksets, proactive_stacksets, rules_bucket_name,
)
from landing_zone.plan.targets import Target

MANAGED_BY_TAG = "lz:managed-by"
# The blueprint section each component stack comes from, for issues about the stack as a whole.
SECTION_OF = {"log-archive": "logging", "organization-trail": "logging", "audit": "logging",
              "network": "network", "sharing": "network", "keys": "keys", "identity-center": "identity",
              "identity-center-assignments": "identity", "federation": "identity"}
# Accounts are spread over a fixed number of stacks by a hash of their name: an account's stack
# (and so its logical id's home) never changes when other accounts come, go or move. 16 shards
# hold about 5,000 accounts before any shard nears the budget below.
ACCOUNT_SHARDS = 16
# Organizations rejects more than 5 concurrent CreateAccount calls; each lane is a chain.
CREATION_LANES = 5
# The EnablePolicyType provider: two handler functions, the framework's three functions and state
# machine, and their roles and policies (CDK custom_resources.Provider with is_complete).
GUARDRAILS_FIXED_RESOURCES = 18
# The Guard rules bucket, its policy, and CDK's BucketDeployment (function, role, policy, layer).
RULES_BUCKET_RESOURCES = 7
# CloudFormation's hard limit is 500; the rest is head room for what later issues add.
MAX_RESOURCES_PER_STACK = 450


def build_plan(loaded: LoadedBlueprint) -> Plan:
    bp = loaded.model
    # Mandatory controls recognise the landing zone's resources whose ARNs hold generated ids
    # (Config rules, aggregators, keys) by this tag, so it goes on everything we create.
    base_tags = {**bp.tags, MANAGED_BY_TAG: bp.name}

    units = tuple(sorted(
        (UnitPlan(path=ref.path, name=ref.unit.name, parent=ref.path.rpartition("/")[0] or None,
                  id=ref.unit.id, tags=_tags({**base_tags, **ref.unit.tags}),
                  logical_id=logical_id("Ou", ref.path))
         for ref in walk_units(bp)),
        key=lambda u: u.path))

    accounts = _accounts(loaded, base_tags)
    organization = StackPlan(
        name=stack_name(bp.name, "organization"), component="organization",
        account_id=bp.organization.management_account_id, region=bp.home_region,
        description=f"{bp.name} landing zone: organizational units", resources=len(units))
    stacks = [organization] + _account_stacks(bp.name, bp.organization.management_account_id,
                                              bp.home_region, accounts, organization.name)
    context = landing_zone_context(bp)
    instances, issues = resolve_guardrails(bp, context)
    policies, policy_issues = plan_policies(loaded, instances, context)
    issues += policy_issues
    ids = {a.name: a.id for a in accounts}
    pending = list(_pending(units, accounts))
    policies = [_resolvable(p, ids, pending) for p in policies]
    stacksets: list[StackSetPlan] = []
    log_archive = next((a for a in accounts if a.role == "log-archive"), None)
    if log_archive and log_archive.id:
        baseline = config_baseline(bp, log_archive.id)
        stacksets = [baseline] + detective_stacksets(bp, instances, context, baseline)
    elif any(i.control.behavior == "detective" for i in instances):
        pending.append(Pending("AWS Config baseline and detective guardrails",
                               "the log-archive account has no id yet, so the delivery bucket name is "
                               "unknown; deploy the accounts, then run `lz sync`"))
    stacksets += proactive_stacksets(bp, instances)
    stacksets = [_resolvable(s, ids, pending) for s in stacksets]
    policy_types = tuple(sorted({p.policy_type for p in policies}))
    if policies or stacksets:
        stacks.append(StackPlan(
            name=stack_name(bp.name, "guardrails"), component="guardrails",
            account_id=bp.organization.management_account_id, region=bp.home_region,
            description=f"{bp.name} landing zone: organization policies and guardrail StackSets",
            resources=len(policies) + len(stacksets) + len(policy_types)
            + (GUARDRAILS_FIXED_RESOURCES if policy_types else 0)
            + (RULES_BUCKET_RESOURCES if any(s.files for s in stacksets) else 0),
            depends_on=(organization.name,)))
    plan = Plan(
        name=bp.name, home_region=bp.home_region, governed_regions=tuple(sorted(bp.governed_regions)),
        organization_id=bp.organization.id, root_id=bp.organization.root_id,
        management_account_id=bp.organization.management_account_id, tags=_tags(base_tags),
        units=units, accounts=accounts, stacks=tuple(stacks), pending=tuple(pending),
        policies=tuple(policies), stacksets=tuple(stacksets), policy_types=policy_types,
        rules_bucket=rules_bucket_name(bp), qualifier=bp.deploy.qualifier)
    for planner in COMPONENTS:
        result = planner(loaded, plan)
        stacks += result.stacks
        pending += result.pending
        issues += result.issues
    sharing = sharing_stack(plan)
    if sharing.name not in {s.name for s in stacks} and any(sharing.name in s.depends_on for s in stacks):
        # A RAM share outside the network component (the directory's resolver rule) when the
        # network shares nothing: the stack enabling sharing comes before the first component stack.
        stacks.insert(len(plan.stacks), sharing)
    issues += [issue for stack in stacks for issue in _over_budget(stack)]
    if issues:
        raise BlueprintError(loaded.locate(issues))
    return replace(plan, stacks=tuple(stacks), pending=tuple(pending))


def _resolvable(item: PolicyPlan | StackSetPlan, ids: dict[str, str | None], pending: list[Pending]):
    """Account targets need the account id; the others wait, reported as pending, never dropped silently."""
    keep: list[Target] = []
    for target in item.targets:
        if target.kind == "account" and not ids.get(target.ref):
            pending.append(Pending(f"{item.name} on account {target.ref}",
                                   "the account has no id yet; run `lz sync` after it is created"))
        else:
            keep.append(target)
    return replace(item, targets=tuple(keep))


def _accounts(loaded: LoadedBlueprint, base_tags: dict[str, str]) -> tuple[AccountPlan, ...]:
    bp = loaded.model
    by_lane: dict[tuple[str, int], list] = defaultdict(list)
    for account in sorted(bp.organization.accounts, key=lambda a: a.name):
        shard = bucket_of(account.name, ACCOUNT_SHARDS)
        stack = stack_name(bp.name, "accounts", f"{shard:02d}")
        by_lane[(stack, bucket_of("lane:" + account.name, CREATION_LANES))].append((account, stack))
    out = []
    for lane in by_lane.values():
        previous = None
        for account, stack in lane:
            lid = logical_id("Account", account.name)
            out.append(AccountPlan(
                name=account.name, email=account.email, unit=account_unit(bp, account) or ROOT,
                id=account.id, role=account_role(bp, account),
                tags=_tags({**base_tags, **account_tags(bp, account)}), stack=stack,
                logical_id=lid, after=previous))
            previous = lid
    return tuple(sorted(out, key=lambda a: a.name))


def _account_stacks(name: str, management: str, region: str, accounts: tuple[AccountPlan, ...],
                    organization: str) -> list[StackPlan]:
    counts: dict[str, int] = defaultdict(int)
    for account in accounts:
        counts[account.stack] += 1
    stacks, previous = [], None
    # Shard stacks deploy one after another so the lanes above bound concurrency across stacks too.
    for stack in sorted(counts):
        depends = (organization,) + ((previous,) if previous else ())
        stacks.append(StackPlan(name=stack, component="accounts", account_id=management, region=region,
                                description=f"{name} landing zone: member accounts (shard "
                                            f"{stack.rsplit('-', 1)[1]} of {ACCOUNT_SHARDS})",
                                resources=counts[stack], depends_on=depends))
        previous = stack
    return stacks


def _over_budget(stack: StackPlan) -> list[Issue]:
    if stack.resources <= MAX_RESOURCES_PER_STACK:
        return []
    if stack.component == "accounts":
        loc, hint = ACCOUNTS_LOC, (f"this shard of {ACCOUNT_SHARDS} is full; the organization is past "
                                   "what this version supports, please open an issue")
    elif stack.component == "guardrails":
        loc, hint = ("guardrails",), "attach guardrails higher in the OU tree so fewer policies are needed"
    elif stack.component in SECTION_OF:
        loc, hint = (SECTION_OF[stack.component],), "split the section over more accounts or regions"
    else:
        loc, hint = ("organization", "units"), "use fewer OUs: Organizations itself allows at most 1,000"
    return [Issue("stack-too-large",
                  f"stack {stack.name!r} would hold {stack.resources} resources; allowed: at most "
                  f"{MAX_RESOURCES_PER_STACK} (CloudFormation stops at 500)", hint=hint, loc=loc)]


def _pending(units: tuple[UnitPlan, ...], accounts: tuple[AccountPlan, ...]) -> tuple[Pending, ...]:
    hint = "deploy the organization stacks, then run `lz sync` to record the id"
    out = [Pending(f"account {a.name}", f"no id yet, so stacks deployed into it are not synthesized; "
                   f"{hint}") for a in accounts if a.id is None]
    out += [Pending(f"OU {u.path}", f"no id yet, so policies and shares in other accounts cannot "
                    f"name it; {hint}") for u in units if u.id is None]
    return tuple(out)


def _tags(tags: dict[str, str]) -> Tags:
    return tuple(sorted(tags.items()))
