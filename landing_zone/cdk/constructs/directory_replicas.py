"""DirectoryReplicas: region replication of an Enterprise directory (handlers/directory_region.py)."""
from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import ReplicaPlan

EC2_READS = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
             "ec2:DescribeVpcs"]


def ec2_for_domain_controllers(*, regions: Sequence[str], vpc_arn: str | None) -> list[iam.PolicyStatement]:
    """What Directory Service does with the caller's EC2 permissions when it places domain controllers
    (AddRegion) or AD Connector endpoints (ConnectDirectory): a security group in the VPC, rules in it,
    network interfaces in the subnets, tags on both.

    Every resource is one of this account's in `regions`. Where the Service Authorization Reference
    gives the resource type the ec2:Vpc key (subnet and security-group for CreateNetworkInterface,
    AuthorizeSecurityGroup*, CreateTags), `vpc_arn` pins it; a new security group has no ec2:Vpc, so
    CreateSecurityGroup is pinned through its vpc resource instead. Without `vpc_arn` (a replica VPC,
    whose id lives in another region's export) the region is the limit. The ec2:Describe* calls have no
    resource-level permissions."""
    def arns(kind: str) -> list[str]:
        return [f"arn:{cdk.Aws.PARTITION}:ec2:{region}:{cdk.Aws.ACCOUNT_ID}:{kind}/*" for region in regions]

    in_vpc = {"ArnEquals": {"ec2:Vpc": vpc_arn}} if vpc_arn else None
    statements = [
        iam.PolicyStatement(actions=EC2_READS, resources=["*"]),
        iam.PolicyStatement(actions=["ec2:CreateSecurityGroup"],
                            resources=[*arns("security-group"), *([vpc_arn] if vpc_arn else arns("vpc"))]),
        iam.PolicyStatement(actions=["ec2:CreateNetworkInterface"], resources=arns("network-interface")),
        iam.PolicyStatement(actions=["ec2:CreateNetworkInterface"],
                            resources=[*arns("security-group"), *arns("subnet")], conditions=in_vpc),
        iam.PolicyStatement(actions=["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"],
                            resources=arns("security-group"), conditions=in_vpc),
        iam.PolicyStatement(actions=["ec2:CreateTags"],
                            resources=[*arns("network-interface"), *arns("security-group")], conditions=in_vpc)]
    if vpc_arn:
        # Tags given while creating: the new group or interface has no ec2:Vpc yet.
        statements.append(iam.PolicyStatement(
            actions=["ec2:CreateTags"], resources=[*arns("network-interface"), *arns("security-group")],
            conditions={"StringEquals": {"ec2:CreateAction": ["CreateNetworkInterface", "CreateSecurityGroup"]}}))
    return statements


class DirectoryReplicas(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, directory_id: str,
                 replicas: tuple[ReplicaPlan, ...]) -> None:
        super().__init__(scope, id_)
        # AddRegion and DescribeRegions are called in the directory's own region; removing a region is
        # the roster's job (directory_roster.py).
        directory_arn = (f"arn:{cdk.Aws.PARTITION}:ds:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
                         f"directory/{directory_id}")
        provider = HandlerProvider(
            self, "Handler", module="directory_region", function_name=f"{prefix}-region", waits=True,
            statements=[
                iam.PolicyStatement(actions=["ds:AddRegion", "ds:DescribeRegions"], resources=[directory_arn]),
                iam.PolicyStatement(actions=["cloudformation:ListExports"], resources=["*"]),
                *ec2_for_domain_controllers(regions=sorted(r.region for r in replicas), vpc_arn=None)])
        self.resources: list[cdk.CustomResource] = []
        for replica in replicas:
            resource = provider.resource(
                self, replica.logical_id, resource_type="Custom::DirectoryRegion", retain=True,
                properties={"DirectoryId": directory_id, "RegionName": replica.region,
                            "VpcExportName": replica.network.vpc_export,
                            "SubnetExportNames": list(replica.network.subnet_exports)})
            if self.resources:    # one region operation at a time
                resource.node.add_dependency(self.resources[-1])
            self.resources.append(resource)
