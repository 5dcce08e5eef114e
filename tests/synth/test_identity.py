"""Identity stacks of the enterprise blueprint: what reaches the templates (not only the plan)."""
from __future__ import annotations

from tests.synth.conftest import Synthesized


def resources(result: Synthesized, *, prefix: str, type_: str) -> list[dict]:
    return [r for name, t in result.templates().items() if name.startswith(prefix)
            for r in t["Resources"].values() if r["Type"] == type_]


def test_permission_sets_carry_their_session_durations(synthesized):
    result = synthesized("enterprise")
    sets = {r["Properties"]["Name"]: r["Properties"] for r in
            resources(result, prefix="globex-identity-center", type_="AWS::SSO::PermissionSet")}
    assert {name: p["SessionDuration"] for name, p in sets.items()} == {
        "Admin": "PT4H", "ReadOnly": "PT8H", "Developer": "PT8H"}
    assert sets["Developer"]["ManagedPolicies"] == ["arn:aws:iam::aws:policy/PowerUserAccess"]
    assert sets["Developer"]["InlinePolicy"]["Statement"][0]["Action"] == ["iam:*"]
    parameters = resources(result, prefix="globex-identity-center", type_="AWS::SSM::Parameter")
    assert sorted(p["Properties"]["Name"].rsplit("/", 1)[1] for p in parameters) == ["Admin", "Developer", "ReadOnly"]
    (abac,) = resources(result, prefix="globex-identity-center",
                        type_="AWS::SSO::InstanceAccessControlAttributeConfiguration")
    assert abac["Properties"]["AccessControlAttributes"] == [
        {"Key": "CostCenter", "Value": {"Source": ["${path:enterprise.costCenter}"]}}]


def test_assignments_expand_ous_to_every_account_with_an_id(synthesized):
    result = synthesized("enterprise")
    ids = {a.id: a.name for a in result.plan.accounts}
    found: dict[str, set[str]] = {}
    for r in resources(result, prefix="globex-identity-center-assignments", type_="AWS::SSO::Assignment"):
        props = r["Properties"]
        permission_set = props["PermissionSetArn"].removeprefix("{{resolve:ssm:").removesuffix("}}").rsplit("/", 1)[1]
        found.setdefault(permission_set, set()).add(ids[props["TargetId"]])
        assert props["TargetType"] == "AWS_ACCOUNT" and props["PrincipalType"] == "GROUP"
    assert found == {
        "Admin": {"log-archive", "audit", "network", "identity"},         # Infrastructure and Security
        "ReadOnly": {"web-prod", "payments-prod"},                          # Workloads/Prod and Prod/Payments
        "Developer": {"web-dev"},                                           # data-dev has no id yet
    }
    assert "Identity Center assignments in account data-dev" in [p.subject for p in result.plan.pending]


def test_saml_roles_trust_only_assume_role_with_saml_for_the_aws_audience(synthesized):
    result = synthesized("enterprise")
    template = result.templates()["globex-federation"]
    (provider,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::SAMLProvider"]
    assert provider["Properties"]["Name"] == "corp-adfs"
    assert "<X509Certificate>" in provider["Properties"]["SamlMetadataDocument"]
    role = next(r for r in template["Resources"].values()
                if r["Type"] == "AWS::IAM::Role" and r["Properties"]["RoleName"] == "adfs-readonly")
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithSAML"
    assert statement["Principal"] == {"Federated": "arn:aws:iam::100000000005:saml-provider/corp-adfs"}
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}


def test_web_identity_roles_pin_audience_and_subject(synthesized):
    result = synthesized("enterprise")
    template = result.templates()["globex-federation"]
    (provider,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::OIDCProvider"]
    assert provider["Properties"]["Url"] == "https://token.actions.githubusercontent.com"
    assert provider["Properties"]["ClientIdList"] == ["sts.amazonaws.com"]
    role = next(r for r in template["Resources"].values()
                if r["Type"] == "AWS::IAM::Role" and r["Properties"]["RoleName"] == "github-deploy")
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    conditions = statement["Condition"]
    assert conditions["StringEquals"]["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    assert conditions["StringLike"]["token.actions.githubusercontent.com:sub"] == "repo:globex/*:ref:refs/heads/main"
    assert role["DependsOn"] == [next(k for k, r in template["Resources"].items()
                                      if r["Type"] == "AWS::IAM::OIDCProvider")]
