"""The registry of Issue codes (landing_zone/blueprint/codes.yaml) against the code and the tests.

Every code the package raises is registered, every registered code is raised, with the registered
severity, and exercised by a golden bad input or a test that asserts it; the table in docs/issue-codes.md
is current.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone.blueprint import codes, reference
from landing_zone.blueprint.codes import COMMAND, RegistryError, lookup, parse, registered
from landing_zone.blueprint.reference import replace_block
from tests.unit.blueprint import code_scan
from tests.unit.blueprint.code_scan import Scan, scan_source

PAGE = code_scan.ROOT / codes.FILE
REGISTRY = "landing_zone/blueprint/codes.yaml"
HOW_TO_REGISTER = (
    f"Register each once in {REGISTRY}, under its area (loading, schema, organization, ..., keys), as\n"
    '    - {{code: {code}, severity: {severity}, summary: "One line: what is wrong and why it is refused."}}\n'
    'severity is what the code is raised with: error (Issue\'s default) or warning (severity="warning").\n'
    f"Then run `{COMMAND}` (the table of codes) and add a golden bad input that produces it:\n"
    "tests/fixtures/blueprints/bad/<case>/blueprint.yaml + expected.yaml (see tests/unit/blueprint/"
    "test_golden_bad.py).")
SEVERITY_SETS = {"error": {"error"}, "warning": {"warning"}, "error or warning": {"error", "warning"}}


@pytest.fixture(scope="module")
def scan() -> Scan:
    return code_scan.scan_package()


# ---------- the scan reads what it claims to read ----------

SCAN_CASES = [
    ("literal", 'Issue("new-code", "m")', {"new-code": {"error"}}, [], []),
    ("keyword-code", 'Issue(code="new-code", message="m")', {"new-code": {"error"}}, [], []),
    ("warning", 'Issue("new-code", "m", severity="warning")', {"new-code": {"warning"}}, [], []),
    ("either-severity", 'Issue("new-code", "m", severity="error" if n else "warning")',
     {"new-code": {"error", "warning"}}, [], []),
    ("lint-problem", 'Problem("lint-code", "", "m")', {"lint-code": {"error"}}, [], []),
    ("composer", '_Refused("yaml-code", "m", 1, "h")', {"yaml-code": {"error"}}, [], []),
    ("linter-add", "def add(self, code, pointer): ...\nself.add('lint-code', 'p')",
     {"lint-code": {"error"}}, [], []),
    ("set-add-is-not-a-carrier", "seen.add('not-a-code')", {}, [], []),
    ("chosen-code", 'code = "a-code" if kind == "x-y" else problem.code\nIssue(code, "m")',
     {"a-code": {"error"}}, [], []),
    ("mapped-code", 'code = {"x": "a-code", "y": "b-code"}.get(kind, problem.code)',
     {"a-code": {"error"}, "b-code": {"error"}}, [], []),
    ("code-table", 'CODES = {"outside": "file-code"}', {"file-code": {"error"}}, [], []),
    ("forwarded", "Issue(problem.code, 'm')", {}, [], []),
    ("prefix-family", 'Issue(f"key-{problem.code}", "m")', {}, [r"key\-.+"], []),
    ("pattern", 'Issue(f"{what}-renamed", "m")', {}, [r".+\-renamed"], []),
    ("computed-code", "Issue(make_code(), 'm')", {}, [], ["make_code()"]),
    ("computed-severity", 'Issue("new-code", "m", severity=level)', {"new-code": set()}, [],
     ["severity=level"]),
    ("severity-replaced", 'replace(issue, severity="warning")', {}, [],
     ["severity set outside Issue(...) by replace()"]),
]


@pytest.mark.parametrize(("source", "expected", "patterns", "untraceable"),
                         [c[1:] for c in SCAN_CASES], ids=[c[0] for c in SCAN_CASES])
def test_the_scan_finds_codes_where_they_are_made(source, expected, patterns, untraceable):
    scan = scan_source(source, "m.py", Scan())
    assert {c: scan.severities[c] for c in scan.codes} == expected
    assert [p for p, _ in scan.patterns] == patterns
    assert [u.split(": ", 1)[1] for u in scan.untraceable] == untraceable


def test_the_scan_sees_the_carriers_of_the_package(scan):
    # A sanity floor: the checks, the lint and the YAML composer all contribute.
    assert {"account-name-duplicate", "unknown-action", "yaml-too-deep", "file-outside-folder",
            "policy-file-not-found", "saml-metadata-not-found"} <= set(scan.codes)
    assert {"guardrail-", "key-"} <= scan.prefixes


def test_every_function_that_takes_a_code_first_is_a_carrier_the_scan_reads(scan):
    unknown = [d for d in scan.carrier_definitions if d.split(" ")[0] not in code_scan.CARRIERS | {"add"}]
    assert not unknown, (
        f"{unknown} take a code as first argument: add the name to CARRIERS in "
        "tests/unit/blueprint/code_scan.py so the codes passed to it are checked against the registry")


def test_every_code_expression_is_traceable(scan):
    assert not scan.untraceable, (
        "these Issue codes or severities are computed, so the registry test cannot see them; write the "
        "code as a literal (Issue(\"my-code\", ...)), pick it from literals (`code = \"a\" if ... else \"b\"`), "
        "or forward one made so (Issue(problem.code, ...)):\n  " + "\n  ".join(scan.untraceable))


# ---------- the registry against the package ----------

def test_every_code_the_package_raises_is_registered(scan):
    missing = sorted(c for c in scan.codes if c not in registered())
    lines = [f"  {c}  ({', '.join(scan.codes[c][:3])})" for c in missing]
    example = missing[0] if missing else "my-code"
    severity = "warning" if missing and scan.severities[example] == {"warning"} else "error"
    assert not missing, ("these codes are raised but not registered:\n" + "\n".join(lines) + "\n"
                         + HOW_TO_REGISTER.format(code=example, severity=severity))


def test_every_code_made_from_a_pattern_is_registered(scan):
    prefixes = {f.prefix for f in codes.families()}
    for pattern, site in scan.patterns:
        prefix = next((p for p in prefixes if pattern == re.escape(p) + ".+"), None)
        if prefix is not None:
            continue
        assert any(re.fullmatch(pattern, c) for c in registered()), (
            f"{site} makes codes matching {pattern!r}, and none is registered. Register every code it can "
            f"make in {REGISTRY}; a prefix put before another area's codes (f\"key-{{problem.code}}\") is "
            "a family: `families: - {prefix: key-, of: policy, severity: error, summary: ...}`")


def test_every_registered_code_is_raised(scan):
    families = {re.escape(f.prefix) + ".+" for f in codes.families()}
    patterns = [p for p, _ in scan.patterns if p not in families]   # a family prefix makes no code of its own
    made = set(scan.codes) | {c for c in registered() if any(re.fullmatch(p, c) for p in patterns)}
    stale = sorted(set(registered()) - made)
    assert not stale, (f"registered in {REGISTRY} but raised nowhere (renamed or removed?): {stale}; "
                       "remove or rename the entries")
    unused = sorted(f.prefix for f in codes.families() if f.prefix not in scan.prefixes)
    assert not unused, f"families of {REGISTRY} no f\"<prefix>{{problem.code}}\" makes: {unused}"


def test_registered_severity_is_the_severity_raised(scan):
    wrong = {c: sorted(scan.severities[c]) for c, entry in registered().items()
             if c in scan.codes and scan.severities[c] != SEVERITY_SETS[entry.severity]}
    assert not wrong, (f"the severity in {REGISTRY} differs from what the code is raised with "
                       f"(Issue(..., severity=...), default error): {wrong}")
    # Codes made outside Issue(...) (lint problems, file problems) take the forwarding call's severity.
    assert scan.forwarded_severities <= {"error", "copied"}, scan.forwarded_severities


def test_every_registered_code_is_exercised_by_a_golden_input_or_a_test():
    asserted = code_scan.golden_codes()
    for code, where in code_scan.asserted_codes(exclude=[Path(__file__), Path(code_scan.__file__)]).items():
        asserted.setdefault(code, []).extend(where)
    unexercised = [c for c in registered().values() if c.code not in asserted]
    unexercised += [f for f in codes.families()
                    if not any(lookup(c) == f for c in asserted if c.startswith(f.prefix))]
    lines = [f"  {getattr(c, 'code', None) or c.pattern}: {c.summary}" for c in unexercised]
    assert not unexercised, (
        "no golden bad input and no test asserts these codes:\n" + "\n".join(lines) + "\nadd a golden bad "
        "input under tests/fixtures/blueprints/bad/<case>/ (blueprint.yaml + expected.yaml) that produces "
        "exactly that issue, or a table case that asserts the code")


def test_every_code_a_golden_input_expects_is_known():
    unknown = sorted((case, code) for code, cases in code_scan.golden_codes().items() if lookup(code) is None
                     for case in cases)
    assert not unknown, f"expected.yaml files name codes the registry does not know (a typo?): {unknown}"


# ---------- the registry itself ----------

@pytest.mark.parametrize(("code", "declared"), [
    pytest.param("account-name-duplicate", "account-name-duplicate", id="registered"),
    pytest.param("guardrail-unknown-control", "guardrail-unknown-control", id="registered-with-prefix"),
    pytest.param("guardrail-unknown-action", "guardrail-", id="guardrail-family"),
    pytest.param("key-policy-too-large", "key-", id="key-family"),
    pytest.param("guardrail-no-such-check", None, id="family-prefix-unknown-rest"),
    pytest.param("no-such-code", None, id="unknown"),
])
def test_lookup(code, declared):
    found = lookup(code)
    assert (found.code if isinstance(found, codes.Code) else found.prefix if found else None) == declared


def test_warnings_are_declared_as_warnings():
    assert registered()["secret-default-key"].severity == "warning"
    assert registered()["account-name-duplicate"].severity == "error"


ENTRY = {"code": "a-code", "severity": "error", "summary": "One line."}


@pytest.mark.parametrize(("data", "message"), [
    pytest.param({"area": "x"}, "must be a list of areas", id="not-a-list"),
    pytest.param([{"area": "x", "codes": [ENTRY]}], "needs area, title and codes", id="area-without-title"),
    pytest.param([{"area": "x", "title": "X", "codes": [{**ENTRY, "severity": "fatal"}]}], "severity 'fatal'",
                 id="unknown-severity"),
    pytest.param([{"area": "x", "title": "X", "codes": [{"code": "a-code", "severity": "error"}]}],
                 "exactly the keys", id="no-summary"),
    pytest.param([{"area": "x", "title": "X", "codes": [{**ENTRY, "summary": "two\nlines"}]}], "one line",
                 id="summary-two-lines"),
    pytest.param([{"area": "x", "title": "X", "codes": [{**ENTRY, "code": "Bad_Code"}]}], "is not a code",
                 id="bad-code"),
    pytest.param([{"area": "x", "title": "X", "codes": [ENTRY]}, {"area": "y", "title": "Y", "codes": [ENTRY]}],
                 "codes declared twice: a-code", id="duplicate-code"),
    pytest.param([{"area": "x", "title": "X", "codes": [ENTRY], "families": [
        {"prefix": "k-", "of": "nowhere", "severity": "error", "summary": "s"}]}], "names no area",
                 id="family-of-unknown-area"),
    pytest.param([{"area": "x", "title": "X", "codes": [ENTRY, {**ENTRY, "code": "k-a-code"}], "families": [
        {"prefix": "k-", "of": "x", "severity": "error", "summary": "s"}]}], "also declared on their own",
                 id="family-clashes-with-a-code"),
])
def test_malformed_registry_is_refused(data, message):
    with pytest.raises(RegistryError, match=re.escape(message)):
        parse(data)


def test_anchors_are_unique():
    anchors = [a.anchor for a in codes.areas()] + [c.anchor for c in registered().values()] + [
        f.anchor for f in codes.families()] + [codes.ANCHOR]
    assert len(anchors) == len(set(anchors))


# ---------- the page docs/issue-codes.md ----------

def test_the_page_of_codes_is_current():
    text = PAGE.read_text(encoding="utf-8")
    assert codes.BEGIN in text and codes.END in text, f"{codes.FILE} lacks the markers {codes.BEGIN} / {codes.END}"
    assert replace_block(text, codes.codes_markdown(), codes.BEGIN, codes.END) == text, (
        f"{codes.FILE}'s table of issue codes is stale: run `{COMMAND}`")
    assert reference.BEGIN not in text


def test_every_code_has_its_anchor_in_the_page():
    """Links such as docs/issue-codes.md#issue-<code> (the docs' own, and any a reader follows) land on a row."""
    ids = set(re.findall(r'<a id="([^"]+)"></a>', PAGE.read_text(encoding="utf-8")))
    wanted = {c.anchor for c in registered().values()} | {f.anchor for f in codes.families()} | {
        a.anchor for a in codes.areas()} | {codes.ANCHOR}
    assert wanted - ids == set()


def test_table_has_a_row_and_an_anchor_for_every_code_and_family():
    markdown = codes.codes_markdown()
    for code in registered().values():
        assert f'| <a id="{code.anchor}"></a>`{code.code}` | {code.severity} |' in markdown
    for family in codes.families():
        assert f'<a id="{family.anchor}"></a>`{family.pattern}`' in markdown
    assert markdown.count("| Code | Severity | Summary |") == len(codes.areas())


def test_the_table_of_codes_stands_alone_between_its_markers(tmp_path, capsys):
    """The table can move to a page of its own: the generator keeps whichever blocks a file holds."""
    page = tmp_path / "issue-codes.md"
    page.write_text(f"# Issue codes\n\n{codes.BEGIN}\nstale table\n{codes.END}\n", encoding="utf-8")
    assert reference.main(["--check", str(page)]) == 1
    assert f"python -m landing_zone.blueprint.reference --write {page}" in capsys.readouterr().err
    assert reference.main(["--write", str(page)]) == 0
    assert reference.main(["--check", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert '<a id="issue-key-alias-prefix"></a>`key-alias-prefix`' in text
    assert "stale table" not in text and reference.BEGIN not in text and "### Top level" not in text
