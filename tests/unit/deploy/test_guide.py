"""The deploy guide (docs/deploy.md) stays true: the phase table, every trusted-access service and delegated
administrator the plan may ask for, and the documented dry-run command line, which must work."""
from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from landing_zone.cli import cli
from landing_zone.deploy.guide import phase_table
from landing_zone.plan.phases import PHASES

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) + len(start):text.index(end)].strip()


def literal_first_args(class_name: str) -> list[str]:
    """First argument of every `class_name(...)` call in plan/prerequisites.py: every service it may ask for."""
    tree = ast.parse((ROOT / "landing_zone/plan/prerequisites.py").read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == class_name
            and node.args and isinstance(node.args[0], ast.Constant)]


def test_phase_table_is_generated_from_the_plan():
    table = between(GUIDE, "(python -m landing_zone.deploy.guide) -->", "<!-- /phases -->")
    assert table == phase_table(), "regenerate with: .venv/bin/python -m landing_zone.deploy.guide"


def test_every_trusted_access_service_is_listed():
    listed = re.findall(r"^  - `([a-z0-9.-]+)`", between(GUIDE, "<!-- trusted access", "<!-- /trusted access -->"),
                        re.MULTILINE)
    services = literal_first_args("TrustedAccess")
    assert len(services) >= 6
    assert sorted(listed) == sorted(services)


@pytest.mark.parametrize("service", literal_first_args("DelegatedAdmin"))
def test_every_delegated_administrator_is_documented(service):
    section = GUIDE[GUIDE.index("**Delegated administrator**"):]
    assert f"--service-principal {service} --account-id" in section


def documented(command: str) -> list[list[str]]:
    """Every command line of the guide's code blocks that runs `lz <command>`, without its comment."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split("#", 1)[0])
            if words[:2] == [".venv/bin/lz", command]:
                lines.append(words[2:])
    return lines


def test_the_documented_dry_run_works_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    [args] = [words for words in documented("deploy") if "--dry-run" in words]
    assert args == ["blueprints/standard.yaml", "--dry-run"]

    result = CliRunner().invoke(cli, ["deploy", *args])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"lz deploy --dry-run blueprints/standard.yaml: {len(PHASES)} phases")


def test_every_documented_option_exists(monkeypatch):
    monkeypatch.chdir(ROOT)
    for command in ("deploy", "preflight", "import-mapping"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).output
        for args in documented(command):
            for option in (a for a in args if a.startswith("--")):
                assert option in help_text, f"lz {command} {option}"
