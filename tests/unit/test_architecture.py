"""House rules a reviewer should not have to remember: layers, docstrings, pure layers without jsii."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "landing_zone"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_layers_hold():
    """import-linter checks the contracts in pyproject.toml: data flows one way (policy → catalog →
    blueprint → plan → explain → checks → cdk → commands → cli), only landing_zone.cdk imports the
    CDK, and handlers import nothing of the package."""
    import subprocess
    import sys

    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no docstring"


def test_pure_layers_load_without_aws_cdk():
    import subprocess
    import sys

    code = ("import sys, landing_zone.cli, landing_zone.plan, landing_zone.blueprint.load;"
            "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
