"""Loads and validates every catalog entry once per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from landing_zone.catalog.model import Control

GUARDRAILS_DIR = Path(__file__).parent / "guardrails"
# libyaml when available: the catalog is read on every `lz validate`, ten times faster this way.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GUARD_DIR = Path(__file__).parent / "guard"


class CatalogError(Exception):
    """The shipped catalog itself is broken: a developer error, caught by the meta-tests."""


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, Control]:
    controls: dict[str, Control] = {}
    problems: list[str] = []
    for path in sorted(GUARDRAILS_DIR.rglob("*.yaml")):
        try:
            control = Control.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER))
        except (ValidationError, yaml.YAMLError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        if control.id != path.stem:
            problems.append(f"{path}: id {control.id!r} does not match the file name")
        if control.id in controls:
            problems.append(f"{path}: duplicate id {control.id!r}")
        controls[control.id] = control
    if problems:
        raise CatalogError("\n".join(problems))
    return dict(sorted(controls.items()))
