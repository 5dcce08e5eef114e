"""Every preventive control does what its catalog entry says, proven on the synthesized SCPs."""
from __future__ import annotations

from collections import Counter

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.catalog import load_catalog
from landing_zone.explain.proofs import concrete, proof_values
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails
from landing_zone.plan.targets import Tree
from landing_zone.explain.deployed import read_deployed
from landing_zone.policy.evaluate import PolicyRef, evaluate, evaluate_policy_set
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
    trail = load_blueprint(ROOT / SHIPPED[blueprint][0]).model.logging.trail.name
    failures = []
    for account in result.plan.accounts:
        levels = deployed.levels(account.name)
        own = only_control(levels, sids_of(control))
        values = proof_values(result.plan, account.name, trail)
        on = account.name in enabled_accounts
        for proof in control.proofs.deny:
            request = concrete(proof, values)
            by_control = evaluate_policy_set(own, request, kind="SCP")
            overall = evaluate(request, scps=levels)
            if on and (by_control.decision != "explicit-deny" or overall.decision != "explicit-deny"):
                failures.append(f"{account.name}: must deny {proof.action} ({proof.note}) but "
                                f"{by_control.decision}: {by_control.reason}")
            if not on and by_control.decision == "explicit-deny":
                failures.append(f"{account.name}: disabled here, yet it denies {proof.action}")
        for proof in control.proofs.allow:
            by_control = evaluate_policy_set(own, concrete(proof, values), kind="SCP")
            if by_control.decision == "explicit-deny":
                failures.append(f"{account.name}: must allow {proof.action} ({proof.note}) but "
                                f"{by_control.sid} denies: {by_control.reason}")
    assert failures == [], f"{control_id} in {blueprint}"
    if enabled_accounts:
        assert any(only_control(deployed.levels(a), sids_of(control)) for a in enabled_accounts)
