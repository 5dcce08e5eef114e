"""CentralSecurityHub (delegated administrator, aggregation region): finding aggregation from the other
governed regions, central configuration, one configuration policy (the blueprint's standards) and its
associations. All retained: deleting the organization configuration resets the organization to local
configuration, and deleting a policy or association disables Security Hub where it applied."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_securityhub as securityhub
from constructs import Construct

from landing_zone.plan.security import SecurityHubPlan


def _retained(resource: cdk.CfnResource, logical_id: str) -> cdk.CfnResource:
    resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
    resource.override_logical_id(logical_id)
    return resource


class CentralSecurityHub(Construct):
    def __init__(self, scope: Construct, id_: str, *, hub: SecurityHubPlan) -> None:
        super().__init__(scope, id_)
        aggregator = _retained(securityhub.CfnFindingAggregator(
            scope, "FindingAggregator", region_linking_mode="SPECIFIED_REGIONS",
            regions=list(hub.linked_regions) or None), "FindingAggregator")
        # Central configuration needs the aggregator; new accounts get their settings from the policy
        # associated with their OU, never from auto-enable.
        configuration = _retained(securityhub.CfnOrganizationConfiguration(
            scope, "OrganizationConfiguration", auto_enable=False, auto_enable_standards="NONE",
            configuration_type="CENTRAL"), "OrganizationConfiguration")
        configuration.add_resource_dependency(aggregator)
        policy = securityhub.CfnConfigurationPolicy(
            scope, "ConfigurationPolicy", name=hub.policy_name,
            description="Security Hub on, with the landing zone's standards, in every governed region",
            configuration_policy={"securityHub": {
                "serviceEnabled": True, "enabledStandardIdentifiers": list(hub.standards),
                "securityControlsConfiguration": {"disabledSecurityControlIdentifiers": []}}})
        _retained(policy, "ConfigurationPolicy").add_resource_dependency(configuration)
        for target in hub.targets:
            association = securityhub.CfnPolicyAssociation(
                scope, target.logical_id, configuration_policy_id=policy.attr_id, target_id=target.target_id,
                target_type=target.target_type)
            _retained(association, target.logical_id)
