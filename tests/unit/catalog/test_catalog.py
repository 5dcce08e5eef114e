"""Meta-tests of the guardrail catalog: every entry well formed, declared, proven and documented."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from cfn_guard_rs import run_checks

from landing_zone.catalog import load_catalog
from landing_zone.catalog.context import CONTEXT_VARIABLES
from landing_zone.catalog.docs import BEHAVIORS, LEVELS, WRITE_COMMAND, guardrails_markdown
from landing_zone.catalog.load import GUARD_DIR, GUARDRAILS_DIR
from landing_zone.catalog.model import ID_PATTERN
from landing_zone.policy import actions, document
from landing_zone.policy.lint import is_condition_operator, lint_document
from landing_zone.policy.templating import render
from tests.unit.catalog.common import (
    CATALOG,
    DETECTIVE,
    IDS,
    PREVENTIVE,
    PROACTIVE,
    SAMPLE_CONTEXT,
    default_values,
    rendered_scp,
)

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(GUARDRAILS_DIR.rglob("*.yaml"))
PYTHON_TYPES = {"string": str, "list": list, "integer": int, "boolean": bool}
# "well under" the 5,120-character SCP limit: a control never takes more than half of one SCP.
STATEMENT_BUDGET = document.SCP_MAX // 2


def test_catalog_loads():
    assert load_catalog() == CATALOG


def test_catalog_has_at_least_45_controls():
    assert len(CATALOG) >= 45, f"only {len(CATALOG)} controls"


def test_file_names_are_unique():
    twice = [stem for stem, n in Counter(p.stem for p in FILES).items() if n > 1]
    assert not twice, f"the same control id in several files: {twice}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_id_is_well_formed_and_is_the_file_name(path):
    assert path.stem in CATALOG, f"{path} did not load"
    assert re.match(ID_PATTERN, path.stem), f"{path.stem} does not match {ID_PATTERN}"
    assert CATALOG[path.stem].id == path.stem


@pytest.mark.parametrize("control_id", IDS)
def test_control_tower_identifier(control_id):
    control = CATALOG[control_id]
    if control_id.startswith("AWS-GR_"):
        assert control.control_tower and control.control_tower.identifier == control_id, \
            "a control named by its Control Tower id must say so in control_tower.identifier"
    if control.control_tower:
        assert re.match(r"^(AWS-GR_[A-Z0-9_]+|CT\.[A-Z0-9]+\.(PV|PR|DT)\.\d+)$", control.control_tower.identifier)


@pytest.mark.parametrize("control_id", IDS)
def test_every_template_variable_is_declared(control_id):
    control = CATALOG[control_id]
    declared = {p.name for p in control.parameters}
    unknown = control.template_variables() - declared - set(CONTEXT_VARIABLES)
    assert not unknown, f"undeclared template variables {sorted(unknown)}: declare them under parameters"


@pytest.mark.parametrize("control_id", IDS)
def test_every_declared_parameter_is_used(control_id):
    control = CATALOG[control_id]
    unused = {p.name for p in control.parameters} - control.template_variables()
    assert not unused, f"parameters {sorted(unused)} are declared but no template uses them"


@pytest.mark.parametrize("control_id", IDS)
def test_parameter_defaults_fit_their_declaration(control_id):
    control = CATALOG[control_id]
    assert len({p.name for p in control.parameters}) == len(control.parameters), "duplicate parameter"
    for parameter in control.parameters:
        assert not set(CONTEXT_VARIABLES) & {parameter.name}, f"{parameter.name} shadows a context variable"
        assert parameter.description.strip(), f"{parameter.name} has no description"
        if parameter.default_from is not None:
            assert parameter.default is None, f"{parameter.name}: give default or default_from, not both"
            assert parameter.default_from in CONTEXT_VARIABLES, f"{parameter.name}: unknown default_from"
        value = default_values(control)[parameter.name]
        expected = PYTHON_TYPES[parameter.type]
        assert isinstance(value, expected) and not (expected is int and isinstance(value, bool)), \
            f"default of {parameter.name} is not a {parameter.type}: {value!r}"
        if parameter.type == "list":
            assert value, f"default of {parameter.name} is an empty list (not a valid IAM condition value)"
        if parameter.allowed is not None:
            items = value if isinstance(value, list) else [value]
            assert all(item in parameter.allowed for item in items), \
                f"default of {parameter.name} is not among {parameter.allowed}"


@pytest.mark.parametrize("control_id", PREVENTIVE)
def test_preventive_control_has_deny_and_allow_proofs(control_id):
    proofs = CATALOG[control_id].proofs
    assert proofs.deny and proofs.allow
    assert all(r.note for r in proofs.deny + proofs.allow), "every proof says what it shows (note)"


@pytest.mark.parametrize("control_id", sorted(set(IDS) - set(PREVENTIVE)))
def test_only_preventive_controls_have_proofs(control_id):
    proofs = CATALOG[control_id].proofs
    assert not proofs.deny and not proofs.allow, "proofs are evaluated against SCPs only"


@pytest.mark.parametrize("control_id", PREVENTIVE)
def test_scp_statements_are_complete_and_scp_grammar(control_id):
    for statement in CATALOG[control_id].scp:
        sid = statement.get("Sid")
        assert isinstance(sid, str) and re.fullmatch(r"[A-Za-z0-9]+", sid), f"Sid {sid!r} must be alphanumeric"
        assert statement.get("Effect") in ("Allow", "Deny"), f"{sid}: Effect"
        assert ("Action" in statement) != ("NotAction" in statement), f"{sid}: exactly one of Action/NotAction"
        assert ("Resource" in statement) != ("NotResource" in statement), \
            f"{sid}: exactly one of Resource/NotResource"
        assert "Principal" not in statement and "NotPrincipal" not in statement, f"{sid}: SCPs take no principal"
        for operator in statement.get("Condition", {}):
            rendered = operator.replace("{{ qualifier }}", "ForAnyValue")
            assert is_condition_operator(rendered), f"{sid}: unknown condition operator {operator!r}"


def test_sids_are_unique_across_the_catalog():
    """Controls are packed together into SCPs, and a Sid must be unique within a policy."""
    sids = Counter(s["Sid"] for c in CATALOG.values() for s in c.scp or ())
    assert not [sid for sid, n in sids.items() if n > 1]


@pytest.mark.parametrize("control_id", PREVENTIVE)
def test_rendered_scp_passes_the_policy_linter_and_stays_small(control_id):
    scp = rendered_scp(CATALOG[control_id])
    problems = lint_document(scp, kind="scp")
    assert not problems, "\n".join(p.format() for p in problems)
    size = len(document.minify(scp["Statement"]))
    assert size <= STATEMENT_BUDGET, f"{size} characters; keep a control under {STATEMENT_BUDGET}"


@pytest.mark.parametrize("control_id", DETECTIVE)
def test_config_rule_is_well_formed(control_id):
    rule = CATALOG[control_id].config_rule
    assert all(re.fullmatch(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", t) for t in rule.resource_types)
    assert rule.resource_types or rule.maximum_execution_frequency, \
        "a rule without resource types is periodic and needs maximum_execution_frequency"
    values = {**SAMPLE_CONTEXT, **default_values(CATALOG[control_id])}
    rendered = render(rule.input_parameters, values)
    assert all(isinstance(v, str) for v in rendered.values()), "Config input parameters are strings"


@pytest.mark.parametrize("control_id", PROACTIVE)
def test_guard_rule_exists_parses_and_runs(control_id):
    rule = CATALOG[control_id].guard_rule
    path = GUARD_DIR / rule.file
    assert path.is_file(), f"{path} is missing"
    assert rule.target_types and all(re.fullmatch(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", t)
                                     for t in rule.target_types)
    text = path.read_text(encoding="utf-8")
    # A template without the target types: every rule parses, runs and does not apply.
    report = run_checks({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}}}, text)
    assert report.status == "SKIP" and not report.not_compliant
    for target in rule.target_types:
        assert target in text, f"{rule.file} never selects {target}"


def test_every_guard_file_belongs_to_a_control():
    used = {c.guard_rule.file for c in CATALOG.values() if c.guard_rule}
    assert {p.name for p in GUARD_DIR.glob("*.guard")} == used


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_has_preventive_and_detective_controls(level):
    behaviors = {c.behavior for c in CATALOG.values() if c.level == level}
    assert {"preventive", "detective"} <= behaviors


def test_every_behavior_is_present():
    assert {c.behavior for c in CATALOG.values()} == set(BEHAVIORS)


def test_guardrails_md_is_up_to_date():
    path = ROOT / "GUARDRAILS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    assert current == guardrails_markdown(), f"GUARDRAILS.md is stale: run `{WRITE_COMMAND}`"


def test_guardrails_md_lists_every_control_once():
    rows = [line.split(" | ")[0] for line in guardrails_markdown().splitlines() if line.startswith("| `")]
    assert sorted(rows) == sorted(f"| `{control_id}`" for control_id in IDS)


@pytest.mark.parametrize("control_id", PREVENTIVE)
def test_proof_actions_exist(control_id):
    proofs = CATALOG[control_id].proofs
    unknown = sorted({r.action for r in proofs.deny + proofs.allow if not actions.is_known(r.action)})
    assert not unknown, f"proofs use unknown actions {unknown}: " + \
        "; ".join(f"{a} → {actions.suggest(a)}" for a in unknown)
