"""`lz preflight` under the control-tower engine: the landing zone AWS Control Tower must be ready with
(status, drift, version) and no landing zone or control operation in flight (read-only calls)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.deploy.findings import INFO, OK, PROBLEM, Finding

CHECK = "control tower"


def tower_findings(client: Any, bp: Blueprint, home: str) -> Iterator[Finding]:
    settings = bp.control_tower.landing_zone
    declared = settings.version
    arns = [z["arn"] for page in client.get_paginator("list_landing_zones").paginate() for z in page["landingZones"]]
    if not arns:
        if settings.manage:
            yield Finding(INFO, CHECK, f"no AWS Control Tower landing zone in {home} yet; the control-tower phase "
                          f"creates version {declared}")
        else:
            yield Finding(PROBLEM, CHECK, f"control_tower.landing_zone.manage is false, but {home} has no AWS "
                          "Control Tower landing zone to register OUs and enable controls in",
                          "set up the landing zone (or set manage: true so that the control-tower phase creates "
                          "it), and check that the home region is the landing zone's home region")
        return
    zone = client.get_landing_zone(landingZoneIdentifier=arns[0])["landingZone"]
    status, drift = zone.get("status", "?"), zone.get("driftStatus", {}).get("status", "?")
    live, latest = zone.get("version", "?"), zone.get("latestAvailableVersion") or zone.get("version", "?")
    problem = False
    if status != "ACTIVE":
        problem = True
        yield Finding(PROBLEM, CHECK, f"the landing zone {arns[0]} is {status}, not ACTIVE",
                      "wait for the running landing zone operation to end (PROCESSING), or fix what failed in the "
                      "AWS Control Tower console and retry it (FAILED)")
    if drift != "IN_SYNC":
        problem = True
        yield Finding(PROBLEM, CHECK, f"the landing zone has drifted ({drift}); AWS Control Tower refuses "
                      "registrations and updates of a drifted landing zone",
                      f"aws controltower reset-landing-zone --landing-zone-identifier {arns[0]} --region {home}")
    if settings.manage and latest != declared:
        problem = True
        yield Finding(PROBLEM, CHECK, f"the blueprint declares landing zone version {declared}; AWS Control Tower "
                      f"updates a landing zone only to the latest available version, {latest} (now {live})",
                      f"set control_tower.landing_zone.version: \"{latest}\" (lz validate checks the manifest "
                      "against that version)")
    elif not settings.manage and live != declared:
        problem = True
        yield Finding(PROBLEM, CHECK, f"the landing zone runs version {live}, the blueprint declares {declared}: "
                      "OU registrations would name the baseline version of another landing zone version",
                      f"set control_tower.landing_zone.version: \"{live}\"")
    busy = _in_progress(client)
    if busy:
        problem = True
        yield Finding(PROBLEM, CHECK, f"AWS Control Tower operations in progress: {', '.join(busy)}; a landing "
                      "zone, baseline or control operation started now would be refused",
                      f"wait until they end: aws controltower list-control-operations --region {home}")
    if not problem:
        yield Finding(OK, CHECK, f"landing zone {live} (ACTIVE, IN_SYNC, latest available {latest}), no operation "
                      "in progress")


def _in_progress(client: Any) -> list[str]:
    running = {"statuses": ["IN_PROGRESS"]}
    found = [f"landing zone {o.get('operationType', '?').lower()} {o['operationIdentifier']}"
             for page in client.get_paginator("list_landing_zone_operations").paginate(filter=running)
             for o in page.get("landingZoneOperations", [])]
    found += [f"{o.get('operationType', '?').lower()} of {o.get('controlIdentifier', '?')} "
              f"on {o.get('targetIdentifier', '?')}"
              for page in client.get_paginator("list_control_operations").paginate(filter=running)
              for o in page.get("controlOperations", [])]
    return found
