"""The catalog's own Systems Manager Automation runbooks (catalog/runbooks/LZ-*.yaml), for remediations no
AWS-owned runbook can do alone."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RUNBOOKS_DIR = Path(__file__).parent / "runbooks"
OWN_PREFIX = "LZ-"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def is_own(document: str) -> bool:
    """A runbook the landing zone creates (LZ-...), as opposed to an AWS-owned one (AWS-..., AWSConfig...)."""
    return document.startswith(OWN_PREFIX)


@cache
def runbook_content(document: str) -> dict[str, Any]:
    """The Automation document (schemaVersion 0.3) of one of the catalog's runbooks."""
    content = yaml.load((RUNBOOKS_DIR / f"{document}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(content, dict) or content.get("schemaVersion") != "0.3":
        raise ValueError(f"catalog runbook {document} is not an Automation document (schemaVersion 0.3)")
    return content
