"""ReplicaKey: one AWS::KMS::ReplicaKey of a multi-Region primary, with its own policy and the same alias."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct

from landing_zone.plan.keys import ReplicaKey as ReplicaKeyPlan


class ReplicaKey(Construct):
    def __init__(self, scope: Construct, id_: str, *, key: ReplicaKeyPlan, primary_key_arn: str) -> None:
        super().__init__(scope, id_)
        # PrimaryKeyArn is create-only: a replica follows its primary for life.
        self.resource = kms.CfnReplicaKey(
            self, "Resource", primary_key_arn=primary_key_arn, key_policy=key.policy_document,
            description=key.description, pending_window_in_days=key.pending_window_days,
            tags=[cdk.CfnTag(key=k, value=v) for k, v in key.tags])
        self.resource.override_logical_id(key.logical_id)
        self.resource.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.alias = kms.CfnAlias(self, "Alias", alias_name=key.alias, target_key_id=self.resource.ref)
        self.alias.override_logical_id(key.alias_logical_id)
        # As the primary's alias: writers and readers in this region name the key by it.
        self.alias.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
