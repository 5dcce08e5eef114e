"""`lz deploy` with a recording fake CDK CLI (LZ_CDK_COMMAND) and moto: phase order, stacks per phase,
imports before the first deploy, --from, the first failure stops it, re-planning after the sync."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from landing_zone.cli import cli
from landing_zone.deploy import aws as deploy_aws
from landing_zone.deploy.runner import Deployer, DeployRequest, DeployStopped, _run
from landing_zone.plan.model import Plan
from landing_zone.plan.phases import PHASES
from tests.unit.deploy.world import ACCOUNTS, World, create_account, make_ready, make_world, more_preflights

FAKE_CDK = Path(__file__).with_name("fake_cdk.py")


@pytest.fixture
def cdk(monkeypatch, tmp_path):
    """The fake CDK CLI; returns a reader of what it was asked, one entry per call."""
    log = tmp_path / "cdk.log"
    monkeypatch.setenv("LZ_CDK_COMMAND", f"{sys.executable} {FAKE_CDK}")
    monkeypatch.setenv("LZ_FAKE_CDK_LOG", str(log))
    return lambda: [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def stacks_absent(world: World, plan: Plan, *, existing: tuple[str, ...] = ()) -> None:
    """CloudFormation's answers for the organization and accounts stacks that have ids, in deploy order."""
    from landing_zone.deploy.import_mapping import import_mapping

    stub = world.stub("cloudformation")
    for stack in plan.stacks:
        if stack.component not in ("organization", "accounts") or not import_mapping(plan, stack.name):
            continue
        if stack.name in existing:
            stub.add_response("describe_stacks", {"Stacks": [{"StackName": stack.name, "StackStatus": "UPDATE_COMPLETE",
                                                              "CreationTime": "2026-01-01T00:00:00Z"}]},
                              {"StackName": stack.name})
        else:
            stub.add_client_error("describe_stacks", "ValidationError", f"Stack with id {stack.name} does not exist",
                                  expected_params={"StackName": stack.name})


def deployer(world: World, echo: list[str], run=None, **request) -> Deployer:
    return Deployer(DeployRequest(str(world.blueprint), **request), echo=echo.append, accounts=world.accounts_for,
                    run=run)


def deploys(calls: list[dict]) -> list[list[str]]:
    """The stacks of each `cdk deploy` call."""
    out = []
    for call in calls:
        args = call["args"]
        if args[0] == "deploy":
            out.append(list(args[args.index("blueprint=" + args[args.index("-c") + 1][10:]) + 1:]))
    return out


def test_phases_run_in_order_each_with_its_stacks_and_imports_first(world, cdk):
    _, plan = world.load()
    more_preflights(world)   # the sync phase runs a second preflight
    stacks_absent(world, plan)
    echo: list[str] = []

    deployer(world, echo).deploy()

    calls = cdk()
    # The OU stacks one by one (a deeper level imports its parents' ids), every other phase at once.
    expected = [[s] if p.name == "organization" else list(p.stacks)
                for p in plan.phases if p.action == "deploy" and p.stacks for s in (p.stacks if p.name ==
                "organization" else p.stacks[:1])]
    assert deploys(calls) == expected
    # Each import comes right before the deploy of its phase, with only what exists (has an id).
    imports = [(c["args"][1], c["mapping"]) for c in calls if c["args"][0] == "import"]
    assert [name for name, _ in imports] == [s.name for s in plan.stacks if s.component in ("organization", "accounts")]
    organization = {k: v for name, mapping in imports if name.startswith("acme-organization")
                    for k, v in mapping.items()}
    assert organization == {u.logical_id: {"Id": world.units[u.path]} for u in plan.units}
    assert dict(imports)["acme-organization"] == {u.logical_id: {"Id": world.units[u.path]} for u in plan.units
                                                  if u.parent is None}
    audit = plan.account("audit")
    assert dict(imports)[audit.stack][audit.logical_id] == {"AccountId": world.accounts["audit"]}
    order = [c["args"][0] + ":" + (c["args"][1] if c["args"][0] == "import" else c["args"][-1]) for c in calls]
    assert order.index("import:acme-organization") < order.index("deploy:acme-organization")
    first_accounts = plan.phases[2].stacks[0]
    assert order.index("deploy:acme-organization") < order.index(f"import:{first_accounts}") < \
        order.index(f"deploy:{plan.phases[2].stacks[-1]}")
    # Progress: one header per phase, then its time.
    assert f"{step('accounts')} accounts: deploying 5 stacks (concurrency 5) ..." in echo
    assert f"{step('keys')} keys: nothing to deploy" in echo
    assert sum(line.startswith("  done in ") and line.endswith(" s") for line in echo) == \
        sum(1 for p in plan.phases if p.action != "deploy" or p.stacks)
    assert calls[-1]["args"][:8] == ["deploy", "--exclusively", "--require-approval", "never", "--concurrency", "1",
                                     "-c", f"blueprint={world.blueprint}"]
    for stub in world.stubs.values():
        stub.assert_no_pending_responses()


def step(phase: str) -> str:
    """The progress prefix of a phase, e.g. [3/18]."""
    names = [p[0] for p in PHASES]
    return f"[{names.index(phase) + 1}/{len(names)}]"


def test_stacks_already_in_cloudformation_are_not_imported(world, cdk):
    _, plan = world.load()
    more_preflights(world)
    stacks_absent(world, plan, existing=tuple(s.name for s in plan.stacks))

    deployer(world, []).deploy()

    assert [c["args"][0] for c in cdk()].count("import") == 0


@pytest.mark.parametrize(("start", "first"), [
    ("logging", ["acme-audit", "acme-organization-trail"]),
    ("policies", ["acme-policies"]),
], ids=["logging", "policies"])
def test_from_resumes_at_the_phase_after_the_preflight(world, cdk, start, first):
    echo: list[str] = []

    deployer(world, echo, start=start).deploy()

    assert deploys(cdk())[0] == first
    assert echo[0] == f"{step('preflight')} preflight: checking the prerequisites (read-only) ..."
    assert not any("sync" in line and line.startswith(step("sync")) for line in echo)
    world.stubs["controltower"].assert_no_pending_responses()


def test_unknown_phase_lists_the_phases(tmp_path):
    result = CliRunner().invoke(cli, ["deploy", "blueprints/standard.yaml", "--from", "acounts", "--dry-run"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "lz deploy: --from 'acounts' is not a phase; the phases, in order: " + ", ".join(p[0] for p in PHASES))


def test_first_failure_stops_and_names_the_phase_and_stacks(world, cdk, monkeypatch):
    monkeypatch.setenv("LZ_FAKE_CDK_FAIL", "acme-log-archive")
    _, plan = world.load()
    more_preflights(world)
    stacks_absent(world, plan)

    with pytest.raises(DeployStopped) as stopped:
        deployer(world, []).deploy()

    assert str(stopped.value) == (
        "phase log-archive failed (cdk deploy exited non-zero) deploying: acme-log-archive\n"
        f"  fix what cdk printed, then resume: lz deploy {world.blueprint} --from log-archive")
    assert deploys(cdk())[-1] == ["acme-log-archive"]


def test_command_exits_1_with_the_message(world, cdk, monkeypatch):
    monkeypatch.setenv("LZ_FAKE_CDK_FAIL", "acme-policies")

    class Stubbed(deploy_aws.Accounts):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "clients": {n: s.client for n, s in world.stubs.items()}})

    monkeypatch.setattr(deploy_aws, "Accounts", Stubbed)
    result = CliRunner().invoke(cli, ["deploy", str(world.blueprint), "--from", "policies"])
    assert result.exit_code == 1, result.output
    assert "lz deploy: phase policies failed (cdk deploy exited non-zero) deploying: acme-policies" in result.output
    assert "Traceback" not in result.output


def test_preflight_problem_stops_before_any_deploy(world, cdk):
    boto3.client("organizations").disable_aws_service_access(ServicePrincipal="cloudtrail.amazonaws.com")
    echo: list[str] = []

    with pytest.raises(DeployStopped, match="preflight found 1 problem; fix it and run lz deploy again"):
        deployer(world, echo).deploy()

    assert cdk() == []
    assert any("cloudtrail.amazonaws.com is not trusted" in line for line in echo)


def test_management_account_is_bootstrapped_first(world, cdk):
    boto3.client("ssm", region_name="eu-west-1").delete_parameter(Name="/cdk-bootstrap/lzdeploy/version")

    deployer(world, [], start="policies", profile=None).deploy()

    first = cdk()[0]["args"]
    assert first[:4] == ["bootstrap", f"aws://{world.management_id}/eu-west-1", "--qualifier", "lzdeploy"]
    assert cdk()[1]["args"][0] == "deploy"


def test_sync_records_new_accounts_and_later_phases_use_the_new_plan(aws, tmp_path, cdk):
    world = make_world(tmp_path, missing=("log-archive",))
    make_ready(world, runs=2)
    org = boto3.client("organizations")
    org.register_delegated_administrator(AccountId=world.accounts["audit"], ServicePrincipal="config.amazonaws.com")
    _, before = world.load()
    assert "acme-log-archive" not in {s.name for s in before.stacks}
    stacks_absent(world, before)
    log_archive = before.account("log-archive")

    def run(argv: list[str]) -> int:
        code = _run(argv)
        if argv[2] == "deploy" and log_archive.stack in argv:
            # What CloudFormation does for the accounts stack: the account now exists.
            unit = ACCOUNTS["log-archive"][0]
            create_account(org, world.units[""], world.units[unit], "log-archive")
        return code

    echo: list[str] = []
    deployer(world, echo, run=run).deploy()

    ids = (tmp_path / "acme.ids.yaml").read_text()
    assert "log-archive:" in ids
    done = [stack for call in deploys(cdk()) for stack in call]
    assert "acme-log-archive" in done
    _, after = world.load()
    assert done.index("acme-log-archive") > done.index(log_archive.stack)
    assert [c["args"][:2] for c in cdk() if c["args"][0] == "bootstrap"] == [
        ["bootstrap", f"aws://{world.management_id}/eu-west-1"]]  # the re-planned baseline's new region
    assert any(line.startswith("  planned again: ") for line in echo)
    assert {s.name for s in after.stacks} - {s.name for s in before.stacks} >= {"acme-log-archive"}


def test_missing_profile_is_one_line(aws):
    result = CliRunner().invoke(cli, ["deploy", "blueprints/standard.yaml", "--profile", "nope"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{step('preflight')} preflight: checking the prerequisites (read-only) ...",
        "lz deploy: The config profile (nope) could not be found: check --profile against ~/.aws/config"]
