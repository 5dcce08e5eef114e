"""KeysStack (a key owner's account, one region): primary keys and replicas of primaries elsewhere."""
from __future__ import annotations

from typing import Mapping

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.custom_store_key import CustomStoreKeys
from landing_zone.cdk.constructs.primary_key import PrimaryKey
from landing_zone.cdk.constructs.replica_key import ReplicaKey
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.keys import KeysStackPayload


class KeysStack(PlannedStack):
    # build_landing_zone passes the stacks this one depends on (already built) as `dependencies`.
    takes_dependencies = True

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan,
                 dependencies: Mapping[str, cdk.Stack], **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, cross_region_references=True, **kwargs)
        payload: KeysStackPayload = stack.payload
        self.keys: dict[str, PrimaryKey] = {}
        for key in payload.primaries:
            self.keys[key.logical_id] = PrimaryKey(self, key.logical_id, key=key)
        for replica in payload.replicas:
            primary_stack = dependencies[replica.primary_stack]
            assert isinstance(primary_stack, KeysStack), replica.primary_stack
            ReplicaKey(self, replica.logical_id, key=replica,
                       primary_key_arn=primary_stack.keys[replica.primary_logical_id].key_arn)
        if payload.custom_store_keys:
            CustomStoreKeys(self, "CustomStoreKeys", prefix=plan.name, keys=payload.custom_store_keys)
