"""`lz sync` against moto's Organizations: the ids file it writes, matching, and its errors."""
from __future__ import annotations

from pathlib import Path

import boto3
import pytest
import yaml
from botocore.exceptions import EndpointConnectionError, NoCredentialsError
from click.testing import CliRunner
from moto import mock_aws

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.cli import cli
from landing_zone.sync import SyncError, sync_ids

# The standard blueprint's OU tree; "Legacy" exists only in the live organization.
LIVE_UNITS = ["Security", "Infrastructure", "Workloads", "Workloads/Prod", "Workloads/NonProd",
              "Sandbox", "Suspended", "Policy Staging", "Legacy"]
# name -> (email, OU path); the last two are not in the blueprint.
LIVE_ACCOUNTS = {
    "log-archive": ("aws+log-archive@example.com", "Security"),
    "audit": ("aws+audit@example.com", "Security"),
    "network": ("aws+network@example.com", "Infrastructure"),
    "identity": ("aws+identity@example.com", "Infrastructure"),
    "app1-prod": ("aws+app1-prod@example.com", "Workloads/Prod"),
    "app1-dev": ("aws+app1-dev@example.com", "Workloads/NonProd"),
    "sandbox-alice": ("aws+sandbox-alice@example.com", "Sandbox"),
    "old-app": ("aws+old-app@example.com", "Legacy"),
    "scratch": ("aws+scratch@example.com", "Root"),
}

BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]
organization:
{org_ids}  units:
    - name: Security
    - name: Infrastructure
    - name: Workloads
      units:
        - name: Prod
        - name: NonProd
    - name: Sandbox
    - name: Suspended
    - name: Policy Staging
  account_templates:
    workload-prod: {{unit: Workloads/Prod}}
    workload-nonprod: {{unit: Workloads/NonProd}}
  accounts:
    - {{name: log-archive, email: aws+log-archive@example.com, unit: Security, role: log-archive}}
    - {{name: audit, email: AWS+Audit@Example.com, unit: Security, role: audit}}
    - {{name: network, email: aws+network@example.com, unit: Infrastructure, role: network}}
    - {{name: identity, email: aws+identity@example.com, unit: Infrastructure, role: identity}}
    - {{name: app1-prod, email: aws+app1-prod@example.com, template: workload-prod}}
    - {{name: app1-dev, email: aws+app1-dev@example.com, template: workload-nonprod}}
    - {{name: sandbox-alice, email: aws+sandbox-alice@example.com, unit: Sandbox}}
"""


def write_blueprint(tmp_path: Path, **org_ids: str) -> Path:
    lines = "".join(f'  {key}: "{value}"\n' for key, value in org_ids.items())
    path = tmp_path / "acme.yaml"
    path.write_text(BLUEPRINT.format(org_ids=lines), encoding="utf-8")
    return path


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """A mocked AWS with fake credentials; nothing here can reach the network."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with mock_aws():
        yield boto3.client("organizations")


def create_account(client, root_id: str, parent_id: str, name: str, email: str) -> str:
    client.create_account(AccountName=name, Email=email)
    # moto completes creation at once; the status's AccountId is there, but list like real code must.
    account_id = next(a["Id"] for page in client.get_paginator("list_accounts").paginate()
                      for a in page["Accounts"] if a["Email"] == email)
    if parent_id != root_id:
        client.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=parent_id)
    return account_id


@pytest.fixture
def live(aws):
    """The organization as AWS knows it: ids of the org, root, OUs (by path) and accounts (by name)."""
    org = aws.create_organization(FeatureSet="ALL")["Organization"]
    root_id = aws.list_roots()["Roots"][0]["Id"]
    units = {"Root": root_id}
    for path in LIVE_UNITS:
        parent, _, name = path.rpartition("/")
        units[path] = aws.create_organizational_unit(
            ParentId=units[parent or "Root"], Name=name)["OrganizationalUnit"]["Id"]
    accounts = {name: create_account(aws, root_id, units[unit], name, email)
                for name, (email, unit) in LIVE_ACCOUNTS.items()}
    return {"client": aws, "id": org["Id"], "root_id": root_id,
            "management_account_id": org["MasterAccountId"], "units": units, "accounts": accounts}


def org_ids(live) -> dict[str, str]:
    return {key: live[key] for key in ("id", "root_id", "management_account_id")}


def test_sync_writes_ids_of_blueprint_things_and_lists_the_rest(live, tmp_path):
    blueprint = write_blueprint(tmp_path, **org_ids(live))

    written, summary = sync_ids(blueprint, client=live["client"])

    assert written == tmp_path / "acme.ids.yaml"
    assert yaml.safe_load(written.read_text()) == {
        "organization": {
            **org_ids(live),
            "units": {path: live["units"][path] for path in LIVE_UNITS if path != "Legacy"},
            "accounts": {name: live["accounts"][name] for name in list(LIVE_ACCOUNTS)[:7]},
        },
        "unmanaged": {
            "units": ["Legacy"],
            "accounts": [
                {"name": "old-app", "email": "aws+old-app@example.com", "id": live["accounts"]["old-app"],
                 "unit": "Legacy", "status": "ACTIVE"},
                {"name": "scratch", "email": "aws+scratch@example.com", "id": live["accounts"]["scratch"],
                 "unit": "Root", "status": "ACTIVE"},
            ],
        },
    }
    assert summary == "7 of 7 accounts and 8 of 8 OUs matched; 2 live accounts and 1 OU not in the blueprint"


def test_written_file_is_stable_quoted_and_says_where_it_came_from(live, tmp_path):
    blueprint = write_blueprint(tmp_path)  # no org ids yet: sync supplies them
    first = sync_ids(blueprint, client=live["client"])[0].read_text()
    second = sync_ids(blueprint, client=live["client"])[0].read_text()

    assert first == second
    assert first.startswith(f"# Ids of what exists in organization {live['id']}, written by `lz sync acme.yaml`")
    assert "Commit this file" in first
    assert f'  log-archive: "{live["accounts"]["log-archive"]}"\n' in first
    assert f'  management_account_id: "{live["management_account_id"]}"\n' in first
    body = [line for line in first.splitlines() if not line.startswith("#")]
    assert [line for line in body if not line.startswith(" ")] == ["organization:", "unmanaged:"]


def test_synced_blueprint_loads_with_every_id(live, tmp_path):
    blueprint = write_blueprint(tmp_path)
    sync_ids(blueprint, client=live["client"])

    loaded = load_blueprint(blueprint)

    org = loaded.model.organization
    assert (org.id, org.root_id, org.management_account_id) == tuple(org_ids(live).values())
    assert {a.name: a.id for a in org.accounts} == {n: live["accounts"][n] for n in list(LIVE_ACCOUNTS)[:7]}
    workloads = next(u for u in org.units if u.name == "Workloads")
    assert [(u.name, u.id) for u in workloads.units] == [
        ("Prod", live["units"]["Workloads/Prod"]), ("NonProd", live["units"]["Workloads/NonProd"])]


def test_output_option_writes_elsewhere(live, tmp_path):
    out = tmp_path / "elsewhere" / "ids.yaml"
    out.parent.mkdir()
    written, _ = sync_ids(write_blueprint(tmp_path), client=live["client"], output=out)
    assert written == out and out.exists()
    assert not (tmp_path / "acme.ids.yaml").exists()


@pytest.mark.parametrize(("key", "value", "where"), [
    ("id", "o-zzzzzzzzzz", "blueprint"),
    ("root_id", "r-zzzz", "blueprint"),
    ("management_account_id", "999999999999", "blueprint"),
    ("id", "o-zzzzzzzzzz", "ids-file"),
], ids=["blueprint-org-id", "blueprint-root-id", "blueprint-management-id", "old-ids-file-org-id"])
def test_other_organization_is_refused(live, tmp_path, key, value, where):
    if where == "blueprint":
        blueprint = write_blueprint(tmp_path, **{**org_ids(live), key: value})
    else:
        blueprint = write_blueprint(tmp_path)
        (tmp_path / "acme.ids.yaml").write_text(f"organization:\n  {key}: {value}\n")
    before = {p.name: p.read_text() for p in tmp_path.iterdir() if p.is_file()}

    with pytest.raises(SyncError, match=rf"organization\.{key} is '{value}' but the credentials"):
        sync_ids(blueprint, client=live["client"])
    assert {p.name: p.read_text() for p in tmp_path.iterdir() if p.is_file()} == before


def test_email_match_wins_over_name_match(aws, tmp_path):
    aws.create_organization(FeatureSet="ALL")
    root_id = aws.list_roots()["Roots"][0]["Id"]
    # The account named "audit" is someone else's; the blueprint's audit account was created
    # under another Name but with the blueprint's email.
    decoy = create_account(aws, root_id, root_id, "audit", "someone-else@example.com")
    real = create_account(aws, root_id, root_id, "Audit Account", "aws+audit@example.com")
    by_name = create_account(aws, root_id, root_id, "network", "old-network@example.com")

    written, summary = sync_ids(write_blueprint(tmp_path), client=aws)

    data = yaml.safe_load(written.read_text())
    assert data["organization"]["accounts"] == {"audit": real, "network": by_name}
    assert [a["id"] for a in data["unmanaged"]["accounts"]] == [decoy]
    assert summary == "2 of 7 accounts and 0 of 8 OUs matched; 1 live account and 0 OUs not in the blueprint"


def test_ambiguous_name_matches_nothing(aws, tmp_path):
    aws.create_organization(FeatureSet="ALL")
    root_id = aws.list_roots()["Roots"][0]["Id"]
    twins = sorted(create_account(aws, root_id, root_id, "network", f"net{i}@example.com") for i in (1, 2))

    written, _ = sync_ids(write_blueprint(tmp_path), client=aws)

    data = yaml.safe_load(written.read_text())
    assert data["organization"]["accounts"] == {}
    assert sorted(a["id"] for a in data["unmanaged"]["accounts"]) == twins


def test_every_page_is_read(aws, tmp_path):
    # moto pages OUs and accounts per parent by 20, like AWS: 25 of each need a second page.
    aws.create_organization(FeatureSet="ALL")
    root_id = aws.list_roots()["Roots"][0]["Id"]
    units = [aws.create_organizational_unit(ParentId=root_id, Name=f"Team{i:02}") for i in range(25)]
    accounts = [create_account(aws, root_id, root_id, f"team{i:02}", f"team{i:02}@example.com")
                for i in range(25)]

    written, summary = sync_ids(write_blueprint(tmp_path), client=aws)

    data = yaml.safe_load(written.read_text())
    assert data["unmanaged"]["units"] == [u["OrganizationalUnit"]["Name"] for u in units]
    assert [a["id"] for a in data["unmanaged"]["accounts"]] == accounts
    assert summary.endswith("; 25 live accounts and 25 OUs not in the blueprint")


class _Broken:
    """A client whose first call fails the way botocore fails before any answer arrives."""

    def __init__(self, exc: Exception):
        self.exc = exc

    def describe_organization(self):
        raise self.exc


@pytest.mark.parametrize(("make_client", "message"), [
    (lambda aws: aws, r"DescribeOrganization failed \(AWSOrganizationsNotInUseException\): "
                      r"these credentials' account is in no organization"),
    (lambda aws: _Broken(NoCredentialsError()), r"no AWS credentials found: pass --profile"),
    (lambda aws: _Broken(EndpointConnectionError(endpoint_url="https://organizations.example")),
     r"cannot reach AWS Organizations: .*organizations\.example"),
], ids=["no-organization", "no-credentials", "unreachable"])
def test_aws_failures_become_one_line_sync_errors(aws, tmp_path, make_client, message):
    with pytest.raises(SyncError, match=message) as caught:
        sync_ids(write_blueprint(tmp_path), client=make_client(aws))
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "acme.ids.yaml").exists()


def test_unknown_profile_is_a_sync_error(aws, tmp_path):
    with pytest.raises(SyncError, match=r"could not be found: check --profile"):
        sync_ids(write_blueprint(tmp_path), profile="no-such-profile")


@pytest.mark.parametrize("text", ["organization: [unclosed\n", "{% if %}\n", "- just a list\n"],
                         ids=["yaml-syntax", "jinja-syntax", "not-a-mapping"])
def test_unreadable_blueprint_is_a_blueprint_error(live, tmp_path, text):
    blueprint = tmp_path / "acme.yaml"
    blueprint.write_text(text)
    with pytest.raises(BlueprintError):
        sync_ids(blueprint, client=live["client"])


def test_cli_sync_writes_and_reports(live, tmp_path):
    blueprint = write_blueprint(tmp_path)

    result = CliRunner().invoke(cli, ["sync", str(blueprint)])

    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote {tmp_path / 'acme.ids.yaml'}: 7 of 7 accounts and 8 of 8 OUs matched; "
                             "2 live accounts and 1 OU not in the blueprint\n")


def test_cli_sync_wrong_organization_exits_1(live, tmp_path):
    blueprint = write_blueprint(tmp_path, id="o-zzzzzzzzzz")

    result = CliRunner().invoke(cli, ["sync", str(blueprint)])

    assert result.exit_code == 1
    assert result.stderr.startswith("lz sync: ") and "Traceback" not in result.output


def test_unwritable_output_is_a_sync_error(live, tmp_path):
    with pytest.raises(SyncError, match=r"cannot write .*missing-dir"):
        sync_ids(write_blueprint(tmp_path), client=live["client"], output=tmp_path / "missing-dir" / "x.yaml")


# ---------- renames ----------

def renamed(tmp_path: Path, *pairs: tuple[str, str]) -> Path:
    path = write_blueprint(tmp_path)
    text = path.read_text()
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    return path


def test_renamed_ou_keeps_its_id_and_its_children_before_the_rename_is_deployed(live, tmp_path):
    blueprint = renamed(tmp_path, ("- name: Workloads\n", "- name: Apps\n      renamed_from: Workloads\n"),
                        ("unit: Workloads/", "unit: Apps/"))

    written, summary = sync_ids(blueprint, client=live["client"])

    data = yaml.safe_load(written.read_text())
    assert {p: data["organization"]["units"][p] for p in ("Apps", "Apps/Prod", "Apps/NonProd")} == {
        "Apps": live["units"]["Workloads"], "Apps/Prod": live["units"]["Workloads/Prod"],
        "Apps/NonProd": live["units"]["Workloads/NonProd"]}
    assert not any(p.startswith("Workloads") for p in data["organization"]["units"])
    assert data["unmanaged"]["units"] == ["Legacy"]
    assert summary.startswith("7 of 7 accounts and 8 of 8 OUs matched")


def test_renamed_account_is_matched_by_the_name_it_was_created_under(live, tmp_path):
    # A new email in the blueprint too: only the old Name, still the account's name in AWS, finds it.
    blueprint = renamed(tmp_path, ("{name: app1-prod, email: aws+app1-prod@example.com,",
                                   "{name: shop-prod, renamed_from: app1-prod, email: shop@example.com,"))

    written, _ = sync_ids(blueprint, client=live["client"])

    accounts = yaml.safe_load(written.read_text())["organization"]["accounts"]
    assert accounts["shop-prod"] == live["accounts"]["app1-prod"] and "app1-prod" not in accounts
    assert load_blueprint(blueprint).model.organization.accounts[4].id == live["accounts"]["app1-prod"]


def test_undeclared_account_rename_is_refused_and_the_ids_file_kept(live, tmp_path):
    blueprint = write_blueprint(tmp_path)
    sync_ids(blueprint, client=live["client"])
    before = (tmp_path / "acme.ids.yaml").read_text()
    text = blueprint.read_text().replace("{name: app1-prod,", "{name: shop-prod,")
    blueprint.write_text(text)

    with pytest.raises(SyncError, match=r"account 'shop-prod' is the account acme\.ids\.yaml records as "
                                        r"'app1-prod' \(\d{12}\): add `renamed_from: app1-prod`"):
        sync_ids(blueprint, client=live["client"])
    assert (tmp_path / "acme.ids.yaml").read_text() == before

    blueprint.write_text(text.replace("{name: shop-prod,", "{name: shop-prod, renamed_from: app1-prod,"))
    written, _ = sync_ids(blueprint, client=live["client"])
    assert yaml.safe_load(written.read_text())["organization"]["accounts"]["shop-prod"] == \
        live["accounts"]["app1-prod"]
