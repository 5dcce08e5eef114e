"""The guardrail matrix states and the SCP budget, against the plan they are read from."""
from __future__ import annotations

import pytest

from landing_zone.catalog import load_catalog
from landing_zone.policy.document import minify
from landing_zone.report.guardrails import SIZE_LIMIT, SLOT_LIMIT
from tests.helpers import minimal, write
from tests.unit.report.common import report_for, shipped


def _cell(report, control: str, column: str) -> str:
    row = next(r for r in report.matrix.rows if r.id == control)
    return row.cells[report.matrix.columns.index(column)]


def _blueprint(tmp_path, guardrails):
    data = minimal()
    data["organization"]["units"].append({"name": "Sandbox"})
    data["guardrails"] = guardrails
    return report_for(write(tmp_path, data))[2]


MANDATORY = "AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED"
SR_PREVENTIVE = "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS"
ELECTIVE = "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA"
SANDBOX_SSH_OFF = {"enable": [{"level": "strongly-recommended", "units": ["Root"]}],
                   "disable": [{"control": "AWS-GR_RESTRICTED_SSH", "units": ["Sandbox"]}]}
CASES = [
    # (id, guardrails section, control, column, expected state)
    ("mandatory-everywhere", {}, MANDATORY, "Workloads/Prod", "mandatory"),
    ("mandatory-at-root", {}, MANDATORY, "Root", "mandatory"),
    ("not-enabled", {}, SR_PREVENTIVE, "Root", "off"),
    ("level-at-root-here", {"enable": [{"level": "strongly-recommended", "units": ["Root"]}]},
     SR_PREVENTIVE, "Root", "here"),
    ("level-at-root-inherited", {"enable": [{"level": "strongly-recommended", "units": ["Root"]}]},
     SR_PREVENTIVE, "Workloads/Prod", "inherited"),
    ("disabled-on-ou", SANDBOX_SSH_OFF, "AWS-GR_RESTRICTED_SSH", "Sandbox", "disabled"),
    ("root-partial-when-one-ou-disables", SANDBOX_SSH_OFF, "AWS-GR_RESTRICTED_SSH", "Root", "partial"),
    ("sibling-attached-here", SANDBOX_SSH_OFF, "AWS-GR_RESTRICTED_SSH", "Security", "here"),
    ("control-on-child-parent-partial", {"enable": [{"control": ELECTIVE, "units": ["Workloads/Prod"]}]},
     ELECTIVE, "Workloads", "partial"),
    ("control-on-child-here", {"enable": [{"control": ELECTIVE, "units": ["Workloads/Prod"]}]},
     ELECTIVE, "Workloads/Prod", "here"),
    ("control-on-child-sibling-off", {"enable": [{"control": ELECTIVE, "units": ["Workloads/Prod"]}]},
     ELECTIVE, "Security", "off"),
    ("account-target-makes-its-ou-partial", {"enable": [{"control": ELECTIVE, "accounts": ["log-archive"]}]},
     ELECTIVE, "Security", "partial"),
    ("account-target-makes-root-partial", {"enable": [{"control": ELECTIVE, "accounts": ["log-archive"]}]},
     ELECTIVE, "Root", "partial"),
]


@pytest.mark.parametrize("guardrails,control,column,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_matrix_state(tmp_path, guardrails, control, column, expected):
    assert _cell(_blueprint(tmp_path, guardrails), control, column) == expected


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_matrix_has_every_control_and_every_ou(name):
    _, plan, report = shipped(name)
    assert [r.id for r in report.matrix.rows] == sorted(load_catalog())
    assert report.matrix.columns == ("Root", *(node.path for node in report.tree.walk() if node.depth))
    assert len(report.matrix.columns) == len(plan.units) + 1
    assert all(len(r.cells) == len(report.matrix.columns) for r in report.matrix.rows)


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_budget_counts_every_planned_scp_and_full_aws_access(name):
    _, plan, report = shipped(name)
    for row in report.budget:
        key = row.target.removeprefix("account ")
        attached = [p for p in plan.policies if p.policy_type == "SERVICE_CONTROL_POLICY"
                    and any(t.ref == key for t in p.targets)]
        assert row.slots == 1 + len(attached), row.target
        assert sorted(d.size for d in row.documents) == sorted(len(minify(p.document)) for p in attached)
        assert row.slots <= SLOT_LIMIT and all(d.size <= SIZE_LIMIT for d in row.documents)
    targets = {t.ref for p in plan.policies if p.policy_type == "SERVICE_CONTROL_POLICY" for t in p.targets}
    assert targets <= {r.target.removeprefix("account ") for r in report.budget}


def test_budget_literal_figures_of_the_standard_blueprint():
    _, _, report = shipped("standard")
    prod = next(r for r in report.budget if r.target == "Workloads/Prod")
    assert (prod.slots, [d.controls for d in prod.documents]) == (2, [(ELECTIVE,)])
    assert next(r for r in report.budget if r.target == "Sandbox").slots == 1
    assert next(r for r in report.budget if r.target == "Root").slots == 4


def test_enterprise_account_level_scp_is_listed():
    _, _, report = shipped("enterprise")
    row = next(r for r in report.budget if r.target == "account log-archive")
    assert (row.kind, row.slots, [d.controls for d in row.documents]) == ("account", 2, [(ELECTIVE,)])
    custom = next(d for r in report.budget if r.target == "Root" for d in r.documents if not d.controls)
    assert custom.name == "globex-deny-leave-org"
