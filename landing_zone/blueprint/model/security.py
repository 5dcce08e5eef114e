"""The `security:` section: the organization's security services, run from one delegated administrator."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import ROOT, Model, Region, Targets

Severity = Literal["LOW", "MEDIUM", "HIGH", "CRITICAL"]
InspectorScan = Literal["ec2", "ecr", "lambda", "lambda_code"]


class GuardDuty(Model):
    """Amazon GuardDuty in every account and governed region, members enabled by the administrator."""

    features: list[str] = Field(default_factory=list, description="Protection plans turned on for every "
                                "account: s3_data_events, eks_audit_logs, ebs_malware_protection, "
                                "rds_login_events, runtime_monitoring, lambda_network_logs. Default: none "
                                "(foundational threat detection only).")


class SecurityHub(Targets):
    """AWS Security Hub under central configuration: one configuration policy associated with `units`
    (and `accounts`), findings aggregated into one region."""

    units: list[str] = Field(default_factory=lambda: [ROOT], description="OU paths (or Root) the "
                             "configuration policy is associated with. Default: [Root].")
    standards: list[str] = Field(default_factory=lambda: ["aws-foundational-security-best-practices"],
                                 description="Standards the policy enables, e.g. "
                                 "aws-foundational-security-best-practices, cis-aws-foundations-benchmark-v3, "
                                 "nist-800-53-r5, pci-dss-v4. Default: "
                                 "[aws-foundational-security-best-practices].")
    aggregation_region: Region | None = Field(default=None, description="Region findings from every other "
                                              "governed region are aggregated into; central configuration "
                                              "is managed there. A governed region. Default: home_region.")


class AccessAnalyzer(Model):
    """IAM Access Analyzer organization analyzers in the delegated administrator account."""

    external_access: bool = Field(default=True, description="An ORGANIZATION analyzer (resources shared "
                                  "outside the organization) in every governed region. Default: on.")
    unused_access_days: int | None = Field(default=None, description="An ORGANIZATION_UNUSED_ACCESS "
                                           "analyzer in the home region reporting access unused for this many "
                                           "days, 1-365. Default: none (no unused access analyzer).")


class Macie(Model):
    """Amazon Macie in every account of the supported governed regions (new accounts automatically)."""


class Detective(Model):
    """Amazon Detective behavior graphs in the delegated administrator (new accounts join automatically)."""


def _default_scans() -> list[InspectorScan]:
    return ["ec2", "ecr", "lambda"]


class Inspector(Model):
    """Amazon Inspector scans in every account of the supported governed regions (new accounts
    automatically)."""

    scans: list[InspectorScan] = Field(default_factory=_default_scans, description=
                                       "Scan types turned on for new accounts: ec2, ecr, lambda, lambda_code. "
                                       "Default: [ec2, ecr, lambda].")


class Security(Model):
    """Security services switched on organization-wide from one delegated administrator account; a
    service whose key is absent stays off."""

    delegated_admin: str | None = Field(default=None, description="Name of the account that administers "
                                        "every service below; never the management account. Default: the "
                                        "account with role audit.")
    guardduty: GuardDuty | None = Field(default=None, description="Amazon GuardDuty. Default: off.")
    security_hub: SecurityHub | None = Field(default=None, description="AWS Security Hub (needs the AWS "
                                             "Config baseline). Default: off.")
    access_analyzer: AccessAnalyzer | None = Field(default=None, description="IAM Access Analyzer. "
                                                   "Default: off.")
    macie: Macie | None = Field(default=None, description="Amazon Macie. Default: off.")
    detective: Detective | None = Field(default=None, description="Amazon Detective. Default: off.")
    inspector: Inspector | None = Field(default=None, description="Amazon Inspector. Default: off.")
    notify_severity: Severity = Field(default="HIGH", description="Findings of GuardDuty, Security Hub, "
                                      "Macie and Access Analyzer at or above this severity go to the audit "
                                      "account's security topic through the central event bus. Default: HIGH.")

    def enabled(self) -> tuple[str, ...]:
        """The services switched on, in a fixed order (security_services.SERVICES)."""
        order = ("guardduty", "security_hub", "access_analyzer", "macie", "detective", "inspector")
        return tuple(name for name in order if getattr(self, name) is not None)
