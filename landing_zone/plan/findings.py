"""Findings at or above `security.notify_severity`, one EventBridge rule per service: the severity filter
lives in each event pattern, because every service writes severity its own way.

- GuardDuty: `detail.severity`, a number (LOW 1.0-3.9, MEDIUM 4.0-6.9, HIGH 7.0-8.9, CRITICAL 9.0-10.0).
- Security Hub: `detail.findings[].Severity.Label` (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL); only Security
  Hub's own control findings (ProductName "Security Hub"), new and active: the other services' findings
  reach Security Hub too, and have their own rule here.
- Macie: `detail.severity.description` (Low, Medium, High); no Macie finding is CRITICAL, so at CRITICAL
  the Macie rule is left out.
- IAM Access Analyzer: its findings carry no severity. Public access counts as HIGH (anyone on the
  internet), other external access as MEDIUM: at HIGH and CRITICAL only active public findings are sent.

The same patterns filter twice: on the delegated administrator's default bus in every region, where the
services publish (a rule forwards matches to the central bus), and on the central bus, where a rule per
service sends them to the security topic.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from landing_zone.blueprint.model import Blueprint

LEVELS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
GUARDDUTY_MINIMUM = {"LOW": 1, "MEDIUM": 4, "HIGH": 7, "CRITICAL": 9}
MACIE_LEVELS = {"LOW": "Low", "MEDIUM": "Medium", "HIGH": "High"}
# Rule names per service (and the blueprint's `security` key that turns it on).
SERVICES = (("guardduty", "guardduty"), ("securityhub", "security_hub"), ("macie", "macie"),
            ("access-analyzer", "access_analyzer"))


@dataclass(frozen=True)
class FindingRule:
    service: str          # guardduty | securityhub | macie | access-analyzer
    name: str             # the EventBridge rule name (the same on the default bus and on the central bus)
    pattern: str          # the event pattern, JSON with sorted keys

    @property
    def event_pattern(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.pattern))

    @property
    def logical_id(self) -> str:
        return "Findings" + "".join(part.capitalize() for part in self.service.split("-"))


def at_or_above(severity: str) -> list[str]:
    return list(LEVELS[LEVELS.index(severity):])


def finding_pattern(service: str, severity: str) -> dict[str, Any] | None:
    """The event pattern of one service's findings at or above `severity` (None: no finding can match)."""
    if service == "guardduty":
        return {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                "detail": {"severity": [{"numeric": [">=", GUARDDUTY_MINIMUM[severity]]}]}}
    if service == "securityhub":
        return {"source": ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported"],
                "detail": {"findings": {"ProductName": ["Security Hub"], "RecordState": ["ACTIVE"],
                                        "Severity": {"Label": at_or_above(severity)},
                                        "Workflow": {"Status": ["NEW"]}}}}
    if service == "macie":
        levels = [MACIE_LEVELS[s] for s in at_or_above(severity) if s in MACIE_LEVELS]
        return {"source": ["aws.macie"], "detail-type": ["Macie Finding"],
                "detail": {"severity": {"description": levels}}} if levels else None
    if service == "access-analyzer":
        detail: dict[str, Any] = {"status": ["ACTIVE"]}
        if LEVELS.index(severity) >= LEVELS.index("HIGH"):
            detail["isPublic"] = [True]
        return {"source": ["aws.access-analyzer"], "detail-type": ["Access Analyzer Finding"], "detail": detail}
    raise ValueError(f"no findings pattern for {service!r}")


def finding_rules(bp: Blueprint) -> tuple[FindingRule, ...]:
    """One rule per enabled service whose findings can reach the severity asked for."""
    security = bp.security
    rules = []
    for service, key in SERVICES:
        if getattr(security, key) is None:
            continue
        if service == "access-analyzer" and security.access_analyzer is not None \
                and not security.access_analyzer.external_access:
            continue       # the unused access analyzer's findings are a review list, not an alert
        pattern = finding_pattern(service, security.notify_severity)
        if pattern is not None:
            rules.append(FindingRule(service, f"{bp.name}-findings-{service}",
                                     json.dumps(pattern, sort_keys=True, separators=(",", ":"))))
    return tuple(rules)
