"""Gathers everything the report shows from a loaded blueprint and its plan (pure: no synth, no AWS)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.explain.probes import Probe
from landing_zone.plan import Pending, Phase, Plan
from landing_zone.report.allowed import Allowed, evaluate_probes
from landing_zone.report.guardrails import BudgetRow, Matrix, build_budget, build_matrix
from landing_zone.report.inventory import (
    AssignmentRow,
    KeyRow,
    Network,
    StackGroup,
    build_assignments,
    build_keys,
    build_network,
    build_stacks,
)
from landing_zone.report.tree import UnitNode, build_tree


@dataclass(frozen=True)
class Report:
    name: str                   # the blueprint's `name`
    source: str                 # the blueprint's file name (not its directory: the report stays the same
                                # wherever it is generated from)
    variables: tuple[tuple[str, str], ...]
    home_region: str
    governed_regions: tuple[str, ...]
    organization_id: str
    management_account_id: str
    tree: UnitNode
    matrix: Matrix
    budget: tuple[BudgetRow, ...]
    phases: tuple[Phase, ...]
    stacks: tuple[StackGroup, ...]
    network: Network
    keys: tuple[KeyRow, ...]
    assignments: tuple[AssignmentRow, ...]
    pending: tuple[Pending, ...]
    allowed: Allowed

    @property
    def counts(self) -> dict[str, Any]:
        return {"OUs": self.tree.total_units, "accounts": self.tree.total_accounts,
                "stacks": sum(len(g.stacks) for g in self.stacks),
                "controls enabled": sum(1 for r in self.matrix.rows if r.enabled_anywhere),
                "pending": len(self.pending)}


def build_report(loaded: LoadedBlueprint, plan: Plan, probes: list[Probe]) -> Report:
    tree = build_tree(plan)
    columns = [node.path for node in tree.walk()]
    return Report(
        name=plan.name, source=loaded.path.name,
        variables=tuple(sorted((str(k), str(v)) for k, v in loaded.variables.items())),
        home_region=plan.home_region, governed_regions=plan.governed_regions,
        organization_id=plan.organization_id, management_account_id=plan.management_account_id,
        tree=tree, matrix=build_matrix(loaded, plan, columns), budget=build_budget(plan, columns),
        phases=plan.phases, stacks=build_stacks(plan), network=build_network(plan), keys=build_keys(plan),
        assignments=build_assignments(plan), pending=plan.pending, allowed=evaluate_probes(plan, probes))
