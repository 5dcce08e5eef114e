"""CustomStoreKeys: keys in a custom key store (CloudHSM) through handlers/custom_store_key.py, each
named by a native AWS::KMS::Alias whose TargetKeyId is the custom resource's KeyId."""
from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.keys import CustomStoreKey as CustomStoreKeyPlan

CLOUDHSM_KEY = {"kms:KeyOrigin": "AWS_CLOUDHSM"}


class CustomStoreKeys(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, keys: Sequence[CustomStoreKeyPlan]) -> None:
        super().__init__(scope, id_)
        keys_arn = f"arn:{cdk.Aws.PARTITION}:kms:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:key/*"
        provider = HandlerProvider(self, "Handler", module="custom_store_key",
                                   function_name=f"{prefix}-custom-store-key", waits=False, statements=[
            # CreateKey has no resource; it is narrowed to symmetric, single-Region CloudHSM keys.
            iam.PolicyStatement(actions=["kms:CreateKey"], resources=["*"], conditions={
                "StringEquals": {**CLOUDHSM_KEY, "kms:KeySpec": "SYMMETRIC_DEFAULT",
                                 "kms:KeyUsage": "ENCRYPT_DECRYPT"},
                "Bool": {"kms:MultiRegion": "false"}}),
            iam.PolicyStatement(actions=["kms:ListAliases", "kms:ListKeys"], resources=["*"]),
            iam.PolicyStatement(actions=["kms:DescribeKey", "kms:ListResourceTags"], resources=[keys_arn]),
            iam.PolicyStatement(actions=["kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:TagResource"],
                                resources=[keys_arn], conditions={"StringEquals": CLOUDHSM_KEY})])
        self.key_arns: dict[str, str] = {}
        for key in keys:
            resource = provider.resource(
                self, key.logical_id, resource_type="Custom::CustomKeyStoreKey", retain=True,
                properties={"Alias": key.alias, "CustomKeyStoreId": key.custom_key_store_id,
                            "Description": key.description, "Policy": key.policy,
                            "Tags": [{"Key": k, "Value": v} for k, v in key.tags]})
            alias = kms.CfnAlias(self, key.alias_logical_id, alias_name=key.alias,
                                 target_key_id=resource.get_att_string("KeyId"))
            alias.override_logical_id(key.alias_logical_id)
            alias.apply_removal_policy(cdk.RemovalPolicy.RETAIN)    # writers name the key by alias
            self.key_arns[key.logical_id] = resource.get_att_string("KeyArn")
