"""The linters the project is held to, run by `make test`: ruff everywhere, mypy strict on the pure layers."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_mypy_strict_is_clean():
    done = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_ruff_is_clean():
    # The rules are in pyproject.toml ([tool.ruff.lint]); `ruff check --fix` repairs most findings.
    done = subprocess.run([str(BIN / "ruff"), "check", "--output-format", "concise", "."], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
