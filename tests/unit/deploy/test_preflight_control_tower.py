"""`lz preflight` under guardrails.engine control-tower (moto for the organization, botocore Stubber for
AWS Control Tower): landing zone missing, ready, drifted, busy, on another version; member accounts'
Control Tower recorders are expected, not reported."""
from __future__ import annotations

import pytest

from landing_zone.deploy.findings import INFO, OK, PROBLEM
from landing_zone.deploy.preflight import run_preflight
from tests.unit.deploy.world import World

ARN = "arn:aws:controltower:us-east-1:123456789012:landingzone/1A2B3C4D5E6F7G8H"
TOWER = "control_tower:\n  landing_zone: {{manage: {manage}, version: \"{version}\"}}\n"


def tower(world: World, *, manage: bool = True, version: str = "3.3") -> None:
    """The test organization's blueprint under the control-tower engine."""
    world.deploy = TOWER.format(manage=str(manage).lower(), version=version)
    world.write()
    text = world.blueprint.read_text()
    world.blueprint.write_text(text.replace("guardrails:\n", "guardrails:\n  engine: control-tower\n", 1))
    stub = world.stubs.pop("controltower")   # the ready world answered "no landing zone" for engine native
    stub.deactivate()


def zone(world: World, *, status="ACTIVE", drift="IN_SYNC", version="3.3", latest="3.3",
         landing_zone_operations=(), control_operations=(), stop_after_zone=False) -> None:
    stub = world.stub("controltower")
    stub.add_response("list_landing_zones", {"landingZones": [{"arn": ARN}]})
    stub.add_response("get_landing_zone", {"landingZone": {
        "arn": ARN, "version": version, "latestAvailableVersion": latest, "status": status,
        "driftStatus": {"status": drift}, "manifest": {}}}, {"landingZoneIdentifier": ARN})
    stub.add_response("list_landing_zone_operations", {"landingZoneOperations": list(landing_zone_operations)},
                      {"filter": {"statuses": ["IN_PROGRESS"]}})
    stub.add_response("list_control_operations", {"controlOperations": list(control_operations)},
                      {"filter": {"statuses": ["IN_PROGRESS"]}})


def no_zone(world: World) -> None:
    world.stub("controltower").add_response("list_landing_zones", {"landingZones": []})


def findings(world: World):
    loaded, plan = world.load()
    return plan, run_preflight(plan, loaded.model, world.accounts_for(plan), blueprint="acme.yaml")


CASES = [
    # (id, blueprint settings, landing zone, status, in the message, in the fix)
    ("absent-managed", {}, no_zone, INFO, "no AWS Control Tower landing zone in us-east-1 yet; the control-tower "
     "phase creates version 3.3", ""),
    ("absent-existing-expected", {"manage": False}, no_zone, PROBLEM,
     "control_tower.landing_zone.manage is false, but us-east-1 has no AWS Control Tower landing zone",
     "set up the landing zone"),
    ("ready", {}, zone, OK, "landing zone 3.3 (ACTIVE, IN_SYNC, latest available 3.3), no operation in progress", ""),
    ("ready-existing", {"manage": False, "version": "4.0"}, lambda w: zone(w, version="4.0", latest="4.0"), OK,
     "landing zone 4.0 (ACTIVE, IN_SYNC", ""),
    ("drifted", {}, lambda w: zone(w, drift="DRIFTED"), PROBLEM, "the landing zone has drifted (DRIFTED)",
     f"aws controltower reset-landing-zone --landing-zone-identifier {ARN} --region us-east-1"),
    ("processing", {}, lambda w: zone(w, status="PROCESSING"), PROBLEM, "is PROCESSING, not ACTIVE",
     "wait for the running landing zone operation"),
    ("not-latest", {}, lambda w: zone(w, latest="4.0"), PROBLEM,
     "updates a landing zone only to the latest available version, 4.0 (now 3.3)",
     'set control_tower.landing_zone.version: "4.0"'),
    ("existing-other-version", {"manage": False}, lambda w: zone(w, version="4.0", latest="4.0"), PROBLEM,
     "the landing zone runs version 4.0, the blueprint declares 3.3", 'version: "4.0"'),
    ("landing-zone-operation", {}, lambda w: zone(w, landing_zone_operations=[
        {"operationIdentifier": "11111111-2222-3333-4444-555555555555", "operationType": "UPDATE",
         "status": "IN_PROGRESS"}]), PROBLEM, "landing zone update 11111111-2222-3333-4444-555555555555",
     "aws controltower list-control-operations --region us-east-1"),
    ("control-operation", {}, lambda w: zone(w, control_operations=[
        {"operationIdentifier": "66666666-2222-3333-4444-555555555555", "operationType": "ENABLE_CONTROL",
         "status": "IN_PROGRESS", "controlIdentifier": "arn:aws:controltower:us-east-1::control/AWS-GR_RESTRICTED_SSH",
         "targetIdentifier": "arn:aws:organizations::123456789012:ou/o-x/ou-y"}]), PROBLEM,
     "enable_control of arn:aws:controltower:us-east-1::control/AWS-GR_RESTRICTED_SSH", "wait until they end"),
]


@pytest.mark.parametrize(("settings", "landing_zone", "status", "message", "fix"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_control_tower_check(world, settings, landing_zone, status, message, fix):
    tower(world, **settings)
    landing_zone(world)

    _, found = findings(world)

    mine = [f for f in found if f.check == "control tower"]
    assert [f.status for f in mine if f.status == status and message in f.message and fix in f.fix], \
        "\n".join(line for f in found for line in f.lines())
    assert {f.check for f in found if f.status == PROBLEM} <= {"control tower"}
    assert all(f.status == status for f in mine)   # one kind of answer: only what is wrong is a problem
    for stub in world.stubs.values():
        stub.assert_no_pending_responses()


def test_config_recorders_of_control_tower_are_not_collisions(world):
    """Engine native reports another recorder in a member account; under control-tower the baseline
    records nothing (AWS Control Tower's recorder is expected there)."""
    tower(world)
    no_zone(world)
    world.member("log-archive", "config", "eu-west-1").put_configuration_recorder(ConfigurationRecorder={
        "name": "aws-controltower-BaselineConfigRecorder",
        "roleARN": f"arn:aws:iam::{world.accounts['log-archive']}:role/aws-controltower-ConfigRecorderRole"})

    plan, found = findings(world)

    # Only the management account, whose recorder AWS Control Tower leaves to us, is checked.
    assert [f.message.split(" ")[0] for f in found if f.check == "config"] == ["management"]
    assert not [f for f in found if f.status == PROBLEM]
    assert "acme-organization-trail" not in {s.name for s in plan.stacks}
    services = {f.message.split(" ")[0] for f in found if f.check == "trusted access"}
    assert "cloudtrail.amazonaws.com" not in services and "config.amazonaws.com" not in services
