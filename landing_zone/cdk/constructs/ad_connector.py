"""AdConnector: an AD Connector through a custom resource (handlers/ad_connector.py); retained."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.directory_replicas import EC2_FOR_DIRECTORIES
from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import DirectoryPayload


class AdConnector(Construct):
    def __init__(self, scope: Construct, id_: str, *, directory: DirectoryPayload, vpc_id: str,
                 subnet_ids: list[str]) -> None:
        super().__init__(scope, id_)
        provider = HandlerProvider(
            self, "Handler", module="ad_connector", function_name=f"{directory.prefix}-connector",
            waits=True, statements=[
                # No directory ARN exists before ConnectDirectory returns its id.
                iam.PolicyStatement(actions=["ds:ConnectDirectory", "ds:DescribeDirectories",
                                             *EC2_FOR_DIRECTORIES], resources=["*"]),
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"],
                                    resources=[directory.connector_secret_arn_pattern or ""])])
        resource = cdk.CustomResource(
            self, "Connector", service_token=provider.service_token, resource_type="Custom::AdConnector",
            removal_policy=cdk.RemovalPolicy.RETAIN,
            properties={"Name": directory.domain, "ShortName": directory.short_name, "Size": directory.size,
                        "VpcId": vpc_id, "SubnetIds": subnet_ids, "DnsIps": list(directory.dns_ips),
                        "Description": f"{directory.prefix}: AD Connector to {directory.domain}",
                        "ServiceAccountSecretArn": directory.connector_secret_arn})
        (resource.node.default_child).override_logical_id(directory.logical_id)  # type: ignore[union-attr]
        self.directory_id: str = resource.ref
