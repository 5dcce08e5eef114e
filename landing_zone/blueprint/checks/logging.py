"""Checks of the `logging:` section: lifecycle, trail name, log retention, notifications, invited accounts,
log readers."""
from __future__ import annotations

import re
from collections.abc import Iterator

from landing_zone.blueprint.checks.accounts import EMAIL_PATTERN
from landing_zone.blueprint.cloudtrail import KNOWN_EVENTS, LOG_RETENTION_DAYS, trail_name_problems
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.suggest import suggest

BUCKET_LOC = ("logging", "bucket")
TRAIL_LOC = ("logging", "trail")
NOTIFICATIONS_LOC = ("logging", "notifications")
# role/<path>/<name> after the account in an IAM ARN: IAM's path and name characters, plus the wildcards
# aws:PrincipalArn (ArnLike) accepts; a path is at most 512 characters and a name 64.
READER_PATTERN = re.compile(r"^role/(?:[A-Za-z0-9_+=,.@*?-]+/)*[A-Za-z0-9_+=,.@*?-]+$")
READER_MAX = 5 + 512 + 64


def log_bucket_expiry_follows_glacier_transition(bp: Blueprint) -> Iterator[Issue]:
    """S3 rejects a lifecycle rule whose expiration is not later than its transition."""
    bucket = bp.logging.bucket
    if bucket.retention_days <= bucket.glacier_after_days:
        yield Issue("log-bucket-expiry-before-transition",
                    f"objects expire after {bucket.retention_days} days, not after the Glacier transition "
                    f"at {bucket.glacier_after_days} days; S3 requires expiry later than the transition",
                    hint="raise retention_days or lower glacier_after_days",
                    loc=BUCKET_LOC + ("retention_days",), related=BUCKET_LOC + ("glacier_after_days",))
    lock = bucket.object_lock
    if lock is not None and lock.days > bucket.retention_days:
        yield Issue("log-bucket-lock-outlives-retention",
                    f"Object Lock keeps objects {lock.days} days, longer than retention_days "
                    f"{bucket.retention_days}; the lifecycle cannot expire them before the lock ends",
                    hint="make object_lock.days at most retention_days",
                    loc=BUCKET_LOC + ("object_lock", "days"))


def trail_name_is_valid(bp: Blueprint) -> Iterator[Issue]:
    """CloudTrail's naming rules, checked before a deploy fails on them."""
    name = bp.logging.trail.name
    problems = trail_name_problems(name)
    if problems:
        yield Issue("trail-name-invalid", f"trail name {name!r} is not accepted by CloudTrail: "
                    + "; ".join(problems),
                    hint="use 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter "
                         "or digit, e.g. organization-trail",
                    loc=TRAIL_LOC + ("name",))


def log_retention_is_accepted(bp: Blueprint) -> Iterator[Issue]:
    """CloudWatch Logs accepts only its fixed list of retention days."""
    days = bp.logging.trail.cloudwatch_retention_days
    if days not in LOG_RETENTION_DAYS:
        nearest = min(LOG_RETENTION_DAYS, key=lambda d: (abs(d - days), d))
        yield Issue("log-retention-invalid",
                    f"CloudWatch Logs does not accept a retention of {days} days; allowed: "
                    + ", ".join(map(str, LOG_RETENTION_DAYS)),
                    hint=f"the nearest accepted value is {nearest}",
                    loc=TRAIL_LOC + ("cloudwatch_retention_days",))


def notification_emails_are_valid_and_unique(bp: Blueprint) -> Iterator[Issue]:
    """SNS rejects a malformed endpoint; a repeated one would subscribe the same mailbox twice."""
    seen: dict[str, int] = {}
    for i, email in enumerate(bp.logging.notifications.emails):
        loc = NOTIFICATIONS_LOC + ("emails", i)
        if not EMAIL_PATTERN.match(email):
            yield Issue("notification-email-invalid", f"{email!r} is not an email address (name@domain.tld)",
                        hint="use a mailbox your security team reads, e.g. security@example.com", loc=loc)
        elif email.lower() in seen:
            yield Issue("notification-email-duplicate", f"{email!r} is already listed",
                        hint="list each address once", loc=loc,
                        related=NOTIFICATIONS_LOC + ("emails", seen[email.lower()]))
        else:
            seen[email.lower()] = i


def notification_events_are_known(bp: Blueprint) -> Iterator[Issue]:
    """EventBridge accepts any pattern, so a misspelt event name would never fire: reject it here."""
    seen: set[str] = set()
    for i, name in enumerate(bp.logging.notifications.events):
        loc = NOTIFICATIONS_LOC + ("events", i)
        if name not in KNOWN_EVENTS:
            yield Issue("notification-event-unknown", f"event {name!r} is not a CloudTrail event the "
                        "landing zone knows how to forward", hint=suggest(name, KNOWN_EVENTS, show=8), loc=loc)
        elif name in seen:
            yield Issue("notification-event-duplicate", f"event {name!r} is already listed",
                        hint="list each event once", loc=loc)
        seen.add(name)


def invited_accounts_exist(bp: Blueprint) -> Iterator[Issue]:
    """Accounts that get the OrganizationAccountAccessRole from the baseline are declared."""
    accounts = {a.name: a for a in bp.organization.accounts}
    for i, name in enumerate(bp.logging.invited_accounts):
        loc = ("logging", "invited_accounts", i)
        if name not in accounts:
            yield Issue("invited-account-unknown", f"account {name!r} does not exist",
                        hint=suggest(name, accounts), loc=loc)
        elif accounts[name].id is None:
            yield Issue("invited-account-without-id", f"invited account {name!r} has no id",
                        hint="an invited account already exists: record its id (`lz sync` or the ids "
                             "file) so the baseline can recognize it", loc=loc)


def log_readers_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """The log archive's read-only role trusts exactly these roles of the audit account (aws:PrincipalArn):
    IAM role paths after the account, so they can never name another account or an IAM user."""
    readers = bp.logging.readers
    if not readers:
        yield Issue("log-readers-empty", "logging.readers is empty: nobody could assume the log archive's "
                    "read-only role", hint="leave `readers` out for the audit account's IAM Identity Center "
                    "roles (role/aws-reserved/sso.amazonaws.com/*), or name the roles that read the logs",
                    loc=("logging", "readers"))
    seen: dict[str, int] = {}
    for i, reader in enumerate(readers):
        loc = ("logging", "readers", i)
        if reader.startswith("arn:"):
            yield Issue("log-reader-invalid", f"{reader!r} is a whole ARN; a reader is written as the part "
                        "after the account, which is always the audit account",
                        hint=f"write {reader.split(':', 5)[-1]!r}" if reader.count(":") >= 5
                        else "write role/<path>/<name>, e.g. role/aws-reserved/sso.amazonaws.com/*", loc=loc)
        elif not reader.startswith("role/"):
            yield Issue("log-reader-invalid", f"{reader!r} is not a role (role/<path>/<name>); only roles of "
                        "the audit account may read the log archive",
                        hint="IAM users carry long-lived keys: let people read through IAM Identity Center "
                             "roles (role/aws-reserved/sso.amazonaws.com/*) or another role", loc=loc)
        elif len(reader) > READER_MAX or not READER_PATTERN.match(reader):
            yield Issue("log-reader-invalid", f"{reader[:80]!r} is not an IAM role path: allowed are "
                        "role/<path>/<name> with letters, digits, +=,.@_- and the wildcards * and ?, "
                        f"at most {READER_MAX} characters, no empty path segment",
                        hint="e.g. role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*",
                        loc=loc)
        elif reader in seen:
            yield Issue("log-reader-duplicate", f"{reader!r} is already listed", hint="list each reader once",
                        loc=loc, related=("logging", "readers", seen[reader]))
        else:
            seen[reader] = i
