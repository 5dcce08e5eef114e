"""House rules of DESIGN.md §2-3 that a reviewer should not have to remember."""
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


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_only_the_cdk_package_imports_aws_cdk(path):
    if path.relative_to(PACKAGE).parts[0] == "cdk":
        return
    assert not imported_roots(path) & {"aws_cdk", "constructs"}, f"{path} imports the CDK"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no docstring"


def test_pure_layers_load_without_aws_cdk():
    import subprocess
    import sys

    code = ("import sys, landing_zone.cli, landing_zone.plan, landing_zone.blueprint.load;"
            "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
