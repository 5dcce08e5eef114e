"""checkov with every CloudFormation check over every synthesized template, StackSet bodies included.

Each failure is fixed or acknowledged, with its reason, in landing_zone/cdk/checkov_acknowledgements.py;
a failure nothing acknowledges fails here, and so does an acknowledgement that matches no failure.
checkov lives in its own virtualenv (requirements-checkov.txt pins boto3 and packaging below
requirements.txt): `make test` installs it into .venv-checkov and sets LZ_STRICT=1, so a missing
checkov fails there (and under CI=true) instead of skipping.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from landing_zone.cdk.checkov_acknowledgements import ACKNOWLEDGEMENTS, Acknowledgement
from tests.helpers import unavailable
from tests.synth.conftest import ROOT, SHIPPED

SETUP = "python -m venv .venv-checkov && .venv-checkov/bin/pip install -r requirements-checkov.txt"
# The CloudTrail, S3 and KMS checks the landing zone is built to pass (CIS 3.x): each must pass on
# some template, so a change that stopped checkov from seeing them would not go unnoticed.
MUST_PASS = {"CKV_AWS_35", "CKV_AWS_36", "CKV_AWS_67", "CKV_AWS_18", "CKV_AWS_19", "CKV_AWS_21",
             "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV_AWS_7", "CKV_AWS_33"}


def checkov_executable() -> str | None:
    """$CHECKOV, .venv-checkov, or checkov on PATH."""
    for candidate in (os.environ.get("CHECKOV"), str(ROOT / ".venv-checkov" / "bin" / "checkov"),
                      shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_checkov() -> str:
    """The checkov executable; without one a failure under `make test` or CI, a skip elsewhere."""
    checkov = checkov_executable()
    if checkov is None:
        unavailable("checkov", SETUP)
    return checkov


@dataclass
class Report:
    files: dict[str, str]                              # scanned file name → "<synthesis>:<template>"
    failed: list[tuple[str, str]] = field(default_factory=list)     # (check id, "<template>/<Type>.<Id>")
    passed: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    resources: int = 0                                 # what checkov parsed
    parsing_errors: int = 0
    expected_resources: int = 0                        # what the scanned files hold


def collect_templates(outdirs: dict[str, Path], into: Path) -> dict[str, str]:
    """Copies every template, and the body of every StackSet, into `into` under unique names."""
    files = {}
    for label, outdir in outdirs.items():
        for path in sorted(outdir.glob("*.template.json")):
            stack = path.name.removesuffix(".template.json")
            name = f"{label}--{stack}.json"
            shutil.copyfile(path, into / name)
            files[name] = stack
            for resource in json.loads(path.read_text())["Resources"].values():
                properties = resource["Properties"]
                if resource["Type"] == "AWS::CloudFormation::StackSet" and "TemplateBody" in properties:
                    stackset = resource["Properties"]["StackSetName"]
                    body_name = f"{label}--{stack}--{stackset}.json"
                    (into / body_name).write_text(resource["Properties"]["TemplateBody"])
                    files[body_name] = f"{stack}/{stackset}"
    return files


@pytest.fixture(scope="module")
def report(synthesized, custom_store_keys, connector_directory, blueprint_edges, network_peering,
           tmp_path_factory) -> Report:
    checkov = require_checkov()
    outdirs = {name: synthesized(name).outdir for name in SHIPPED}
    outdirs.update({"custom-store": custom_store_keys.outdir, "connector": connector_directory.outdir,
                    "edges": blueprint_edges.outdir, "peering": network_peering.outdir})
    folder = tmp_path_factory.mktemp("checkov")
    files = collect_templates(outdirs, folder)
    args = [checkov, "--framework", "cloudformation", "--output", "json", "--skip-download"]
    for name in files:
        args += ["-f", str(folder / name)]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    run = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env, cwd=folder)
    loaded = json.loads(run.stdout)
    reports = loaded if isinstance(loaded, list) else [loaded]
    assert reports and all("results" in r for r in reports), run.stdout[:800] + run.stderr[-800:]
    out = Report(files, expected_resources=sum(len(json.loads((folder / name).read_text())["Resources"])
                                                for name in files))
    for r in reports:
        out.resources += r["summary"]["resource_count"]
        out.parsing_errors += r["summary"]["parsing_errors"]
        for kind in ("failed_checks", "passed_checks", "skipped_checks"):
            for check in r["results"][kind]:
                name = Path(check["file_path"]).name
                where = f"{files[name]}/{check['resource']}"
                if kind == "failed_checks":
                    out.failed.append((check["check_id"], where))
                elif kind == "passed_checks":
                    out.passed.add(check["check_id"])
                else:
                    out.skipped.append((check["check_id"], where))
    return out


def acknowledgement_for(check: str, resource: str) -> Acknowledgement | None:
    return next((a for a in ACKNOWLEDGEMENTS if a.matches(check, resource)), None)


def test_checkov_parsed_every_resource_of_every_template_and_stackset_body(report):
    assert report.parsing_errors == 0
    assert report.resources == report.expected_resources > 0
    assert any("/" in template for template in report.files.values())     # StackSet bodies are in


def test_every_failure_is_acknowledged(report):
    unacknowledged = sorted({f"{check} at {where}" for check, where in report.failed
                             if acknowledgement_for(check, where) is None})
    assert unacknowledged == [], ("fix these, or acknowledge them with a reason in "
                                  "landing_zone/cdk/checkov_acknowledgements.py")


def test_no_acknowledgement_is_stale(report):
    stale = [f"{a.check} {a.resource}" for a in ACKNOWLEDGEMENTS
             if not any(a.matches(check, where) for check, where in report.failed)]
    assert stale == [], "acknowledgements no template needs any more: remove them"


def test_templates_skip_no_check_themselves(report):
    # The table is the only place a finding is let through: no checkov metadata in a template.
    assert report.skipped == []


def test_the_cloudtrail_s3_and_kms_checks_run_and_pass_somewhere(report):
    assert report.passed >= MUST_PASS


def test_acknowledgements_are_unique_and_have_a_specific_reason():
    keys = [(a.check, a.resource) for a in ACKNOWLEDGEMENTS]
    assert len(keys) == len(set(keys))
    for a in ACKNOWLEDGEMENTS:
        assert a.check.startswith("CKV") and "/" in a.resource, a
        assert len(a.reason) >= 60, f"reason too thin for {a.check} at {a.resource}"


@pytest.mark.parametrize(("environment", "installed", "outcome"), [
    pytest.param({}, False, "skipped", id="developer-machine-skips"),
    pytest.param({"CI": "true"}, False, "failed", id="ci-fails"),
    pytest.param({"LZ_STRICT": "1"}, False, "failed", id="make-test-fails"),
    pytest.param({"CI": "true"}, True, "passed", id="installed-runs"),
])
def test_a_missing_checkov_fails_under_make_test_and_ci(monkeypatch, environment, installed, outcome):
    for name in ("CI", "LZ_STRICT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.modules[__name__], "checkov_executable",
                        lambda: "/opt/checkov" if installed else None)
    try:
        result = require_checkov()
    except pytest.fail.Exception:
        assert outcome == "failed"
    except pytest.skip.Exception:
        assert outcome == "skipped"
    else:
        assert (outcome, result) == ("passed", "/opt/checkov")


def test_make_test_installs_checkov_and_runs_strict():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert ".venv-checkov/.installed" in recipe.splitlines()[0] and "LZ_STRICT=1" in recipe
