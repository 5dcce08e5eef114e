"""`lz report` on the command line: writes the page, reports mistakes in one line or as issues."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from landing_zone.cli import cli
from tests.helpers import minimal, write
from tests.unit.report.common import ROOT

STANDARD = str(ROOT / "blueprints/standard.yaml")


def test_writes_the_page(tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", STANDARD, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out} (")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<h1>Landing zone report: <span id="lz-name">acme</span></h1>' in html


def test_variables_and_actions_file(tmp_path):
    actions = tmp_path / "actions.yaml"
    actions.write_text("- s3:GetObject\n- {action: ec2:RunInstances, region: ap-southeast-2}\n")
    out = tmp_path / "many.html"
    result = CliRunner().invoke(cli, ["report", str(ROOT / "blueprints/examples/many-accounts.yaml"),
                                      "--var", "accounts=3", "--var", "units=2", "--actions", str(actions),
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<code>accounts=3</code>" in html and html.count('<li class="account"') == 5
    assert '<caption>2 requests × 6 accounts</caption>' in html


@pytest.mark.parametrize("args,message", [
    (["--actions", "{actions}"], "lz report: unknown action 's3:GetObjekt'"),
    (["-o", "{tmp}/missing/dir/report.html"], "lz report: cannot write"),
], ids=["unknown-action", "unwritable-output"])
def test_usage_errors_are_one_line(tmp_path, args, message):
    actions = tmp_path / "actions.yaml"
    actions.write_text("- s3:GetObjekt\n")
    args = [a.format(actions=actions, tmp=tmp_path) for a in args]
    if "-o" not in args:
        args += ["-o", str(tmp_path / "r.html")]
    result = CliRunner().invoke(cli, ["report", STANDARD, *args])
    assert result.exit_code == 1
    assert result.output.startswith(message) and "Traceback" not in result.output


def test_blueprint_issues_exit_1_without_writing(tmp_path):
    data = minimal()
    data["organization"]["accounts"][2]["unit"] = "Nowhere"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", str(write(tmp_path, data)), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "organization.accounts[app1].unit" in result.output and "Traceback" not in result.output


def test_files_outside_the_blueprint_folder_need_allow_dir(tmp_path):
    data = minimal()
    data["policies"] = [{"name": "deny-leave", "type": "service_control", "file": "../common/deny.json",
                         "targets": {"units": ["Root"]}}]
    (tmp_path / "common").mkdir()
    (tmp_path / "common/deny.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Sid": "NoLeave", "Effect": "Deny", '
        '"Action": "organizations:LeaveOrganization", "Resource": "*"}]}')
    (tmp_path / "bp").mkdir()
    blueprint = str(write(tmp_path / "bp", data))
    out = tmp_path / "r.html"
    refused = CliRunner().invoke(cli, ["report", blueprint, "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists() and "policies[deny-leave].file" in refused.output
    allowed = CliRunner().invoke(cli, ["report", blueprint, "--allow-dir", str(tmp_path / "common"),
                                       "-o", str(out)])
    assert allowed.exit_code == 0, allowed.output
    assert '<li data-policy="acme-deny-leave"' in out.read_text(encoding="utf-8")
