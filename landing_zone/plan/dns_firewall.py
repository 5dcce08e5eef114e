"""DNS Firewall: a domain list and a blocking rule group per `network.dns_firewall` entry, in its owner's
network stack of every region where a VPC or VPC template uses it, associated with those VPCs."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.network_services import DnsFirewall
from landing_zone.blueprint.routing import network_account
from landing_zone.plan.model import Plan, Tags
from landing_zone.plan.names import logical_id
from landing_zone.plan.shared_values import Ref
from landing_zone.plan.vpcs import AssociationPlan, named

# A rule group association's priority: 101-9899, unique per VPC (AWS reserves the rest).
FIRST_PRIORITY, PRIORITY_STEP = 200, 100
# The rule's own priority inside its group (the group holds one rule).
RULE_PRIORITY = 100


@dataclass(frozen=True)
class FirewallPlan:
    name: str
    resource_name: str
    domain_list: str            # logical id
    rule_group: str             # logical id
    domains: tuple[str, ...]    # sorted, each once: block_domains and the file's
    tags: Tags


def firewall_owner(bp: Blueprint, firewall: DnsFirewall) -> str:
    owner = firewall.account or network_account(bp)
    assert owner is not None        # the checks refuse a rule group without an owner
    return owner


def firewall_regions(bp: Blueprint, firewall: DnsFirewall) -> set[str]:
    regions = {v.region for v in bp.network.vpcs if v.name in firewall.vpcs}
    return regions | {r for t in bp.network.vpc_templates if firewall.name in t.dns_firewall for r in t.regions}


def firewall_domains(loaded: LoadedBlueprint, firewall: DnsFirewall) -> tuple[str, ...]:
    from_file = loaded.files.domains.get(firewall.block_domains_file or "")
    extra = from_file.content if from_file is not None else ()
    return tuple(sorted({d.rstrip(".").lower() for d in (*firewall.block_domains, *extra)}))


def plan_firewalls(loaded: LoadedBlueprint, plan: Plan, account: str, region: str) -> tuple[FirewallPlan, ...]:
    bp = loaded.model
    return tuple(FirewallPlan(
        name=f.name, resource_name=f"{plan.name}-{f.name}", domain_list=logical_id("FirewallDomainList", f.name),
        rule_group=logical_id("FirewallRuleGroup", f.name), domains=firewall_domains(loaded, f),
        tags=named(plan, f"{plan.name}-{f.name}"))
        for f in sorted(bp.network.dns_firewall, key=lambda f: f.name)
        if firewall_owner(bp, f) == account and region in firewall_regions(bp, f))


def priorities(names: list[str]) -> dict[str, int]:
    """A VPC's rule groups in name order: 200, 300, ... (adding one shifts the later ones, an update)."""
    return {name: FIRST_PRIORITY + PRIORITY_STEP * i for i, name in enumerate(sorted(set(names)))}


def association_name(prefix: str, firewall: str, vpc: str) -> str:
    return f"{prefix}-{firewall}-{vpc}"[:64]


def firewall_associations(plan: Plan, bp: Blueprint, vpc_name: str, use: Callable[[DnsFirewall], Ref]
                          ) -> tuple[AssociationPlan, ...]:
    """`use(firewall)` gives the Ref of the rule group id for the VPC's stack."""
    names = [f.name for f in bp.network.dns_firewall if vpc_name in f.vpcs]
    return tuple(AssociationPlan(ref=use(next(f for f in bp.network.dns_firewall if f.name == name)),
                                 name=association_name(plan.name, name, vpc_name),
                                 logical_id=logical_id("FirewallAssociation", f"{vpc_name}/{name}"), priority=priority)
                 for name, priority in priorities(names).items())
