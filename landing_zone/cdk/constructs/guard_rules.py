"""GuardRulesBucket: the S3 bucket the proactive Guard hooks of every account read their rules from."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct


class GuardRulesBucket(Construct):
    def __init__(self, scope: Construct, id_: str, *, bucket_name: str, organization_id: str,
                 files: tuple[tuple[str, str], ...]) -> None:
        super().__init__(scope, id_)
        self.bucket = s3.Bucket(
            self, "Bucket", bucket_name=bucket_name, encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, enforce_ssl=True, versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN)
        # Hooks in member accounts read their rules with their own execution role.
        self.bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="OrganizationReadsGuardRules", actions=["s3:GetObject"],
            principals=[iam.AnyPrincipal()], resources=[self.bucket.arn_for_objects("proactive/*")],
            conditions={"StringEquals": {"aws:PrincipalOrgID": organization_id}}))
        s3deploy.BucketDeployment(
            self, "Rules", destination_bucket=self.bucket, prune=False, retain_on_delete=True,
            sources=[s3deploy.Source.data(key, text) for key, text in files])
