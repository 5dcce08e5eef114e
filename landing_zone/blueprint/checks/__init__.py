"""Semantic checks: each is a function over the validated blueprint yielding issues; CHECKS lists them."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from landing_zone.blueprint.checks import accounts, guardrails, references, regions, units
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint

Check = Callable[[Blueprint], Iterable[Issue]]

CHECKS: tuple[Check, ...] = (
    units.unit_names_are_valid,
    units.sibling_unit_names_are_unique,
    units.unit_depth_is_within_limit,
    units.unit_ids_are_unique,
    accounts.account_names_are_unique,
    accounts.account_emails_are_valid_and_unique,
    accounts.account_ids_are_unique,
    accounts.account_templates_exist,
    accounts.account_units_exist,
    accounts.landing_zone_roles_are_assigned,
    regions.regions_exist,
    regions.home_region_is_governed,
    regions.governed_regions_are_distinct,
    references.targets_exist,
    references.owning_accounts_exist,
    guardrails.engine_is_supported,
    guardrails.controls_exist,
    guardrails.mandatory_controls_stay_enabled,
    guardrails.parameters_match_declarations,
    guardrails.region_deny_keeps_home_region,
)


def run_checks(bp: Blueprint, checks: Iterable[Check] = CHECKS) -> Iterator[Issue]:
    for check in checks:
        yield from check(bp)
