"""`lz sync`: read the live organization and write the ids of its OUs and accounts beside a blueprint."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from landing_zone.blueprint.ids import ids_path, read_ids
from landing_zone.blueprint.issues import BlueprintError, Issue
from landing_zone.blueprint.load import display_name, render_blueprint
from landing_zone.blueprint.renames import account_aliases, raw_units
from landing_zone.blueprint.source import YamlIssue, parse_yaml

ORG_KEYS = ("id", "root_id", "management_account_id")


class SyncError(Exception):
    """Something between us and AWS went wrong; the message is one line meant for the user."""


@dataclass(frozen=True)
class LiveAccount:
    id: str
    name: str
    email: str
    status: str
    unit: str  # OU path, or "Root"


@dataclass(frozen=True)
class LiveOrg:
    id: str
    root_id: str
    management_account_id: str
    units: dict[str, str]  # OU path -> id
    accounts: list[LiveAccount]


def sync_ids(blueprint: Path, *, profile: str | None = None, output: Path | None = None,
             client=None, variables: dict | None = None, allow_dirs: Iterable[str] = ()) -> tuple[Path, str]:
    """Write the ids file for `blueprint` from the organization `client` (or `profile`) sees."""
    org = _blueprint_org(blueprint, variables, allow_dirs)
    target = output or ids_path(blueprint)
    live = _read_live(client, profile)
    recorded = _check_same_org(org, live, blueprint, ids_path(blueprint))

    # A renamed OU not deployed yet is still live under its old path (or an OU above it is).
    wanted_units = list(raw_units(org.get("units")))
    units: dict[str, str] = {}
    claimed_units: set[str] = set()
    for ref in wanted_units:
        found = next((alias for alias in ref.aliases if alias in live.units), None)
        if found is not None:
            units[ref.path] = live.units[found]
            claimed_units.add(found)
    wanted = [a for a in org.get("accounts") or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
    matched = match_accounts(wanted, [a for a in live.accounts if a.id != live.management_account_id])
    _refuse_undeclared_renames(wanted, matched, recorded, blueprint)
    claimed = set(matched.values())

    unmanaged_units = sorted(set(live.units) - claimed_units)
    unmanaged_accounts = [
        {"name": a.name, "email": a.email, "id": a.id, "unit": a.unit, "status": a.status}
        for a in sorted(live.accounts, key=lambda a: (a.name, a.id))
        if a.id not in claimed and a.id != live.management_account_id]
    document = {
        "organization": {"id": live.id, "root_id": live.root_id,
                         "management_account_id": live.management_account_id,
                         "units": units, "accounts": matched},
        "unmanaged": {"units": unmanaged_units, "accounts": unmanaged_accounts},
    }
    header = (f"# Ids of what exists in organization {live.id}, written by `lz sync {blueprint.name}`.\n"
              "# Commit this file; rerun `lz sync` instead of editing it. `unmanaged` lists live OUs\n"
              "# and accounts the blueprint does not mention (read by nobody, shown for drift).\n")
    text = header + yaml.dump(document, Dumper=_IdsDumper, sort_keys=True,
                              default_flow_style=False, allow_unicode=True)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SyncError(f"cannot write {target}: {exc.strerror or exc}") from None
    summary = (f"{len(matched)} of {_count(len(wanted), 'account')} and "
               f"{len(units)} of {_count(len(wanted_units), 'OU')} matched; "
               f"{_count(len(unmanaged_accounts), 'live account')} and "
               f"{_count(len(unmanaged_units), 'OU')} not in the blueprint")
    return target, summary


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _blueprint_org(blueprint: Path, variables: dict | None, allow_dirs: Iterable[str] = ()) -> dict[str, Any]:
    """The raw `organization` mapping: the blueprint need not validate, since ids are still missing."""
    display = display_name(blueprint)
    text = render_blueprint(blueprint, variables, allow_dirs)
    try:
        data, _ = parse_yaml(text.text, display, text.origins)
    except YamlIssue as exc:
        raise BlueprintError([exc.issue]) from None
    if not isinstance(data, dict):
        raise BlueprintError([Issue("not-a-mapping", "the blueprint is not a mapping",
                                    hint="a blueprint starts with `version: 1` and `name: ...`",
                                    file=display, line=1)])
    org = data.get("organization")
    return org if isinstance(org, dict) else {}


def _check_same_org(org: dict[str, Any], live: LiveOrg, blueprint: Path, ids_file: Path) -> dict[str, Any]:
    """Ids from another organization would be silently wrong everywhere, so refuse to write them.
    Returns the ids file as it was (empty when there is none or it is broken)."""
    sources = [(display_name(blueprint), org, "fix the id in the blueprint")]
    recorded: dict[str, Any] = {}
    try:
        recorded, _, _ = read_ids(ids_file)
        sources.append((display_name(ids_file), recorded,
                        "delete the ids file if the organization really changed"))
    except YamlIssue:
        pass  # a broken ids file is exactly what sync is for: it gets rewritten
    for where, known, fix in sources:
        for key in ORG_KEYS:
            mine, theirs = known.get(key), getattr(live, key)
            if mine is not None and str(mine) != theirs:
                raise SyncError(
                    f"{where} says organization.{key} is {mine!r} but the credentials in use reach "
                    f"{theirs!r} (organization {live.id}): use the management account of the "
                    f"blueprint's organization (--profile), or {fix}")
    return recorded


def _refuse_undeclared_renames(wanted: list[dict], matched: dict[str, str], recorded: dict[str, Any],
                               blueprint: Path) -> None:
    """An account the ids file records under a name the blueprint no longer has, now matched (by
    email) to another name without `renamed_from`, was renamed in the blueprint only. Writing its id
    under the new name would hide that from `lz validate`, and the next deploy would try to create it
    again under a new logical id."""
    before = recorded.get("accounts") if isinstance(recorded.get("accounts"), dict) else {}
    names = {a["name"] for a in wanted} | {a["renamed_from"] for a in wanted if isinstance(a.get("renamed_from"), str)}
    was = {ident: name for name, ident in sorted(before.items()) if isinstance(ident, str) and name not in names}
    for account in wanted:
        ident = matched.get(account["name"])
        if ident in was and not isinstance(account.get("renamed_from"), str):
            raise SyncError(
                f"account {account['name']!r} is the account {ids_path(blueprint).name} records as "
                f"{was[ident]!r} ({ident}): add `renamed_from: {was[ident]}` to it in {blueprint.name} "
                "(it keeps its logical id and stack), then run `lz sync` again")


def match_accounts(wanted: list[dict], live: list[LiveAccount]) -> dict[str, str]:
    """Blueprint name -> live id: email first (unique in AWS), then an unambiguous Name."""
    by_email = {a.email.lower(): a for a in live}
    matched: dict[str, str] = {}
    for account in wanted:
        email = account.get("email")
        hit = by_email.get(email.lower()) if isinstance(email, str) else None
        if hit is not None:
            matched[account["name"]] = hit.id
    claimed = set(matched.values())
    aliases = account_aliases(wanted)
    for i, account in enumerate(wanted):
        if account["name"] in matched:
            continue
        # A Name shared by several live accounts says nothing about which one is meant. A renamed
        # account keeps the AccountName it was created under until it is renamed in AWS too.
        names = aliases.get(i, ())
        hits = [a for a in live if a.name in names and a.id not in claimed]
        if len(hits) == 1:
            matched[account["name"]] = hits[0].id
            claimed.add(hits[0].id)
    return matched


def _read_live(client, profile: str | None) -> LiveOrg:
    import boto3
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        ProfileNotFound,
    )

    try:
        if client is None:
            client = boto3.Session(profile_name=profile).client("organizations")
        return walk_org(client)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, op = error.get("Code", "Error"), exc.operation_name
        hint = {
            "AWSOrganizationsNotInUseException": "these credentials' account is in no organization",
            "AccessDeniedException": "use credentials of the management account (--profile)",
        }.get(code, error.get("Message", "").strip())
        raise SyncError(f"AWS Organizations {op} failed ({code}): {hint}") from None
    except NoCredentialsError:
        raise SyncError("no AWS credentials found: pass --profile or set AWS_PROFILE") from None
    except ProfileNotFound as exc:
        raise SyncError(f"{exc}: check --profile against ~/.aws/config") from None
    except EndpointConnectionError as exc:
        raise SyncError(f"cannot reach AWS Organizations: {exc}") from None
    except BotoCoreError as exc:  # expired SSO token, bad config, timeouts: botocore's words are clear
        raise SyncError(f"AWS Organizations: {exc}") from None


def walk_org(client) -> LiveOrg:
    org = client.describe_organization()["Organization"]
    root_id = client.list_roots()["Roots"][0]["Id"]
    units: dict[str, str] = {}
    accounts: list[LiveAccount] = []
    # Walking parents gives both the OU paths and where each account sits in one pass,
    # one call per OU rather than one list_parents call per account.
    pending = [(root_id, "")]
    while pending:
        parent_id, path = pending.pop()
        for page in client.get_paginator("list_accounts_for_parent").paginate(ParentId=parent_id):
            accounts += [LiveAccount(a["Id"], a.get("Name", ""), a.get("Email", ""),
                                     a.get("Status", ""), path or "Root") for a in page["Accounts"]]
        paginator = client.get_paginator("list_organizational_units_for_parent")
        for page in paginator.paginate(ParentId=parent_id):
            for ou in page["OrganizationalUnits"]:
                child = f"{path}/{ou['Name']}" if path else ou["Name"]
                units[child] = ou["Id"]
                pending.append((ou["Id"], child))
    return LiveOrg(org["Id"], root_id, org["MasterAccountId"], units, accounts)


class _IdsDumper(yaml.SafeDumper):
    """Ids file style: account ids double-quoted (as the blueprint writes them), lists indented."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if value.isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_IdsDumper.add_representer(str, _str)
