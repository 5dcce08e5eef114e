"""docs/network.md's picture and reachability table of the enterprise network are what its plan draws."""
from __future__ import annotations

from pathlib import Path

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.network_diagram import BEGIN, END, block, mermaid

ROOT = Path(__file__).resolve().parents[3]


def test_the_documented_network_diagram_is_current():
    plan = build_plan(load_blueprint(ROOT / "blueprints" / "enterprise.yaml"))
    text = (ROOT / "docs" / "network.md").read_text(encoding="utf-8")
    current = text[text.index(BEGIN):text.index(END) + len(END)]
    assert current == block(plan), ("docs/network.md's network diagram is stale: run `python -m landing_zone."
                                    "plan.network_diagram --write docs/network.md blueprints/enterprise.yaml`")


def test_the_diagram_draws_associations_propagations_routes_and_blackholes():
    plan = build_plan(load_blueprint(ROOT / "blueprints" / "enterprise.yaml"))
    lines = set(mermaid(plan).splitlines())
    assert {"  at_core_workload --> rt_core_spokes",            # the template uses the spokes table
            "  rt_core_services -.-> at_core_workload",         # the services table learns its block
            '  rt_core_spokes -- "0.0.0.0/0" --> at_core_shared',
            '  rt_core_spokes -- "10.99.0.0/16" --> drop_core_spokes_10_99_0_0_16((("blackhole")))'} <= lines
