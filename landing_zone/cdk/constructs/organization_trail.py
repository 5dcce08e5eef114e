"""OrganizationTrail (management account): the organization's multi-region trail into the log
archive, and its CloudWatch Logs group (KMS encrypted) with the delivery role."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from landing_zone.cdk.partition import partition_of
from landing_zone.plan.logging import OrganizationTrailPlan


class OrganizationTrail(Construct):
    def __init__(self, scope: Construct, id_: str, *, plan: OrganizationTrailPlan) -> None:
        super().__init__(scope, id_)
        stack = cdk.Stack.of(self)
        log_group_arn = f"arn:{partition_of(self)}:logs:{stack.region}:{stack.account}:log-group:{plan.log_group_name}"
        # Always a key of this stack, even when the blueprint has a `logs` key: AWS::Logs::LogGroup
        # KmsKeyId takes a key ARN only (no alias ARN), and another stack's key ARN would need a
        # lookup or an export.
        self.key = kms.Key(self, "Key", description=f"Encrypts the log group {plan.log_group_name}",
                           enable_key_rotation=True, removal_policy=cdk.RemovalPolicy.RETAIN)
        self.key.add_alias(plan.key_alias).apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchLogsEncryptsTheTrailLogGroup",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"], conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}}))
        self.log_group = logs.CfnLogGroup(self, "LogGroup", log_group_name=plan.log_group_name,
                                          retention_in_days=plan.retention_days, kms_key_id=self.key.key_arn)
        self.log_group.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.role = iam.Role(
            self, "DeliveryRole", role_name=plan.logs_role_name,
            description="CloudTrail delivers the organization trail to CloudWatch Logs",
            assumed_by=iam.ServicePrincipal("cloudtrail.amazonaws.com", conditions={
                "StringEquals": {"aws:SourceArn": plan.trail_arn}}),
            inline_policies={"deliver": iam.PolicyDocument(statements=[iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[f"{log_group_arn}:log-stream:*"])])})
        selectors = []
        if plan.s3_data_events or plan.lambda_data_events:
            data = []
            if plan.s3_data_events:
                data.append(cloudtrail.CfnTrail.DataResourceProperty(type="AWS::S3::Object", values=[f"arn:{partition_of(self)}:s3"]))
            if plan.lambda_data_events:
                data.append(cloudtrail.CfnTrail.DataResourceProperty(
                    type="AWS::Lambda::Function", values=[f"arn:{partition_of(self)}:lambda"]))
            selectors.append(cloudtrail.CfnTrail.EventSelectorProperty(
                read_write_type="All", include_management_events=True, data_resources=data))
        self.trail = cloudtrail.CfnTrail(
            self, "Trail", trail_name=plan.trail_name, is_logging=True, is_organization_trail=True,
            is_multi_region_trail=True, include_global_service_events=True, enable_log_file_validation=True,
            s3_bucket_name=plan.bucket_name, kms_key_id=plan.logs_key_arn,
            cloud_watch_logs_log_group_arn=self.log_group.attr_arn, cloud_watch_logs_role_arn=self.role.role_arn,
            event_selectors=selectors or None,
            insight_selectors=[cloudtrail.CfnTrail.InsightSelectorProperty(insight_type=t)
                               for t in ("ApiCallRateInsight", "ApiErrorRateInsight")] if plan.insights else None)
        self.trail.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.trail.node.add_dependency(self.role)
