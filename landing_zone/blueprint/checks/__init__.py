"""Semantic checks: each is a function over the validated blueprint yielding issues; CHECKS lists them."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from landing_zone.blueprint.checks import (
    accounts,
    guardrails,
    network,
    network_services,
    policies,
    references,
    regions,
    transit,
    units,
)
from landing_zone.blueprint.checks import baseline as baseline_checks
from landing_zone.blueprint.checks import control_tower as tower_checks
from landing_zone.blueprint.checks import directory as directory_checks
from landing_zone.blueprint.checks import identity as identity_checks
from landing_zone.blueprint.checks import keys as key_checks
from landing_zone.blueprint.checks import logging as logging_checks
from landing_zone.blueprint.checks import remediation as remediation_checks
from landing_zone.blueprint.checks import security as security_checks
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint

Check = Callable[[Blueprint], Iterable[Issue]]

CHECKS: tuple[Check, ...] = (
    units.unit_names_are_valid,
    units.sibling_unit_names_are_unique,
    units.unit_depth_is_within_limit,
    units.unit_ids_are_unique,
    units.unit_renames_are_consistent,
    accounts.account_names_are_unique,
    accounts.account_emails_are_valid_and_unique,
    accounts.account_ids_are_unique,
    accounts.govcloud_accounts_have_ids,
    accounts.account_renames_are_consistent,
    accounts.account_templates_exist,
    accounts.account_units_exist,
    accounts.landing_zone_roles_are_assigned,
    regions.regions_exist,
    regions.home_region_is_governed,
    regions.governed_regions_are_distinct,
    regions.regions_share_one_partition,
    regions.partition_is_supported,
    references.targets_exist,
    references.owning_accounts_exist,
    guardrails.controls_exist,
    guardrails.mandatory_controls_stay_enabled,
    guardrails.parameters_match_declarations,
    guardrails.region_deny_keeps_home_region,
    tower_checks.tower_version_is_known,
    tower_checks.tower_concurrency_is_in_range,
    tower_checks.tower_security_unit_is_valid,
    tower_checks.tower_registrations_are_valid,
    tower_checks.tower_controls_are_placeable,
    tower_checks.tower_controls_are_not_duplicated,
    tower_checks.tower_regions_cover_region_deny,
    tower_checks.tower_parameters_are_supported,
    tower_checks.tower_manifest_is_known,
    tower_checks.tower_native_controls_are_listed,
    policies.policy_names_are_unique,
    logging_checks.log_bucket_expiry_follows_glacier_transition,
    logging_checks.trail_name_is_valid,
    logging_checks.log_retention_is_accepted,
    logging_checks.notification_emails_are_valid_and_unique,
    logging_checks.notification_events_are_known,
    logging_checks.invited_accounts_exist,
    logging_checks.log_readers_are_valid,
    network.cidrs_are_valid,
    network.names_are_unique,
    network.subnets_fit_their_vpc,
    network.az_ids_belong_to_the_region,
    network.gateways_are_consistent,
    network.resolver_rules_have_endpoints,
    network.prefix_lists_are_valid,
    network.vpcs_shared_with_the_same_targets_do_not_overlap,
    network.shares_skip_the_management_account,
    network.network_regions_are_governed,
    transit.gateways_are_well_formed,
    transit.attachments_are_unique,
    transit.vpc_attachments_are_placed,
    transit.route_tables_are_consistent,
    transit.peerings_are_well_formed,
    transit.remote_attachments_share_defaults,
    transit.attached_networks_do_not_overlap,
    transit.vpc_route_tables_fit_the_quota,
    network_services.nat_gateways_are_placed,
    network_services.endpoints_are_known,
    network_services.one_route53_profile_per_vpc,
    network_services.dns_firewalls_are_valid,
    network_services.ipam_is_valid,
    network_services.vpc_templates_are_valid,
    network_services.ipam_pools_hold_the_vended_vpcs,
    network.directory_domain_is_forwarded_once,
    directory_checks.directory_names_are_valid,
    directory_checks.directory_trusts_are_valid,
    directory_checks.directory_features_match_type,
    directory_checks.directory_subnets_are_in_two_azs,
    directory_checks.directory_lives_in_the_identity_account,
    identity_checks.permission_sets_are_valid,
    identity_checks.assignments_are_valid,
    identity_checks.access_control_attributes_are_valid,
    identity_checks.federation_providers_are_valid,
    identity_checks.federated_roles_are_valid,
    key_checks.aliases_are_valid,
    key_checks.aliases_are_unique,
    key_checks.replica_regions_are_valid,
    key_checks.key_material_fits_the_origin,
    key_checks.aws_kms_keys_rotate,
    key_checks.secrets_have_a_customer_managed_key,
    security_checks.delegated_admin_is_a_member_account,
    security_checks.guardduty_features_are_known,
    security_checks.security_hub_standards_are_known,
    security_checks.security_hub_aggregates_in_a_governed_region,
    security_checks.security_hub_has_the_config_baseline,
    security_checks.unused_access_days_are_accepted,
    security_checks.regional_services_run_in_the_governed_regions,
    baseline_checks.password_policy_is_within_iam_limits,
    baseline_checks.ebs_key_serves_ec2_everywhere,
    remediation_checks.remediated_controls_are_detective_with_a_runbook,
    remediation_checks.remediations_are_not_repeated,
    remediation_checks.remediations_are_not_disabled,
)


def run_checks(bp: Blueprint, checks: Iterable[Check] = CHECKS) -> Iterator[Issue]:
    for check in checks:
        yield from check(bp)
