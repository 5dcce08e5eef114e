"""Every proof of every preventive control holds against the control's own rendered statements.

The release check evaluates the same proofs against the SCPs synthesized into cdk.out; this one
catches a wrong proof or a wrong statement at the source, with the catalog defaults and a sample
landing zone context (tests/unit/catalog/common.py).
"""
from __future__ import annotations

import pytest

from landing_zone.policy.evaluate import PolicyRef, evaluate
from landing_zone.policy.request import Request
from tests.unit.catalog.common import CATALOG, PREVENTIVE, fill, rendered_scp

FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
CASES = [(control_id, verdict, i)
         for control_id in PREVENTIVE
         for verdict in ("deny", "allow")
         for i in range(len(getattr(CATALOG[control_id].proofs, verdict)))]


def decide(control_id: str, proof) -> tuple[object, Request]:
    request = Request(action=fill(proof.action), principal=fill(proof.principal),
                      resource=fill(proof.resource), region=fill(proof.region), context=fill(proof.context))
    levels = [[PolicyRef("FullAWSAccess", "Root", FULL_AWS_ACCESS),
               PolicyRef(control_id, "Root", rendered_scp(CATALOG[control_id]))]]
    return evaluate(request, scps=levels), request


@pytest.mark.parametrize("control_id, verdict, index", CASES,
                         ids=[f"{c}-{v}{i}" for c, v, i in CASES])
def test_proof_holds(control_id, verdict, index):
    proof = getattr(CATALOG[control_id].proofs, verdict)[index]
    decision, request = decide(control_id, proof)
    shown = f"{proof.note}: {request.action} on {request.resource} by {request.principal} in {request.region}"
    if verdict == "deny":
        assert decision.decision == "explicit-deny", f"must deny ({shown}), got {decision.reason}"
        assert decision.sid in {s["Sid"] for s in CATALOG[control_id].scp}
    else:
        assert decision.allowed, f"must allow ({shown}), got {decision.reason}"


@pytest.mark.parametrize("control_id", PREVENTIVE)
def test_proofs_are_distinct(control_id):
    proofs = CATALOG[control_id].proofs
    seen = [(r.action, r.principal, r.resource, r.region, repr(r.context)) for r in proofs.deny + proofs.allow]
    assert len(seen) == len(set(seen)), "two proofs ask the same question"
