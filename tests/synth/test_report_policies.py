"""`lz report` evaluates the plan's policies without a synth: they must be exactly what cdk.out holds."""
from __future__ import annotations

import pytest

from landing_zone.explain.deployed import read_deployed
from landing_zone.explain.probes import planned_policies
from tests.synth.conftest import SHIPPED

EVALUATED = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")


def _flat(deployed):
    return sorted((kind, key, ref.name, ref.target, repr(dict(ref.document)))
                  for kind, by_key in deployed.attached.items() if kind in EVALUATED
                  for key, refs in by_key.items() for ref in refs)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_planned_policies_are_the_synthesized_ones(synthesized, name):
    result = synthesized(name)
    planned = _flat(planned_policies(result.plan))
    assert planned == _flat(read_deployed(result.outdir, result.plan))
    assert any(kind == "SERVICE_CONTROL_POLICY" for kind, *_ in planned)
