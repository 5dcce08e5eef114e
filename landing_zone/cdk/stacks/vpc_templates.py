"""VpcTemplatesStack (management account, home region): the VPC templates' service-managed StackSets."""
from __future__ import annotations

from landing_zone.cdk.stacks.guardrails import StackSetsStack
from landing_zone.plan.vpc_templates import VpcTemplatesPayload


class VpcTemplatesStack(StackSetsStack):
    """Built like the guardrail StackSets (same operation preferences, OU targets, auto-deployment)."""

    payload_type = VpcTemplatesPayload
