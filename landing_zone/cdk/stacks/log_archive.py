"""LogArchiveStack (log-archive account, home region): log bucket, access-log bucket, logs key, reader role."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from landing_zone.cdk.constructs.log_archive_buckets import LogArchiveBuckets
from landing_zone.cdk.constructs.log_reader_role import LogReaderRole
from landing_zone.cdk.constructs.logs_key import LogsKey
from landing_zone.plan import Plan, StackPlan
from landing_zone.plan.logging import LogArchivePlan


class LogArchiveStack(cdk.Stack):
    def __init__(self, scope: Construct, *, plan: Plan, stack: StackPlan, **kwargs) -> None:
        super().__init__(scope, stack.name, stack_name=stack.name, description=stack.description,
                         env=cdk.Environment(account=stack.account_id, region=stack.region),
                         termination_protection=True, **kwargs)
        payload: LogArchivePlan = stack.payload
        for key, value in plan.tags:
            cdk.Tags.of(self).add(key, value)
        key = LogsKey(self, "LogsKey", plan=payload).key
        buckets = LogArchiveBuckets(self, "LogArchive", plan=payload, key=key)
        if payload.reader_account_id:
            LogReaderRole(self, "Reader", role_name=payload.reader_role_name,
                          reader_account_id=payload.reader_account_id,
                          buckets=(buckets.bucket, buckets.access_logs), key=key)
