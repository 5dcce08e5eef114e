"""Guardrail effect at statement level: SCP and RCP statements added, removed or changed per target."""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from landing_zone.blueprint.model.common import ROOT
from landing_zone.catalog import load_catalog
from landing_zone.diff.model import StatementChange
from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.plan.names import digest

TYPES = {"SERVICE_CONTROL_POLICY": "SCP", "RESOURCE_CONTROL_POLICY": "RCP"}
ELEMENTS = ("Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition")


@cache
def control_of_sid() -> dict[str, str]:
    """Catalog SCP statements carry Sids unique across the catalog (a test keeps them so)."""
    return {s["Sid"]: c.id for c in load_catalog().values() for s in (c.scp or []) if s.get("Sid")}


def target_label(key: str) -> str:
    return f"account {key[8:]}" if key.startswith("account:") else key


def target_order(label: str) -> tuple[int, str]:
    return (0 if label == ROOT else 2 if label.startswith("account ") else 1, label)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def statements_at(deployed: DeployedPolicies, policy_type: str, key: str) -> dict[str, tuple[dict, str]]:
    """Statements attached at one target, keyed by Sid (packing may move a statement from one policy
    document to another: that is no change). A Sid used twice there is told apart by its policy."""
    found: list[tuple[str, dict, str]] = []
    for ref in deployed.attached.get(policy_type, {}).get(key, []):
        statements = ref.document.get("Statement", [])
        for statement in statements if isinstance(statements, list) else [statements]:
            sid = statement.get("Sid") or f"(no Sid) {digest(_canonical(statement), 8)}"
            found.append((sid, statement, ref.name))
    counts: dict[str, int] = {}
    for sid, _, _ in found:
        counts[sid] = counts.get(sid, 0) + 1
    return {(sid if counts[sid] == 1 else f"{sid} in {policy}"): (statement, policy)
            for sid, statement, policy in found}


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _short(value: Any) -> str:
    return value if isinstance(value, str) else _canonical(value)


def value_changes(path: str, old: Any, new: Any) -> Iterator[str]:
    """Readable differences: list members added (+) and removed (-), nested into Condition blocks."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            yield from value_changes(f"{path}.{key}", old.get(key), new.get(key))
        return
    if old is None or new is None or isinstance(old, dict) or isinstance(new, dict):
        yield f"{path}: {_short(old) if old is not None else '(none)'} → {_short(new) if new is not None else '(none)'}"
        return
    before, after = [_short(v) for v in _as_list(old)], [_short(v) for v in _as_list(new)]
    if len(before) == 1 and len(after) == 1:
        yield f"{path}: {before[0]} → {after[0]}"
        return
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    parts = [f"+{v}" for v in added] + [f"-{v}" for v in removed]
    yield f"{path}: " + (", ".join(parts) if parts else "same values, other order")


def statement_details(old: dict, new: dict) -> tuple[str, ...]:
    out: list[str] = []
    for element in ELEMENTS + tuple(sorted((set(old) | set(new)) - set(ELEMENTS) - {"Sid"})):
        out.extend(value_changes(element, old.get(element), new.get(element)))
    return tuple(out)


def diff_guardrails(base: DeployedPolicies, head: DeployedPolicies) -> tuple[StatementChange, ...]:
    controls = control_of_sid()
    changes = []
    for policy_type, short in TYPES.items():
        keys = set(base.attached.get(policy_type, {})) | set(head.attached.get(policy_type, {}))
        for key in keys:
            before, after = statements_at(base, policy_type, key), statements_at(head, policy_type, key)
            label = target_label(key)
            for sid in set(before) | set(after):
                plain = sid.split(" in ")[0]
                control = controls.get(plain, "")
                if sid not in after:
                    changes.append(StatementChange(short, label, sid, "removed", control, before[sid][1]))
                elif sid not in before:
                    changes.append(StatementChange(short, label, sid, "added", control, after[sid][1]))
                elif _canonical(before[sid][0]) != _canonical(after[sid][0]):
                    changes.append(StatementChange(short, label, sid, "changed", control, after[sid][1],
                                                   statement_details(before[sid][0], after[sid][0])))
    return tuple(sorted(changes, key=lambda c: (c.policy_type, target_order(c.target), c.sid)))
