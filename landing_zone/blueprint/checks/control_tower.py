"""Checks of the control-tower engine: what AWS Control Tower accepts, caught before any deploy.

Every check returns at once under the native engine. Registered OUs come from blueprint/tower.py,
the control mapping and landing zone versions from the vendored snapshot (catalog/control_tower.py).
"""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT, Targets
from landing_zone.blueprint.query import UnitRef, account_role, account_unit, unit_paths
from landing_zone.blueprint.suggest import suggest
from landing_zone.blueprint.tower import in_security_unit, registered_units, uses_tower
from landing_zone.catalog import Control, load_catalog
from landing_zone.catalog.control_tower import (
    LANDING_ZONE_REGION_DENY,
    enforced_by_tower,
    landing_zone_versions,
    shape_problems,
    tower_snapshot,
)

REGION_DENY_CONTROL = "LZ-REGION-001"
MAX_OPERATIONS = 100
SHARED_ROLES = ("log-archive", "audit")


def tower_version_is_known(bp: Blueprint) -> Iterator[Issue]:
    """The manifest shape and the OU baseline version follow from the landing zone version."""
    version = bp.control_tower.landing_zone.version
    if uses_tower(bp) and version not in landing_zone_versions():
        known = ", ".join(sorted(landing_zone_versions()))
        yield Issue("control-tower-version-unknown", f"landing zone version {quote(version)} is not known to "
                    f"this release; allowed: {known}",
                    hint="declare the landing zone's version (AWS Control Tower only updates to the latest "
                         "available one; `lz preflight` prints it)",
                    loc=("control_tower", "landing_zone", "version"))


def tower_concurrency_is_in_range(bp: Blueprint) -> Iterator[Issue]:
    """AWS Control Tower runs a bounded number of control operations at once, per organization."""
    value = bp.control_tower.max_concurrent_operations
    if uses_tower(bp) and not 1 <= value <= MAX_OPERATIONS:
        yield Issue("control-tower-concurrency", f"max_concurrent_operations is {value}; allowed: 1 to "
                    f"{MAX_OPERATIONS}", hint="10 leaves room for the console and other tools, which share "
                    "AWS Control Tower's quota of concurrent control operations",
                    loc=("control_tower", "max_concurrent_operations"))


def tower_security_unit_is_valid(bp: Blueprint) -> Iterator[Issue]:
    """The security unit is a top-level OU holding the log-archive and audit accounts."""
    if not uses_tower(bp):
        return
    name = bp.control_tower.security_unit
    top_level = [ref.path for ref in unit_paths(bp).values() if "/" not in ref.path]
    if name not in top_level:
        yield Issue("control-tower-security-unit-unknown", f"security_unit {quote(name)} is not a top-level OU",
                    hint=suggest(name, top_level) + "; the OU that holds the log-archive and audit accounts",
                    loc=("control_tower", "security_unit"))
        return
    for i, account in enumerate(bp.organization.accounts):
        role = account_role(bp, account)
        if role in SHARED_ROLES and account_unit(bp, account) != name:
            yield Issue("control-tower-shared-account-outside", f"the {role} account {account.name!r} is in "
                        f"{quote(account_unit(bp, account) or ROOT)}, not in the security unit {name!r}",
                        hint=f"AWS Control Tower keeps its shared accounts in the security unit: move it to {name}",
                        loc=("organization", "accounts", i, "unit"))


def tower_registrations_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Registered OUs exist, lie outside the security unit and have registered parents."""
    if not uses_tower(bp) or bp.control_tower.register_units is None:
        return
    paths = unit_paths(bp)
    registered = set(registered_units(bp))
    for i, path in enumerate(bp.control_tower.register_units):
        loc = ("control_tower", "register_units", i)
        if path != ROOT and path not in paths:
            yield Issue("control-tower-register-unit-unknown", f"OU {quote(path)} is not in organization.units",
                        hint=suggest(path, [ROOT, *paths]), loc=loc)
        elif in_security_unit(bp, path):
            yield _security(bp, f"OU {path!r} is registered", loc)
        elif path != ROOT and "/" in path and path.rpartition("/")[0] not in registered:
            parent = path.rpartition("/")[0]
            yield Issue("control-tower-parent-unregistered", f"OU {path!r} is registered, its parent "
                        f"{parent!r} is not", hint=f"AWS Control Tower registers an OU only under a registered "
                        f"parent: register {parent!r} (which registers everything below it) instead", loc=loc)


def tower_controls_are_placeable(bp: Blueprint) -> Iterator[Issue]:
    """Controls AWS Control Tower enforces go on registered OUs outside the security unit, never on
    accounts; mandatory controls and the landing zone's Region deny are not enabled through the API."""
    if not uses_tower(bp):
        return
    catalog = load_catalog()
    registered = set(registered_units(bp))
    known = unit_paths(bp)
    for i, entry in enumerate(bp.guardrails.enable):
        loc = ("guardrails", "enable", i)
        if entry.control is not None:
            yield from _not_through_api(entry.control, catalog, loc + ("control",))
        if _tower_controls(entry.control, entry.level, catalog):
            yield from _targets(bp, entry, loc, registered, known, entry.control or f"level {entry.level}")
    for i, disabled in enumerate(bp.guardrails.disable):
        if _tower_controls(disabled.control, None, catalog):
            yield from _targets(bp, disabled, ("guardrails", "disable", i), registered, known, disabled.control)
    deny = bp.guardrails.region_deny
    if deny is not None:
        yield from _targets(bp, deny, ("guardrails", "region_deny"), registered, known, "region_deny")


def tower_controls_are_not_duplicated(bp: Blueprint) -> Iterator[Issue]:
    """One EnabledControl per control and OU: two entries enabling the same control on one OU collide."""
    if not uses_tower(bp):
        return
    seen: dict[tuple[str, str], Loc] = {}
    entries: list[tuple[str, list[str], Loc]] = [
        (e.control, e.units, ("guardrails", "enable", i)) for i, e in enumerate(bp.guardrails.enable) if e.control]
    deny = bp.guardrails.region_deny
    if deny is not None:
        entries.append((REGION_DENY_CONTROL, deny.units or [ROOT], ("guardrails", "region_deny")))
    for control, units, loc in entries:
        for j, unit in enumerate(units):
            key = (control, unit)
            where = loc + ("units", j) if loc[-1] != "region_deny" or (deny is not None and deny.units) else loc
            if key in seen:
                yield Issue("control-tower-duplicate-control", f"{control} is enabled on {unit!r} twice",
                            related=seen[key], hint="AWS Control Tower holds one enabled control per control and "
                            "OU: keep one entry (with the parameters you want)", loc=where)
            else:
                seen[key] = where


def tower_regions_cover_region_deny(bp: Blueprint) -> Iterator[Issue]:
    """The landing zone governs `governed_regions`; the OU Region deny cannot allow others (and
    the home region must be governed: home-region-not-governed)."""
    if not uses_tower(bp):
        return
    governed = set(bp.governed_regions)
    lists: list[tuple[list[str], Loc]] = []
    if bp.guardrails.region_deny is not None:
        lists.append((bp.guardrails.region_deny.allowed_regions, ("guardrails", "region_deny", "allowed_regions")))
    for i, entry in enumerate(bp.guardrails.enable):
        allowed = entry.parameters.get("allowed_regions") if entry.control == REGION_DENY_CONTROL else None
        if isinstance(allowed, list):
            lists.append((allowed, ("guardrails", "enable", i, "parameters", "allowed_regions")))
    for regions, loc in lists:
        for j, region in enumerate(regions):
            if region not in governed:
                yield Issue("control-tower-region-not-governed", f"region_deny allows {quote(region)}, which is "
                            f"not governed (governed_regions: {', '.join(sorted(governed))})",
                            hint="AWS Control Tower's landing zone denies regions it does not govern before the "
                                 "OU Region deny is evaluated: add the region to governed_regions or drop it here",
                            loc=loc + (j,))


def tower_parameters_are_supported(bp: Blueprint) -> Iterator[Issue]:
    """Parameters of a control AWS Control Tower enforces must be ones its EnabledControl takes."""
    if not uses_tower(bp):
        return
    catalog = load_catalog()
    for i, entry in enumerate(bp.guardrails.enable):
        control = catalog.get(entry.control or "")
        tower = enforced_by_tower(control) if control else None
        if control is None or tower is None:
            continue
        taken = {name for _, name in tower.parameters}
        for name in entry.parameters:
            if name not in taken and control.parameter(name) is not None:
                alias = "" if tower.identifier == control.id else f" as {tower.identifier}"
                yield Issue("control-tower-parameter-unsupported", f"{control.id} is enforced by AWS Control "
                            f"Tower{alias}, whose control takes no parameter for {name!r}",
                            hint=(f"it takes: {', '.join(sorted(taken))}" if taken else "it takes no parameters")
                            + "; remove the parameter, or use engine native for this setting",
                            loc=("guardrails", "enable", i, "parameters", name))


def tower_manifest_is_known(bp: Blueprint) -> Iterator[Issue]:
    """extra_manifest only holds fields the declared landing zone version knows."""
    settings = bp.control_tower.landing_zone
    versions = landing_zone_versions()
    if not uses_tower(bp) or not settings.extra_manifest or settings.version not in versions:
        return
    shape = versions[settings.version].manifest
    partial = {**shape, "required": []}   # the generated manifest holds the required fields
    for path, problem in shape_problems(dict(settings.extra_manifest), partial):
        loc: Loc = ("control_tower", "landing_zone", "extra_manifest", *path.split(".")[:1])
        fields = ", ".join(sorted(shape.get("properties", {})))
        yield Issue("control-tower-manifest-unknown-field" if problem == "unknown field"
                    else "control-tower-manifest-invalid",
                    f"manifest field {path!r}: {problem} for landing zone version {settings.version}",
                    hint=f"version {settings.version} takes: {fields}", loc=loc)


def tower_native_controls_are_listed(bp: Blueprint) -> Iterator[Issue]:
    """Controls that name a Control Tower control the vendored snapshot lacks stay native: a warning."""
    if not uses_tower(bp):
        return
    catalog = load_catalog()
    enabled = {c.id for c in catalog.values() if c.level == "mandatory"}
    for entry in bp.guardrails.enable:
        if entry.level:
            enabled |= {c.id for c in catalog.values() if c.level == entry.level and c.by_level}
        elif entry.control in catalog:
            enabled.add(entry.control)
    if bp.guardrails.region_deny is not None:
        enabled.add(REGION_DENY_CONTROL)
    identifiers = {c: tower.identifier for c in enabled
                   if (tower := catalog[c].control_tower) and enforced_by_tower(catalog[c]) is None}
    native = sorted(identifiers)
    if native:
        yield Issue("control-tower-stays-native", f"{len(native)} enabled control(s) stay native under engine "
                    f"control-tower: {', '.join(f'{c} ({identifiers[c]})' for c in native)}",
                    hint=f"the vendored Control Tower snapshot ({tower_snapshot().date}) has no identifier for them, "
                         "so they are synthesized as SCPs, Config rules or Guard hooks as under engine native",
                    loc=("guardrails", "engine"), severity="warning")


# ---------- helpers ----------

def _tower_controls(control_id: str | None, level: str | None, catalog: dict[str, Control]) -> list[Control]:
    """The controls of an entry that AWS Control Tower enforces through EnabledControl."""
    chosen = ([catalog[control_id]] if control_id in catalog else []) if control_id else \
        [c for c in catalog.values() if c.level == level and c.by_level]
    out = []
    for control in chosen:
        tower = enforced_by_tower(control)
        if tower is not None and tower.enabled_through_api:
            out.append(control)
    return out


def _not_through_api(control_id: str, catalog: dict[str, Control], loc: Loc) -> Iterator[Issue]:
    control = catalog.get(control_id)
    tower = enforced_by_tower(control) if control else tower_snapshot().controls.get(control_id)
    if control_id == LANDING_ZONE_REGION_DENY:
        yield Issue("control-tower-not-api", f"{control_id} is the landing zone's Region deny, a landing zone "
                    "setting: AWS Control Tower does not enable it through AWS::ControlTower::EnabledControl",
                    hint="use guardrails.region_deny: it becomes the OU Region deny (CT.MULTISERVICE.PV.1) with "
                         "its allowed regions and exempt principals", loc=loc)
    elif tower is not None and not tower.enabled_through_api:
        yield Issue("control-tower-not-api", f"{control_id} is mandatory: AWS Control Tower applies it with the "
                    "landing zone and every registered OU, and refuses it through AWS::ControlTower::EnabledControl",
                    hint="remove this entry; mandatory controls are always on", loc=loc)


def _targets(bp: Blueprint, entry: Targets, loc: Loc, registered: set[str], known: dict[str, UnitRef], what: str
             ) -> Iterator[Issue]:
    for j, unit in enumerate(entry.units):
        if unit == ROOT or unit not in known:
            continue   # unknown OUs: targets_exist
        if in_security_unit(bp, unit):
            yield _security(bp, f"{what} targets {unit!r}", loc + ("units", j))
        elif unit not in registered:
            yield Issue("control-tower-unregistered-unit", f"{what} targets {unit!r}, which is not registered "
                        "with AWS Control Tower", loc=loc + ("units", j),
                        hint="AWS Control Tower enables controls on registered OUs only: add it (or an OU above "
                             "it) to control_tower.register_units")
    for j, account in enumerate(entry.accounts):
        yield Issue("control-tower-account-target", f"{what} targets account {account!r}; AWS Control Tower "
                    "enables controls on OUs, not accounts", loc=loc + ("accounts", j),
                    hint="target the account's OU (or move the account to an OU of its own), or use engine "
                         "native for account-level guardrails")


def _security(bp: Blueprint, what: str, loc: Loc) -> Issue:
    unit = bp.control_tower.security_unit
    return Issue("control-tower-security-unit", f"{what}, in the security unit {unit!r} or below it",
                 hint=f"AWS Control Tower governs {unit} through the landing zone (its log-archive and audit "
                      "accounts): it is never registered and takes no controls", loc=loc)
