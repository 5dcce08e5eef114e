"""Blueprint-level changes from the two plans: accounts and OUs added, removed, moved; controls per target."""
from __future__ import annotations

from collections import defaultdict

from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.diff.guardrails import target_order
from landing_zone.diff.model import ControlChange, Summary
from landing_zone.plan import Plan
from landing_zone.plan.context import landing_zone_context
from landing_zone.plan.guardrails import resolve_guardrails


def control_targets(loaded: LoadedBlueprint) -> dict[str, dict[str, tuple]]:
    """control id → target label → parameters, every behaviour (detective and proactive too)."""
    bp = loaded.model
    instances, _ = resolve_guardrails(bp, landing_zone_context(bp))
    out: dict[str, dict[str, tuple]] = defaultdict(dict)
    for instance in instances:
        for target in instance.targets:
            out[instance.control.id][target.label()] = instance.parameters
    return out


def _ordered(labels) -> tuple[str, ...]:
    return tuple(sorted(labels, key=target_order))


def _controls(base: LoadedBlueprint, head: LoadedBlueprint) -> tuple[ControlChange, ...]:
    before, after = control_targets(base), control_targets(head)
    changes = []
    for control in sorted(set(before) | set(after)):
        old, new = before.get(control, {}), after.get(control, {})
        added, removed = _ordered(set(new) - set(old)), _ordered(set(old) - set(new))
        parameters = _ordered(t for t in set(old) & set(new) if old[t] != new[t])
        if added or removed or parameters:
            changes.append(ControlChange(control, added, removed, parameters))
    return tuple(changes)


def summarize(base_plan: Plan, head_plan: Plan, base: LoadedBlueprint | None,
              head: LoadedBlueprint | None) -> Summary:
    old = {a.name: a for a in base_plan.accounts}
    new = {a.name: a for a in head_plan.accounts}
    gone = sorted(set(old) - set(new))
    came = sorted(set(new) - set(old))
    # The same email under another name is a rename (the stack diff shows what CloudFormation makes of it).
    by_email = {new[n].email: n for n in came}
    renamed = tuple((n, by_email[old[n].email]) for n in gone if old[n].email in by_email)
    renamed_old, renamed_new = {o for o, _ in renamed}, {n for _, n in renamed}
    old_units = {u.path for u in base_plan.units}
    new_units = {u.path for u in head_plan.units}
    return Summary(
        accounts_added=tuple((n, new[n].unit) for n in came if n not in renamed_new),
        accounts_removed=tuple((n, old[n].unit) for n in gone if n not in renamed_old),
        accounts_moved=tuple((n, old[n].unit, new[n].unit) for n in sorted(set(old) & set(new))
                             if old[n].unit != new[n].unit),
        accounts_renamed=renamed,
        units_added=tuple(sorted(new_units - old_units)),
        units_removed=tuple(sorted(old_units - new_units)),
        controls=_controls(base, head) if base and head else (),
        controls_known=bool(base and head))
