"""OrganizationStack (management account, home region): the top-level OUs, or the OUs of one depth shard."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.organizational_unit import OrganizationalUnit, unit_export_name
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.cdk.targets import unit_id
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
            if unit.parent is None:
                parent_id = plan.root_id
            elif unit.parent in self.units:
                parent_id = self.units[unit.parent].unit_id
            else:   # a parent of the depth above, in another OU stack this one depends on
                parent_id = unit_id(plan, unit.parent)
            self.units[unit.path] = OrganizationalUnit(
                self, unit.logical_id, unit=unit, parent_id=parent_id,
                export_name=unit_export_name(plan.name, unit))
