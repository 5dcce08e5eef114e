"""Checks of `guardrails.remediate`: detective controls with a declared runbook, once per target."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.checks.guardrails import _parameters as parameters_issues
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import account_unit, accounts_by_name, unit_covers
from landing_zone.blueprint.suggest import suggest
from landing_zone.catalog import load_catalog

REMEDIATE = ("guardrails", "remediate")


def remediated_controls_are_detective_with_a_runbook(bp: Blueprint) -> Iterator[Issue]:
    """Only a detective control (an AWS Config rule) can remediate, and only with the runbook its catalog
    entry declares; its parameters are checked like an enable entry's."""
    catalog = load_catalog()
    runbooks = sorted(i for i, c in catalog.items() if c.remediation is not None)
    for i, entry in enumerate(bp.guardrails.remediate):
        loc = REMEDIATE + (i,)
        control = catalog.get(entry.control)
        if control is None:
            yield Issue("guardrail-unknown-control", f"control {entry.control!r} is not in the catalog",
                        hint=suggest(entry.control, runbooks, show=6) + " (controls with a runbook)",
                        loc=loc + ("control",))
        elif control.behavior != "detective":
            yield Issue("remediation-not-detective", f"{control.id} is a {control.behavior} control; only "
                        "detective controls remediate", hint=f"a {control.behavior} control stops the change "
                        "before it happens, so there is nothing to fix; remediate one of: " + ", ".join(runbooks),
                        loc=loc + ("control",))
        elif control.remediation is None:
            yield Issue("remediation-no-runbook", f"{control.id} declares no remediation runbook",
                        hint="controls with a runbook: " + ", ".join(runbooks) + " (GUARDRAILS.md, column "
                             "Remediation); enable this one with `guardrails.enable` to detect only",
                        loc=loc + ("control",))
        else:
            yield from parameters_issues(control, entry.parameters, loc)


def remediations_are_not_repeated(bp: Blueprint) -> Iterator[Issue]:
    """One control, one remediation per OU or account: a second entry would race the first."""
    seen: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(bp.guardrails.remediate):
        targets = [("unit", u) for u in entry.units] + [("account", a) for a in entry.accounts]
        for kind, ref in targets:
            key = (entry.control, f"{kind}:{ref}")
            if key in seen and seen[key] != i:
                where = "Root" if ref == ROOT else f"{'OU' if kind == 'unit' else 'account'} {ref}"
                yield Issue("remediation-duplicate", f"{entry.control} is remediated on {where} twice",
                            hint="keep one entry per control and target (merge their modes and attempts)",
                            loc=REMEDIATE + (i, "units" if kind == "unit" else "accounts"),
                            related=REMEDIATE + (seen[key],))
            seen.setdefault(key, i)


def remediations_are_not_disabled(bp: Blueprint) -> Iterator[Issue]:
    """A remediation where `guardrails.disable` switches its control off would never run: the disable wins."""
    accounts = accounts_by_name(bp)
    for i, entry in enumerate(bp.guardrails.remediate):
        disables = [(j, d) for j, d in enumerate(bp.guardrails.disable) if d.control == entry.control]
        targets = [("units", k, u, u) for k, u in enumerate(entry.units)]
        targets += [("accounts", k, a, (account_unit(bp, accounts[a]) if a in accounts else None) or ROOT)
                    for k, a in enumerate(entry.accounts)]
        for field, k, ref, unit in targets:
            for j, disable in disables:
                if any(unit_covers(d, unit) for d in disable.units) or (field == "accounts" and ref in disable.accounts):
                    where = "Root" if ref == ROOT else f"{'OU' if field == 'units' else 'account'} {ref}"
                    yield Issue("remediation-control-disabled", f"{entry.control} is remediated on {where}, where "
                                "guardrails.disable switches it off", loc=REMEDIATE + (i, field, k),
                                related=("guardrails", "disable", j),
                                hint="remove the disable entry there, or the remediation: a disabled control "
                                     "finds nothing to fix")
                    break
