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
