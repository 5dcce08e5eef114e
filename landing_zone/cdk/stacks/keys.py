"""KeysStack (a key owner's account, one region): primary keys and replicas of primaries elsewhere."""
from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.custom_store_key import CustomStoreKeys
from landing_zone.cdk.constructs.primary_key import PrimaryKey
from landing_zone.cdk.constructs.replica_key import ReplicaKey
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.keys import KeysStackPayload


class KeysStack(PlannedStack):
    payload_type = KeysStackPayload
    # build_landing_zone passes the stacks this one depends on (already built) as `dependencies`.
    takes_dependencies = True

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan,
                 dependencies: Mapping[str, cdk.Stack], **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: KeysStackPayload = self.payload
        self.keys: dict[str, PrimaryKey] = {}
        # Key ARNs by alias, for stacks of this account and region that need a key ARN (an S3 bucket's
        # default encryption): a cross-stack reference, which CDK writes as an output of this stack read with
        # Fn::GetStackOutput (the pinned feature flags make references weak: no export, no reader function).
        self.key_arns: dict[str, str] = {}
        for key in payload.primaries:
            self.keys[key.logical_id] = PrimaryKey(self, key.logical_id, key=key)
            self.key_arns[key.alias] = self.keys[key.logical_id].key_arn
        for replica in payload.replicas:
            primary_stack = dependencies[replica.primary_stack]
            assert isinstance(primary_stack, KeysStack), replica.primary_stack
            created = ReplicaKey(self, replica.logical_id, key=replica,
                                 primary_key_arn=primary_stack.keys[replica.primary_logical_id].key_arn)
            self.key_arns[replica.alias] = created.resource.attr_arn
        if payload.custom_store_keys:
            custom = CustomStoreKeys(self, "CustomStoreKeys", prefix=plan.name, keys=payload.custom_store_keys)
            for key in payload.custom_store_keys:
                self.key_arns[key.alias] = custom.key_arns[key.logical_id]
