"""Checks of `guardrails:` against the catalog: known ids, mandatory controls, parameters."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.suggest import suggest
from landing_zone.blueprint.tower import uses_tower
from landing_zone.catalog import Control, load_catalog
from landing_zone.catalog.control_tower import LANDING_ZONE_REGION_DENY
from landing_zone.catalog.model import Parameter

_TYPES: dict[str, tuple[type[Any], ...]] = {"string": (str,), "list": (list,), "integer": (int,), "boolean": (bool,)}


def controls_exist(bp: Blueprint) -> Iterator[Issue]:
    """Every control id in enable/disable is in the catalog (with a did-you-mean)."""
    catalog = load_catalog()
    entries = [("enable", i, e.control) for i, e in enumerate(bp.guardrails.enable) if e.control]
    entries += [("disable", i, e.control) for i, e in enumerate(bp.guardrails.disable)]
    for section, i, control in entries:
        if control not in catalog and not (section == "enable" and control == LANDING_ZONE_REGION_DENY
                                           and uses_tower(bp)):
            # (the landing zone's Region deny under the control-tower engine: control-tower-not-api)
            yield Issue("guardrail-unknown-control", f"control {control!r} is not in the catalog",
                        hint=suggest(control, catalog, show=6) + " (GUARDRAILS.md lists them all)",
                        loc=("guardrails", section, i, "control"))


def mandatory_controls_stay_enabled(bp: Blueprint) -> Iterator[Issue]:
    """Mandatory controls protect the landing zone itself (its trail, log bucket and roles)."""
    catalog = load_catalog()
    for i, entry in enumerate(bp.guardrails.disable):
        control = catalog.get(entry.control)
        if control is not None and control.level == "mandatory":
            yield Issue("guardrail-mandatory-disabled", f"{control.id} is mandatory and cannot be disabled",
                        hint="mandatory controls are always on at Root; remove this disable entry",
                        loc=("guardrails", "disable", i, "control"))


def parameters_match_declarations(bp: Blueprint) -> Iterator[Issue]:
    """Parameters are declared by the control, of the declared type, among the allowed values, and given with `control:` only."""
    catalog = load_catalog()
    for i, entry in enumerate(bp.guardrails.enable):
        loc = ("guardrails", "enable", i)
        if entry.level is not None:
            if entry.parameters:
                yield Issue("guardrail-level-parameters", f"parameters ({', '.join(sorted(entry.parameters))}) "
                            f"given with `level: {entry.level}`; they can only be given with `control:`",
                            hint="enable the control by id with its parameters in a separate entry",
                            loc=loc + ("parameters",))
            continue
        control = catalog.get(entry.control or "")
        if control is not None:
            yield from _parameters(control, entry.parameters, loc)


def _parameters(control: Control, given: dict[str, Any], loc: Loc) -> Iterator[Issue]:
    declared = {p.name: p for p in control.parameters}
    for name, value in given.items():
        parameter = declared.get(name)
        if parameter is None:
            yield Issue("guardrail-parameter-unknown", f"{control.id} has no parameter {name!r}",
                        hint=suggest(name, declared) if declared else f"{control.id} takes no parameters",
                        loc=loc + ("parameters", name))
        else:
            yield from _value(control, parameter, value, loc + ("parameters", name))
    for parameter in control.parameters:
        if parameter.required and parameter.name not in given:
            yield Issue("guardrail-parameter-missing", f"{control.id} needs parameter {parameter.name!r}",
                        hint=f"{parameter.name}: {parameter.description}", loc=loc)


def _value(control: Control, parameter: Parameter, value: Any, loc: Loc) -> Iterator[Issue]:
    types = _TYPES[parameter.type]
    if not isinstance(value, types) or (parameter.type == "integer" and isinstance(value, bool)):
        article = "an" if parameter.type[0] in "aeiou" else "a"
        yield Issue("guardrail-parameter-type", f"{parameter.name} of {control.id} must be {article} "
                    f"{parameter.type}, received {quote(value)}", hint=parameter.description, loc=loc)
        return
    # Lists hold ARNs, actions, tag keys: strings. Anything else would reach the SCP templates.
    odd = next((i for i, item in enumerate(value) if not isinstance(item, str)), None) \
        if isinstance(value, list) else None
    if odd is not None:
        yield Issue("guardrail-parameter-type", f"{parameter.name} of {control.id} must be a list of strings, "
                    f"item {odd} is {quote(value[odd])} ({type(value[odd]).__name__})",
                    hint=parameter.description, loc=loc + (odd,))
        return
    if parameter.allowed is not None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in parameter.allowed:
                yield Issue("guardrail-parameter-not-allowed", f"{quote(item)} is not allowed for "
                            f"{parameter.name} of {control.id}",
                            hint=f"allowed: {', '.join(map(str, parameter.allowed))}", loc=loc)


def region_deny_keeps_home_region(bp: Blueprint) -> Iterator[Issue]:
    """A region deny that blocks the home region would block the landing zone itself."""
    deny = bp.guardrails.region_deny
    if deny and deny.allowed_regions and bp.home_region not in deny.allowed_regions:
        yield Issue("region-deny-home-region", f"region_deny does not allow the home region "
                    f"{bp.home_region!r}", hint="the organization trail, log archive and stacks live "
                    "there; add it to allowed_regions", loc=("guardrails", "region_deny", "allowed_regions"))
