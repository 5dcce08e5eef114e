"""The `keys:` component: KMS keys per owning account and region, multi-region replicas, key policies.

One stack per owning account and region, `<name>-keys-<account>-<region>`, holds that account's
primary keys and replicas there (the account is in the name because the app needs a unique stack
name per account and region; a key owned by a new account never renames existing stacks). A
stack holding replicas depends on the stacks of their primaries (same account, other region),
whose key ARNs it reads with Fn::GetStackOutput (CDK's weak cross-stack references).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.model.keys import Key
from landing_zone.blueprint.query import account_key
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.key_policies import KeyPolicyContext, key_policy
from landing_zone.plan.model import Pending, Plan, StackPlan, Tags
from landing_zone.plan.names import logical_id
from landing_zone.plan.shared import (
    KEYS_COMPONENT,
    PROVIDER_RESOURCES,
    config_recorder_role_pattern,
    key_arn_for,
    keys_stack_name,
    log_reader_role_arn,
    organization_trail_arn,
    partition,
)
from landing_zone.policy.document import KMS_KEY_POLICY_MAX, minify
from landing_zone.policy.lint import lint_document

COMPONENT = KEYS_COMPONENT
# Keys in a custom key store: one handler provider per stack, then a custom resource and an alias per key.
CUSTOM_STORE_PROVIDER_RESOURCES = PROVIDER_RESOURCES


class _WithPolicy:
    """Keys carry their policy as minified JSON (hashable, deterministic); tests read it back."""

    policy: str

    @property
    def policy_document(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.policy))


@dataclass(frozen=True)
class PrimaryKey(_WithPolicy):
    """An AWS::KMS::Key and its alias, resolved."""

    alias: str
    logical_id: str
    alias_logical_id: str
    description: str
    multi_region: bool
    origin: str                         # AWS_KMS | EXTERNAL
    rotation: bool
    rotation_period_days: int | None
    pending_window_days: int
    policy: str                         # minified JSON
    tags: Tags
    account: str = ""                   # owner account name; what key_arn_for reads from a plan
    services: tuple[str, ...] = ()
    grant_accounts: tuple[str, ...] = ()
    grant_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplicaKey(_WithPolicy):
    """An AWS::KMS::ReplicaKey of a primary in another region of the same account, and its alias."""

    alias: str
    logical_id: str
    alias_logical_id: str
    description: str
    primary_stack: str                  # the stack holding the primary
    primary_logical_id: str
    pending_window_days: int
    policy: str
    tags: Tags


@dataclass(frozen=True)
class CustomStoreKey(_WithPolicy):
    """A single-Region key in a custom key store (CloudHSM), created by the custom_store_key handler
    (AWS::KMS::Key accepts only the AWS_KMS and EXTERNAL origins), and its AWS::KMS::Alias."""

    alias: str
    logical_id: str
    alias_logical_id: str
    description: str
    custom_key_store_id: str
    policy: str                         # minified JSON
    tags: Tags
    account: str = ""
    services: tuple[str, ...] = ()
    grant_accounts: tuple[str, ...] = ()
    grant_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeysStackPayload:
    primaries: tuple[PrimaryKey, ...] = ()
    replicas: tuple[ReplicaKey, ...] = ()
    custom_store_keys: tuple[CustomStoreKey, ...] = ()
    export_regions: tuple[str, ...] = ()    # regions of stacks that read a primary's ARN from here


@dataclass
class _Group:
    account: str
    region: str
    primaries: list[PrimaryKey] = field(default_factory=list)
    replicas: list[ReplicaKey] = field(default_factory=list)
    custom_store_keys: list[CustomStoreKey] = field(default_factory=list)


def plan_keys(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    bp = loaded.model
    result = ComponentResult()
    groups: dict[tuple[str, str], _Group] = {}

    def group(account: str, region: str) -> _Group:
        return groups.setdefault((account, region), _Group(account, region))

    for index, key in enumerate(bp.keys):
        loc = ("keys", index)
        owner = plan.account(key.account)
        if not owner.id:
            for region in (key.primary_region, *key.replica_regions):
                group(key.account, region)      # reported below as a pending stack
            continue
        grant_ids, org_paths = _grants(plan, key, result)
        tags = plan.tags
        if key.custom_key_store_id:
            # Single-Region only (checks/keys.py); no rotation, no pending window: the handler never
            # deletes the key.
            group(key.account, key.primary_region).custom_store_keys.append(CustomStoreKey(
                alias=key.alias, logical_id=logical_id("Key", key.alias.removeprefix("alias/")),
                alias_logical_id=logical_id("Alias", key.alias.removeprefix("alias/")),
                description=key.description or f"{bp.name} landing zone key {key.alias}",
                custom_key_store_id=key.custom_key_store_id,
                policy=_policy(bp, plan, key, owner.id, key.primary_region, grant_ids, org_paths, loc, result),
                tags=tags, account=key.account, services=tuple(sorted(key.services)),
                grant_accounts=tuple(sorted(key.grants.accounts)), grant_units=tuple(sorted(key.grants.units))))
            continue
        primary = PrimaryKey(
            alias=key.alias, logical_id=logical_id("Key", key.alias.removeprefix("alias/")),
            alias_logical_id=logical_id("Alias", key.alias.removeprefix("alias/")),
            description=key.description or f"{bp.name} landing zone key {key.alias}",
            multi_region=bool(key.replica_regions), origin=key.origin,
            rotation=_rotation(key), rotation_period_days=key.rotation_period_days if _rotation(key) else None,
            pending_window_days=key.pending_window_days,
            policy=_policy(bp, plan, key, owner.id, key.primary_region, grant_ids, org_paths, loc, result),
            tags=tags, account=key.account, services=tuple(sorted(key.services)),
            grant_accounts=tuple(sorted(key.grants.accounts)), grant_units=tuple(sorted(key.grants.units)))
        group(key.account, key.primary_region).primaries.append(primary)
        for region in sorted(set(key.replica_regions) - {key.primary_region}):
            group(key.account, region).replicas.append(ReplicaKey(
                alias=key.alias, logical_id=logical_id("ReplicaKey", key.alias.removeprefix("alias/")),
                alias_logical_id=logical_id("Alias", key.alias.removeprefix("alias/")),
                description=primary.description,
                primary_stack=keys_stack_name(bp.name, account_key(bp, key.account), key.primary_region),
                primary_logical_id=primary.logical_id, pending_window_days=key.pending_window_days,
                policy=_policy(bp, plan, key, owner.id, region, grant_ids, org_paths, loc, result),
                tags=tags))

    exports: dict[str, set[str]] = defaultdict(set)      # producing stack → consuming regions
    depends: dict[str, set[str]] = defaultdict(set)
    for g in groups.values():
        name = keys_stack_name(bp.name, account_key(bp, g.account), g.region)
        for replica in g.replicas:
            exports[replica.primary_stack].add(g.region)
            depends[name].add(replica.primary_stack)
    cycle = _cycle(depends)
    if cycle:
        result.issues.append(Issue(
            "key-replica-cycle", f"the keys stacks {' → '.join(cycle)} would wait for each other: an "
            "account replicates keys both ways between two regions",
            hint="give the account's multi-region keys the same primary_region", loc=("keys",)))
        return result

    stacks: dict[str, StackPlan] = {}
    for (account, region), g in sorted(groups.items()):
        name = keys_stack_name(bp.name, account_key(bp, account), region)
        member = plan.account(account)
        if not member.id:
            result.pending.append(Pending(f"stack {name}", f"account {account} has no id yet, so the stack "
                                          "is not synthesized; deploy the accounts stacks, then run `lz sync`"))
            continue
        payload = KeysStackPayload(primaries=tuple(sorted(g.primaries, key=lambda k: k.alias)),
                                   replicas=tuple(sorted(g.replicas, key=lambda k: k.alias)),
                                   custom_store_keys=tuple(sorted(g.custom_store_keys, key=lambda k: k.alias)),
                                   export_regions=tuple(sorted(exports[name])))
        stacks[name] = StackPlan(
            name=name, component=COMPONENT, account_id=member.id, region=region,
            description=f"{bp.name} landing zone: KMS keys of account {account} in {region}",
            resources=stack_resources(payload), depends_on=tuple(sorted(depends[name])), payload=payload)
    # Dependencies first: a replica's stack is built after the stack of its primary.
    done: set[str] = set()
    while len(done) < len(stacks):
        for name, stack in stacks.items():
            if name not in done and all(d in done or d not in stacks for d in stack.depends_on):
                result.stacks.append(stack)
                done.add(name)
    return result


def stack_resources(payload: KeysStackPayload) -> int:
    """Resources of a keys stack: key and alias per key, and the custom key store handler's provider.
    References to its keys from other stacks and regions cost no resource: under the pinned feature
    flags CDK writes them as outputs read with Fn::GetStackOutput."""
    count = 2 * (len(payload.primaries) + len(payload.replicas) + len(payload.custom_store_keys))
    if payload.custom_store_keys:
        count += CUSTOM_STORE_PROVIDER_RESOURCES
    return count


def _rotation(key: Key) -> bool:
    """Rotation is on by default for AWS_KMS keys; EXTERNAL and custom key store keys cannot rotate
    (asking is an error, checks/keys.py)."""
    return key.rotation and key.origin == "AWS_KMS" and not key.custom_key_store_id


def _grants(plan: Plan, key: Key, result: ComponentResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ids, paths = [], []
    for name in key.grants.accounts:
        account = plan.account(name)
        if account.id:
            ids.append(account.id)
        else:
            result.pending.append(Pending(f"key {key.alias} grant to account {name}",
                                          "the account has no id yet; run `lz sync` after it is created"))
    for unit in key.grants.units:
        path = _org_path(plan, unit)
        if path:
            paths.append(path)
        else:
            result.pending.append(Pending(f"key {key.alias} grant to OU {unit}", "the OU (or one above it) "
                                          "has no id yet; run `lz sync` after it is created"))
    return tuple(sorted(set(ids))), tuple(sorted(set(paths)))


def _org_path(plan: Plan, unit: str) -> str | None:
    """`o-id/r-id/ou-a/ou-b/*`: what aws:PrincipalOrgPaths matches for an OU and everything below it."""
    parts = [plan.organization_id, plan.root_id]
    if unit != ROOT:
        chain, path = [], unit
        while path:
            chain.append(plan.unit(path))
            path = chain[-1].parent or ""
        if any(u.id is None for u in chain):
            return None
        parts += [u.id for u in reversed(chain) if u.id is not None]     # all of them, checked above
    return "/".join(parts) + "/*"


def _policy(bp: Blueprint, plan: Plan, key: Key, owner_id: str, region: str, grant_ids: tuple[str, ...],
            org_paths: tuple[str, ...], loc: Loc, result: ComponentResult) -> str:
    # The reader role lives in the log-archive account (the audit account assumes it).
    archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    reader_id = archive.id if archive else None
    if "cloudtrail" in key.services and not reader_id:
        result.pending.append(Pending(f"key {key.alias} decrypt grant for the log reader role",
                                      "the log-archive account has no id yet; run `lz sync` after it is created"))
    ctx = KeyPolicyContext(
        partition=partition(region), region=region, owner_account_id=owner_id,
        management_account_id=plan.management_account_id, trail_arn=organization_trail_arn(bp),
        log_reader_account_id=reader_id,
        log_reader_role_arn=log_reader_role_arn(bp.name, reader_id or "", partition(region)),
        services=tuple(key.services), grant_account_ids=grant_ids, grant_org_paths=org_paths,
        log_bucket_organization_id=plan.organization_id if _encrypts_log_bucket(bp, plan, key, owner_id, region)
        else None, config_role_name=config_recorder_role_pattern(bp.name))
    document = key_policy(ctx)
    for problem in lint_document(document, kind="resource", max_size=KMS_KEY_POLICY_MAX):
        where = "" if region == key.primary_region else f" (replica in {region})"
        if any(i.code == f"key-{problem.code}" and i.loc[:2] == loc for i in result.issues):
            continue    # the same problem in a replica's policy is said once
        result.issues.append(Issue(
            f"key-{problem.code}",
            problem.message.replace("a resource-based policy", f"the key policy of {key.alias}{where}")
            if problem.code == "policy-too-large" else f"the key policy of {key.alias}{where}: "
            + (f"{problem.pointer}: " if problem.pointer else "") + problem.message,
            hint=("grant OUs instead of many accounts (one aws:PrincipalOrgPaths entry covers an OU), "
                  "or list fewer services" if problem.code == "policy-too-large" else problem.hint),
            loc=loc + (("grants",) if problem.code == "policy-too-large" else ())))
    return minify(document)


def _encrypts_log_bucket(bp: Blueprint, plan: Plan, key: Key, owner_id: str, region: str) -> bool:
    """Whether this key (in `region`) is the one the logging planner picks for the log bucket."""
    log_archive = next((a for a in plan.accounts if a.role == "log-archive"), None)
    if log_archive is None or region != bp.home_region:
        return False
    chosen = key_arn_for(bp, service="s3", account=log_archive.name, region=region)
    return chosen == f"arn:{partition(region)}:kms:{region}:{owner_id}:{key.alias}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return None
    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None
