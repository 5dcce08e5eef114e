"""PrimaryKey: one AWS::KMS::Key (single- or multi-Region primary) and its alias, both retained."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct

from landing_zone.plan.keys import PrimaryKey as PrimaryKeyPlan

IMPORTED_MATERIAL = "ImportedKeyMaterial"


class PrimaryKey(Construct):
    def __init__(self, scope: Construct, id_: str, *, key: PrimaryKeyPlan) -> None:
        super().__init__(scope, id_)
        # MultiRegion, KeySpec, KeyUsage and Origin can never change once the key exists
        # (checks/replacement.py flags a change); the rest are in-place updates. A key with imported
        # material cannot rotate: its construct id says so, and landing_zone/cdk/nag.py acknowledges
        # AwsSolutions-KMS5 for that id only (the logical id comes from the alias either way).
        self.resource = kms.CfnKey(
            self, IMPORTED_MATERIAL if key.origin == "EXTERNAL" else "Resource", description=key.description, key_policy=key.policy_document,
            key_spec="SYMMETRIC_DEFAULT", key_usage="ENCRYPT_DECRYPT", origin=key.origin,
            multi_region=key.multi_region, enable_key_rotation=key.rotation,
            rotation_period_in_days=key.rotation_period_days,
            pending_window_in_days=key.pending_window_days,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in key.tags])
        self.resource.override_logical_id(key.logical_id)
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.alias = kms.CfnAlias(self, "Alias", alias_name=key.alias, target_key_id=self.resource.ref)
        self.alias.override_logical_id(key.alias_logical_id)
        # Writers and readers name the key by alias (S3 and SNS by alias ARN, the log reader role by
        # kms:ResourceAliases): deleting the alias would stop delivery and reading at once.
        self.alias.apply_removal_policy(cdk.RemovalPolicy.RETAIN)

    @property
    def key_arn(self) -> str:
        return self.resource.attr_arn
