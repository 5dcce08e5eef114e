"""Control Tower lookups the checks and the plan share: the engine, the security unit, registered OUs."""
from __future__ import annotations

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import walk_units

ENGINE = "control-tower"


def uses_tower(bp: Blueprint) -> bool:
    return bp.guardrails.engine == ENGINE


def under(path: str, top: str) -> bool:
    """Whether the OU `path` is `top` or below it (Root covers everything)."""
    return top == ROOT or path == top or path.startswith(top + "/")


def in_security_unit(bp: Blueprint, path: str) -> bool:
    return path != ROOT and under(path, bp.control_tower.security_unit)


def registered_units(bp: Blueprint) -> tuple[str, ...]:
    """OU paths registered with AWS Control Tower, parents before children (by depth, then path).

    `register_units` entries are recursive; the security unit and everything below it is never
    registered (the landing zone governs it). Unknown entries are reported by the checks."""
    tops = bp.control_tower.register_units
    tops = [ROOT] if tops is None else tops
    paths = [ref.path for ref in walk_units(bp)]
    chosen = {p for p in paths if any(under(p, top) for top in tops) and not in_security_unit(bp, p)}
    return tuple(sorted(chosen, key=lambda p: (p.count("/"), p)))
