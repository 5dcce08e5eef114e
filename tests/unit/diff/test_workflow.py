"""The shipped pull-request workflow runs the tests, posts `lz diff`, fails on a data-loss risk; the
excerpt of it in docs/review.md is the file's own text."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
WORKFLOW = ROOT / ".github" / "workflows" / "landing-zone.yml"


def steps() -> dict[str, dict]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert list(data[True]) == ["pull_request"]          # YAML 1.1 reads the key `on` as true
    (job,) = data["jobs"].values()
    return {s.get("name") or s["uses"].split("@")[0]: s for s in job["steps"]}


def test_checkout_toolchains_tests_then_diff():
    found = steps()
    assert list(found)[:3] == ["actions/checkout", "actions/setup-python", "actions/setup-node"]
    assert found["actions/checkout"]["with"] == {"fetch-depth": 0}
    assert found["actions/setup-python"]["with"] == {"python-version": "3.11"}
    assert found["actions/setup-node"]["with"] == {"node-version": "20"}
    names = list(found)
    assert names.index("Tests") < names.index("lz diff") < names.index("Comment on the pull request") \
        < names.index("Fail on a data-loss risk")
    assert found["Tests"]["run"] == "make test"


def test_diff_is_posted_even_with_exit_2_and_fails_unless_labelled():
    found = steps()
    script = found["lz diff"]["run"]
    assert '.venv/bin/lz diff --base "origin/$BASE_REF" --format markdown > diff.md' in script
    assert found["lz diff"]["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert 'if [ "$code" -ne 0 ] && [ "$code" -ne 2 ]; then exit "$code"; fi' in script
    assert "${{" not in script                            # no expression spliced into the shell
    assert "github-script" in found["Comment on the pull request"]["uses"]
    condition = found["Fail on a data-loss risk"]["if"]
    assert "steps.diff.outputs.exit_code == '2'" in condition
    assert "!contains(github.event.pull_request.labels.*.name, 'allow-data-loss')" in condition


def test_the_documented_excerpt_is_the_workflow_text():
    page = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")
    section = page[page.index("## In CI: a pull-request comment"):]
    excerpt = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert excerpt in WORKFLOW.read_text(encoding="utf-8")
    assert "(../.github/workflows/landing-zone.yml)" in section
