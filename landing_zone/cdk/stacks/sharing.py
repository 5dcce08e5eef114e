"""SharingStack (management account, home region): RAM sharing with the organization, before any share."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.ram_organization_sharing import RamOrganizationSharing
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.network import SharingPayload


class SharingStack(cdk.Stack):
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, stack.name, stack_name=stack.name, description=stack.description,
                         env=cdk.Environment(account=stack.account_id, region=stack.region),
                         termination_protection=True, **kwargs)
        payload: SharingPayload = stack.payload
        RamOrganizationSharing(self, "RamSharing", prefix=payload.prefix)
