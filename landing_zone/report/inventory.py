"""Stacks by account and region, the shared network, keys and Identity Center assignments, read from
the payloads the plan hands to the CDK stacks (what will be synthesized, not the blueprint text)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from landing_zone.blueprint.model.common import ROOT
from landing_zone.plan import Plan
from landing_zone.plan.identity import AssignmentsPlan
from landing_zone.plan.keys import KeysStackPayload, PrimaryKey
from landing_zone.plan.network import NetworkPayload

MANAGEMENT = "management"
RAM_KINDS = ("subnet", "prefix-list", "resolver-rule", "transit-gateway")


@dataclass(frozen=True)
class StackRow:
    name: str
    component: str
    resources: int
    phase: str | None           # title of its deploy phase; None while the plan has no phases
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class StackGroup:
    account: str                # account name, or "management"
    account_id: str
    region: str
    stacks: tuple[StackRow, ...]


@dataclass(frozen=True)
class SubnetRow:
    owner: str                  # "account / region"
    vpc: str
    vpc_cidr: str
    subnet: str
    cidr: str
    az_id: str
    public: bool
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class SharedItem:
    kind: str                   # subnet | prefix-list | resolver-rule | transit-gateway
    name: str
    owner: str
    detail: str                 # CIDRs, entries, domain → target IPs, ASN
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class Recipient:
    name: str                   # OU path, "Root (whole organization)" or an account name
    items: dict[str, tuple[str, ...]]   # kind → resource names


@dataclass(frozen=True)
class Network:
    subnets: tuple[SubnetRow, ...]
    items: tuple[SharedItem, ...]       # prefix lists, resolver rules, transit gateways
    recipients: tuple[Recipient, ...]

    def __bool__(self) -> bool:
        return bool(self.subnets or self.items)


@dataclass(frozen=True)
class KeyRow:
    alias: str
    account: str
    kind: str                   # multi-Region | single-Region | custom key store
    primary_region: str
    replica_regions: tuple[str, ...]
    services: tuple[str, ...]
    rotation: str


@dataclass(frozen=True)
class AssignmentRow:
    account: str
    account_id: str
    permission_set: str
    principal_type: str
    principal_id: str


def account_names(plan: Plan) -> dict[str, str]:
    names = {a.id: a.name for a in plan.accounts if a.id}
    names[plan.management_account_id] = MANAGEMENT
    return names


def build_stacks(plan: Plan) -> tuple[StackGroup, ...]:
    names = account_names(plan)
    groups: dict[tuple[str, str], list[StackRow]] = defaultdict(list)
    for stack in plan.stacks:
        phase = plan.phase_of(stack.name)
        groups[(stack.account_id, stack.region)].append(StackRow(
            stack.name, stack.component, stack.resources, phase.title if phase else None, stack.depends_on))
    # Management first (it deploys first), then member accounts by name; stacks in plan order.
    order = sorted(groups, key=lambda k: (names.get(k[0]) != MANAGEMENT, names.get(k[0], k[0]), k[1]))
    return tuple(StackGroup(names.get(account_id, account_id), account_id, region,
                            tuple(groups[(account_id, region)])) for account_id, region in order)


def principal_labels(plan: Plan) -> dict[str, str]:
    """RAM principals (organization ARN, OU ARNs, account ids) back to the names a reviewer wrote."""
    labels = {a.id: a.name for a in plan.accounts if a.id}
    labels[plan.management_account_id] = MANAGEMENT
    for unit in plan.units:
        if unit.id:
            labels[f"/{unit.id}"] = unit.path
    return labels


def _label(principal: str, labels: dict[str, str]) -> str:
    if ":organization/" in principal:
        return f"{ROOT} (whole organization)"
    if ":ou/" in principal:
        return labels.get("/" + principal.rsplit("/", 1)[1], principal)
    return labels.get(principal, principal)


def build_network(plan: Plan) -> Network:
    names, labels = account_names(plan), principal_labels(plan)
    subnets: list[SubnetRow] = []
    items: list[SharedItem] = []
    by_recipient: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for stack in plan.stacks:
        payload = stack.payload
        if not isinstance(payload, NetworkPayload):
            continue
        owner = f"{names.get(stack.account_id, payload.account)} / {stack.region}"
        shared: dict[tuple[str, str], set[str]] = defaultdict(set)
        for share in payload.shares:
            recipients = {_label(p, labels) for p in share.principals}
            for resource in share.resources:
                shared[(resource.kind, resource.key)] |= recipients
                for recipient in recipients:
                    by_recipient[recipient][resource.kind].add(f"{resource.key} ({owner})")
        for vpc in payload.vpcs:
            for subnet in vpc.subnets:
                receivers = tuple(sorted(shared[("subnet", f"{vpc.name}/{subnet.name}")]))
                subnets.append(SubnetRow(owner, vpc.name, vpc.cidr, subnet.name, subnet.cidr, subnet.az_id,
                                         subnet.public, receivers))
        for prefix_list in payload.prefix_lists:
            detail = ", ".join(f"{cidr} ({text})" if text else cidr for cidr, text in prefix_list.entries)
            items.append(SharedItem("prefix-list", prefix_list.name, owner, detail,
                                    tuple(sorted(shared[("prefix-list", prefix_list.name)]))))
        for rule in payload.resolver_rules:
            items.append(SharedItem("resolver-rule", rule.name, owner,
                                    f"{rule.domain} → {', '.join(rule.target_ips)} (from VPC {rule.vpc})",
                                    tuple(sorted(shared[("resolver-rule", rule.name)]))))
        for gateway in payload.transit_gateways:
            items.append(SharedItem("transit-gateway", gateway.name, owner, f"ASN {gateway.amazon_side_asn}",
                                    tuple(sorted(shared[("transit-gateway", gateway.name)]))))
    recipients = tuple(Recipient(name, {kind: tuple(sorted(kinds[kind])) for kind in RAM_KINDS})
                       for name, kinds in sorted(by_recipient.items()))
    return Network(tuple(subnets), tuple(items), recipients)


def build_keys(plan: Plan) -> tuple[KeyRow, ...]:
    names = account_names(plan)
    rows: dict[tuple[str, str], dict] = {}
    replicas: dict[tuple[str, str], set[str]] = defaultdict(set)
    for stack in plan.stacks:
        payload = stack.payload
        if not isinstance(payload, KeysStackPayload):
            continue
        account = names.get(stack.account_id, stack.account_id)
        for key in payload.primaries:
            rows[(account, key.alias)] = dict(
                kind="multi-Region" if key.multi_region else "single-Region", region=stack.region,
                services=key.services, rotation=_rotation(key))
        for key in payload.custom_store_keys:
            rows[(account, key.alias)] = dict(kind=f"custom key store {key.custom_key_store_id}",
                                              region=stack.region, services=key.services, rotation="off")
        for replica in payload.replicas:
            replicas[(account, replica.alias)].add(stack.region)
    return tuple(KeyRow(alias, account, row["kind"], row["region"], tuple(sorted(replicas[(account, alias)])),
                        row["services"], row["rotation"])
                 for (account, alias), row in sorted(rows.items(), key=lambda r: (r[0][1], r[0][0])))


def _rotation(key: PrimaryKey) -> str:
    if not key.rotation:
        return "off"
    return f"every {key.rotation_period_days} days" if key.rotation_period_days else "yearly"


def build_assignments(plan: Plan) -> tuple[AssignmentRow, ...]:
    rows = [AssignmentRow(a.account, a.account_id, a.permission_set, a.principal_type, a.principal_id)
            for stack in plan.stacks if isinstance(stack.payload, AssignmentsPlan)
            for a in stack.payload.assignments]
    return tuple(sorted(rows, key=lambda r: (r.account, r.permission_set, r.principal_type, r.principal_id)))
