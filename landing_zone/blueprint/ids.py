"""The ids file beside a blueprint (`<blueprint>.ids.yaml`): ids of OUs and accounts that exist."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from landing_zone.blueprint.confine import FileProblem, Scope, read_named
from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.renames import (
    account_aliases,
    conflict,
    raw_units,
    recorded,
    undeclared_account_renames,
    undeclared_unit_renames,
)
from landing_zone.blueprint.render import display_name
from landing_zone.blueprint.source import SourceMap, parse_yaml

REGENERATE = "regenerate it with `lz sync BLUEPRINT`, or fix it by hand"


def ids_path(blueprint: Path) -> Path:
    return blueprint.with_name(blueprint.name.rsplit(".", 1)[0] + ".ids.yaml")


def read_ids(path: Path, scope: Scope | None = None) -> tuple[dict[str, Any], SourceMap | None, list[Issue]]:
    """Parse the ids file if there is one; a malformed file is an issue, a missing one is fine.

    It arrives with the blueprint, so it is read like a file the blueprint names: a regular file
    inside the blueprint's folder (a symlink out of it counts as outside), of bounded size.
    """
    if not path.is_symlink() and not path.exists():
        return {}, None, []
    display = display_name(path, follow=False)
    scope = scope or Scope.of(path)
    try:
        text = read_named(scope.resolve(str(path.absolute())), path.name)
    except FileProblem as problem:
        code = "ids-file-unreadable" if problem.kind in ("unreadable", "not-found") else problem.code
        return {}, None, [Issue(code, f"the ids file {problem.message}",
                                hint=f"{problem.hint}; " + REGENERATE, file=display)]
    data, smap = parse_yaml(text, display, hint="check indentation and quoting; " + REGENERATE)
    if data is None:
        return {}, smap, []
    org = data.get("organization") if isinstance(data, dict) else None
    if not isinstance(org, dict):
        where = ("organization",) if isinstance(data, dict) else ()
        return {}, smap, [Issue("ids-file-invalid", "the ids file must hold an 'organization' mapping",
                                hint=REGENERATE, file=display, line=smap.line_of(where),
                                path="organization")]
    issues = []
    for key in ("units", "accounts"):
        value = org.get(key)
        if value is not None and not isinstance(value, dict):
            issues.append(Issue("ids-file-invalid", f"organization.{key} must be a mapping of "
                                f"{'OU path' if key == 'units' else 'account name'} to id, not a "
                                f"{type(value).__name__}", hint=REGENERATE, file=display,
                                line=smap.line_of(("organization", key)), path=f"organization.{key}"))
            org = {**org, key: {}}
        for name, ident in (org.get(key) or {}).items():
            if not isinstance(ident, str):
                issues.append(Issue("ids-file-invalid", f"id of {name!r} must be a quoted string, "
                                    f"received {smap.scalars.get(('organization', key, name), ident)}",
                                    hint="quote it: YAML reads unquoted digits as a number", file=display,
                                    line=smap.line_of(("organization", key, name)),
                                    path=f"organization.{key}.{name}"))
    return org, smap, issues


def merge_ids(data: dict[str, Any], ids: dict[str, Any], smap: SourceMap | None) -> list[Issue]:
    """Fill missing ids in the raw blueprint from the ids file; a contradicting id is an issue.

    Runs on the raw data before validation, so the model sees one merged blueprint.
    """
    issues: list[Issue] = []
    org = data.get("organization")
    if not isinstance(org, dict) or not ids or smap is None:
        return issues

    def merge(target: dict[str, Any], key: str, known: Any, where: Loc, what: str) -> None:
        if not isinstance(known, str):
            return
        if target.get(key) is None:
            target[key] = known
        elif target[key] != known:
            issues.append(Issue(
                "ids-file-conflict",
                f"{what} has id {target[key]!r} in the blueprint but {known!r} in the ids file",
                hint="remove the id from one of them; `lz sync` rewrites the ids file from the organization",
                file=smap.file, line=smap.line_of(("organization",) + where),
                path="organization." + ".".join(str(p) for p in where)))

    for key in ("id", "root_id", "management_account_id"):
        if key in ids:
            merge(org, key, ids[key], (key,), f"organization.{key}")
    # A renamed OU or account keeps its id: recorded under its new name (after `lz sync`), else
    # under the name it had (the OU's path before it or an OU above it was renamed).
    raw_unit_ids = ids.get("units")
    unit_ids: dict[str, Any] = raw_unit_ids if isinstance(raw_unit_ids, dict) else {}
    units = list(raw_units(org.get("units")))
    for ref in units:
        hits = recorded(ref.aliases, unit_ids)
        if len({ident for _, ident in hits}) > 1:
            where = "renamed_from" if "renamed_from" in ref.unit else "name"   # or an OU above was renamed
            issues.append(conflict("unit", ("organization",) + ref.loc + (where,), hits, smap))
        elif hits:
            alias, ident = hits[0]
            merge(ref.unit, "id", ident, ("units", alias),
                  f"OU {ref.path!r}" + (f" (recorded as {alias!r})" if alias != ref.path else ""))
    raw_account_ids, raw_accounts = ids.get("accounts"), org.get("accounts")
    account_ids: dict[str, Any] = raw_account_ids if isinstance(raw_account_ids, dict) else {}
    accounts: list[Any] = raw_accounts if isinstance(raw_accounts, list) else []
    # The raw data is not validated yet: a name may be a list or a mapping (unhashable).
    for i, aliases in account_aliases(accounts).items():
        account = accounts[i]
        hits = recorded(aliases, account_ids)
        if len({ident for _, ident in hits}) > 1:
            issues.append(conflict("account", ("organization", "accounts", i, "renamed_from"), hits, smap))
        elif hits:
            alias, ident = hits[0]
            merge(account, "id", ident, ("accounts", alias),
                  f"account {account['name']!r}" + (f" (recorded as {alias!r})" if alias != account["name"] else ""))
    issues += undeclared_unit_renames(org.get("units"), unit_ids, smap)
    issues += undeclared_account_renames(accounts, account_ids, smap)
    return issues

