"""The frozen plan: what each stack holds, resolved from a validated blueprint (no aws_cdk here)."""
from landing_zone.plan.build import build_plan
from landing_zone.plan.model import AccountPlan, Pending, Phase, Plan, StackPlan, UnitPlan

__all__ = ["build_plan", "AccountPlan", "Pending", "Phase", "Plan", "StackPlan", "UnitPlan"]
