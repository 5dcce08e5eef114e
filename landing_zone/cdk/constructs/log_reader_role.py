"""LogReaderRole: read-only access to the log archive for named roles of the audit account."""
from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct


class LogReaderRole(Construct):
    """`principals` are the ARN patterns of the audit account's roles that may assume it (the trust names
    the audit account and matches them by aws:PrincipalArn); `key` is the stack's own logs key (None when
    it has none); `key_alias_arns` are blueprint keys the logs are encrypted with, by alias ARN."""

    def __init__(self, scope: Construct, id_: str, *, role_name: str, path: str, reader_account_id: str,
                 principals: tuple[str, ...], buckets: tuple[s3.IBucket, ...], key: kms.IKey | None,
                 key_alias_arns: tuple[str, ...] = ()) -> None:
        super().__init__(scope, id_)
        statements = [iam.PolicyStatement(
            sid="ListAndRead",
            actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketVersions",
                     "s3:GetObject", "s3:GetObjectVersion"],
            resources=[r for b in buckets for r in (b.bucket_arn, b.arn_for_objects("*"))])]
        if key is not None:
            statements.append(iam.PolicyStatement(sid="DecryptLogs", actions=["kms:Decrypt", "kms:DescribeKey"],
                                                  resources=[key.key_arn]))
        for index, alias_arn in enumerate(key_alias_arns, start=1):
            # An alias ARN is not a resource of kms:Decrypt (KMS authorizes against the key ARN):
            # name the owner's keys in that region and match the alias.
            prefix, _, alias = alias_arn.rpartition(":")
            statements.append(iam.PolicyStatement(
                sid=f"DecryptLogsWithBlueprintKey{index}", actions=["kms:Decrypt", "kms:DescribeKey"],
                resources=[f"{prefix}:key/*"],
                conditions={"ForAnyValue:StringEquals": {"kms:ResourceAliases": alias}}))
        # A principal element cannot hold wildcards: trust the account, then only the named roles in it.
        trusted = iam.AccountPrincipal(reader_account_id).with_conditions(
            {"ArnLike": {"aws:PrincipalArn": list(principals)}})
        self.role = iam.Role(
            self, "Role", role_name=role_name, path=path, assumed_by=trusted,
            description="Read-only access to the log archive for named roles of the audit account",
            inline_policies={"read-log-archive": iam.PolicyDocument(statements=statements)})
