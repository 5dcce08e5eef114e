"""The `logging:` section: log-archive bucket, organization trail, security notifications."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import Model

# Every IAM Identity Center role of the audit account: IAM Identity Center creates one per permission set
# assigned there, named AWSReservedSSO_<permission set>_<suffix> under this path (with the instance's
# region after it for newer instances); the suffix changes whenever the assignment is recreated.
DEFAULT_LOG_READERS = ("role/aws-reserved/sso.amazonaws.com/*",)


class ObjectLock(Model):
    """S3 Object Lock default retention on the log bucket (set at bucket creation, cannot be removed)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"] = Field(description="Retention mode. Required.")
    days: int = Field(ge=1, description="Default retention in days, at least 1. Required.")


class LogBucket(Model):
    """Lifecycle of the central log bucket."""

    retention_days: int = Field(default=3650, ge=1, description="Objects expire after this many days. "
                                "Default: 3650 (10 years).")
    glacier_after_days: int = Field(default=90, ge=1, description="Transition to Glacier after this many "
                                    "days; must be before expiry. Default: 90.")
    object_lock: ObjectLock | None = Field(default=None, description="Object Lock default retention. "
                                           "Default: off.")


class DataEvents(Model):
    """CloudTrail data events on the organization trail."""

    s3: bool = Field(default=False, description="Log S3 object-level events (CIS 3.8/3.9). Default: off.")
    lambda_: bool = Field(default=False, alias="lambda", description="Log Lambda invoke events. "
                          "Default: off.")


class Trail(Model):
    """The organization trail in the management account."""

    name: str = Field(default="organization-trail", description="Trail name, 3-128 characters. Default: "
                      "organization-trail.")
    cloudwatch_retention_days: int = Field(default=365, description="Retention of the trail's CloudWatch "
                                           "Logs group (a value CloudWatch Logs accepts). Default: 365.")
    data_events: DataEvents = Field(default_factory=DataEvents, description="Data events. Default: none.")
    insights: bool = Field(default=False, description="CloudTrail Insights. Default: off.")


class Notifications(Model):
    """Who hears about security events, and which API calls raise them."""

    emails: list[str] = Field(default_factory=list, description="Email subscriptions of the security "
                              "topic. Default: none (the topic exists without subscribers).")
    cis_alarms: bool = Field(default=True, description="CIS AWS Foundations metric filters and alarms. "
                             "Default: on.")
    events: list[str] = Field(default_factory=list, description="CloudTrail event names forwarded in "
                              "near real time through EventBridge. Default: none.")


class Logging(Model):
    """Central logging: everything lands in the log-archive account."""

    bucket: LogBucket = Field(default_factory=LogBucket, description="Log bucket. Default: 3650 days, "
                              "Glacier after 90, no Object Lock.")
    trail: Trail = Field(default_factory=Trail, description="Organization trail. Default: "
                       "organization-trail, 365-day log group, no data events, no Insights.")
    notifications: Notifications = Field(default_factory=Notifications, description="Security "
                                         "notifications. Default: CIS alarms on, no emails, no events.")
    readers: list[str] = Field(default_factory=lambda: list(DEFAULT_LOG_READERS), description="Principals "
                               "of the audit account that may assume the log archive's read-only role "
                               "(role/readers/<name>-log-reader in the log-archive account), written "
                               "as the part of their ARN after the account: role/<path>/<name>, '*' and '?' "
                               "allowed. The role trusts the audit account for these principals only "
                               "(aws:PrincipalArn). Default: [role/aws-reserved/sso.amazonaws.com/*], the "
                               "audit account's IAM Identity Center roles.")
    invited_accounts: list[str] = Field(default_factory=list, description="Names of accounts that "
                                        "joined the organization by invitation: the account baseline "
                                        "creates OrganizationAccountAccessRole (trusting the management "
                                        "account) in them, which Organizations only creates in accounts "
                                        "it creates itself. Each needs an id. Default: none.")
