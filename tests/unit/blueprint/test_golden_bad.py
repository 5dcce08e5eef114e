"""Golden bad blueprints (docs/blueprints.md, "Errors"): each case names the exact issues users must see.

Every directory under tests/fixtures/blueprints/bad/ is one user mistake (a few combine several
to prove issues are collected, not just the first):

    blueprint.yaml          the blueprint (with fragments/... it includes)
    blueprint.ids.yaml      optional ids file beside it
    vars.yaml               optional vars file (named by `vars_file:`)
    expected.yaml           what the loader, the checks and the plan must report

expected.yaml:

    # one line saying what user mistake this case represents
    variables: {NAME: value}      # optional, passed as NAME=value pairs (--var)
    vars_file: vars.yaml          # optional, relative to the case directory (--vars)
    xfail: "why"                  # optional: the product is wrong here; issues are what it SHOULD say
    xfail_cli: "why"              # optional: same, for the `lz validate` run
    limits: {MAX_FILE_BYTES: 64}  # optional: lower caps of landing_zone.blueprint.limits for this case
                                  # (so a "file too large" case needs no 10 MiB file in the repository)
    issues:
      - {code: ..., path: "...", line: 17, file: blueprint.ids.yaml, value: "..."}

`file` is relative to the case directory (default blueprint.yaml; "" for an issue that is about
the command line, not a file); `value` is the received value the message must quote.
The multiset of (code, path, line, file) must match exactly: a missing or an extra issue fails.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from landing_zone.blueprint import limits
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.load import load_with_variables
from landing_zone.cli import cli
from landing_zone.plan import build_plan

BAD = Path(__file__).resolve().parents[2] / "fixtures" / "blueprints" / "bad"
EXPECTED_KEYS = {"variables", "vars_file", "xfail", "xfail_cli", "limits", "issues"}
ISSUE_KEYS = {"code", "path", "line", "file", "value"}

# What every case starts from before its one mistake: it must load and plan cleanly.
MINIMAL = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]

organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units:
    - name: Security
  accounts:
    - {name: log-archive, email: aws+log-archive@example.com, unit: Security, role: log-archive}
    - {name: audit, email: aws+audit@example.com, unit: Security, role: audit}
"""

Key = tuple[str, str, int | None, str]


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    comment: str
    variables: dict[str, Any]
    vars_file: str | None
    issues: list[dict[str, Any]]
    xfail: str | None = None
    xfail_cli: str | None = None
    keys: list[Key] = field(default_factory=list)
    limits: dict[str, int] = field(default_factory=dict)

    @property
    def blueprint(self) -> Path:
        return self.directory / "blueprint.yaml"

    @property
    def pairs(self) -> list[str]:
        return [f"{name}={value}" for name, value in self.variables.items()]

    @property
    def vars_path(self) -> str | None:
        return str(self.directory / self.vars_file) if self.vars_file else None


def _read_case(directory: Path) -> Case:
    text = (directory / "expected.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    assert isinstance(data, dict), f"{directory.name}/expected.yaml must be a mapping"
    unknown = set(data) - EXPECTED_KEYS
    assert not unknown, f"{directory.name}/expected.yaml: unknown keys {unknown}"
    issues = data.get("issues") or []
    for issue in issues:
        assert set(issue) <= ISSUE_KEYS and {"code", "path", "line"} <= set(issue), (
            f"{directory.name}/expected.yaml: bad issue entry {issue}")
    keys = [(i["code"], i["path"], i["line"], i.get("file", "blueprint.yaml")) for i in issues]
    return Case(
        name=directory.name, directory=directory, comment=text.splitlines()[0] if text else "",
        variables=data.get("variables") or {}, vars_file=data.get("vars_file"), issues=issues,
        xfail=data.get("xfail"), xfail_cli=data.get("xfail_cli"), keys=keys, limits=data.get("limits") or {})


CASES = [_read_case(d) for d in sorted(BAD.iterdir()) if d.is_dir()]


def _params(which: str) -> list:
    out = []
    for case in CASES:
        reason = case.xfail if which == "load" else case.xfail_cli
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def _relative_file(case: Case, issue: Issue) -> str:
    """The issue's file relative to the case directory, or the raw file if it lies elsewhere."""
    if not issue.file:
        return ""
    try:
        return Path(issue.file).resolve().relative_to(case.directory.resolve()).as_posix()
    except ValueError:
        return issue.file


def _key(issue_key: Key) -> tuple:
    code, path, line, file = issue_key
    return (file, line if line is not None else -1, path, code)


@pytest.fixture(autouse=True)
def _case_limits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    case = request.node.callspec.params.get("case") if hasattr(request.node, "callspec") else None
    for name, value in (case.limits if case else {}).items():
        assert hasattr(limits, name), f"{case.name}: unknown limit {name}"
        monkeypatch.setattr(limits, name, value)


def _load_issues(case: Case) -> list[Issue]:
    with pytest.raises(BlueprintError) as info:
        build_plan(load_with_variables(case.blueprint, case.pairs, case.vars_path))
    return list(info.value.issues)


# ---------- the fixtures themselves ----------

def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_case_is_well_formed(case: Case) -> None:
    assert case.blueprint.exists(), f"{case.name}: no blueprint.yaml"
    assert case.comment.startswith("# ") and len(case.comment) > 10, (
        f"{case.name}/expected.yaml must start with a comment naming the user mistake")
    assert case.issues, f"{case.name}: a bad case expects at least one issue"
    for _, _, _, file in case.keys:
        assert file == "" or (case.directory / file).exists() or file == case.vars_file, (
            f"{case.name}: expected file {file!r} is not part of the case")


def test_minimal_blueprint_the_cases_start_from_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "blueprint.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    plan = build_plan(load_with_variables(path, [], None))
    assert [u.path for u in plan.units] == ["Security"]
    assert sorted(a.name for a in plan.accounts) == ["audit", "log-archive"]


# ---------- loader, checks and plan ----------

@pytest.mark.parametrize("case", _params("load"))
def test_bad_blueprint_reports_exactly_the_expected_issues(case: Case) -> None:
    issues = _load_issues(case)
    report = "\n" + "\n".join(i.format() for i in issues)
    actual = [(i.code, i.path, i.line, _relative_file(case, i)) for i in issues]
    assert sorted(actual, key=_key) == sorted(case.keys, key=_key), report

    for issue in issues:
        text = issue.format()
        assert issue.hint.strip() and "\n  hint: " in text, f"no hint:\n{text}"

    # Where the issue is about a value, the message quotes the value received.
    by_key: dict[Key, list[Issue]] = {}
    for issue, key in zip(issues, actual, strict=False):
        by_key.setdefault(key, []).append(issue)
    for expected, key in zip(case.issues, case.keys, strict=False):
        if "value" in expected:
            for issue in by_key[key]:
                assert str(expected["value"]) in issue.message, (
                    f"message does not quote the received value {expected['value']!r}:\n{issue.format()}")


# ---------- the command line ----------

@pytest.mark.parametrize("case", _params("cli"))
def test_lz_validate_fails_cleanly_and_names_every_code(case: Case) -> None:
    args = ["validate", str(case.blueprint)]
    for pair in case.pairs:
        args += ["--var", pair]
    if case.vars_path:
        args += ["--vars", case.vars_path]
    result = CliRunner().invoke(cli, args)
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, output
    for code in dict.fromkeys(k[0] for k in case.keys):
        assert f"[{code}]" in output, f"[{code}] missing from:\n{output}"
