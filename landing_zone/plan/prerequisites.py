"""What must be true in the organization before the landing zone deploys: trusted access for each
service it uses, delegated administrators, and the CDK bootstrap of every account and region that
receives a stack. `lz preflight` checks these online; the deploy guide lists them."""
from __future__ import annotations

from dataclasses import dataclass

from landing_zone.plan.model import Plan


@dataclass(frozen=True)
class TrustedAccess:
    service: str                # the service principal Organizations trusts
    why: str
    by_landing_zone: bool = False   # the landing zone enables it itself (a custom resource)


@dataclass(frozen=True)
class DelegatedAdmin:
    service: str
    account: str                # account name
    why: str


@dataclass(frozen=True)
class BootstrapTarget:
    account: str                # account name, or "management"
    account_id: str
    region: str
    by_stackset: bool           # bootstrapped by the <name>-bootstrap StackSet (else by hand / lz deploy)


def _components(plan: Plan) -> set[str]:
    return {s.component for s in plan.stacks}


def trusted_access(plan: Plan) -> list[TrustedAccess]:
    components = _components(plan)
    needed = []
    if components & {"guardrails", "bootstrap"}:
        needed.append(TrustedAccess("member.org.stacksets.cloudformation.amazonaws.com",
                                    "service-managed StackSets (bootstrap, baseline, detective and proactive)"))
    if "organization-trail" in components:
        needed.append(TrustedAccess("cloudtrail.amazonaws.com", "the organization trail"))
    if any(getattr(s.payload, "aggregator", False) for s in plan.stacks if s.component == "audit"):
        needed.append(TrustedAccess("config.amazonaws.com", "the organization's AWS Config aggregator"))
    if "directory" in components and any(
            getattr(s.payload, "share", None) for s in plan.stacks if s.component == "directory"):
        needed.append(TrustedAccess("ds.amazonaws.com", "directory sharing with the organization's accounts"))
    if components & {"identity-center", "identity-center-assignments"}:
        needed.append(TrustedAccess("sso.amazonaws.com", "IAM Identity Center permission sets and assignments"))
    if components & {"control-tower", "control-tower-registrations"}:
        needed.append(TrustedAccess("controltower.amazonaws.com", "AWS Control Tower (guardrails.engine "
                                    "control-tower)", by_landing_zone=True))
    if "sharing" in components:
        needed.append(TrustedAccess("ram.amazonaws.com", "RAM shares with OUs and the organization",
                                    by_landing_zone=True))
    return needed


def delegated_admins(plan: Plan) -> list[DelegatedAdmin]:
    audit = next((a for a in plan.accounts if a.role == "audit"), None)
    if audit and any(getattr(s.payload, "aggregator", False) for s in plan.stacks if s.component == "audit"):
        return [DelegatedAdmin("config.amazonaws.com", audit.name,
                               "the organization Config aggregator lives in the audit account")]
    return []


def bootstrap_targets(plan: Plan) -> list[BootstrapTarget]:
    """Every account and region that receives a stack. Member accounts are bootstrapped by the
    bootstrap StackSet when the plan has one; the management account always by `cdk bootstrap`."""
    names = {a.id: a.name for a in plan.accounts if a.id}
    by_stackset = "bootstrap" in _components(plan)
    targets = set()
    for stack in plan.stacks:
        if stack.account_id == plan.management_account_id:
            targets.add(BootstrapTarget("management", stack.account_id, stack.region, False))
        else:
            targets.add(BootstrapTarget(names.get(stack.account_id, stack.account_id), stack.account_id,
                                        stack.region, by_stackset))
    return sorted(targets, key=lambda t: (t.account != "management", t.account, t.region))
