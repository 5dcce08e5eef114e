"""Organization policies: guardrail SCPs packed per target, the blueprint's own policies, attachment limits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.catalog import load_catalog
from landing_zone.plan.guardrails import ControlInstance
from landing_zone.plan.names import digest, logical_id, pascal
from landing_zone.plan.targets import Target, Tree, created_targets
from landing_zone.policy.lint import lint_document
from landing_zone.policy.pack import PackingError, StatementGroup, pack
from landing_zone.policy.templating import render

CFN_TYPES = {"service_control": "SERVICE_CONTROL_POLICY", "resource_control": "RESOURCE_CONTROL_POLICY",
             "tag": "TAG_POLICY", "backup": "BACKUP_POLICY", "ai_opt_out": "AISERVICES_OPT_OUT_POLICY"}
# Policies of one type attached to one root, OU or account (Organizations quotas). The AWS managed
# FullAWSAccess / RCPFullAWSAccess policies stay attached and count.
ATTACHMENT_LIMITS = {"SERVICE_CONTROL_POLICY": 5, "RESOURCE_CONTROL_POLICY": 5, "TAG_POLICY": 10,
                     "BACKUP_POLICY": 10, "AISERVICES_OPT_OUT_POLICY": 5}
MANAGED_ATTACHED = {"SERVICE_CONTROL_POLICY": 1, "RESOURCE_CONTROL_POLICY": 1}


@dataclass(frozen=True)
class PolicyPlan:
    name: str
    policy_type: str                 # CloudFormation / Organizations type, e.g. SERVICE_CONTROL_POLICY
    description: str
    document: dict[str, Any]
    targets: tuple[Target, ...]
    logical_id: str
    controls: tuple[str, ...] = ()   # catalog controls whose statements it holds


def target_slug(target: Target) -> str:
    readable = "root" if target.kind == "root" else pascal(target.ref).lower()[:40]
    return f"{readable}-{digest(target.key, 6)}"


def plan_policies(loaded: LoadedBlueprint, instances: list[ControlInstance], context: dict[str, Any],
                  reserved: dict[Target, int] | None = None) -> tuple[list[PolicyPlan], list[Issue]]:
    """`reserved`: SCP attachments another owner uses on a target (AWS Control Tower's own SCPs on a
    registered OU), counted before ours are packed."""
    bp = loaded.model
    tree = Tree(bp)
    policies: list[PolicyPlan] = []
    for policy in sorted(bp.policies, key=lambda p: p.name):
        policies.append(PolicyPlan(
            name=f"{bp.name}-{policy.name}", policy_type=CFN_TYPES[policy.type],
            description=policy.description or f"{bp.name} landing zone: {policy.name}",
            document=loaded.documents[policy.name], targets=tuple(sorted(set(tree.of(policy.targets)))),
            logical_id=logical_id("Policy", policy.name)))

    custom_scps: dict[Target, int] = defaultdict(int)
    for planned in policies:
        if planned.policy_type == "SERVICE_CONTROL_POLICY":
            for target in planned.targets:
                custom_scps[target] += 1
    groups: dict[Target, list[StatementGroup]] = defaultdict(list)
    reserved = reserved or {}
    issues = _attachment_limits(policies, reserved)
    for instance in instances:
        if instance.control.behavior != "preventive":
            continue
        statements = tuple(render(instance.control.scp, {**context, **instance.values}))
        # Every SCP we emit is linted like a user's: a parameter can still produce a bad statement.
        for problem in lint_document({"Version": "2012-10-17", "Statement": list(statements)}, kind="scp"):
            issues.append(Issue(f"guardrail-{problem.code}", f"{instance.control.id} renders an invalid "
                                f"SCP statement: {problem.pointer}: {problem.message}",
                                hint=problem.hint or "check the control's parameters", loc=instance.loc))
        for target in instance.targets:
            groups[target].append(StatementGroup(instance.control.id, statements))

    # The logical id keeps the names the target was created with: renaming an OU or account renames
    # its guardrail policies in place.
    created = created_targets(bp)
    for target in sorted(groups):
        available = ATTACHMENT_LIMITS["SERVICE_CONTROL_POLICY"] - 1 - reserved.get(target, 0) - custom_scps[target]
        if available < 0:
            continue   # already reported by _attachment_limits
        try:
            documents = pack(groups[target], available=available)
        except PackingError as exc:
            mandatory = sorted(g.control for g in groups[target] if catalog_level(g.control) == "mandatory")
            if target.kind == "root":
                hint = (f"Root always holds FullAWSAccess and the mandatory guardrails ({len(mandatory)} "
                        f"controls); attach custom SCPs to OUs instead of Root, or merge them")
            else:
                tower = (f", up to {reserved[target]} SCPs of AWS Control Tower (registered OU)"
                         if reserved.get(target) else "")
                hint = (f"{target.label()} already has FullAWSAccess{tower} and {custom_scps[target]} custom "
                        "SCP(s); enable fewer controls there, move some to a parent OU, or merge custom SCPs")
            issues.append(Issue(
                "scp-budget-exceeded", f"{target.label()} cannot fit its guardrails: it {exc}"
                + (f" (of which {len(mandatory)} mandatory)" if mandatory else ""), hint=hint,
                # Point at what the user can change: the custom SCPs when only mandatory controls are there.
                loc=("policies",) if custom_scps[target] and len(mandatory) == len(groups[target])
                else ("guardrails",)))
            continue
        for n, packed in enumerate(documents, start=1):
            name = f"{bp.name}-guardrails-{target_slug(target)}-{n}"
            policies.append(PolicyPlan(
                name=name, policy_type="SERVICE_CONTROL_POLICY",
                description=f"{bp.name} guardrails for {target.label()}: {', '.join(packed.controls)}"[:512],
                document=packed.document, targets=(target,),
                logical_id=logical_id("Scp", f"{bp.name}-guardrails-{target_slug(created.get(target, target))}-{n}"),
                controls=packed.controls))
    return sorted(policies, key=lambda p: p.logical_id), issues


def _attachment_limits(policies: list[PolicyPlan], reserved: dict[Target, int]) -> list[Issue]:
    """The blueprint's own policies per target and type, with the AWS managed one that stays attached
    and, for SCPs, those AWS Control Tower attaches to a registered OU."""
    counts: dict[tuple[str, Target], list[str]] = defaultdict(list)
    for policy in policies:
        for target in policy.targets:
            counts[(policy.policy_type, target)].append(policy.name)
    issues = []
    for (policy_type, target), names in sorted(counts.items()):
        tower = reserved.get(target, 0) if policy_type == "SERVICE_CONTROL_POLICY" else 0
        total = len(names) + MANAGED_ATTACHED.get(policy_type, 0) + tower
        limit = ATTACHMENT_LIMITS[policy_type]
        if total > limit:
            issues.append(Issue(
                "policy-attachment-limit",
                f"{target.label()} would have {total} {policy_type} policies attached "
                f"({', '.join(sorted(names))}{' and the AWS managed full-access policy' if policy_type in MANAGED_ATTACHED else ''}"
                f"{f' and up to {tower} of AWS Control Tower' if tower else ''}); "
                f"allowed: {limit}", hint="merge policies or attach some to a parent OU", loc=("policies",)))
    return issues


def catalog_level(control_id: str) -> str:
    return load_catalog()[control_id].level
