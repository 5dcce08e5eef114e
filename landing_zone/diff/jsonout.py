"""`lz diff --format json`: everything, machine-readable, keys sorted so the same diff gives the same bytes."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from landing_zone.diff.model import Diff

SCHEMA_VERSION = 1


def as_data(diff: Diff) -> dict[str, Any]:
    summary = diff.summary
    return {
        "version": SCHEMA_VERSION,
        "base": diff.base,
        "head": diff.head,
        "base_note": diff.base_note,
        "data_loss": bool(diff.data_loss),
        "counts": {
            "data_loss_risks": len(diff.data_loss),
            "warnings": len(diff.risks) - len(diff.data_loss),
            "stacks": {s: sum(1 for d in diff.stacks if d.status == s) for s in ("added", "changed", "moved",
                                                                                   "removed")},
            "resources": diff.resource_counts(),
            "guardrail_statements": len(diff.guardrails),
            "decisions": sum(len(d.accounts) for d in diff.decisions),
            "requests_per_account": diff.requests,
        },
        "risks": [asdict(r) for r in diff.risks],
        "blueprint": {
            "accounts_added": [{"name": n, "unit": u} for n, u in summary.accounts_added],
            "accounts_removed": [{"name": n, "unit": u} for n, u in summary.accounts_removed],
            "accounts_moved": [{"name": n, "from": a, "to": b} for n, a, b in summary.accounts_moved],
            "accounts_renamed": [{"from": a, "to": b} for a, b in summary.accounts_renamed],
            "units_added": list(summary.units_added),
            "units_removed": list(summary.units_removed),
            "controls": [asdict(c) for c in summary.controls] if summary.controls_known else None,
        },
        "stacks": [asdict(s) for s in diff.stacks],
        "guardrails": [asdict(g) for g in diff.guardrails],
        "decisions": [asdict(d) for d in diff.decisions],
    }


def render_json(diff: Diff) -> str:
    return json.dumps(as_data(diff), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
