"""Findings patterns: each service's severity format filtered at or above notify_severity."""
from __future__ import annotations

import pytest

from landing_zone.plan.findings import finding_pattern


@pytest.mark.parametrize("service, severity, detail", [
    ("guardduty", "LOW", {"severity": [{"numeric": [">=", 1]}]}),
    ("guardduty", "MEDIUM", {"severity": [{"numeric": [">=", 4]}]}),
    ("guardduty", "HIGH", {"severity": [{"numeric": [">=", 7]}]}),
    ("guardduty", "CRITICAL", {"severity": [{"numeric": [">=", 9]}]}),
    ("securityhub", "HIGH", {"findings": {"ProductName": ["Security Hub"], "RecordState": ["ACTIVE"],
                                          "Severity": {"Label": ["HIGH", "CRITICAL"]},
                                          "Workflow": {"Status": ["NEW"]}}}),
    ("securityhub", "LOW", {"findings": {"ProductName": ["Security Hub"], "RecordState": ["ACTIVE"],
                                         "Severity": {"Label": ["LOW", "MEDIUM", "HIGH", "CRITICAL"]},
                                         "Workflow": {"Status": ["NEW"]}}}),
    ("macie", "MEDIUM", {"severity": {"description": ["Medium", "High"]}}),
    ("macie", "HIGH", {"severity": {"description": ["High"]}}),
    ("access-analyzer", "MEDIUM", {"status": ["ACTIVE"]}),
    ("access-analyzer", "HIGH", {"status": ["ACTIVE"], "isPublic": [True]}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_severity_lives_in_the_pattern(service, severity, detail):
    assert finding_pattern(service, severity)["detail"] == detail


@pytest.mark.parametrize("service, source, detail_type", [
    ("guardduty", "aws.guardduty", "GuardDuty Finding"),
    ("securityhub", "aws.securityhub", "Security Hub Findings - Imported"),
    ("macie", "aws.macie", "Macie Finding"),
    ("access-analyzer", "aws.access-analyzer", "Access Analyzer Finding"),
])
def test_each_pattern_names_its_service(service, source, detail_type):
    pattern = finding_pattern(service, "HIGH")
    assert (pattern["source"], pattern["detail-type"]) == ([source], [detail_type])


def test_no_macie_finding_is_critical_and_unknown_services_fail():
    assert finding_pattern("macie", "CRITICAL") is None
    with pytest.raises(ValueError, match="no findings pattern for 'inspector'"):
        finding_pattern("inspector", "HIGH")
