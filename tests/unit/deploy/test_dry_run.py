"""`lz deploy --dry-run`: every phase, stack, account, region and role of the shipped blueprints, offline."""
from __future__ import annotations

import re
import shutil
import time

import boto3
import pytest
from click.testing import CliRunner

from landing_zone.blueprint.load import load_with_variables
from landing_zone.cli import cli
from landing_zone.plan import build_plan
from landing_zone.plan.phases import PHASES
from tests.unit.deploy.test_deploy import step

MANY = ["blueprints/examples/many-accounts.yaml", "--var", "accounts=1000", "--var", "units=100"]


@pytest.fixture(autouse=True)
def no_aws(monkeypatch):
    """A dry run makes no AWS call: any boto3 session would fail the test."""
    def refuse(*_, **__):
        raise AssertionError("the dry run created an AWS session")
    monkeypatch.setattr(boto3, "Session", refuse)
    monkeypatch.delenv("LZ_CDK_COMMAND", raising=False)


def dry_run(*args: str) -> tuple[int, list[str], float]:
    began = time.monotonic()
    result = CliRunner().invoke(cli, ["deploy", *args, "--dry-run"])
    return result.exit_code, result.output.splitlines(), time.monotonic() - began


def plan_of(args: list[str]):
    variables = [args[i + 1] for i, a in enumerate(args) if a == "--var"]
    return build_plan(load_with_variables(args[0], variables, None))


@pytest.mark.parametrize("args", [["blueprints/standard.yaml"], ["blueprints/enterprise.yaml"], MANY],
                         ids=["standard", "enterprise", "many-accounts-1000"])
def test_every_phase_and_stack_with_account_region_and_role(args):
    plan = plan_of(args)
    code, lines, seconds = dry_run(*args)

    assert code == 0, "\n".join(lines)
    assert seconds < 5
    headers = [line for line in lines if re.match(r"\[\d+/\d+\] ", line)]
    assert [h.split(":")[0] for h in headers] == [f"[{i}/{len(plan.phases)}] {p.name}"
                                                   for i, p in enumerate(plan.phases, start=1)]
    for stack in plan.stacks:
        rows = [line.split() for line in lines if line.startswith(f"      {stack.name} ")]
        assert len(rows) == 1, stack.name
        assert rows[0][2] == f"({stack.account_id})" and rows[0][3] == stack.region
        assert rows[0][4].rstrip(";") == f"cdk-{plan.qualifier}-deploy-role-{stack.account_id}-{stack.region}"
    for phase in plan.phases:
        if phase.action == "deploy" and phase.stacks:
            assert any(line.strip().startswith("npx --no-install cdk deploy --exclusively --require-approval never")
                       and line.endswith(" " + " ".join(phase.stacks)) for line in lines), phase.name


def test_enterprise_says_what_each_non_deploy_phase_does_and_who_deploys():
    code, lines, _ = dry_run("blueprints/enterprise.yaml")
    text = "\n".join(lines)
    assert code == 0
    plan = build_plan(load_with_variables("blueprints/enterprise.yaml", [], None))
    assert lines[0] == (f"lz deploy --dry-run blueprints/enterprise.yaml: {len(PHASES)} phases, {len(plan.stacks)} "
                        "stacks; management account 100000000001, home region us-east-1, CDK qualifier lzdeploy")
    for region in ("eu-central-1", "eu-west-1", "us-east-1"):
        assert (f"      npx --no-install cdk bootstrap aws://100000000001/{region} --qualifier lzdeploy "
                "--toolkit-stack-name CDKToolkit-lzdeploy --cloudformation-execution-policies "
                "arn:aws:iam::aws:policy/AdministratorAccess") in lines
    assert "    then bootstraps the management account where it is not yet (CDK CLI credentials (management " \
           "account)):" in lines
    assert "    lz sync blueprints/enterprise.yaml (CDK CLI credentials (management account), read-only): writes " \
           "the ids file, then plans again and runs the preflight for the new stacks" in lines
    assert "      account data-dev" in lines
    assert f"its {len(plan.stacksets)} StackSets reach member accounts through the StackSets execution role" in text
    assert f"{step('keys')} keys: KMS keys and their replicas" in lines
    assert "    9 of its OUs and accounts exist already (recorded ids): a stack not yet in CloudFormation gets " \
           "them by `cdk import --resource-mapping` first" in lines


def test_options_reach_the_cdk_command_line():
    code, lines, _ = dry_run(*MANY, "--concurrency", "2", "--profile", "mgmt", "--from", "accounts")
    assert code == 0
    assert f"{step('organization')} organization: organizational units (skipped: --from)" in lines
    deploy = next(line.strip() for line in lines if "cdk deploy" in line and "many-accounts-00" in line)
    assert deploy.startswith("npx --no-install cdk deploy --exclusively --require-approval never --concurrency 2 "
                             "-c blueprint=blueprints/examples/many-accounts.yaml -c var:accounts=1000 "
                             "-c var:units=100 --profile mgmt many-accounts-00 many-accounts-01 ")


def test_manual_bootstrap_prints_the_member_commands(tmp_path):
    for name in ("standard.yaml", "standard.ids.yaml"):
        shutil.copy(f"blueprints/{name}", tmp_path / name)
    blueprint = tmp_path / "standard.yaml"
    blueprint.write_text(blueprint.read_text() + "\ndeploy: {bootstrap: manual}\n")

    code, lines, _ = dry_run(str(blueprint))

    assert code == 0
    assert ("    member accounts are bootstrapped by hand (deploy.bootstrap: manual); the preflight stops the deploy "
            "until each is:") in lines
    assert ("      npx cdk bootstrap aws://222222222222/us-east-1 --qualifier lzdeploy --toolkit-stack-name "
            "CDKToolkit-lzdeploy --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess "
            "--trust 111111111111 --profile <profile of account log-archive>") in lines
    assert not any("acme-bootstrap" in line for line in lines)


def test_blueprint_errors_are_issues_not_tracebacks(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: Bad_Name\n")
    result = CliRunner().invoke(cli, ["deploy", str(bad), "--dry-run"])
    assert result.exit_code == 1
    assert "bad.yaml:2" in result.output and "Traceback" not in result.output
