"""Checks of `security:`: the delegated administrator, service names, regions and limits."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.organization import Account
from landing_zone.blueprint.query import account_role, accounts_by_name
from landing_zone.blueprint.security_services import REGIONAL_SERVICES, security_services
from landing_zone.blueprint.suggest import suggest

SECURITY = ("security",)
UNUSED_ACCESS_DAYS = (1, 365)        # IAM Access Analyzer's UnusedAccessAge
SERVICE_TITLES = {"macie": "Amazon Macie", "inspector": "Amazon Inspector"}


def delegated_admin(bp: Blueprint) -> Account | None:
    """The account that administers the security services: the one named, else the audit account."""
    name = bp.security.delegated_admin
    if name is not None:
        return accounts_by_name(bp).get(name)
    return next((a for a in bp.organization.accounts if account_role(bp, a) == "audit"), None)


def delegated_admin_is_a_member_account(bp: Blueprint) -> Iterator[Issue]:
    """The delegated administrator is a declared member account, never the management account: Security
    Hub's central configuration refuses it, and AWS advises against administering from there."""
    name = bp.security.delegated_admin
    if name is None:
        return
    loc = SECURITY + ("delegated_admin",)
    accounts = accounts_by_name(bp)
    management = bp.organization.management_account_id
    if name == management or (name in accounts and accounts[name].id == management):
        yield Issue("security-delegated-admin-management",
                    f"delegated_admin {quote(name)} is the management account ({management})",
                    hint="name a member account, usually the one with role audit: the management account "
                         "cannot administer Security Hub's central configuration and should run nothing else",
                    loc=loc)
    elif name not in accounts:
        yield Issue("security-delegated-admin-unknown", f"delegated_admin {quote(name)} is not an account of "
                    "the blueprint", loc=loc, hint=suggest(name, accounts) + "; leave it out to use the audit "
                    "account (never the management account)")


def guardduty_features_are_known(bp: Blueprint) -> Iterator[Issue]:
    """GuardDuty protection plans by the names the blueprint knows."""
    if bp.security.guardduty is None:
        return
    known = security_services().guardduty_features
    for i, feature in enumerate(bp.security.guardduty.features):
        if feature not in known:
            yield Issue("security-guardduty-feature-unknown", f"GuardDuty feature {quote(feature)} is not known",
                        hint=suggest(feature, known), loc=SECURITY + ("guardduty", "features", i))


def security_hub_standards_are_known(bp: Blueprint) -> Iterator[Issue]:
    """Security Hub standards by the names the blueprint knows (each maps to one standards ARN)."""
    hub = bp.security.security_hub
    if hub is None:
        return
    known = security_services().standards
    for i, standard in enumerate(hub.standards):
        if standard not in known:
            yield Issue("security-hub-standard-unknown", f"Security Hub standard {quote(standard)} is not known",
                        hint=suggest(standard, known, show=8), loc=SECURITY + ("security_hub", "standards", i))


def security_hub_aggregates_in_a_governed_region(bp: Blueprint) -> Iterator[Issue]:
    """The aggregation region hosts the central configuration and links the other governed regions."""
    hub = bp.security.security_hub
    if hub is None or hub.aggregation_region is None or hub.aggregation_region in bp.governed_regions:
        return
    yield Issue("security-hub-aggregation-region-not-governed",
                f"aggregation_region {quote(hub.aggregation_region)} is not a governed region "
                f"({', '.join(sorted(bp.governed_regions))})",
                hint="aggregate into a governed region (the home region by default): the landing zone deploys "
                     "nothing, and no guardrail applies, outside them",
                loc=SECURITY + ("security_hub", "aggregation_region"))


def security_hub_has_the_config_baseline(bp: Blueprint) -> Iterator[Issue]:
    """Security Hub's controls read AWS Config: the baseline's recorders deliver to the log archive."""
    if bp.security.security_hub is None:
        return
    if any(account_role(bp, a) == "log-archive" for a in bp.organization.accounts):
        return
    yield Issue("security-hub-without-config",
                "security_hub needs the AWS Config baseline (a recorder in every account and governed region), "
                "which delivers to the log-archive account, and the blueprint has none",
                hint="give one account `role: log-archive`; Security Hub's controls evaluate AWS Config's "
                     "recordings and report every control as failed without them",
                loc=SECURITY + ("security_hub",))


def unused_access_days_are_accepted(bp: Blueprint) -> Iterator[Issue]:
    """IAM Access Analyzer tracks unused access for 1 to 365 days."""
    analyzer = bp.security.access_analyzer
    if analyzer is None or analyzer.unused_access_days is None:
        return
    low, high = UNUSED_ACCESS_DAYS
    if not low <= analyzer.unused_access_days <= high:
        yield Issue("security-unused-access-days",
                    f"unused_access_days {analyzer.unused_access_days} is outside {low}-{high}",
                    hint="IAM Access Analyzer's unused access age is 1 to 365 days (90 is common); leave it out "
                         "for no unused access analyzer",
                    loc=SECURITY + ("access_analyzer", "unused_access_days"))


def regional_services_run_in_the_governed_regions(bp: Blueprint) -> Iterator[Issue]:
    """Macie and Inspector do not run in every region: a warning names the regions they will skip."""
    data = security_services()
    for service in REGIONAL_SERVICES:
        if getattr(bp.security, service) is None:
            continue
        missing = sorted(r for r in set(bp.governed_regions) if not data.runs_in(service, r))
        if missing:
            yield Issue("security-service-region-unsupported",
                        f"{SERVICE_TITLES[service]} does not run in {', '.join(missing)} (regions it runs in, "
                        f"as of {data.regions_as_of}: {', '.join(sorted(data.regions[service]))}); it is "
                        "enabled in the other governed regions only",
                        hint="nothing to change if that is expected; if AWS added the region since, update "
                             "landing_zone/blueprint/data/security-services.yaml and its date",
                        loc=SECURITY + (service,), severity="warning")
