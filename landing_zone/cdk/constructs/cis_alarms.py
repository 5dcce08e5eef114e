"""CisAlarms: the CIS AWS Foundations monitoring metric filters on the trail's log group, each with
an alarm that notifies the security topic."""
from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_logs as logs
from constructs import Construct, IDependable

from landing_zone.plan.logging import CisAlarm


class CisAlarms(Construct):
    def __init__(self, scope: Construct, id_: str, *, alarms: tuple[CisAlarm, ...], log_group_name: str,
                 log_group: IDependable, namespace: str, topic_arn: str) -> None:
        super().__init__(scope, id_)
        for alarm in alarms:
            metric_filter = logs.CfnMetricFilter(
                self, f"{alarm.logical_id}Filter", log_group_name=log_group_name, filter_pattern=alarm.pattern,
                filter_name=alarm.alarm_name,
                metric_transformations=[logs.CfnMetricFilter.MetricTransformationProperty(
                    metric_namespace=namespace, metric_name=alarm.metric_name, metric_value="1")])
            metric_filter.node.add_dependency(log_group)
            cloudwatch.CfnAlarm(
                self, f"{alarm.logical_id}Alarm", alarm_name=alarm.alarm_name,
                alarm_description=f"CIS AWS Foundations {alarm.item}: {alarm.title}",
                namespace=namespace, metric_name=alarm.metric_name, statistic="Sum", period=300,
                evaluation_periods=1, threshold=1, comparison_operator="GreaterThanOrEqualToThreshold",
                treat_missing_data="notBreaching", alarm_actions=[topic_arn])
