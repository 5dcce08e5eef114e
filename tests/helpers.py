"""Test helpers: a minimal valid blueprint as data, and writing blueprints to disk."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

MINIMAL: dict[str, Any] = {
    "version": 1,
    "name": "acme",
    "home_region": "us-east-1",
    "governed_regions": ["us-east-1", "eu-west-1"],
    "organization": {
        "id": "o-a1b2c3d4e5",
        "root_id": "r-a1b2",
        "management_account_id": "111111111111",
        "units": [{"name": "Security"}, {"name": "Workloads", "units": [{"name": "Prod"}]}],
        "accounts": [
            {"name": "log-archive", "email": "aws+log@example.com", "unit": "Security",
             "role": "log-archive", "id": "222222222222"},
            {"name": "audit", "email": "aws+audit@example.com", "unit": "Security", "role": "audit",
             "id": "333333333333"},
            {"name": "app1", "email": "aws+app1@example.com", "unit": "Workloads/Prod"},
        ],
    },
}


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def write(tmp_path: Path, data: Any, name: str = "blueprint.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def assert_issues(tmp_path: Path, data: Any, expected: set[tuple[str, str]]) -> None:
    """Load `data` as a blueprint: it must load cleanly when nothing is expected, otherwise fail with
    exactly the expected (code, path) errors, each with a hint and a line."""
    from landing_zone.blueprint.issues import BlueprintError
    from landing_zone.blueprint.load import load_blueprint

    path = write(tmp_path, data)
    if not expected:
        load_blueprint(path)
        return
    try:
        load_blueprint(path)
    except BlueprintError as exc:
        issues = exc.issues
    else:
        raise AssertionError(f"expected {sorted(expected)}, the blueprint loaded")
    errors = {(i.code, i.path) for i in issues if i.severity == "error"}
    assert errors == set(expected), "\n".join(i.format() for i in issues)
    for issue in issues:
        assert issue.hint and issue.line, issue.format()


def unavailable(what: str, setup: str) -> None:
    """A test needs a tool the set-up installs. Under `make test` (LZ_STRICT=1) and in CI that is a
    failure, never a silent skip; a plain `pytest` without the tool skips, saying how to get it."""
    import os

    import pytest

    if os.environ.get("LZ_STRICT") == "1" or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is missing; `make test` installs it ({setup})", pytrace=False)
    pytest.skip(f"{what} is missing: {setup}, or run `make test`")
