"""AdConnector: an AD Connector through a custom resource (handlers/ad_connector.py); retained."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.directory_replicas import ec2_for_domain_controllers
from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import DirectoryPayload


class AdConnector(Construct):
    def __init__(self, scope: Construct, id_: str, *, directory: DirectoryPayload, vpc_id: str,
                 subnet_ids: list[str]) -> None:
        super().__init__(scope, id_)
        vpc_arn = f"arn:{cdk.Aws.PARTITION}:ec2:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:vpc/{vpc_id}"
        provider = HandlerProvider(
            self, "Handler", module="ad_connector", function_name=f"{directory.prefix}-connector",
            waits=True, statements=[
                # No resource-level permissions for these (no directory ARN exists before ConnectDirectory
                # returns its id).
                iam.PolicyStatement(actions=["ds:ConnectDirectory", "ds:DescribeDirectories"], resources=["*"]),
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"],
                                    resources=[directory.connector_secret_arn_pattern or ""]),
                *ec2_for_domain_controllers(regions=[cdk.Aws.REGION], vpc_arn=vpc_arn)])
        resource = provider.resource(
            self, directory.logical_id, resource_type="Custom::AdConnector", retain=True,
            properties={"Name": directory.domain, "ShortName": directory.short_name, "Size": directory.size,
                        "VpcId": vpc_id, "SubnetIds": subnet_ids, "DnsIps": list(directory.dns_ips),
                        "Description": f"{directory.prefix}: AD Connector to {directory.domain}",
                        "ServiceAccountSecretArn": directory.connector_secret_arn})
        self.directory_id: str = resource.ref
