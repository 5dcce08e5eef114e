"""LogArchiveStack (log-archive account, home region): log bucket, access-log bucket, logs key (unless
the blueprint's keys serve both the bucket and the trail), reader role."""
from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct

from landing_zone.cdk.constructs.log_archive_buckets import LogArchiveBuckets
from landing_zone.cdk.constructs.log_reader_role import LogReaderRole
from landing_zone.cdk.constructs.logs_key import LogsKey
from landing_zone.cdk.stacks.base import PlannedStack
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.logging import LogArchivePlan


class LogArchiveStack(PlannedStack):
    payload_type = LogArchivePlan
    # build_landing_zone passes the stacks this one depends on (already built) as `dependencies`.
    takes_dependencies = True

    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan,
                 dependencies: Mapping[str, cdk.Stack], **kwargs) -> None:
        super().__init__(scope, plan=plan, stack=stack, **kwargs)
        payload: LogArchivePlan = self.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        # The own logs key only when the plan found no blueprint key for the bucket or the trail.
        key = LogsKey(self, "LogsKey", plan=payload).key if payload.local_key else None
        if payload.bucket_key_stack:
            # The key ARN from the keys stack of this account and region: S3 default encryption
            # needs it (an alias would resolve in each writer's own account).
            keys = dependencies[payload.bucket_key_stack]
            alias = payload.bucket_key_arn.rsplit(":", 1)[1]
            bucket_key = kms.Key.from_key_arn(self, "BlueprintBucketKey", keys.key_arns[alias])
        else:
            bucket_key = key
        buckets = LogArchiveBuckets(self, "LogArchive", plan=payload, key=bucket_key)
        if payload.reader_account_id:
            LogReaderRole(self, "Reader", role_name=payload.reader_role_name, path=payload.reader_role_path,
                          reader_account_id=payload.reader_account_id, principals=payload.reader_principals,
                          buckets=(buckets.bucket, buckets.access_logs), key=key,
                          key_alias_arns=payload.blueprint_key_arns)
