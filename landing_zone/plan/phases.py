"""The deploy order: phases of stacks, and the CDK stack dependencies that mirror them.

preflight → organization → account shards → sync ids → [control-tower engine: landing zone → OU
registrations → enabled controls → account enrollment] → bootstrap → keys → log archive → trail and
audit → baseline (management account recorder, Guard rules) → StackSets (baseline, then detective
and proactive) → network, sharing, directory, Identity Center, federation, security services (the
management account's registration before the delegated administrator's configuration) → organization policies.

`lz deploy` runs the phases in this order; every stack also depends on the stacks of the previous
phase that deploys anything, so a plain `cdk deploy --all` keeps the same order.
"""
from __future__ import annotations

from dataclasses import replace

from landing_zone.plan.model import Phase, StackPlan

# Organizations runs at most 5 CreateAccount requests at once; each shard is one DependsOn chain.
ACCOUNT_CONCURRENCY = 5

# (name, title, action, components, concurrency): the component of every planned stack is listed once.
PHASES: tuple[tuple[str, str, str, tuple[str, ...], int], ...] = (
    ("preflight", "check the prerequisites online (read-only)", "preflight", (), 1),
    ("organization", "organizational units", "deploy", ("organization",), 1),
    ("accounts", "member accounts, one DependsOn chain per shard", "deploy", ("accounts",), ACCOUNT_CONCURRENCY),
    ("sync", "record the new account and OU ids (`lz sync`), then synthesize again", "sync", (), 1),
    # The control-tower engine (plan/control_tower.py): before anything else reaches the member accounts,
    # whose AWS Config recorders AWS Control Tower sets up; each phase waits for the one before.
    ("control-tower", "AWS Control Tower landing zone (control-tower engine, `manage: true`)", "deploy",
     ("control-tower",), 1),
    ("registrations", "OUs registered with AWS Control Tower, parents first, one at a time", "deploy",
     ("control-tower-registrations",), 1),
    ("controls", "controls enabled by AWS Control Tower, in max_concurrent_operations chains", "deploy",
     ("control-tower-controls",), 1),
    ("enrollment", "accounts enrolled through their OU's AWS Control Tower baseline", "deploy",
     ("control-tower-enrollment",), 1),
    ("bootstrap", "CDK bootstrap of the member accounts and regions that receive a stack (StackSet)",
     "deploy", ("bootstrap",), 1),
    ("keys", "KMS keys and their replicas", "deploy", ("keys",), 4),
    ("log-archive", "log archive buckets", "deploy", ("log-archive",), 1),
    ("logging", "organization trail, central security event bus and Config aggregator", "deploy",
     ("organization-trail", "audit"), 2),
    ("baseline", "the management account's AWS Config recorder, Guard rules buckets", "deploy",
     ("management-baseline", "guard-rules"), 4),
    ("stacksets", "account baseline StackSet, then detective and proactive StackSets", "deploy",
     ("guardrails",), 1),
    # The security services: each delegated administrator stack depends on its region's registration stack
    # (management account), so CDK deploys the registration first within the phase.
    ("services", "network, RAM sharing, directory, IAM Identity Center, federation, security services", "deploy",
     ("sharing", "network", "directory", "identity-center", "identity-center-assignments", "federation",
      "security-admin", "security-services"), 4),
    ("network-links", "transit gateway routing of other accounts' VPCs, the VPC templates' StackSets and "
     "the transit gateway peering attachments (after the networks they use)", "deploy",
     ("network-routing", "vpc-templates", "network-peering"), 4),
    # A peering attachment is accepted in the peer's region, and only then routed on either side.
    ("peering-accept", "transit gateway peerings accepted in the peer's region, with that side's routes",
     "deploy", ("network-peering-accept",), 4),
    ("peering-routes", "the requesting side's routes through the accepted peerings", "deploy",
     ("network-peering-routes",), 4),
    ("policies", "organization policies (SCPs, RCPs, tag, backup, AI opt-out), attached last", "deploy",
     ("policies",), 1),
)
PHASE_OF = {component: name for name, _, _, components, _ in PHASES for component in components}


def deploy_phases(stacks: tuple[StackPlan, ...] | list[StackPlan]) -> tuple[Phase, ...]:
    by_phase: dict[str, list[str]] = {}
    for stack in stacks:
        by_phase.setdefault(PHASE_OF[stack.component], []).append(stack.name)
    return tuple(Phase(name=name, title=title, action=action, stacks=tuple(sorted(by_phase.get(name, ()))),
                       concurrency=concurrency)
                 for name, title, action, _, concurrency in PHASES)


def in_phase_order(stacks: list[StackPlan]) -> list[StackPlan]:
    """Stacks by phase, keeping the planners' order within a phase (which lists a stack's own
    dependencies before it): every stack comes after everything it depends on."""
    rank = {name: index for index, (name, *_rest) in enumerate(PHASES)}
    return sorted(stacks, key=lambda s: rank[PHASE_OF[s.component]])


def with_phase_dependencies(stacks: list[StackPlan]) -> list[StackPlan]:
    """Each stack also depends on every stack of the nearest earlier phase that has stacks."""
    phases = deploy_phases(stacks)
    previous: tuple[str, ...] = ()
    before: dict[str, tuple[str, ...]] = {}
    for phase in phases:
        if phase.action != "deploy" or not phase.stacks:
            continue
        for name in phase.stacks:
            before[name] = previous
        previous = phase.stacks
    out = []
    for stack in in_phase_order(stacks):
        extra = tuple(d for d in before.get(stack.name, ()) if d not in stack.depends_on)
        out.append(replace(stack, after=stack.after + tuple(d for d in extra if d not in stack.after))
                   if extra else stack)
    return out
