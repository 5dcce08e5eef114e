"""Identity planner: permission sets, assignments expanded from OUs and sharded stably, federation."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.identity import (
    ASSIGNMENT_SHARDS,
    SAML_AUDIENCE,
    AssignmentsPlan,
    FederationPlan,
    IdentityCenterPlan,
    parameter_name,
    split_path,
)
from tests.helpers import minimal, write

ROOT = Path(__file__).resolve().parents[3]
ADFS = (ROOT / "blueprints" / "saml" / "adfs.xml").read_text()
ADMINS, READERS = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
GITHUB = "token.actions.githubusercontent.com"


def blueprint(accounts: int = 3, start: int = 0) -> dict:
    data = minimal()
    data["organization"]["units"][1]["units"].append({"name": "Dev", "units": [{"name": "Team"}]})
    data["organization"]["accounts"][2]["id"] = "555555555555"
    data["organization"]["accounts"].append({"name": "identity", "email": "aws+id@example.com", "unit": "Security",
                                             "role": "identity", "id": "444444444444"})
    for i in range(start, start + accounts):
        data["organization"]["accounts"].append({"name": f"dev-{i:04d}", "email": f"aws+dev-{i:04d}@example.com",
                                                 "unit": "Workloads/Dev/Team", "id": f"9{i:011d}"})
    data["identity"] = {"identity_center": {
        "instance_arn": "arn:aws:sso:::instance/ssoins-1234567890abcdef", "identity_store_id": "d-1234567890",
        "permission_sets": [
            {"name": "Admin", "managed_policies": ["AdministratorAccess"], "session_duration": "PT4H"},
            {"name": "ReadOnly", "managed_policies": ["ReadOnlyAccess", "job-function/ViewOnlyAccess"],
             "customer_managed_policies": ["engineering/ReadBilling", "Plain"],
             "permissions_boundary": "boundaries/Developer", "relay_state": "https://console.aws.amazon.com/"},
            {"name": "Billing", "permissions_boundary": "arn:aws:iam::aws:policy/job-function/Billing",
             "inline_policy": {"file": "policies/billing.json"}},
        ],
        "assignments": [
            {"permission_set": "Admin", "group_id": ADMINS, "targets": {"units": ["Workloads"]}},
            {"permission_set": "ReadOnly", "user_id": READERS,
             "targets": {"units": ["Workloads/Dev"], "accounts": ["dev-0000", "audit"]}},
        ],
        "access_control_attributes": [{"key": "Team", "source": ["${path:enterprise.department}"]}]}}
    return data


def plan_of(tmp_path: Path, data: dict, variables: dict | None = None):
    policies = tmp_path / "policies"
    policies.mkdir(exist_ok=True)
    (policies / "billing.json").write_text(
        '{% set svc = service | default("aws-portal") %}\n'
        '{"Version": "2012-10-17", "Statement": [{"Sid": "Bills", "Effect": "Allow",\n'
        ' "Action": ["{{ svc }}:ViewBilling"], "Resource": "*",\n'
        ' "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}\n')
    (tmp_path / "adfs.xml").write_text(ADFS)
    return build_plan(load_blueprint(write(tmp_path, data), variables))


def payloads(plan, kind):
    return [s.payload for s in plan.stacks if isinstance(s.payload, kind)]


def assignments(plan) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(permission set, principal, account) → (stack, logical id)."""
    return {(a.permission_set, a.principal_id, a.account): (s.name, a.logical_id)
            for s in plan.stacks if isinstance(s.payload, AssignmentsPlan) for a in s.payload.assignments}


def test_permission_sets_are_resolved(tmp_path):
    plan = plan_of(tmp_path, blueprint())
    (center,) = payloads(plan, IdentityCenterPlan)
    by_name = {p.name: p for p in center.permission_sets}
    assert [p.name for p in center.permission_sets] == ["Admin", "Billing", "ReadOnly"]
    ro = by_name["ReadOnly"]
    assert ro.managed_policy_arns == ("arn:aws:iam::aws:policy/ReadOnlyAccess",
                                      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    assert ro.customer_managed_policies == (("Plain", "/"), ("ReadBilling", "/engineering/"))
    assert ro.boundary_reference == ("Developer", "/boundaries/") and ro.boundary_arn is None
    assert ro.session_duration == "PT1H" and ro.relay_state == "https://console.aws.amazon.com/"
    billing = by_name["Billing"]
    assert billing.boundary_arn == "arn:aws:iam::aws:policy/job-function/Billing"
    # The file is Jinja2; policy variables stay as written.
    statement = billing.inline_policy["Statement"][0]
    assert statement["Action"] == ["aws-portal:ViewBilling"]
    assert statement["Condition"]["StringEquals"]["aws:ResourceTag/team"] == "${aws:PrincipalTag/team}"
    assert center.attributes == (("Team", ("${path:enterprise.department}",)),)
    stack = plan.stack("acme-identity-center")
    assert (stack.account_id, stack.region, stack.resources) == ("111111111111", "us-east-1", 7)


def test_inline_policy_file_uses_the_blueprint_variables_and_is_linted(tmp_path):
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, blueprint(), {"service": "aws-portl"})
    (issue,) = info.value.issues
    assert issue.code == "unknown-action" and "aws-portl:ViewBilling" in issue.message
    assert issue.path == "identity.identity_center.permission_sets[Billing].inline_policy.file"


def test_ous_expand_recursively_to_accounts_with_ids_and_duplicates_merge(tmp_path):
    data = blueprint(accounts=2)
    data["organization"]["accounts"].append({"name": "dev-new", "email": "aws+new@example.com",
                                             "unit": "Workloads/Dev/Team"})
    plan = plan_of(tmp_path, data)
    found = assignments(plan)
    admin = sorted(acct for (ps, _, acct) in found if ps == "Admin")
    assert admin == ["app1", "dev-0000", "dev-0001"]           # Workloads/Prod and Workloads/Dev/Team
    readonly = sorted(acct for (ps, _, acct) in found if ps == "ReadOnly")
    assert readonly == ["audit", "dev-0000", "dev-0001"]       # dev-0000 named twice, assigned once
    pending = [p for p in plan.pending if "Identity Center" in p.subject]
    assert [p.subject for p in pending] == ["Identity Center assignments in account dev-new"]
    assert "Admin, ReadOnly" in pending[0].reason
    for stack in plan.stacks:
        if isinstance(stack.payload, AssignmentsPlan):
            assert stack.depends_on == ("acme-identity-center",)
            assert stack.resources == len(stack.payload.assignments)
            arns = {a.permission_set_arn for a in stack.payload.assignments}
            assert all(a.startswith("{{resolve:ssm:/acme/identity-center/ssoins-1234567890abcdef/") for a in arns)


def test_assignment_stacks_and_logical_ids_never_move_when_accounts_are_added(tmp_path):
    before = assignments(plan_of(tmp_path, blueprint(accounts=40)))
    grown = blueprint(accounts=120)
    random.Random(3).shuffle(grown["organization"]["accounts"])
    random.Random(4).shuffle(grown["identity"]["identity_center"]["assignments"])
    after = assignments(plan_of(tmp_path, grown))
    assert len(after) == len(before) + 160
    assert {key: after[key] for key in before} == before
    shards = {stack for stack, _ in after.values()}
    assert len(shards) <= ASSIGNMENT_SHARDS


def test_a_full_shard_is_an_issue_not_a_failed_deploy(tmp_path):
    data = blueprint(accounts=1)
    center = data["identity"]["identity_center"]
    center["permission_sets"] = [{"name": f"Set{i:02d}"} for i in range(46)]
    groups = [f"{g:08x}-2222-3333-4444-555555555555" for g in range(10)]
    center["assignments"] = [{"permission_set": f"Set{i:02d}", "group_id": g, "targets": {"accounts": ["dev-0000"]}}
                             for i in range(46) for g in groups]
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, data)
    assert [i.code for i in info.value.issues] == ["stack-too-large"]


def test_more_than_50_permission_sets_in_one_account(tmp_path):
    data = blueprint(accounts=1)
    center = data["identity"]["identity_center"]
    center["permission_sets"] = [{"name": f"Set{i:02d}"} for i in range(51)]
    center["assignments"] = [{"permission_set": f"Set{i:02d}", "group_id": ADMINS, "targets": {"accounts": ["app1"]}}
                             for i in range(51)]
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, data)
    assert [i.code for i in info.value.issues] == ["identity-center-permission-sets-per-account"]


def test_parameter_names_take_only_ssm_characters():
    arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
    assert parameter_name("acme", arn, "Admin") == "/acme/identity-center/ssoins-1234567890abcdef/permission-sets/Admin"
    odd = parameter_name("acme", arn, "a+b@c")
    assert odd.rsplit("/", 1)[1].startswith("a_b_c-") and odd != parameter_name("acme", arn, "a+b=c")


@pytest.mark.parametrize("name, expected", [("Plain", ("Plain", "/")), ("a/b/Name", ("Name", "/a/b/")),
                                            ("/a/Name", ("Name", "/a/"))])
def test_split_path(name, expected):
    assert split_path(name) == expected


# ---------- federation ----------

def federation(data: dict, **saml) -> dict:
    data["identity"] = {
        "saml_providers": [{"name": "corp-adfs", "metadata_file": "adfs.xml", **saml,
                            "roles": [{"name": "adfs-admin", "managed_policies": ["AdministratorAccess"],
                                       "max_session_duration": 7200,
                                       "conditions": {"StringLike": {"SAML:sub": "CORP\\*"}}}]}],
        "oidc_providers": [{"name": "eks", "url": "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123",
                            "client_ids": ["sts.amazonaws.com"], "thumbprints": ["9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"],
                            "roles": [{"name": "ci", "inline_policy": {"document": {
                                "Version": "2012-10-17", "Statement": [{
                                    "Effect": "Allow", "Action": "s3:GetObject",
                                    "Resource": "arn:aws:s3:::acme-ci/${aws:PrincipalTag/team}/*"}]}},
                                "conditions": {"StringEquals": {
                                    "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
                                    "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:ci:runner"}}}]}],
    }
    return data


def test_federation_goes_to_the_identity_account(tmp_path):
    plan = plan_of(tmp_path, federation(blueprint()))
    stack = plan.stack("acme-federation")
    assert (stack.account_id, stack.component, stack.resources) == ("444444444444", "federation", 4)
    payload: FederationPlan = stack.payload
    (saml,) = payload.saml_providers
    assert saml.arn == "arn:aws:iam::444444444444:saml-provider/corp-adfs" and saml.metadata == ADFS
    (oidc,) = payload.oidc_providers
    assert oidc.arn == "arn:aws:iam::444444444444:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"
    assert oidc.thumbprints == ("9e99a48a9960b14926bb7f3b02e22da2b0ab7280",)
    roles = {r.name: r for r in payload.roles}
    (statement,) = roles["adfs-admin"].trust_policy["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithSAML"
    assert statement["Principal"] == {"Federated": saml.arn}
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": SAML_AUDIENCE},
                                      "StringLike": {"SAML:sub": "CORP\\*"}}
    assert roles["adfs-admin"].max_session_duration == 7200
    (statement,) = roles["ci"].trust_policy["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert set(statement["Condition"]["StringEquals"]) == {"oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud",
                                                           "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub"}
    assert roles["ci"].inline_policy["Statement"][0]["Resource"].endswith("${aws:PrincipalTag/team}/*")


def test_a_provider_in_another_account_gets_its_own_stack(tmp_path):
    plan = plan_of(tmp_path, federation(blueprint(), account="audit"))
    assert plan.stack("acme-federation-audit").account_id == "333333333333"
    assert plan.stack("acme-federation").resources == 2     # the OIDC provider and its role


def test_a_provider_account_without_id_is_pending(tmp_path):
    data = federation(blueprint())
    data["organization"]["accounts"][3].pop("id")      # identity
    plan = plan_of(tmp_path, data)
    assert not [s for s in plan.stacks if s.component == "federation"]
    assert "stack acme-federation" in [p.subject for p in plan.pending]


@pytest.mark.parametrize("metadata, problem", [
    ("not xml", "is not well-formed XML"),
    ('<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><IDPSSODescriptor/></EntityDescriptor>',
     "has no signing certificate"),
    ('<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/>', "not a SAML 2.0 metadata EntityDescriptor"),
])
def test_saml_metadata_is_checked(tmp_path, metadata, problem):
    data = federation(blueprint(), metadata_file="bad.xml")
    (tmp_path / "bad.xml").write_text(metadata)
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, data)
    (issue,) = info.value.issues
    assert issue.code == "saml-metadata-invalid" and problem in issue.message
    assert issue.path == "identity.saml_providers[corp-adfs].metadata_file"


def test_trust_policy_is_linted(tmp_path):
    data = federation(blueprint())
    data["identity"]["saml_providers"][0]["roles"][0]["conditions"] = {"StringEqual": {"SAML:sub": "x"}}
    with pytest.raises(BlueprintError) as info:
        plan_of(tmp_path, data)
    assert [(i.code, i.path) for i in info.value.issues] == [
        ("unknown-condition-operator", "identity.saml_providers[corp-adfs].roles[adfs-admin].conditions")]


@pytest.mark.parametrize("change", ["name", "instance"], ids=["renamed", "other-instance"])
def test_a_replaced_permission_set_changes_the_assignments_reference(change):
    """CloudFormation re-reads a `{{resolve:ssm:...}}` only when its text changes, and PermissionSetArn is
    create-only: whatever replaces the permission set (its create-only Name or InstanceArn) must change
    the parameter the assignments name."""
    from landing_zone.checks.schemas import resource_schema
    from landing_zone.plan.identity import parameter_name

    create_only = {p.split("/")[-1] for p in resource_schema("AWS::SSO::PermissionSet")["createOnlyProperties"]}
    assert create_only == {"InstanceArn", "Name"}
    base = ("acme", "arn:aws:sso:::instance/ssoins-1111", "Admin")
    other = ("acme", "arn:aws:sso:::instance/ssoins-2222", "Admin") if change == "instance" else \
        ("acme", "arn:aws:sso:::instance/ssoins-1111", "Administrators")
    assert parameter_name(*base) != parameter_name(*other)
