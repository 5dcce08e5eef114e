"""OrganizationConfigAggregator (audit account): AWS Config data of every account and region."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from constructs import Construct


class OrganizationConfigAggregator(Construct):
    def __init__(self, scope: Construct, id_: str, *, aggregator_name: str, role_name: str) -> None:
        super().__init__(scope, id_)
        # AWS Config assumes the role for this account's aggregator only (confused deputy prevention).
        config_service = iam.ServicePrincipal("config.amazonaws.com", conditions={
            "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}})
        self.role = iam.Role(
            self, "Role", role_name=role_name, assumed_by=config_service,
            description="AWS Config reads the organization for the aggregator",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSConfigRoleForOrganizations")])
        self.aggregator = config.CfnConfigurationAggregator(
            self, "Aggregator", configuration_aggregator_name=aggregator_name,
            organization_aggregation_source=config.CfnConfigurationAggregator.OrganizationAggregationSourceProperty(
                role_arn=self.role.role_arn, all_aws_regions=True))
        self.aggregator.node.add_dependency(self.role)
