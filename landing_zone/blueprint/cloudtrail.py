"""What CloudTrail, EventBridge and CloudWatch Logs accept: event names, trail names, retention values.

Shared by the logging checks (which reject what AWS would reject at deploy time) and the plan
(which turns the accepted names into EventBridge patterns).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

API_CALL = "AWS API Call via CloudTrail"
CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail"


@dataclass(frozen=True)
class KnownEvent:
    """A CloudTrail event the fast path can forward, and how EventBridge recognizes it."""

    name: str                       # what the blueprint writes in notifications.events
    event_source: str               # CloudTrail eventSource, e.g. dynamodb.amazonaws.com
    event_name: str                 # CloudTrail eventName
    detail_type: str = API_CALL
    root_only: bool = False         # only when the caller is the root user

    @property
    def source(self) -> str:
        """EventBridge `source`: aws.<service> (the sign-in service is aws.signin)."""
        return "aws." + self.event_source.split(".", 1)[0]

    def pattern(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"eventSource": [self.event_source], "eventName": [self.event_name]}
        if self.root_only:
            detail["userIdentity"] = {"type": ["Root"]}
        return {"source": [self.source], "detail-type": [self.detail_type], "detail": detail}


def _api(source: str, *names: str) -> list[KnownEvent]:
    return [KnownEvent(n, f"{source}.amazonaws.com", n) for n in names]


# Security-relevant CloudTrail events by name. Unknown names are blueprint errors: EventBridge
# accepts any pattern, so a typo would silently never fire.
KNOWN_EVENTS: dict[str, KnownEvent] = {e.name: e for e in [
    *_api("dynamodb", "DeleteTable", "DeleteBackup", "UpdateContinuousBackups"),
    *_api("sts", "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken"),
    *_api("ec2", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
          "RevokeSecurityGroupIngress", "CreateSecurityGroup", "DeleteSecurityGroup",
          "CreateNetworkAclEntry", "DeleteNetworkAcl", "CreateRoute", "DeleteRoute",
          "AttachInternetGateway", "CreateVpcPeeringConnection", "ModifyVpcAttribute",
          "DisableEbsEncryptionByDefault", "ModifySnapshotAttribute", "ModifyImageAttribute"),
    *_api("cloudtrail", "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"),
    *_api("organizations", "LeaveOrganization", "RemoveAccountFromOrganization", "DetachPolicy",
          "DeletePolicy", "UpdatePolicy", "DisablePolicyType", "InviteAccountToOrganization"),
    *_api("iam", "CreateUser", "CreateAccessKey", "DeleteRolePermissionsBoundary",
          "AttachUserPolicy", "PutUserPolicy", "CreateLoginProfile", "DeactivateMFADevice",
          "UpdateAssumeRolePolicy"),
    *_api("kms", "DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"),
    *_api("s3", "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketPublicAccessBlock",
          "DeleteBucketPublicAccessBlock", "PutBucketAcl"),
    *_api("config", "StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel"),
    *_api("guardduty", "DeleteDetector", "DisassociateFromMasterAccount"),
    *_api("securityhub", "DisableSecurityHub"),
    *_api("logs", "DeleteLogGroup", "DeleteLogStream"),
    KnownEvent("ConsoleLogin", "signin.amazonaws.com", "ConsoleLogin", CONSOLE_SIGN_IN),
    KnownEvent("RootConsoleLogin", "signin.amazonaws.com", "ConsoleLogin", CONSOLE_SIGN_IN, root_only=True),
]}

# CloudTrail trail names: 3-128 characters; letters, digits, '.', '_' and '-'; start and end with a
# letter or digit; no two of '.', '_', '-' next to each other; not an IP address.
TRAIL_NAME_LENGTH = (3, 128)
TRAIL_NAME_CHARACTERS = re.compile(r"^[A-Za-z0-9._-]+$")
TRAIL_NAME_ADJACENT = re.compile(r"[._-]{2}")
IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def trail_name_problems(name: str) -> list[str]:
    low, high = TRAIL_NAME_LENGTH
    problems = []
    if not low <= len(name) <= high:
        problems.append(f"it has {len(name)} characters; allowed: {low}-{high}")
    if not TRAIL_NAME_CHARACTERS.match(name):
        problems.append("only letters, digits, '.', '_' and '-' are allowed")
    elif not (name[:1].isalnum() and name[-1:].isalnum()):
        problems.append("it must start and end with a letter or digit")
    if TRAIL_NAME_ADJACENT.search(name):
        problems.append("'.', '_' and '-' may not be next to each other")
    if IP_ADDRESS.match(name):
        problems.append("it may not look like an IP address")
    return problems


# The values AWS::Logs::LogGroup RetentionInDays accepts.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                      2192, 2557, 2922, 3288, 3653)
