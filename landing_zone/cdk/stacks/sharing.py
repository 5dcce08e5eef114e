"""SharingStack (management account, home region): RAM sharing with the organization, before any share."""
from __future__ import annotations

from constructs import Construct

from landing_zone.cdk.constructs.ram_organization_sharing import RamOrganizationSharing
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.network import SharingPayload


class SharingStack(PlannedStack):
    payload_type = SharingPayload
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: SharingPayload = self.payload
        RamOrganizationSharing(self, "RamSharing", prefix=payload.prefix)
