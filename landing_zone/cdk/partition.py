"""The partition of a construct's stack, written literally into ARNs (every stack has a known region)."""
from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

from landing_zone.blueprint.regions import partition


def partition_of(scope: IConstruct) -> str:
    return partition(cdk.Stack.of(scope).region)
