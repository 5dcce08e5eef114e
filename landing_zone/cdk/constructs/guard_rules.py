"""GuardRulesBucket: the S3 bucket the proactive Guard hooks of every account read their rules from, and
the bucket its server access logs go to."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider

INCOMPLETE_UPLOAD_DAYS = 7


class GuardRulesBucket(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, bucket_name: str, organization_id: str,
                 files: tuple[tuple[str, str], ...], access_log_bucket_name: str,
                 access_log_retention_days: int) -> None:
        super().__init__(scope, id_)
        common = dict(block_public_access=s3.BlockPublicAccess.BLOCK_ALL, enforce_ssl=True, versioned=True,
                      object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                      removal_policy=cdk.RemovalPolicy.RETAIN)
        # S3 server access logs can only be delivered to an SSE-S3 bucket without Object Lock.
        retention = cdk.Duration.days(access_log_retention_days)
        self.access_logs = s3.Bucket(
            self, "AccessLogs", bucket_name=access_log_bucket_name, encryption=s3.BucketEncryption.S3_MANAGED,
            lifecycle_rules=[s3.LifecycleRule(
                id="expire", enabled=True, expiration=retention, noncurrent_version_expiration=retention,
                abort_incomplete_multipart_upload_after=cdk.Duration.days(INCOMPLETE_UPLOAD_DAYS))],
            **common)
        self.access_logs.add_to_resource_policy(iam.PolicyStatement(
            sid="S3ServerAccessLogsFromTheRulesBucket", principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"], resources=[self.access_logs.arn_for_objects(f"{bucket_name}/*")],
            conditions={"ArnLike": {"aws:SourceArn": f"arn:{cdk.Aws.PARTITION}:s3:::{bucket_name}"},
                        "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}))
        self.bucket = s3.Bucket(self, "Bucket", bucket_name=bucket_name, encryption=s3.BucketEncryption.S3_MANAGED,
                                **common)
        # Set directly: the L2 `server_access_logs_bucket` would add its own unnamed policy statement.
        self.bucket.node.default_child.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=self.access_logs.bucket_name, log_file_prefix=f"{bucket_name}/")
        # Delivery starts as soon as logging is configured: the target's policy must be in place.
        self.bucket.node.add_dependency(self.access_logs.policy)
        # Hooks in member accounts read their rules with their own execution role.
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="OrganizationReadsGuardRules", actions=["s3:GetObject"],
            principals=[iam.AnyPrincipal()], resources=[self.bucket.arn_for_objects("proactive/*")],
            conditions={"StringEquals": {"aws:PrincipalOrgID": organization_id}}))
        # The rules are a few KB of text: our own small handler writes them (no CDK asset of the AWS CLI
        # layer in every region), and keeps them when the resource goes, as hooks may still read them.
        writer = HandlerProvider(self, "Writer", module="rules_objects", function_name=f"{prefix}-guard-rules",
                                 waits=False, statements=[iam.PolicyStatement(
                                     actions=["s3:PutObject"], resources=[self.bucket.arn_for_objects(k) for k, _ in sorted(files)])])
        self.rules = writer.resource(self, "GuardRulesObjects", resource_type="Custom::GuardRules", retain=True,
                                     properties={"Bucket": self.bucket.bucket_name,
                                                 "Objects": [{"Key": k, "Body": t} for k, t in sorted(files)]})
