"""A live organization in moto that is ready for the landing zone, and ways to break it one check at a time."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from moto import mock_aws
from moto.organizations.models import FakeDelegatedAdministrator

from landing_zone.blueprint.load import load_blueprint
from landing_zone.deploy.aws import Accounts
from landing_zone.deploy.findings import required_bootstrap_version
from landing_zone.plan import build_plan
from landing_zone.plan.prerequisites import bootstrap_targets, delegated_admins, trusted_access
from landing_zone.sync import sync_ids

# moto makes instance ids AWS would not (letters, not hex), which the blueprint checks reject:
# sso-admin is answered by a Stubber with these.
INSTANCE = {"InstanceArn": "arn:aws:sso:::instance/ssoins-1234567890abcdef", "IdentityStoreId": "d-1234567890"}
UNITS = ["Security", "Infrastructure", "Workloads", "Workloads/Prod", "Workloads/NonProd", "Sandbox"]
ACCOUNTS = {  # name -> (OU path, role)
    "log-archive": ("Security", "log-archive"), "audit": ("Security", "audit"),
    "network": ("Infrastructure", "network"), "identity": ("Infrastructure", "identity"),
    "app1-prod": ("Workloads/Prod", None), "sandbox-alice": ("Sandbox", None),
}

BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]
organization:
  units:
    - name: Security
    - name: Infrastructure
    - name: Workloads
      units: [{{name: Prod}}, {{name: NonProd}}]
    - name: Sandbox
  accounts:
{accounts}
guardrails:
  enable:
    - {{level: strongly-recommended, units: [Root]}}
logging:
  bucket: {{retention_days: 3650}}
  trail: {{name: organization-trail}}
  notifications: {{emails: [security@example.com]}}
identity:
  identity_center:
    instance_arn: {instance_arn}
    identity_store_id: {identity_store_id}
    permission_sets:
      - {{name: Admin, managed_policies: [AdministratorAccess], session_duration: PT4H}}
{deploy}"""


def _account_line(name: str) -> str:
    unit, role = ACCOUNTS[name]
    return (f"    - {{name: {name}, email: aws+{name}@example.com, unit: {unit}"
            + (f", role: {role}" if role else "") + "}")


@dataclass
class World:
    """The moto organization, the blueprint written for it, and the clients preflight gets."""

    tmp_path: Path
    management_id: str
    units: dict[str, str]
    accounts: dict[str, str]
    instance: dict[str, str]
    deploy: str = ""
    stubs: dict[str, Stubber] = field(default_factory=dict)
    session: Any = None

    @property
    def blueprint(self) -> Path:
        return self.tmp_path / "acme.yaml"

    def write(self, **changes: str) -> Path:
        text = BLUEPRINT.format(accounts="\n".join(_account_line(n) for n in ACCOUNTS),
                                instance_arn=changes.get("instance_arn", self.instance["InstanceArn"]),
                                identity_store_id=changes.get("identity_store_id", self.instance["IdentityStoreId"]),
                                deploy=self.deploy)
        self.blueprint.write_text(text, encoding="utf-8")
        return self.blueprint

    def load(self):
        loaded = load_blueprint(self.blueprint)
        return loaded, build_plan(loaded)

    def stub(self, service: str) -> Stubber:
        """A Stubber-backed management account client, for services moto cannot serve here."""
        if service not in self.stubs:
            stubber = Stubber(boto3.client(service, region_name="us-east-1"))
            stubber.activate()
            self.stubs[service] = stubber
        return self.stubs[service]

    def accounts_for(self, plan) -> Accounts:
        overrides = {name: stub.client for name, stub in self.stubs.items()}
        return Accounts(plan.management_account_id, "aws", session=self.session or boto3.Session(),
                        clients=overrides)

    def member(self, name: str, service: str, region: str = "us-east-1"):
        """A client inside a member account (moto routes assumed-role credentials there)."""
        account_id = self.accounts[name] if name != "management" else self.management_id
        if account_id == self.management_id:
            return boto3.client(service, region_name=region)
        credentials = boto3.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
            RoleSessionName="test-setup")["Credentials"]
        return boto3.client(service, region_name=region, aws_access_key_id=credentials["AccessKeyId"],
                            aws_secret_access_key=credentials["SecretAccessKey"],
                            aws_session_token=credentials["SessionToken"])

    def bootstrap(self, name: str, region: str, *, version: int | None = None, trusted: str | None = None,
                  role: bool = True) -> None:
        account_id = self.accounts.get(name, self.management_id)
        self.member(name, "ssm", region).put_parameter(
            Name="/cdk-bootstrap/lzdeploy/version", Type="String",
            Value=str(version or required_bootstrap_version()), Overwrite=True)
        if role:
            trust = {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"AWS": f"arn:aws:iam::{trusted or self.management_id}:root"}}]}
            self.member(name, "iam", region).create_role(
                RoleName=f"cdk-lzdeploy-deploy-role-{account_id}-{region}", AssumeRolePolicyDocument=json.dumps(trust))


def deny_assume_role(session, account_id: str) -> None:
    """Make AssumeRole into one account fail as AWS does when the role is missing or does not trust us."""

    def handler(params, **_):
        role = params["body"]["RoleArn"]
        if f"::{account_id}:" in role:
            return AWSResponse("https://sts.amazonaws.com", 403, {}, None), {
                "Error": {"Code": "AccessDenied", "Message": f"not authorized to perform sts:AssumeRole on {role}"},
                "ResponseMetadata": {"HTTPStatusCode": 403}}
        return None

    session.events.register("before-call.sts.AssumeRole", handler)


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """A mocked AWS with fake credentials; nothing here can reach the network."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "LZ_CDK_COMMAND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # moto's list of services that take a delegated administrator lags AWS's.
    monkeypatch.setattr(FakeDelegatedAdministrator, "SUPPORTED_SERVICES",
                        [*FakeDelegatedAdministrator.SUPPORTED_SERVICES, "config.amazonaws.com"])
    with mock_aws():
        yield


def make_world(tmp_path: Path, *, deploy: str = "", missing: tuple[str, ...] = ()) -> World:
    """The organization with the blueprint's OUs and accounts (but `missing`), their ids recorded."""
    org = boto3.client("organizations")
    management = org.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    root = org.list_roots()["Roots"][0]["Id"]
    units = {"": root}
    for path in UNITS:
        parent, _, name = path.rpartition("/")
        units[path] = org.create_organizational_unit(ParentId=units[parent], Name=name)["OrganizationalUnit"]["Id"]
    accounts = {}
    for name, (unit, _) in ACCOUNTS.items():
        if name not in missing:
            accounts[name] = create_account(org, root, units[unit], name)
    world = World(tmp_path, management, units, accounts, dict(INSTANCE), deploy=deploy)
    world.write()
    sync_ids(world.blueprint, client=org)
    return world


def create_account(org, root: str, parent: str, name: str) -> str:
    """What the accounts stack does in AWS: the account, in its OU."""
    org.create_account(AccountName=name, Email=f"aws+{name}@example.com")
    account_id = next(a["Id"] for page in org.get_paginator("list_accounts").paginate()
                      for a in page["Accounts"] if a["Name"] == name)
    org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
    return account_id


# Every service the test blueprint needs trusted access for once all its accounts exist.
TRUSTED = ("member.org.stacksets.cloudformation.amazonaws.com", "cloudtrail.amazonaws.com", "config.amazonaws.com",
           "sso.amazonaws.com")


def make_ready(world: World, *, runs: int = 1) -> None:
    """Everything preflight checks is in order: trusted access, delegated admin, management bootstrap;
    the stubbed services answer `runs` preflights."""
    _, plan = world.load()
    org = boto3.client("organizations")
    assert {a.service for a in trusted_access(plan) if not a.by_landing_zone} <= set(TRUSTED)
    for service in TRUSTED:
        org.enable_aws_service_access(ServicePrincipal=service)
    for admin in delegated_admins(plan):
        org.register_delegated_administrator(AccountId=world.accounts[admin.account], ServicePrincipal=admin.service)
    for target in bootstrap_targets(plan):
        if target.account == "management":
            world.bootstrap("management", target.region)
    more_preflights(world, runs)


def more_preflights(world: World, runs: int = 1) -> None:
    """The stubbed services' answers for `runs` more preflights."""
    for _ in range(runs):
        world.stub("controltower").add_response("list_landing_zones", {"landingZones": []})
        world.stub("sso-admin").add_response("list_instances", {"Instances": [
            {**INSTANCE, "OwnerAccountId": world.management_id, "Status": "ACTIVE"}]})


@pytest.fixture
def world(aws, tmp_path) -> World:
    world = make_world(tmp_path)
    make_ready(world)
    return world
