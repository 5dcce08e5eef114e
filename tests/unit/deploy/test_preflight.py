"""`lz preflight` against moto: every check passes on a ready organization and reports a problem with
its fix when one thing is broken (Stubber for Control Tower, Identity Center and CloudFormation)."""
from __future__ import annotations

import boto3
import pytest
import yaml
from click.testing import CliRunner
from moto.organizations.models import organizations_backends

from landing_zone.cli import cli
from landing_zone.deploy import aws as deploy_aws
from landing_zone.deploy.findings import INFO, OK, PROBLEM
from landing_zone.deploy.members import trusts
from landing_zone.deploy.preflight import run_preflight
from tests.unit.deploy.world import World, deny_assume_role, make_world


def preflight(world: World):
    loaded, plan = world.load()
    return plan, run_preflight(plan, loaded.model, world.accounts_for(plan), blueprint="acme.yaml")


def edit_ids(world: World, change) -> None:
    path = world.tmp_path / "acme.ids.yaml"
    data = yaml.safe_load(path.read_text())
    change(data["organization"])
    path.write_text(yaml.safe_dump(data))


def restub(world: World, service: str):
    world.stubs.pop(service).deactivate()
    return world.stub(service)


def other_credentials(world: World) -> None:
    credentials = boto3.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{world.accounts['audit']}:role/OrganizationAccountAccessRole",
        RoleSessionName="test")["Credentials"]
    world.session = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                                  aws_secret_access_key=credentials["SecretAccessKey"],
                                  aws_session_token=credentials["SessionToken"])


def consolidated_billing(world: World) -> None:
    organizations_backends[world.management_id]["aws"].org.feature_set = "CONSOLIDATED_BILLING"


def control_tower(world: World) -> None:
    stub = restub(world, "controltower")
    arn = "arn:aws:controltower:us-east-1:123456789012:landingzone/1A2B3C4D5E6F7G8H"
    stub.add_response("list_landing_zones", {"landingZones": [{"arn": arn}]})
    stub.add_response("get_landing_zone", {"landingZone": {
        "arn": arn, "version": "3.3", "status": "ACTIVE", "driftStatus": {"status": "IN_SYNC"}, "manifest": {}}},
        {"landingZoneIdentifier": arn})


def control_tower_denied(world: World) -> None:
    restub(world, "controltower").add_client_error("list_landing_zones", "AccessDeniedException",
                                                   "not authorized to perform controltower:ListLandingZones")


def recorder(name: str, account: str = "log-archive", region: str = "eu-west-1"):
    def setup(world: World) -> None:
        world.member(account, "config", region).put_configuration_recorder(ConfigurationRecorder={
            "name": name, "roleARN": f"arn:aws:iam::{world.accounts[account]}:role/recorder"})
    return setup


def other_channel(world: World) -> None:
    recorder("acme-recorder")(world)
    world.member("log-archive", "config", "eu-west-1").put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "someone-elses-bucket"})


def management_not_bootstrapped(world: World) -> None:
    boto3.client("ssm", region_name="eu-west-1").delete_parameter(Name="/cdk-bootstrap/lzdeploy/version")


def management_role(trusted: str | None) -> callable:
    def setup(world: World) -> None:
        boto3.client("iam").delete_role(RoleName=f"cdk-lzdeploy-deploy-role-{world.management_id}-eu-west-1")
        if trusted:
            world.bootstrap("management", "eu-west-1", trusted=trusted)
    return setup


def manual_bootstrap(world: World) -> None:
    world.deploy = "deploy: {bootstrap: manual}\n"
    world.write()


def unrecorded_ou(world: World) -> None:
    edit_ids(world, lambda org: org["units"].pop("Sandbox"))
    world.stub("cloudformation").add_client_error(
        "list_stack_resources", "ValidationError", "Stack with id acme-organization does not exist")


def unrecorded_account_in_stack(world: World) -> None:
    edit_ids(world, lambda org: org["accounts"].pop("sandbox-alice"))
    _, plan = world.load()
    account = plan.account("sandbox-alice")
    world.stub("cloudformation").add_response("list_stack_resources", {"StackResourceSummaries": [
        {"LogicalResourceId": account.logical_id, "ResourceType": "AWS::Organizations::Account",
         "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": "2026-01-01T00:00:00Z"}]},
        {"StackName": account.stack})


def unrecorded_account(world: World) -> None:
    edit_ids(world, lambda org: org["accounts"].pop("sandbox-alice"))
    _, plan = world.load()
    world.stub("cloudformation").add_client_error(
        "list_stack_resources", "ValidationError", f"Stack with id {plan.account('sandbox-alice').stack} does not exist")


CASES = [
    # (id, break one thing, check, status, in the message, in the fix)
    ("credentials-ok", None, "credentials", OK, "management account 123456789012", ""),
    ("credentials-member-account", other_credentials, "credentials", PROBLEM,
     "not the management account 123456789012", "--profile"),
    ("organization-ok", None, "organization", OK, "has all features enabled", ""),
    ("organization-billing-only", consolidated_billing, "organization", PROBLEM,
     "has feature set CONSOLIDATED_BILLING", "aws organizations enable-all-features"),
    ("organization-other", lambda w: edit_ids(w, lambda org: org.update(id="o-zzzzzzzzzz")), "organization",
     PROBLEM, "the blueprint says o-zzzzzzzzzz", "fix organization.id"),
    ("trusted-access-ok", None, "trusted access", OK, "cloudtrail.amazonaws.com (the organization trail)", ""),
    ("trusted-access-off", lambda w: boto3.client("organizations").disable_aws_service_access(
        ServicePrincipal="cloudtrail.amazonaws.com"), "trusted access", PROBLEM,
     "cloudtrail.amazonaws.com is not trusted", "aws organizations enable-aws-service-access --service-principal "
                                                "cloudtrail.amazonaws.com"),
    ("trusted-access-stacksets-off", lambda w: boto3.client("organizations").disable_aws_service_access(
        ServicePrincipal="member.org.stacksets.cloudformation.amazonaws.com"), "trusted access", PROBLEM,
     "member.org.stacksets.cloudformation.amazonaws.com is not trusted", "aws cloudformation activate-organizations-access"),
    ("delegated-admin-ok", None, "delegated admin", OK, "for config.amazonaws.com", ""),
    ("delegated-admin-missing", lambda w: boto3.client("organizations").deregister_delegated_administrator(
        AccountId=w.accounts["audit"], ServicePrincipal="config.amazonaws.com"), "delegated admin", PROBLEM,
     "is not the delegated administrator for config.amazonaws.com",
     "aws organizations register-delegated-administrator --service-principal config.amazonaws.com --account-id"),
    ("identity-center-ok", None, "identity center", OK, "identity store d-1234567890", ""),
    ("identity-center-other-store", lambda w: w.write(identity_store_id="d-0987654321"), "identity center", PROBLEM,
     "has identity store d-1234567890, the blueprint says d-0987654321", "identity_store_id: d-1234567890"),
    ("identity-center-no-instance", lambda w: w.write(instance_arn="arn:aws:sso:::instance/ssoins-ffffffffffffffff"),
     "identity center", PROBLEM, "no IAM Identity Center instance arn:aws:sso:::instance/ssoins-ffffffffffffffff",
     "enable IAM Identity Center"),
    ("control-tower-absent", None, "control tower", INFO, "no AWS Control Tower landing zone (looked in us-east-1)", ""),
    ("control-tower-present", control_tower, "control tower", INFO,
     "AWS Control Tower landing zone 3.3 (ACTIVE, drift IN_SYNC); guardrails.engine is native", ""),
    ("control-tower-denied", control_tower_denied, "control tower", PROBLEM,
     "cannot check: ListLandingZones failed (AccessDeniedException)", "credentials of the management account"),
    ("config-ok", None, "config", OK, "no other AWS Config recorder or delivery channel in eu-west-1, us-east-1", ""),
    ("config-own-recorder", recorder("acme-recorder"), "config", OK, "log-archive", ""),
    ("config-other-recorder", recorder("default"), "config", PROBLEM,
     "eu-west-1: AWS Config recorder 'default' exists",
     "aws configservice delete-configuration-recorder --configuration-recorder-name default --region eu-west-1"),
    ("config-other-channel", other_channel, "config", PROBLEM, "AWS Config delivery channel 'default' exists",
     "aws configservice delete-delivery-channel --delivery-channel-name default --region eu-west-1"),
    ("account-access-denied", lambda w: setattr(w, "session", _denying(w, "audit")), "account access", PROBLEM,
     "cannot read audit", "create the role OrganizationAccountAccessRole in audit"),
    ("bootstrap-ok", None, "bootstrap", OK, "us-east-1: version 33, qualifier lzdeploy", ""),
    ("bootstrap-by-stackset", None, "bootstrap", OK,
     "audit", "will be bootstrapped by the acme-bootstrap StackSet"),
    ("bootstrap-member-done", lambda w: w.bootstrap("audit", "us-east-1"), "bootstrap", OK, "audit", "version 33"),
    ("bootstrap-management-missing", management_not_bootstrapped, "bootstrap", PROBLEM,
     "eu-west-1: not bootstrapped with qualifier lzdeploy (lz deploy bootstraps it first)",
     "npx cdk bootstrap aws://123456789012/eu-west-1 --qualifier lzdeploy"),
    ("bootstrap-old-version", lambda w: w.bootstrap("management", "eu-west-1", version=20, role=False), "bootstrap",
     PROBLEM, "bootstrap version 20 with qualifier lzdeploy is older than 33", "--qualifier lzdeploy"),
    ("bootstrap-untrusted", management_role("999999999999"), "bootstrap", PROBLEM,
     "does not trust the management account", "npx cdk bootstrap aws://123456789012/eu-west-1"),
    ("bootstrap-role-missing", management_role(None), "bootstrap", PROBLEM,
     "the deploy role cdk-lzdeploy-deploy-role-123456789012-eu-west-1 is missing", "--qualifier lzdeploy"),
    ("bootstrap-manual-member-missing", manual_bootstrap, "bootstrap", PROBLEM,
     "(deploy.bootstrap: manual)", "--trust 123456789012"),
    ("ids-ok", None, "ids file", OK, "every OU and account of the blueprint that exists", ""),
    ("ids-unrecorded-ou", unrecorded_ou, "ids file", PROBLEM, "OU 'Sandbox' exists", "lz sync acme.yaml"),
    ("ids-unrecorded-account", unrecorded_account, "ids file", PROBLEM,
     "account 'sandbox-alice' exists", "then lz deploy imports it"),
    ("ids-created-by-its-stack", unrecorded_account_in_stack, "ids file", OK,
     "account 'sandbox-alice'", "the sync phase records its id"),
    ("ids-recorded-but-gone", lambda w: edit_ids(w, lambda org: org["accounts"].update({"app1-prod": "999999999999"})),
     "ids file", PROBLEM, "account 'app1-prod' (999999999999) is recorded but not in organization", "lz sync acme.yaml"),
]


def _denying(world: World, name: str):
    session = boto3.Session()
    deny_assume_role(session, world.accounts[name])
    return session


@pytest.mark.parametrize(("setup", "check", "status", "message", "detail"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_check(world, setup, check, status, message, detail):
    if setup:
        setup(world)

    _, findings = preflight(world)

    mine = [f for f in findings if f.check == check and f.status == status and message in f.message
            and detail in f.message + f.fix]
    assert mine, "\n".join(line for f in findings for line in f.lines())
    # Only the broken thing is a problem: the other checks still pass.
    assert {f.check for f in findings if f.status == PROBLEM} == ({check} if status == PROBLEM else set())
    if check not in ("credentials", "organization"):  # those stop the run before the stubbed calls
        for stub in world.stubs.values():
            stub.assert_no_pending_responses()


def test_management_bootstrap_problem_names_the_target_lz_deploy_runs(world):
    management_not_bootstrapped(world)
    _, findings = preflight(world)
    [problem] = [f for f in findings if f.status == PROBLEM]
    assert (problem.bootstrap.account_id, problem.bootstrap.region) == (world.management_id, "eu-west-1")
    assert problem.fix == ("npx cdk bootstrap aws://123456789012/eu-west-1 --qualifier lzdeploy --toolkit-stack-name "
                           "CDKToolkit-lzdeploy --cloudformation-execution-policies "
                           "arn:aws:iam::aws:policy/AdministratorAccess")


def test_wrong_account_stops_before_the_other_checks(world):
    other_credentials(world)
    _, findings = preflight(world)
    assert [(f.check, f.status) for f in findings] == [("credentials", PROBLEM)]


@pytest.mark.parametrize(("document", "expected"), [
    ({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "123456789012"}}]}, True),
    ({"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"],
                     "Principal": {"AWS": ["arn:aws:iam::999999999999:root", "arn:aws:iam::123456789012:root"]}}]}, True),
    ("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Principal"
     "%22%3A%7B%22AWS%22%3A%22123456789012%22%7D%7D%5D%7D", True),
    ({"Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": {"AWS": "123456789012"}}]}, False),
    ({"Statement": [{"Effect": "Allow", "Action": "sts:TagSession", "Principal": {"AWS": "123456789012"}}]}, False),
    ({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"AWS": "arn:aws:iam::123456789012:role/someone"}}]}, False),
    ({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]},
     False),
], ids=["account-id", "root-arn-in-list", "url-encoded", "deny", "other-action", "one-role-only", "service"])
def test_trust_policy_reading(document, expected):
    assert trusts(document, "123456789012") is expected


class _StubbedAccounts(deploy_aws.Accounts):
    world: World

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "clients": {n: s.client for n, s in self.world.stubs.items()}})


@pytest.mark.parametrize(("setup", "code", "last_line"), [
    (None, 0, "checks, no problems"),
    (consolidated_billing, 1, "checks, 1 problem"),
], ids=["ready", "one-problem"])
def test_command_prints_one_line_per_check_and_exits(world, monkeypatch, setup, code, last_line):
    if setup:
        setup(world)
    _StubbedAccounts.world = world
    monkeypatch.setattr(deploy_aws, "Accounts", _StubbedAccounts)

    result = CliRunner().invoke(cli, ["preflight", str(world.blueprint)])

    assert result.exit_code == code, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ok       credentials      management account 123456789012")
    assert lines[-1].endswith(last_line)
    if code:
        assert "fix:" in result.output and "aws organizations enable-all-features" in result.output


def test_missing_profile_is_one_line(aws, tmp_path):
    world = make_world(tmp_path)
    result = CliRunner().invoke(cli, ["preflight", str(world.blueprint), "--profile", "nope"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "lz preflight: The config profile (nope) could not be found: check --profile against ~/.aws/config"]
