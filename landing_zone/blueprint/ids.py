"""The ids file beside a blueprint (`<blueprint>.ids.yaml`): ids of OUs and accounts that exist."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.source import SourceMap, parse_yaml


def ids_path(blueprint: Path) -> Path:
    return blueprint.with_name(blueprint.name.rsplit(".", 1)[0] + ".ids.yaml")


def read_ids(path: Path) -> tuple[dict[str, Any], SourceMap | None, list[Issue]]:
    """Parse the ids file if there is one; a malformed file is an issue, a missing one is fine."""
    if not path.exists():
        return {}, None, []
    data, smap = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    org = (data or {}).get("organization") if isinstance(data, dict) else None
    if data is not None and not isinstance(org, dict):
        return {}, smap, [Issue("ids-file-invalid", "the ids file must hold an 'organization' mapping",
                                hint="regenerate it with `lz sync BLUEPRINT`", file=str(path), line=1)]
    return org or {}, smap, []


def merge_ids(data: dict[str, Any], ids: dict[str, Any], ids_file: str,
              smap: SourceMap | None) -> list[Issue]:
    """Fill missing ids in the raw blueprint from the ids file; a contradicting id is an issue.

    Runs on the raw data before validation, so the model sees one merged blueprint.
    """
    issues: list[Issue] = []
    org = data.get("organization")
    if not isinstance(org, dict) or not ids:
        return issues

    def conflict(what: str, where: tuple, mine: Any, theirs: Any) -> None:
        issues.append(Issue(
            "ids-file-conflict",
            f"{what} has id {mine!r} in the blueprint but {theirs!r} in the ids file",
            hint="remove the id from one of them; `lz sync` rewrites the ids file from the organization",
            file=ids_file, line=smap.line_of(("organization",) + where) if smap else None))

    for key in ("id", "root_id", "management_account_id"):
        if key in ids:
            if key not in org:
                org[key] = ids[key]
            elif org[key] != ids[key]:
                conflict(f"organization.{key}", (key,), org[key], ids[key])

    unit_ids = ids.get("units") or {}
    if isinstance(unit_ids, dict):
        for path, unit in _walk_units(org.get("units"), ""):
            if path in unit_ids:
                if unit.get("id") is None:
                    unit["id"] = unit_ids[path]
                elif unit["id"] != unit_ids[path]:
                    conflict(f"OU {path!r}", ("units", path), unit["id"], unit_ids[path])

    account_ids = ids.get("accounts") or {}
    if isinstance(account_ids, dict) and isinstance(org.get("accounts"), list):
        for account in org["accounts"]:
            if isinstance(account, dict) and account.get("name") in account_ids:
                known = account_ids[account["name"]]
                if account.get("id") is None:
                    account["id"] = known
                elif account["id"] != known:
                    conflict(f"account {account['name']!r}", ("accounts", account["name"]),
                             account["id"], known)
    return issues


def _walk_units(units: Any, prefix: str):
    if not isinstance(units, list):
        return
    for unit in units:
        if isinstance(unit, dict) and isinstance(unit.get("name"), str):
            path = f"{prefix}/{unit['name']}" if prefix else unit["name"]
            yield path, unit
            yield from _walk_units(unit.get("units"), path)
