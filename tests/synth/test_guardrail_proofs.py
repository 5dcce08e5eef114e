"""Every preventive control does what its catalog entry says, proven on the synthesized SCPs."""
from __future__ import annotations

from collections import Counter

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.catalog import load_catalog
from landing_zone.explain.deployed import read_deployed
from landing_zone.explain.proofs import concrete, proof_values
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.targets import Tree
from landing_zone.policy.evaluate import PolicyRef, evaluate, evaluate_policy_set
from landing_zone.policy.request import Request
from landing_zone.policy.templating import render
from tests.synth.conftest import ROOT, SHIPPED

BLUEPRINTS = ["standard", "enterprise"]


def sids_of(control) -> set[str]:
    return {s["Sid"] for s in control.scp}


def test_sids_are_unique_across_the_catalog():
    counts = Counter(sid for c in load_catalog().values() if c.scp for sid in sids_of(c))
    assert [sid for sid, n in counts.items() if n > 1] == []


def only_control(levels, sids: set[str]) -> list[PolicyRef]:
    """The control's own statements as deployed on this account's chain (wherever packing put them)."""
    refs = []
    for level in levels:
        for ref in level:
            statements = [s for s in ref.document.get("Statement", []) if s.get("Sid") in sids]
            if statements:
                refs.append(PolicyRef(ref.name, ref.target, {"Version": "2012-10-17", "Statement": statements}))
    return refs


def applies(proof, values: dict) -> bool:
    """A proof's `when` (a Jinja2 expression over the context and the control's parameters) holds."""
    return not proof.when or render(proof.when, values).strip() == "True"


def cases():
    for blueprint in BLUEPRINTS:
        loaded = load_blueprint(ROOT / SHIPPED[blueprint][0])
        bp = loaded.model
        instances, _ = resolve_guardrails(bp, landing_zone_context(bp))
        tree = Tree(bp)
        enabled: dict[str, set[str]] = {}
        for instance in instances:   # one control may have several instances (different parameters)
            enabled.setdefault(instance.control.id, set()).update(
                a for t in instance.targets for a in tree.accounts_under(t))
        for control in load_catalog().values():
            if control.behavior == "preventive":
                yield pytest.param(blueprint, control.id, sorted(enabled.get(control.id, ())),
                                   id=f"{blueprint}.{control.id}")


@pytest.mark.parametrize("blueprint, control_id, enabled_accounts", list(cases()))
def test_proofs(synthesized, blueprint, control_id, enabled_accounts):
    result = synthesized(blueprint)
    deployed = read_deployed(result.outdir, result.plan)
    control = load_catalog()[control_id]
    bp = load_blueprint(ROOT / SHIPPED[blueprint][0]).model
    trail = bp.logging.trail.name
    context = landing_zone_context(bp)
    failures = []
    for account in result.plan.accounts:
        levels = deployed.levels(account.name)
        own = only_control(levels, sids_of(control))
        values = proof_values(result.plan, account.name, trail)
        on = account.name in enabled_accounts
        for proof in (p for p in control.proofs.deny if applies(p, context)):
            request = concrete(proof, values)
            by_control = evaluate_policy_set(own, request, kind="SCP")
            overall = evaluate(request, scps=levels)
            if on and (by_control.decision != "explicit-deny" or overall.decision != "explicit-deny"):
                failures.append(f"{account.name}: must deny {proof.action} ({proof.note}) but "
                                f"{by_control.decision}: {by_control.reason}")
            if not on and by_control.decision == "explicit-deny":
                failures.append(f"{account.name}: disabled here, yet it denies {proof.action}")
        for proof in (p for p in control.proofs.allow if applies(p, context)):
            by_control = evaluate_policy_set(own, concrete(proof, values), kind="SCP")
            if by_control.decision == "explicit-deny":
                failures.append(f"{account.name}: must allow {proof.action} ({proof.note}) but "
                                f"{by_control.sid} denies: {by_control.reason}")
    assert failures == [], f"{control_id} in {blueprint}"
    if enabled_accounts:
        assert any(only_control(deployed.levels(a), sids_of(control)) for a in enabled_accounts)


# ---------- the security services and the account baseline (enterprise turns everything on) ----------

MEMBER_ADMIN = "arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"
# What a member account's administrator must never do where the services and the baseline are on.
SWITCHED_OFF = ["guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount",
                "securityhub:DisableSecurityHub", "securityhub:BatchDisableStandards", "macie2:DisableMacie",
                "access-analyzer:DeleteAnalyzer", "inspector2:Disable", "detective:DisassociateMembership",
                "iam:UpdateAccountPasswordPolicy", "iam:DeleteAccountPasswordPolicy",
                "ec2:ModifyInstanceMetadataDefaults", "ec2:DisableEbsEncryptionByDefault",
                "s3:PutAccountPublicAccessBlock"]


def test_no_member_administrator_can_switch_the_security_services_or_the_baseline_off(synthesized):
    result = synthesized("enterprise")
    deployed = read_deployed(result.outdir, result.plan)
    failures = []
    for account in (a for a in result.plan.accounts if a.id):
        for action in SWITCHED_OFF:
            request = Request(action=action, principal=MEMBER_ADMIN.format(account=account.id), resource="*",
                              region=result.plan.home_region)
            decision = evaluate(request, scps=deployed.levels(account.name))
            if decision.decision != "explicit-deny":
                failures.append(f"{account.name}: {action} is {decision.decision} ({decision.sid})")
    assert failures == []


def test_the_delegated_administrators_roles_still_can(synthesized):
    """The handler roles of the delegated administrator's stacks (names CloudFormation derives from the stack
    name) configure the services, and the services' own service-linked roles are beyond SCPs."""
    result = synthesized("enterprise")
    deployed = read_deployed(result.outdir, result.plan)
    audit = next(a for a in result.plan.accounts if a.role == "audit")
    templates = result.templates()
    roles = [f"{s.name}-{logical_id}" for s in result.plan.stacks if s.component == "security-services"
             for logical_id, r in templates[s.name]["Resources"].items()
             if r["Type"] == "AWS::IAM::Role" and "Handler" in logical_id]
    assert len(roles) == len(result.plan.governed_regions) * 2      # the handler's and the framework's
    principals = [f"arn:aws:iam::{audit.id}:role/{r}" for r in roles] + [
        f"arn:aws:iam::{audit.id}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
        f"arn:aws:iam::{audit.id}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie"]
    refused = [(p, action) for p in principals for action in SWITCHED_OFF
               if not evaluate(Request(action=action, principal=p, resource="*", region=result.plan.home_region),
                               scps=deployed.levels(audit.name)).allowed]
    assert refused == []
