"""DirectoryReplicas: region replication of an Enterprise directory (handlers/directory_region.py)."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import ReplicaPlan

# What AddRegion does on the caller's behalf in the replica region (domain controller network
# interfaces and their security group); EC2 has no resource-level scoping for these.
EC2_FOR_DIRECTORIES = ["ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups",
                       "ec2:DescribeNetworkInterfaces", "ec2:CreateSecurityGroup", "ec2:CreateNetworkInterface",
                       "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
                       "ec2:CreateTags"]


class DirectoryReplicas(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, directory_id: str,
                 replicas: tuple[ReplicaPlan, ...]) -> None:
        super().__init__(scope, id_)
        # RemoveRegion is called in the replica region, where the directory has the same id.
        directory_arn = f"arn:{cdk.Aws.PARTITION}:ds:*:{cdk.Aws.ACCOUNT_ID}:directory/{directory_id}"
        provider = HandlerProvider(
            self, "Handler", module="directory_region", function_name=f"{prefix}-region",
            waits=True, total_timeout=cdk.Duration.hours(2), statements=[
                iam.PolicyStatement(actions=["ds:AddRegion", "ds:DescribeRegions", "ds:RemoveRegion"],
                                    resources=[directory_arn]),
                iam.PolicyStatement(actions=["cloudformation:ListExports", *EC2_FOR_DIRECTORIES],
                                    resources=["*"])])
        previous = None
        for replica in replicas:
            resource = cdk.CustomResource(
                self, replica.logical_id, service_token=provider.service_token,
                resource_type="Custom::DirectoryRegion",
                properties={"DirectoryId": directory_id, "RegionName": replica.region,
                            "VpcExportName": replica.network.vpc_export,
                            "SubnetExportNames": list(replica.network.subnet_exports)})
            (resource.node.default_child).override_logical_id(replica.logical_id)  # type: ignore[union-attr]
            if previous is not None:    # one region operation at a time
                resource.node.add_dependency(previous)
            previous = resource
        self.last = previous
