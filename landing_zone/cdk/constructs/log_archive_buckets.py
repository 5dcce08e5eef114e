"""LogArchiveBuckets: the central log bucket and its access-log bucket, both private, TLS-only,
versioned, with lifecycle to Glacier and expiry, and retained forever by CloudFormation."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from landing_zone.cdk.partition import partition_of
from landing_zone.plan.logging import LogArchivePlan


def _deny_insecure_transport(bucket: s3.Bucket) -> None:
    bucket.add_to_resource_policy(iam.PolicyStatement(
        sid="DenyInsecureTransport", effect=iam.Effect.DENY, principals=[iam.AnyPrincipal()],
        actions=["s3:*"], resources=[bucket.bucket_arn, bucket.arn_for_objects("*")],
        conditions={"Bool": {"aws:SecureTransport": "false"}}))


def _lifecycle(plan: LogArchivePlan) -> list[s3.LifecycleRule]:
    glacier, expiry = cdk.Duration.days(plan.glacier_after_days), cdk.Duration.days(plan.retention_days)
    return [s3.LifecycleRule(
        id="archive-then-expire", enabled=True,
        transitions=[s3.Transition(storage_class=s3.StorageClass.GLACIER, transition_after=glacier)],
        expiration=expiry,
        noncurrent_version_transitions=[s3.NoncurrentVersionTransition(
            storage_class=s3.StorageClass.GLACIER, transition_after=glacier)],
        noncurrent_version_expiration=expiry,
        abort_incomplete_multipart_upload_after=cdk.Duration.days(plan.incomplete_upload_days))]


class LogArchiveBuckets(Construct):
    def __init__(self, scope: Construct, id_: str, *, plan: LogArchivePlan, key: kms.IKey) -> None:
        super().__init__(scope, id_)
        common = dict(block_public_access=s3.BlockPublicAccess.BLOCK_ALL, versioned=True,
                      object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                      removal_policy=cdk.RemovalPolicy.RETAIN, lifecycle_rules=_lifecycle(plan))
        # S3 server access logs can only be delivered to an SSE-S3 bucket without Object Lock.
        self.access_logs = s3.Bucket(self, "AccessLogs", bucket_name=plan.access_log_bucket_name,
                                     encryption=s3.BucketEncryption.S3_MANAGED, **common)
        lock = None
        if plan.object_lock_mode == "COMPLIANCE":
            lock = s3.ObjectLockRetention.compliance(cdk.Duration.days(plan.object_lock_days))
        elif plan.object_lock_mode == "GOVERNANCE":
            lock = s3.ObjectLockRetention.governance(cdk.Duration.days(plan.object_lock_days))
        self.bucket = s3.Bucket(self, "Logs", bucket_name=plan.bucket_name, encryption=s3.BucketEncryption.KMS,
                                encryption_key=key, bucket_key_enabled=True,
                                object_lock_enabled=lock is not None, object_lock_default_retention=lock,
                                **common)
        # Set directly: the L2 `server_access_logs_bucket` would add its own unnamed policy statement.
        self.bucket.node.default_child.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=self.access_logs.bucket_name, log_file_prefix=f"{plan.bucket_name}/")

        _deny_insecure_transport(self.access_logs)
        self.access_logs.add_to_resource_policy(iam.PolicyStatement(
            sid="S3ServerAccessLogsFromTheLogBucket", principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"], resources=[self.access_logs.arn_for_objects(f"{plan.bucket_name}/*")],
            conditions={"ArnLike": {"aws:SourceArn": f"arn:{partition_of(self)}:s3:::{plan.bucket_name}"},
                        "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}))

        # Delivery starts as soon as logging is configured: the target's policy must be in place.
        self.bucket.node.add_dependency(self.access_logs.policy)

        _deny_insecure_transport(self.bucket)
        cloudtrail = iam.ServicePrincipal("cloudtrail.amazonaws.com")
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudTrailAclCheck", principals=[cloudtrail], actions=["s3:GetBucketAcl"],
            resources=[self.bucket.bucket_arn],
            conditions={"StringEquals": {"aws:SourceArn": plan.trail_arn}}))
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudTrailWrite", principals=[cloudtrail], actions=["s3:PutObject"],
            resources=[self.bucket.arn_for_objects(f"AWSLogs/{plan.management_account_id}/*"),
                       self.bucket.arn_for_objects(f"AWSLogs/{plan.organization_id}/*")],
            conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                         "aws:SourceArn": plan.trail_arn}}))
        # VPC flow logs of every account in the organization (the network stacks) land here too.
        delivery = iam.ServicePrincipal("delivery.logs.amazonaws.com")
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="FlowLogsAclCheck", principals=[delivery], actions=["s3:GetBucketAcl"],
            resources=[self.bucket.bucket_arn],
            conditions={"StringEquals": {"aws:SourceOrgID": plan.organization_id}}))
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="FlowLogsWrite", principals=[delivery], actions=["s3:PutObject"],
            resources=[self.bucket.arn_for_objects("AWSLogs/*")],
            conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                         "aws:SourceOrgID": plan.organization_id}}))
        # AWS Config cannot deliver to a bucket with Object Lock: then it gets a bucket of its own,
        # with the same protections (key, versioning, lifecycle, access logs, TLS only), and retained.
        self.config_bucket = self.bucket
        if plan.config_bucket_name:
            self.config_bucket = s3.Bucket(
                self, "ConfigLogs", bucket_name=plan.config_bucket_name, encryption=s3.BucketEncryption.KMS,
                encryption_key=key, bucket_key_enabled=True, **common)
            self.config_bucket.node.default_child.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
                destination_bucket_name=self.access_logs.bucket_name,
                log_file_prefix=f"{plan.config_bucket_name}/")
            _deny_insecure_transport(self.config_bucket)
            self.access_logs.add_to_resource_policy(iam.PolicyStatement(
                sid="S3ServerAccessLogsFromTheConfigBucket",
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")], actions=["s3:PutObject"],
                resources=[self.access_logs.arn_for_objects(f"{plan.config_bucket_name}/*")],
                conditions={"ArnLike": {"aws:SourceArn": f"arn:{partition_of(self)}:s3:::{plan.config_bucket_name}"},
                            "StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}))
            self.config_bucket.node.add_dependency(self.access_logs.policy)
        _config_delivery(self.config_bucket, plan)


def _config_delivery(bucket: s3.Bucket, plan: LogArchivePlan) -> None:
    """AWS Config of the whole organization delivers here, with its service principal or through the
    baseline's recorder role of each member account and region."""
    config = iam.ServicePrincipal("config.amazonaws.com")
    bucket.add_to_resource_policy(iam.PolicyStatement(
        sid="ConfigAclCheck", principals=[config], actions=["s3:GetBucketAcl", "s3:ListBucket"],
        resources=[bucket.bucket_arn], conditions={"StringEquals": {"aws:SourceOrgID": plan.organization_id}}))
    bucket.add_to_resource_policy(iam.PolicyStatement(
        sid="ConfigWrite", principals=[config], actions=["s3:PutObject"],
        resources=[bucket.arn_for_objects("AWSLogs/*/Config/*")],
        conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                     "aws:SourceOrgID": plan.organization_id}}))
    bucket.add_to_resource_policy(iam.PolicyStatement(
        sid="ConfigRecorderRolesWrite", principals=[iam.AnyPrincipal()],
        actions=["s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"],
        resources=[bucket.bucket_arn, bucket.arn_for_objects("AWSLogs/*/Config/*")],
        conditions={"StringEquals": {"aws:PrincipalOrgID": plan.organization_id},
                    "ArnLike": {"aws:PrincipalArn": f"arn:{partition_of(bucket)}:iam::*:role/{plan.config_role_name}"}}))
