"""The `security` component: the management account registers the delegated administrator of every
enabled service (stack `<name>-security-admin-<region>`), then the delegated administrator switches each
service on organization-wide (stack `<name>-security-services-<region>`), in every governed region.

Registration comes first: the services stacks depend on the admin stack of their region, and they sit in
a later deploy phase (plan/phases.py). Nothing here ever disables a service: the handlers do nothing on
delete, and the native resources that would (Security Hub's delegated admin and central configuration,
Detective's organization admin, the analyzers) are retained. Deregistering is a manual step
(docs/security-services.md, "Manual, one-time steps").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from landing_zone.blueprint.checks.security import delegated_admin
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.security_services import security_services
from landing_zone.plan.component import ComponentResult, member_stack
from landing_zone.plan.findings import FindingRule, finding_rules
from landing_zone.plan.model import Pending, Plan, StackPlan
from landing_zone.plan.names import logical_id, stack_name
from landing_zone.plan.shared import (
    PROVIDER_RESOURCES,
    partition,
    regions_home_first,
    role_account,
    security_bus_arn,
)
from landing_zone.plan.targets import Target, Tree

ADMIN = "security-admin"
SERVICES = "security-services"
# Services whose delegated administrator only an API registers (the delegated_admin handler). Security
# Hub and Detective have native resources.
REGISTERED = ("guardduty", "macie", "inspector", "access-analyzer")
INSPECTOR_SCANS = {"ec2": "ec2", "ecr": "ecr", "lambda": "lambda", "lambda_code": "lambdaCode"}


@dataclass(frozen=True)
class SecurityAdminPayload:
    """The management account's part in one region: who administers each service."""

    prefix: str                         # the blueprint name: function names
    admin_account_id: str
    registrations: tuple[str, ...]      # services the delegated_admin handler registers in this region
    security_hub: bool                  # AWS::SecurityHub::DelegatedAdmin (the aggregation region)
    detective: bool                     # AWS::Detective::OrganizationAdmin


@dataclass(frozen=True)
class AutoEnable:
    """One service switched on for the organization's accounts by the organization_auto_enable handler."""

    service: str                        # guardduty | macie | inspector | detective
    settings: tuple[tuple[str, tuple[str, ...]], ...] = ()   # handler properties (lists of strings)

    @property
    def logical_id(self) -> str:
        return logical_id("AutoEnable", self.service)


@dataclass(frozen=True)
class Analyzer:
    name: str
    type: str                           # ORGANIZATION | ORGANIZATION_UNUSED_ACCESS
    unused_access_days: int | None = None

    @property
    def logical_id(self) -> str:
        return logical_id("Analyzer", self.name)


@dataclass(frozen=True)
class PolicyTarget:
    target_type: str                    # ROOT | ORGANIZATIONAL_UNIT | ACCOUNT
    target_id: str
    label: str

    @property
    def logical_id(self) -> str:
        return logical_id("PolicyAssociation", self.label)


@dataclass(frozen=True)
class SecurityHubPlan:
    policy_name: str
    standards: tuple[str, ...]          # standards ARNs
    linked_regions: tuple[str, ...]     # governed regions aggregated into this one
    targets: tuple[PolicyTarget, ...]


@dataclass(frozen=True)
class SecurityServicesPayload:
    """The delegated administrator's part in one region."""

    prefix: str
    region: str
    auto_enable: tuple[AutoEnable, ...] = ()
    analyzers: tuple[Analyzer, ...] = ()
    security_hub: SecurityHubPlan | None = None
    findings: tuple[FindingRule, ...] = ()      # forwarded from this region's default bus to the central bus
    bus_arn: str = ""
    forwarder_role_name: str = ""


def admin_resources(p: SecurityAdminPayload) -> int:
    return (PROVIDER_RESOURCES + len(p.registrations) if p.registrations else 0) + p.security_hub + p.detective


def services_resources(p: SecurityServicesPayload) -> int:
    hub = 3 + len(p.security_hub.targets) if p.security_hub else 0   # aggregator, configuration, policy
    return ((PROVIDER_RESOURCES + len(p.auto_enable)) if p.auto_enable else 0) + len(p.analyzers) + hub + \
        ((1 + len(p.findings)) if p.findings else 0)


def forwarder_role_name(name: str, region: str) -> str:
    return f"{name}-findings-forwarder-{region}"


def plan_security(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    bp = loaded.model
    result = ComponentResult()
    enabled = bp.security.enabled()
    admin = delegated_admin(bp)
    if not enabled or admin is None:
        return result      # an unknown or missing administrator is reported by the checks
    data = security_services()
    hub = bp.security.security_hub
    aggregation = (hub.aggregation_region or bp.home_region) if hub else None
    audit = role_account(bp, "audit")
    bus = security_bus_arn(bp, audit.id) if audit and audit.id else ""
    rules = finding_rules(bp) if bus else ()
    if not bus and finding_rules(bp):
        result.pending.append(Pending("security findings forwarding", "the audit account has no id yet, so "
                                      "the central event bus cannot be named; run `lz sync` after it is created"))
    for region in regions_home_first(bp):
        def runs(service: str, region: str = region) -> bool:
            return service in enabled and data.runs_in(service, region)
        # Access Analyzer's administrator is an Organizations registration: global, made once.
        registrations = tuple(s for s in REGISTERED if runs(s.replace("-", "_"))
                              and (s != "access-analyzer" or region == bp.home_region))
        admin_payload = SecurityAdminPayload(bp.name, admin.id or "", registrations,
                                             security_hub=region == aggregation, detective=runs("detective"))
        admin_stack = None
        if admin_resources(admin_payload):
            if admin.id:
                admin_stack = StackPlan(
                    name=stack_name(bp.name, ADMIN, region), component=ADMIN, account_id=plan.management_account_id,
                    region=region, description=f"{bp.name} landing zone: delegated administrator of the security "
                    f"services in {region}", resources=admin_resources(admin_payload), payload=admin_payload)
                result.stacks.append(admin_stack)
            else:
                result.pending.append(Pending(f"stack {stack_name(bp.name, ADMIN, region)}",
                                              f"the delegated administrator {admin.name} has no id yet; run `lz sync`"))
        payload = SecurityServicesPayload(
            prefix=bp.name, region=region, auto_enable=_auto_enable(bp, runs),
            analyzers=_analyzers(bp, region), security_hub=_security_hub(bp, plan, region, aggregation, result),
            findings=tuple(r for r in rules if _publishes(bp, r.service, region, aggregation, runs)),
            bus_arn=bus, forwarder_role_name=forwarder_role_name(bp.name, region))
        if services_resources(payload):
            member_stack(plan, result, account=admin.name, component=SERVICES, region=region,
                         description=f"{bp.name} landing zone: security services for the organization in {region}",
                         resources=services_resources(payload), payload=payload,
                         depends_on=(admin_stack.name,) if admin_stack else ())
    return result


def _auto_enable(bp: Blueprint, runs: Callable[[str], bool]) -> tuple[AutoEnable, ...]:
    security, out = bp.security, []
    if runs("guardduty"):
        assert security.guardduty is not None       # runs only what the blueprint enables
        features = [security_services().guardduty_features[f] for f in sorted(set(security.guardduty.features))
                    if f in security_services().guardduty_features]
        out.append(AutoEnable("guardduty", (("Features", tuple(f.feature for f in features)),
                                            ("AdditionalConfiguration", tuple(a for f in features for a in f.additional)))))
    if runs("macie"):
        out.append(AutoEnable("macie"))
    if runs("inspector"):
        assert security.inspector is not None
        out.append(AutoEnable("inspector", (("Scans", tuple(sorted(INSPECTOR_SCANS[s]
                                                                  for s in set(security.inspector.scans)))),)))
    if runs("detective"):
        out.append(AutoEnable("detective"))
    return tuple(out)


def _analyzers(bp: Blueprint, region: str) -> tuple[Analyzer, ...]:
    analyzer = bp.security.access_analyzer
    if analyzer is None:
        return ()
    out = []
    if analyzer.external_access:
        out.append(Analyzer(f"{bp.name}-organization", "ORGANIZATION"))
    # IAM is global: one unused access analyzer, in the home region.
    if analyzer.unused_access_days is not None and region == bp.home_region:
        out.append(Analyzer(f"{bp.name}-organization-unused-access", "ORGANIZATION_UNUSED_ACCESS",
                            analyzer.unused_access_days))
    return tuple(out)


def _security_hub(bp: Blueprint, plan: Plan, region: str, aggregation: str | None,
                  result: ComponentResult) -> SecurityHubPlan | None:
    hub = bp.security.security_hub
    if hub is None or region != aggregation:
        return None
    log_archive = role_account(bp, "log-archive")
    if log_archive is None or not log_archive.id:
        result.pending.append(Pending("Security Hub central configuration", "it waits for the AWS Config baseline, "
                                      "which waits for the log-archive account's id; run `lz sync`"))
        return None
    targets = []
    for target in sorted(set(Tree(bp).of(hub))):
        resolved = _policy_target(plan, target)
        if resolved is None:
            result.pending.append(Pending(f"Security Hub policy association with {target.label()}",
                                          "it has no id yet; run `lz sync` after it is created"))
        else:
            targets.append(resolved)
    standards = tuple(sorted(security_services().standard_arn(s, partition(region), region)
                             for s in set(hub.standards) if s in security_services().standards))
    return SecurityHubPlan(f"{bp.name}-security-hub", standards,
                           tuple(r for r in regions_home_first(bp) if r != region), tuple(targets))


def _policy_target(plan: Plan, target: Target) -> PolicyTarget | None:
    if target.kind == "root":
        return PolicyTarget("ROOT", plan.root_id, ROOT)
    if target.kind == "ou":
        unit = plan.unit(target.ref)
        return PolicyTarget("ORGANIZATIONAL_UNIT", unit.id, f"ou:{plan.created(target.ref)}") if unit.id else None
    account = plan.account(target.ref)
    return PolicyTarget("ACCOUNT", account.id, f"account:{account.key}") if account.id else None


def _publishes(bp: Blueprint, service: str, region: str, aggregation: str | None,
               runs: Callable[[str], bool]) -> bool:
    """Whether the service's findings reach the delegated administrator's default bus in this region."""
    if service == "securityhub":
        return region == aggregation      # every linked region's findings arrive there
    if service == "access-analyzer":
        return True                       # the organization analyzer runs in every governed region
    return runs(service)
