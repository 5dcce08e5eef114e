"""Each handler loads the way Lambda loads it: a top-level module needing only the stdlib and boto3."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[3] / "landing_zone" / "handlers"
MODULES = sorted(p for p in HANDLERS.glob("*.py") if p.name != "__init__.py")
ALLOWED = set(sys.stdlib_module_names) | {"boto3", "botocore", "__future__"}


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_handler_imports_only_the_stdlib_and_boto3(path):
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative imports break when Lambda loads the module"
            roots.add(node.module.split(".")[0])
    assert roots <= ALLOWED, f"{path.name} imports {sorted(roots - ALLOWED)}"


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_handler_loads_as_a_top_level_module_with_on_event(path):
    code = (f"import {path.stem} as m; assert callable(m.on_event); "
            "assert m.__doc__ and len(m.__doc__.strip().splitlines()) == 1")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HANDLERS)
