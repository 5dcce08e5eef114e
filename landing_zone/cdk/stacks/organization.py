"""OrganizationStack (management account, home region): the OU tree."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.organizational_unit import OrganizationalUnit, unit_export_name
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.model import UnitsPayload


class OrganizationStack(PlannedStack):
    payload_type = UnitsPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        self.units: dict[str, OrganizationalUnit] = {}
        # Plan units are sorted by path, so every parent exists before its children.
        payload: UnitsPayload = self.payload
        for unit in payload.units:
            parent_id = self.units[unit.parent].unit_id if unit.parent else plan.root_id
            self.units[unit.path] = OrganizationalUnit(
                self, unit.logical_id, unit=unit, parent_id=parent_id,
                export_name=unit_export_name(plan.name, unit))
