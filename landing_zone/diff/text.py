"""`lz diff` for terminals: risks first, then the blueprint, guardrails, decisions and stacks."""
from __future__ import annotations

from landing_zone.blueprint.issues import printable
from landing_zone.diff.model import DATA_LOSS, ControlChange, Diff, ResourceChange, Summary

MARK = {"added": "+", "removed": "-", "modified": "~", "replaced": "±", "changed": "~"}
# One line per (account, request): past this many, the rest is counted (--format json has them all).
DECISION_LINES = 500


def control_line(change: ControlChange) -> str:
    parts = []
    if change.added:
        parts.append("enabled on " + ", ".join(change.added))
    if change.removed:
        parts.append("no longer on " + ", ".join(change.removed))
    if change.parameters:
        parts.append("other parameters on " + ", ".join(change.parameters))
    return f"control {change.control}: " + "; ".join(parts)


def blueprint_lines(summary: Summary) -> list[str]:
    lines = [f"+ account {n} in {u}" for n, u in summary.accounts_added]
    lines += [f"- account {n} (was in {u})" for n, u in summary.accounts_removed]
    lines += [f"~ account {o} renamed {n} (same email)" for o, n in summary.accounts_renamed]
    lines += [f"~ account {n} moves {a} → {b}" for n, a, b in summary.accounts_moved]
    lines += [f"+ OU {u}" for u in summary.units_added] + [f"- OU {u}" for u in summary.units_removed]
    lines += [control_line(c) for c in summary.controls]
    if not summary.controls_known:
        lines.append("(controls per target: no base blueprint with --base-out; see the guardrail statements)")
    return lines


def resource_detail(change: ResourceChange) -> str:
    parts = []
    if change.kind == "replaced":
        parts.append("replaced by " + ", ".join(change.replacing))
    changed = [p for p in change.properties if p not in change.replacing] + list(change.attributes)
    if changed:
        parts.append(", ".join(changed))
    if change.kind in ("removed", "replaced"):
        parts.append("retained" if change.retained else "not retained")
    return "; ".join(parts)


def render_text(diff: Diff) -> str:
    out = [f"lz diff: {diff.base} → {diff.head}", f"  ({diff.base_note})"]
    if diff.empty:
        out.append("no changes: same templates, same guardrails, same decisions")
        return printable("\n".join(out)) + "\n"
    out.append("summary: " + "; ".join(diff.headline()))
    if diff.risks:
        out += ["", "Risks"]
        for risk in diff.risks:
            label = "DATA LOSS" if risk.severity == DATA_LOSS else "warning"
            out.append(f"  {label:<9}  {risk.stack}  {risk.subject}  {risk.resource_type}")
            out.append(f"             {risk.message}")
    lines = blueprint_lines(diff.summary)
    if lines:
        out += ["", "Blueprint"] + [f"  {line}" for line in lines]
    if diff.guardrails:
        out += ["", "Guardrail statements (per target, by Sid)"]
        target = None
        for change in diff.guardrails:
            if (change.policy_type, change.target) != target:
                target = (change.policy_type, change.target)
                out.append(f"  {change.policy_type} {change.target}")
            control = f" ({change.control})" if change.control else ""
            out.append(f"    {MARK[change.kind]} {change.sid}{control} in {change.policy}")
            out += [f"        {d}" for d in change.details]
    if diff.decisions:
        out += ["", f"Decisions ({diff.requests} requests per account, evaluated once per distinct policy chain)"]
        pairs = sorted(((a, d) for d in diff.decisions for a in d.accounts), key=lambda p: (p[0], p[1].request))
        width = max(len(a) for a, _ in pairs)
        for account, change in pairs[:DECISION_LINES]:
            out.append(f"  {account:<{width}}  {change.request}  {change.before} → {change.after} ({change.cause})")
        if len(pairs) > DECISION_LINES:
            out.append(f"  ... and {len(pairs) - DECISION_LINES} more (--format json lists them all)")
    if diff.stacks:
        out += ["", "Stacks"]
        for stack in diff.stacks:
            env = stack.head_environment or stack.base_environment
            if stack.status == "moved":
                env = f"{stack.base_environment} → {stack.head_environment}"
            out.append(f"  {stack.name} ({stack.status}, {env})")
            for change in stack.resources:
                detail = resource_detail(change)
                out.append(f"    {MARK[change.kind]} {change.logical_id}  {change.resource_type}"
                           + (f"  {detail}" if detail else ""))
            if stack.outputs:
                out.append("    outputs: " + ", ".join(f"{MARK[k]}{name}" for name, k in stack.outputs))
            if stack.sections:
                out.append("    sections changed: " + ", ".join(stack.sections))
    return printable("\n".join(out)) + "\n"
