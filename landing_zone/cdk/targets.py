"""Turns plan targets into the ids CloudFormation needs (root id, imported OU ids, account ids)."""
from __future__ import annotations

import aws_cdk as cdk

from landing_zone.blueprint.model.common import ROOT
from landing_zone.cdk.constructs.organizational_unit import unit_export_name
from landing_zone.plan import Plan
from landing_zone.plan.targets import Target


def unit_id(plan: Plan, path: str) -> str:
    return plan.root_id if path == ROOT else cdk.Fn.import_value(unit_export_name(plan.name, plan.unit(path)))


def target_id(plan: Plan, target: Target) -> str:
    if target.kind == "root":
        return plan.root_id
    if target.kind == "ou":
        return unit_id(plan, target.ref)
    account_id = plan.account(target.ref).id
    assert account_id, f"plan left an account target without id: {target.ref}"
    return account_id
