"""LogsKey (log-archive account): the customer managed key of the log bucket, usable only by the
organization trail (its own encryption context), AWS Config in the organization, and the account."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from landing_zone.cdk.partition import partition_of
from landing_zone.plan.logging import LogArchivePlan


class LogsKey(Construct):
    def __init__(self, scope: Construct, id_: str, *, plan: LogArchivePlan) -> None:
        super().__init__(scope, id_)
        self.key = kms.Key(self, "Key", description=f"Encrypts the log archive ({plan.bucket_name})",
                           enable_key_rotation=True, removal_policy=cdk.RemovalPolicy.RETAIN)
        self.key.add_alias(plan.key_alias).apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        cloudtrail = iam.ServicePrincipal("cloudtrail.amazonaws.com")
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudTrailEncryptsThisTrailOnly", principals=[cloudtrail], actions=["kms:GenerateDataKey*"],
            resources=["*"], conditions={"StringEquals": {
                "aws:SourceArn": plan.trail_arn,
                "kms:EncryptionContext:aws:cloudtrail:arn": plan.trail_arn}}))
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudTrailDescribesKey", principals=[cloudtrail], actions=["kms:DescribeKey"],
            resources=["*"], conditions={"StringEquals": {"aws:SourceArn": plan.trail_arn}}))
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="ConfigDeliversForTheOrganization", principals=[iam.ServicePrincipal("config.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=["*"],
            conditions={"StringEquals": {"aws:SourceOrgID": plan.organization_id}}))
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="FlowLogsDeliver", principals=[iam.ServicePrincipal("delivery.logs.amazonaws.com")],
            actions=["kms:GenerateDataKey*"], resources=["*"],
            conditions={"StringEquals": {"aws:SourceOrgID": plan.organization_id}}))
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="ConfigRecorderRolesDeliver", principals=[iam.AnyPrincipal()],
            actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=["*"],
            conditions={"StringEquals": {"aws:PrincipalOrgID": plan.organization_id},
                        "ArnLike": {"aws:PrincipalArn": f"arn:{partition_of(self)}:iam::*:role/{plan.config_role_name}"}}))
