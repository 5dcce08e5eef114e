"""The `lz` command line: validate, render, schema, and `python -m landing_zone`."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from landing_zone.cli import cli
from tests.helpers import minimal, write


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_prints_a_summary(tmp_path):
    result = run("validate", str(write(tmp_path, minimal())))
    assert result.exit_code == 0, result.output
    assert "organizational units: 3" in result.output
    assert "accounts: 3" in result.output
    assert "acme-organization" in result.output
    assert "account app1: no id yet" in result.output


def test_validate_failure_exits_1_with_every_issue(tmp_path):
    data = minimal()
    data["organization"]["accounts"][2]["email"] = "aws+log@example.com"
    data["home_region"] = "eu-central-1"
    result = run("validate", str(write(tmp_path, data)))
    assert result.exit_code == 1
    assert "[account-email-duplicate]" in result.output and "[home-region-not-governed]" in result.output
    assert "2 error(s)" in result.output
    assert "Traceback" not in result.output


def test_validate_with_variables(tmp_path):
    text = write(tmp_path, minimal()).read_text().replace("name: acme", "name: {{ prefix }}")
    path = write(tmp_path, text)
    assert run("validate", str(path)).exit_code == 1
    result = run("validate", str(path), "--var", "prefix=globex")
    assert result.exit_code == 0 and "globex-organization" in result.output


def test_render_prints_the_rendered_text(tmp_path):
    path = write(tmp_path, "name: {{ x }}\n")
    assert run("render", str(path), "--var", "x=abc").output == "name: abc\n"


def test_schema_is_json_schema_with_descriptions():
    schema = json.loads(run("schema").output)
    assert schema["title"] == "Blueprint"
    assert "organization" in schema["required"]
    assert schema["$defs"]["Account"]["properties"]["email"]["description"]


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "landing_zone", "validate", str(write(tmp_path, minimal()))],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
