"""`lz deploy --dry-run`: what each phase would do, which stacks where and with which role (offline)."""
from __future__ import annotations

import shlex

from landing_zone.deploy.findings import bootstrap_command
from landing_zone.deploy.import_mapping import import_mapping
from landing_zone.deploy.runner import IMPORT_PHASES, DeployRequest, cdk_command, phase_index
from landing_zone.plan.model import Phase, Plan, StackPlan
from landing_zone.plan.prerequisites import bootstrap_targets, delegated_admins, trusted_access

CLI_CREDENTIALS = "CDK CLI credentials (management account)"
STACKSETS_ROLE = "StackSets execution role"


def describe(plan: Plan, request: DeployRequest) -> list[str]:
    start = phase_index(plan, request.start)
    total = len(plan.phases)
    lines = [f"lz deploy --dry-run {request.blueprint}: {total} phases, {len(plan.stacks)} stacks; management "
             f"account {plan.management_account_id}, home region {plan.home_region}, CDK qualifier {plan.qualifier}"]
    if request.start:
        lines.append(f"resuming at phase {request.start}: earlier phases are skipped, the preflight still runs")
    for index, phase in enumerate(plan.phases):
        skipped = index < start and phase.action != "preflight"
        lines.append(f"[{index + 1}/{total}] {phase.name}: {phase.title}" + (" (skipped: --from)" if skipped else ""))
        if skipped:
            continue
        if phase.action == "preflight":
            lines += _preflight(plan, request)
        elif phase.action == "sync":
            lines += _sync(plan, request)
        else:
            lines += _deploy(plan, phase, request)
    return lines


def _preflight(plan: Plan, request: DeployRequest) -> list[str]:
    targets = bootstrap_targets(plan)
    services = [a.service for a in trusted_access(plan) if not a.by_landing_zone]
    admins = [f"{a.account} for {a.service}" for a in delegated_admins(plan)]
    lines = [f"    lz preflight (read-only, {CLI_CREDENTIALS}; member accounts through the role "
             f"{request.assume_role}): organization features, trusted access "
             f"({', '.join(services) or 'none needed'}), delegated administrators ({', '.join(admins) or 'none'}), "
             "Identity Center, Control Tower, unrecorded OUs and accounts, AWS Config recorders, CDK bootstrap "
             f"of {len(targets)} account-regions; any problem stops the deploy",
             f"    then bootstraps the management account where it is not yet ({CLI_CREDENTIALS}):"]
    cdk = shlex.join(cdk_command())
    lines += [f"      {bootstrap_command(t, plan.qualifier, plan.management_account_id, profile=request.profile, cdk=cdk)}"
              for t in targets if t.account == "management"]
    members = [t for t in targets if t.account != "management"]
    if members and not members[0].by_stackset:
        lines.append("    member accounts are bootstrapped by hand (deploy.bootstrap: manual); the preflight stops "
                     "the deploy until each is:")
        lines += [f"      {bootstrap_command(t, plan.qualifier, plan.management_account_id)}" for t in members]
    return lines


def _sync(plan: Plan, request: DeployRequest) -> list[str]:
    lines = [f"    lz sync {request.blueprint} ({CLI_CREDENTIALS}, read-only): writes the ids file, then plans "
             "again and runs the preflight for the new stacks"]
    if plan.pending:
        lines.append(f"    pending now ({len(plan.pending)}), planned once their ids are recorded:")
        lines += [f"      {p.subject}" for p in plan.pending]
    return lines


def _deploy(plan: Plan, phase: Phase, request: DeployRequest) -> list[str]:
    if not phase.stacks:
        return ["    nothing to deploy"]
    concurrency = request.concurrency_for(phase.concurrency)
    stacks = [plan.stack(name) for name in phase.stacks]
    width = max(len(s.name) for s in stacks)
    lines = [f"    {len(stacks)} stack{'s' if len(stacks) != 1 else ''}, concurrency {concurrency}:"]
    for stack in stacks:
        lines.append(f"      {stack.name:<{width}}  {_account(plan, stack.account_id):<28} {stack.region:<14} "
                     f"{_role(plan, stack)}")
    if phase.name in IMPORT_PHASES:
        existing = sum(len(import_mapping(plan, s.name)) for s in stacks)
        if existing:
            lines.append(f"    {existing} of its OUs and accounts exist already (recorded ids): a stack not yet in "
                         "CloudFormation gets them by `cdk import --resource-mapping` first")
    lines.append(f"    {shlex.join(request.deploy_argv(phase.stacks, concurrency))}")
    return lines


def _account(plan: Plan, account_id: str) -> str:
    if account_id == plan.management_account_id:
        return f"management ({account_id})"
    name = next((a.name for a in plan.accounts if a.id == account_id), "?")
    return f"{name} ({account_id})"


def _role(plan: Plan, stack: StackPlan) -> str:
    role = f"cdk-{plan.qualifier}-deploy-role-{stack.account_id}-{stack.region}"
    stacksets = getattr(stack.payload, "stacksets", None)
    if stacksets:
        return f"{role}; its {_plural(len(stacksets), 'StackSet')} reach member accounts through the {STACKSETS_ROLE}"
    return role


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
