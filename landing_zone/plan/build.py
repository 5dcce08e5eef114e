"""Builds the frozen plan from a loaded blueprint: OU tree, account shards and creation lanes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, TypeVar

from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.model.organization import Account
from landing_zone.blueprint.query import ACCOUNTS_LOC, account_role, account_tags, account_unit, walk_units
from landing_zone.plan.account_baseline_stackset import account_baseline_stacksets
from landing_zone.plan.bootstrap import bootstrap_stackset
from landing_zone.plan.component import Planner
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.control_tower import (
    plan_control_tower,
    reserved_scps,
    without_tower_owned,
    without_tower_recorder,
)
from landing_zone.plan.directory import plan_directory
from landing_zone.plan.guardrails import ControlInstance, resolve_guardrails
from landing_zone.plan.identity import plan_identity
from landing_zone.plan.keys import plan_keys
from landing_zone.plan.logging import plan_logging
from landing_zone.plan.management import BOOTSTRAP, StackSetsPayload, failure_tolerance, management_stacks
from landing_zone.plan.model import (
    AccountPlan,
    AccountsPayload,
    Pending,
    Plan,
    StackPlan,
    Tags,
    UnitPlan,
    UnitsPayload,
)
from landing_zone.plan.names import bucket_of, logical_id, stack_name
from landing_zone.plan.network import plan_network, sharing_stack
from landing_zone.plan.phases import ACCOUNT_CONCURRENCY, deploy_phases, with_phase_dependencies
from landing_zone.plan.policies import PolicyPlan, plan_policies
from landing_zone.plan.security import plan_security
from landing_zone.plan.shared import partition, rules_bucket_name
from landing_zone.plan.stacksets import (
    StackSetPlan,
    config_baseline,
    detective_stacksets,
    proactive_stacksets,
)
from landing_zone.plan.targets import Target, Tree
from landing_zone.plan.tower_controls import native_instances

MANAGED_BY_TAG = "lz:managed-by"
# Component planners, in a fixed order: each sees the blueprint and the core plan (OUs, accounts,
# guardrails), never another component's output.
PLANNERS: tuple[Planner, ...] = (plan_logging, plan_network, plan_keys, plan_identity, plan_directory,
                                 plan_control_tower, plan_security)
# The blueprint section each component stack comes from, for issues about the stack as a whole.
SECTION_OF = {"log-archive": "logging", "organization-trail": "logging", "audit": "logging",
              "network": "network", "sharing": "network", "network-routing": "network", "vpc-templates": "network",
              "network-peering": "network", "network-peering-accept": "network", "network-peering-routes": "network",
              "keys": "keys", "identity-center": "identity",
              "identity-center-assignments": "identity", "federation": "identity",
              "management-baseline": "logging", "guard-rules": "guardrails", "bootstrap": "deploy",
              "security-admin": "security", "security-services": "security",
              "control-tower": "control_tower", "control-tower-registrations": "control_tower",
              "control-tower-controls": "control_tower", "control-tower-enrollment": "control_tower"}
# Accounts are spread over a fixed number of stacks by a hash of their name: an account's stack
# (and so its logical id's home) never changes when other accounts come, go or move. 16 shards
# hold about 5,000 accounts before any shard nears the budget below.
ACCOUNT_SHARDS = 16
# CloudFormation's hard limit is 500; the rest is head room for what later issues add.
MAX_RESOURCES_PER_STACK = 450
# OU stacks per depth below the top level; each OU is a resource and an output (200 at most).
UNIT_SHARDS = 8
MAX_OUTPUTS_PER_STACK = 200
# What _resolvable keeps to the targets it can reach: a policy or a StackSet, returned as it came.
_Targeted = TypeVar("_Targeted", PolicyPlan, StackSetPlan)


def build_plan(loaded: LoadedBlueprint) -> Plan:
    bp = loaded.model
    # Mandatory controls recognise the landing zone's resources whose ARNs hold generated ids
    # (Config rules, aggregators, keys) by this tag, so it goes on everything we create.
    base_tags = {**bp.tags, MANAGED_BY_TAG: bp.name}

    units = tuple(sorted(
        (UnitPlan(path=ref.path, name=ref.unit.name, parent=ref.path.rpartition("/")[0] or None,
                  id=ref.unit.id, tags=_tags({**base_tags, **ref.unit.tags}),
                  logical_id=logical_id("Ou", ref.key),   # the path it was created under
                  created_as=ref.key if ref.key != ref.path else None)
         for ref in walk_units(bp)),
        key=lambda u: u.path))

    accounts = _accounts(loaded, base_tags)
    management, home = bp.organization.management_account_id, bp.home_region
    units, unit_stacks = _unit_stacks(bp.name, management, home, units)
    organization = unit_stacks[0]
    # AWS::Organizations::Account exists only in the aws partition: a GovCloud account is created from
    # its commercial twin (CreateGovCloudAccount), so there the accounts are named by id and not managed here.
    stacks = unit_stacks + (_account_stacks(bp.name, management, home, accounts, organization.name)
                            if partition(home) == "aws" else [])
    context = landing_zone_context(bp)
    instances, issues = resolve_guardrails(bp, context)
    # Under the control-tower engine, AWS Control Tower enforces the controls it has an identifier for.
    instances = native_instances(bp, instances)
    policies, policy_issues = plan_policies(loaded, instances, context, reserved=reserved_scps(bp))
    issues += policy_issues
    ids = {a.name: a.id for a in accounts}
    pending = list(_pending(units, accounts))
    policies = [_resolvable(p, ids, pending) for p in policies]
    stacksets, baseline = _stacksets(bp, instances, context, accounts, pending)
    stacksets = [_resolvable(s, ids, pending) for s in without_tower_recorder(bp, stacksets)]
    policy_types = tuple(sorted({p.policy_type for p in policies}))
    plan = Plan(
        name=bp.name, home_region=home, governed_regions=tuple(sorted(bp.governed_regions)),
        organization_id=bp.organization.id, root_id=bp.organization.root_id,
        management_account_id=management, tags=_tags(base_tags),
        units=units, accounts=accounts, stacks=(), pending=(),
        policies=tuple(policies), stacksets=tuple(stacksets), policy_types=policy_types,
        rules_bucket=rules_bucket_name(bp, home), qualifier=bp.deploy.qualifier)
    stacks += management_stacks(bp, plan, baseline)
    for planner in PLANNERS:
        result = planner(loaded, plan)
        stacks += result.stacks
        pending += result.pending
        issues += result.issues
    stacks = without_tower_owned(bp, stacks)
    sharing = sharing_stack(plan)
    if sharing.name not in {s.name for s in stacks} and any(sharing.name in s.depends_on for s in stacks):
        # A RAM share outside the network component (the directory's resolver rule) when the
        # network shares nothing: the stack enabling sharing comes before the first component stack.
        stacks.append(sharing)
    bootstrap = bootstrap_stackset(bp, stacks, accounts)
    if bootstrap:
        stacks.append(StackPlan(
            name=bootstrap.name, component=BOOTSTRAP, account_id=management, region=home,
            description=bootstrap.description, resources=1, payload=StackSetsPayload((bootstrap,))))
    stacks, waiting = _wait_for_core_accounts(stacks, accounts)
    pending += waiting
    stacks = with_phase_dependencies(stacks)
    issues += [issue for stack in stacks for issue in _over_budget(stack)]
    if issues:
        raise BlueprintError(loaded.locate(issues))
    return replace(plan, stacks=tuple(stacks), pending=tuple(pending), phases=deploy_phases(stacks))


def _stacksets(bp: Blueprint, instances: list[ControlInstance], context: dict[str, Any],
               accounts: tuple[AccountPlan, ...], pending: list[Pending]
               ) -> tuple[list[StackSetPlan], StackSetPlan | None]:
    log_archive = next((a for a in accounts if a.role == "log-archive"), None)
    stacksets: list[StackSetPlan] = []
    baseline = None
    if log_archive and log_archive.id:
        baseline = config_baseline(bp, log_archive.id)
        stacksets = [baseline] + account_baseline_stacksets(bp, baseline, pending) + \
            detective_stacksets(bp, instances, context, baseline)
    elif any(i.control.behavior == "detective" for i in instances):
        pending.append(Pending("AWS Config baseline and detective guardrails",
                               "the log-archive account has no id yet, so the delivery bucket name is "
                               "unknown; deploy the accounts, then run `lz sync`"))
    stacksets += proactive_stacksets(bp, instances, baseline)
    tree = Tree(bp)
    return [replace(s, failure_tolerance=failure_tolerance(tree, s)) for s in stacksets], baseline


def _wait_for_core_accounts(stacks: list[StackPlan], accounts: tuple[AccountPlan, ...]
                            ) -> tuple[list[StackPlan], list[Pending]]:
    """Until every landing zone account (log-archive, audit, ...) exists and `lz sync` recorded its id,
    only the organization and the accounts are synthesized: the later phases rely on those accounts
    (buckets, buses, bootstrap), and the organization policies must come after all of them."""
    missing = sorted(a.name for a in accounts if a.role and not a.id)
    if not missing:
        return stacks, []
    early = {"organization", "accounts"}
    reason = (f"the landing zone account(s) {', '.join(missing)} have no id yet; deploy the organization "
              "and accounts phases, run `lz sync`, then synthesize again")
    return ([s for s in stacks if s.component in early],
            [Pending(f"stack {s.name}", reason) for s in stacks if s.component not in early])


def _unit_stacks(name: str, management: str, region: str, units: tuple[UnitPlan, ...]
                 ) -> tuple[tuple[UnitPlan, ...], list[StackPlan]]:
    """Top-level OUs in `<name>-organization`; deeper ones in `<name>-organization-d<depth>-<NN>`, by
    depth and a hash of the path they were created under. An OU's stack never changes as others come
    and go, a stack only imports its parents' ids from stacks of the depth above (no cycle), and no
    stack nears CloudFormation's 200 outputs (every OU exports its id) at Organizations' 1,000 OUs."""
    def stack_of(unit: UnitPlan) -> str:
        depth = unit.key.count("/") + 1
        if depth == 1:
            return stack_name(name, "organization")
        return stack_name(name, "organization", f"d{depth}-{bucket_of(unit.key, UNIT_SHARDS):02d}")

    placed = tuple(replace(u, stack=stack_of(u)) for u in units)
    by_stack: dict[str, list[UnitPlan]] = defaultdict(list)
    for unit in placed:
        by_stack[unit.stack].append(unit)
    top = stack_name(name, "organization")
    by_stack.setdefault(top, [])
    stacks = []
    for stack in sorted(by_stack, key=lambda s: (s != top, s)):
        held = by_stack[stack]
        parents = tuple(sorted({u.stack for p in held if p.parent for u in placed if u.path == p.parent}
                               - {stack}))
        stacks.append(StackPlan(
            name=stack, component="organization", account_id=management, region=region,
            description=f"{name} landing zone: organizational units"
                        + ("" if stack == top else f" at depth {held[0].key.count('/') + 1}"),
            resources=len(held), depends_on=parents or ((top,) if stack != top else ()),
            payload=UnitsPayload(tuple(held))))
    return placed, stacks


def _resolvable(item: _Targeted, ids: dict[str, str | None], pending: list[Pending]) -> _Targeted:
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
    by_shard: dict[str, list[tuple[Account, str]]] = defaultdict(list)
    # The name an account was created under (`renamed_from`) keys its shard, logical id and place in
    # its chain, so a rename leaves the accounts' templates as they were.
    for account in sorted(bp.organization.accounts, key=lambda a: a.key):
        shard = bucket_of(account.key, ACCOUNT_SHARDS)
        stack = stack_name(bp.name, "accounts", f"{shard:02d}")
        by_shard[stack].append((account, stack))
    out = []
    # AWS::Organizations::Account: several accounts in one template must form a DependsOn chain.
    for lane in by_shard.values():
        previous = None
        for account, stack in lane:
            lid = logical_id("Account", account.key)
            out.append(AccountPlan(
                name=account.name, email=account.email, unit=account_unit(bp, account) or ROOT,
                id=account.id, role=account_role(bp, account),
                tags=_tags({**base_tags, **account_tags(bp, account)}), stack=stack,
                logical_id=lid, after=previous, created_as=account.renamed_from))
            previous = lid
    return tuple(sorted(out, key=lambda a: a.name))


def _account_stacks(name: str, management: str, region: str, accounts: tuple[AccountPlan, ...],
                    organization: str) -> list[StackPlan]:
    counts: dict[str, int] = defaultdict(int)
    for account in accounts:
        counts[account.stack] += 1
    stacks: list[StackPlan] = []
    # Each shard is one DependsOn chain (one creation at a time); a shard waits for the shard
    # ACCOUNT_CONCURRENCY places before it, so even `cdk deploy --all --concurrency 16` never runs
    # more than ACCOUNT_CONCURRENCY CreateAccount requests at once.
    ordered = sorted(counts)
    for index, stack in enumerate(ordered):
        after = (ordered[index - ACCOUNT_CONCURRENCY],) if index >= ACCOUNT_CONCURRENCY else ()
        stacks.append(StackPlan(name=stack, component="accounts", account_id=management, region=region,
                                description=f"{name} landing zone: member accounts (shard "
                                            f"{stack.rsplit('-', 1)[1]} of {ACCOUNT_SHARDS})",
                                resources=counts[stack], depends_on=(organization,), after=after,
                                payload=AccountsPayload(tuple(a for a in accounts if a.stack == stack))))
    return stacks


def _over_budget(stack: StackPlan) -> list[Issue]:
    if stack.component == "organization" and stack.resources > MAX_OUTPUTS_PER_STACK:
        # Each OU exports its id: CloudFormation takes at most 200 outputs in one template.
        return [Issue("stack-too-many-outputs",
                      f"stack {stack.name!r} would export the ids of {stack.resources} OUs; allowed: at most "
                      f"{MAX_OUTPUTS_PER_STACK} outputs in one template", loc=("organization", "units"),
                      hint="top-level OUs share one stack: group them under fewer top-level OUs (deeper "
                           f"levels are spread over {UNIT_SHARDS} stacks each)")]
    if stack.resources <= MAX_RESOURCES_PER_STACK:
        return []
    if stack.component == "accounts":
        loc, hint = ACCOUNTS_LOC, (f"this shard of {ACCOUNT_SHARDS} is full; the organization is past "
                                   "what this version supports, please open an issue")
    elif stack.component in ("guardrails", "policies"):
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
