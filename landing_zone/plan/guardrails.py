"""Resolves `guardrails:` into control instances: resolved parameters and the targets they attach to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.model import Blueprint
from landing_zone.catalog import Control, load_catalog
from landing_zone.plan.targets import ROOT_TARGET, Target, Tree

REGION_DENY_CONTROL = "LZ-REGION-001"
Parameters = tuple[tuple[str, Any], ...]
# What the blueprint decides for one control on one node: switch it off, or on with these parameters.
Decision = tuple[Literal["disable"]] | tuple[Literal["enable"], Parameters]
DISABLED: tuple[Literal["disable"]] = ("disable",)
LEVEL_PRIORITY = 1


@dataclass(frozen=True)
class ControlInstance:
    """One control with one set of parameter values, attached to the targets it covers."""

    control: Control
    parameters: Parameters
    targets: tuple[Target, ...]
    loc: Loc = ("guardrails",)   # the blueprint entry that set these parameters
    remediation: Any = None      # plan/remediation.py RemediationSpec: the runbook runs on these targets

    @property
    def values(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.parameters}


def _frozen(values: dict[str, Any]) -> Parameters:
    # List parameters are sets (regions, principals, tag keys): sorted, so blueprint order never shows.
    return tuple(sorted((k, tuple(sorted(set(v), key=str)) if isinstance(v, list) else v)
                        for k, v in values.items()))


def resolve_parameters(control: Control, given: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for parameter in control.parameters:
        if parameter.name in given:
            values[parameter.name] = given[parameter.name]
        elif parameter.default_from:
            values[parameter.name] = context[parameter.default_from]
        else:
            values[parameter.name] = parameter.default
    return values


def resolve_guardrails(bp: Blueprint, context: dict[str, Any]) -> tuple[list[ControlInstance], list[Issue]]:
    """Nearest decision wins: a disable on an OU beats an enable on Root; on one node, disable beats
    a control's own enable, which beats an enable by level. An enable by level below an enabled
    ancestor keeps the ancestor's parameters."""
    # A control that `requires` a context list the blueprint leaves empty protects nothing (LZ-SEC-001
    # without security services): it is left out, however it is enabled.
    catalog = {i: c for i, c in load_catalog().items() if not c.requires or context.get(c.requires)}
    tree = Tree(bp)
    # control id → node → (priority, decision, loc)
    decisions: dict[str, dict[Target, tuple[int, Decision, Loc]]] = {}
    issues: list[Issue] = []

    def decide(control: Control, node: Target, priority: int, decision: Decision, loc: Loc) -> None:
        nodes = decisions.setdefault(control.id, {})
        current = nodes.get(node)
        if current and current[0] == priority and current[1] != decision:
            mine, theirs = dict(decision[1]) if len(decision) > 1 else {}, dict(current[1][1]) \
                if len(current[1]) > 1 else {}
            differing = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
            issues.append(Issue("guardrail-parameter-conflict",
                                f"{control.id} is enabled on {node.label()} again with different "
                                f"parameters ({', '.join(differing)}) than another entry", related=current[2],
                                hint="merge the two entries into one", loc=loc))
        if current is None or priority > current[0]:
            nodes[node] = (priority, decision, loc)

    for control in catalog.values():
        if control.level == "mandatory":
            decide(control, ROOT_TARGET, 1, ("enable", _frozen(resolve_parameters(control, {}, context))),
                   ("guardrails",))
    for i, entry in enumerate(bp.guardrails.enable):
        loc = ("guardrails", "enable", i)
        if entry.level:
            chosen = [c for c in catalog.values() if c.level == entry.level and c.by_level
                      and not any(p.required for p in c.parameters)]
            priority, given = 1, {}
        else:
            chosen = [catalog[entry.control]] if entry.control in catalog else []
            priority, given = 2, entry.parameters
        for control in chosen:
            decision: Decision = ("enable", _frozen(resolve_parameters(control, given, context)))
            for node in tree.of(entry):
                decide(control, node, priority, decision, loc)
    # A remediation switches its detective control on where nothing enables it yet, like a level (it never
    # replaces parameters an enable entry or an ancestor gives); plan/remediation.py attaches the runbook.
    for i, remediation in enumerate(bp.guardrails.remediate):
        detective = catalog.get(remediation.control)
        if detective is not None and detective.behavior == "detective":
            decision = ("enable", _frozen(resolve_parameters(detective, remediation.parameters, context)))
            for node in tree.of(remediation):
                decide(detective, node, LEVEL_PRIORITY, decision, ("guardrails", "remediate", i))
    if bp.guardrails.region_deny and REGION_DENY_CONTROL in catalog:
        control, deny = catalog[REGION_DENY_CONTROL], bp.guardrails.region_deny
        # The landing zone's own deployers stay exempt: denying them would break every deploy.
        given = {"exempt_principals": context["landing_zone_principals"] + list(deny.exempt_principals)}
        if deny.allowed_regions:
            given["allowed_regions"] = deny.allowed_regions
        targets = tree.of(deny) or [ROOT_TARGET]
        for node in targets:
            decide(control, node, 2, ("enable", _frozen(resolve_parameters(control, given, context))),
                   ("guardrails", "region_deny"))
    for i, disable in enumerate(bp.guardrails.disable):
        if disable.control in catalog and catalog[disable.control].level != "mandatory":
            for node in tree.of(disable):
                decide(catalog[disable.control], node, 3, DISABLED, ("guardrails", "disable", i))

    instances = []
    for control_id, nodes in sorted(decisions.items()):
        control = catalog[control_id]
        enabled = sorted({d for _, d, _ in nodes.values() if d[0] == "enable"})

        def state_of(node: Target, inherited: Decision | None,
                     nodes: dict[Target, tuple[int, Decision, Loc]] = nodes) -> Decision | None:
            if node not in nodes:
                return inherited
            priority, decision, _ = nodes[node]
            # Enabling a whole level only switches controls on: it never replaces the parameters
            # of a control an ancestor already enables (a region deny's break-glass exemptions).
            if priority == LEVEL_PRIORITY and inherited not in (None, DISABLED):
                return inherited
            return decision
        for decision in enabled:
            targets = tree.cover(state_of, decision)
            if targets:
                where = next(loc for _, d, loc in nodes.values() if d == decision)
                instances.append(ControlInstance(control, decision[1], tuple(targets), where))
    return instances, issues
