"""Checks of the `logging:` section: lifecycle, trail name, log retention, notifications, invited accounts."""
from __future__ import annotations

from typing import Iterator

from landing_zone.blueprint.checks.accounts import EMAIL_PATTERN
from landing_zone.blueprint.cloudtrail import KNOWN_EVENTS, LOG_RETENTION_DAYS, trail_name_problems
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.suggest import suggest

BUCKET_LOC = ("logging", "bucket")
TRAIL_LOC = ("logging", "trail")
NOTIFICATIONS_LOC = ("logging", "notifications")


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
