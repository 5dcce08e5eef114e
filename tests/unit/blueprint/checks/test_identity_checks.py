"""Identity checks, table-driven: one mutation of a valid blueprint with identity → the exact issues."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint
from tests.helpers import assert_issues, minimal, write

GROUP = "11111111-2222-3333-4444-555555555555"
GITHUB = "token.actions.githubusercontent.com"


def base() -> dict:
    data = minimal()
    data["organization"]["accounts"].append(
        {"name": "identity", "email": "aws+identity@example.com", "unit": "Security", "role": "identity",
         "id": "444444444444"})
    data["network"] = {"vpcs": [
        {"name": "identity", "account": "identity", "region": "us-east-1", "cidr": "10.1.0.0/16", "subnets": [
            {"name": "ds-a", "cidr": "10.1.0.0/24", "az_id": "use1-az1"},
            {"name": "ds-b", "cidr": "10.1.1.0/24", "az_id": "use1-az2"}]},
        {"name": "identity-eu", "account": "identity", "region": "eu-west-1", "cidr": "10.2.0.0/16", "subnets": [
            {"name": "ds-a", "cidr": "10.2.0.0/24", "az_id": "euw1-az1"},
            {"name": "ds-b", "cidr": "10.2.1.0/24", "az_id": "euw1-az2"}]},
    ]}
    data["identity"] = {
        "directory": {"account": "identity", "region": "us-east-1", "vpc": "identity", "subnets": ["ds-a", "ds-b"],
                      "domain": "corp.example.com", "short_name": "CORP", "edition": "Enterprise",
                      "trusts": [{"remote_domain": "onprem.example.com", "conditional_forwarder_ips": ["192.168.1.10"],
                                  "password_secret": "lz/ad/onprem-trust"}],
                      "replicate_to": ["eu-west-1"]},
        "identity_center": {
            "instance_arn": "arn:aws:sso:::instance/ssoins-1234567890abcdef", "identity_store_id": "d-1234567890",
            "permission_sets": [{"name": "Admin", "managed_policies": ["AdministratorAccess"],
                                 "session_duration": "PT4H"}],
            "assignments": [{"permission_set": "Admin", "group_id": GROUP, "targets": {"units": ["Workloads"]}}],
            "access_control_attributes": [{"key": "CostCenter", "source": ["${path:enterprise.costCenter}"]}]},
        "oidc_providers": [{"name": "github", "url": f"https://{GITHUB}", "client_ids": ["sts.amazonaws.com"],
                            "roles": [{"name": "deploy", "conditions": {
                                "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                                "StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}}}]}],
    }
    # The directory's admin password gets a customer managed key (without one: a warning, test_key_checks.py).
    data["keys"] = [{"alias": "alias/lz/directory", "account": "identity", "primary_region": "us-east-1",
                     "services": ["secretsmanager", "ds"]}]
    return data


def directory(d):
    return d["identity"]["directory"]


def center(d):
    return d["identity"]["identity_center"]


def ps(d):
    return center(d)["permission_sets"][0]


def role(d):
    return d["identity"]["oidc_providers"][0]["roles"][0]


def trust(d):
    return directory(d)["trusts"][0]


D = "identity.directory"
RULE = "network.resolver_rules[corp].domain"


def forwarded_twice(domain: str = "corp.example.com", rule_units: list | None = None,
                    directory_units: list | None = None, **directory_changes) -> Callable[[dict], None]:
    """The directory shared with `directory_units` and a resolver rule for `domain` shared with `rule_units`."""
    def mutate(d: dict) -> None:
        directory(d).update(share_with={"units": directory_units or ["Workloads"]}, **directory_changes)
        rule = {"name": "corp", "domain": domain, "vpc": "identity", "target_ips": ["10.1.0.10"]}
        if rule_units is not None:
            rule["share_with"] = {"units": rule_units}
        d["network"]["resolver_rules"] = [rule]
    return mutate
PS = "identity.identity_center.permission_sets[Admin]"
ROLE = "identity.oidc_providers[github].roles[deploy]"
CASES: list[tuple[str, Callable[[dict], object], set[tuple[str, str]]]] = [
    ("valid", lambda d: None, set()),
    ("domain-single-label", lambda d: directory(d).update(domain="corp"), {("directory-domain-invalid", f"{D}.domain")}),
    ("domain-bad-label", lambda d: directory(d).update(domain="-corp.example.com"),
     {("directory-domain-invalid", f"{D}.domain")}),
    ("short-name-16", lambda d: directory(d).update(short_name="A" * 16), {("directory-short-name-invalid", f"{D}.short_name")}),
    ("short-name-15", lambda d: directory(d).update(short_name="A" * 15), set()),
    ("short-name-forbidden", lambda d: directory(d).update(short_name="CO*RP"),
     {("directory-short-name-invalid", f"{D}.short_name")}),
    ("default-short-name-too-long", lambda d: (directory(d).pop("short_name"),
                                               directory(d).update(domain="corporationexample.example.com")),
     {("directory-short-name-invalid", f"{D}.domain")}),
    ("trust-no-forwarders", lambda d: trust(d).update(conditional_forwarder_ips=[]),
     {("trust-forwarders-count", f"{D}.trusts[onprem.example.com]")}),
    ("trust-five-forwarders", lambda d: trust(d).update(conditional_forwarder_ips=[f"10.0.0.{i}" for i in range(5)]),
     {("trust-forwarders-count", f"{D}.trusts[onprem.example.com].conditional_forwarder_ips")}),
    ("trust-forwarder-not-ipv4", lambda d: trust(d).update(conditional_forwarder_ips=["dns.onprem"]),
     {("trust-forwarder-invalid", f"{D}.trusts[onprem.example.com].conditional_forwarder_ips[dns.onprem]")}),
    ("trust-secret-blank", lambda d: trust(d).update(password_secret="my secret"),
     {("trust-secret-invalid", f"{D}.trusts[onprem.example.com].password_secret")}),
    ("trust-duplicate", lambda d: directory(d)["trusts"].append(dict(trust(d), remote_domain="ONPREM.example.com")),
     {("trust-remote-domain-duplicate", f"{D}.trusts[ONPREM.example.com].remote_domain")}),
    ("replication-standard", lambda d: directory(d).update(edition="Standard"),
     {("directory-replication-needs-enterprise", f"{D}.replicate_to")}),
    ("simple-with-everything", lambda d: directory(d).update(type="simple", share_with={"units": ["Workloads"]}),
     {("directory-feature-unsupported", f"{D}.trusts"), ("directory-feature-unsupported", f"{D}.replicate_to"),
      ("directory-feature-unsupported", f"{D}.share_with")}),
    ("connector-without-settings", lambda d: (directory(d).update(type="connector", trusts=[], replicate_to=[])),
     {("directory-connector-dns-missing", f"{D}.type"), ("directory-connector-secret-missing", f"{D}.type")}),
    ("dns-ips-on-managed-ad", lambda d: directory(d).update(dns_ips=["10.0.0.2"]),
     {("directory-feature-unsupported", f"{D}.dns_ips")}),
    ("subnets-one-az", lambda d: d["network"]["vpcs"][0]["subnets"][1].update(az_id="use1-az1"),
     {("directory-subnets-same-az", f"{D}.subnets")}),
    ("subnet-unknown", lambda d: directory(d).update(subnets=["ds-a", "ds-c"]),
     {("directory-subnet-unknown", f"{D}.subnets[ds-c]")}),
    ("one-subnet", lambda d: directory(d).update(subnets=["ds-a"]), {("directory-subnets-count", f"{D}.subnets")}),
    ("vpc-unknown", lambda d: directory(d).update(vpc="identiy"), {("directory-vpc-unknown", f"{D}.vpc")}),
    ("vpc-in-other-region", lambda d: directory(d).update(vpc="identity-eu"),
     {("directory-vpc-elsewhere", f"{D}.vpc")}),
    ("replica-without-vpc", lambda d: directory(d).update(replicate_to=["eu-west-1", "us-east-1"]),
     {("directory-replica-region-duplicate", f"{D}.replicate_to[us-east-1].region")}),
    ("replica-subnets-one-az", lambda d: d["network"]["vpcs"][1]["subnets"][1].update(az_id="euw1-az1"),
     {("directory-subnets-same-az", f"{D}.replicate_to[eu-west-1].region")}),
    ("domain-forwarded-twice-to-an-ou-below", forwarded_twice(rule_units=["Workloads/Prod"]),
     {("resolver-rule-duplicates-directory", RULE)}),
    ("domain-forwarded-twice-to-root", forwarded_twice(rule_units=["Root"]),
     {("resolver-rule-duplicates-directory", RULE)}),
    ("domain-forwarded-twice-spelt-differently", forwarded_twice("Corp.Example.com.", rule_units=["Workloads"]),
     {("resolver-rule-duplicates-directory", RULE)}),
    ("domain-forwarded-to-other-ous", forwarded_twice(rule_units=["Security"]), set()),
    ("domain-rule-not-shared", forwarded_twice(rule_units=None), set()),
    ("other-domain-to-the-same-ous", forwarded_twice("onprem.example.com", rule_units=["Workloads"]), set()),
    ("domain-of-an-unshared-directory", lambda d: (forwarded_twice(rule_units=["Workloads"])(d),
                                                   directory(d).pop("share_with")), set()),
    ("directory-in-a-workload-account", lambda d: (
        d["organization"]["accounts"][-1].update(role=None),
        d["organization"]["accounts"][2].update(role="identity")),
     {("directory-account-not-identity", f"{D}.account")}),
    ("directory-role-from-a-template", lambda d: (
        d["organization"].update(account_templates={"id": {"role": "identity"}}),
        d["organization"]["accounts"][-1].pop("role"), d["organization"]["accounts"][-1].update(template="id")),
     set()),
    ("ps-name-33", lambda d: ps(d).update(name="A" * 33), {("permission-set-name-invalid",
                                                          f"identity.identity_center.permission_sets[{'A' * 33}].name"),
                                                         ("assignment-permission-set-unknown",
                                                          "identity.identity_center.assignments[Admin].permission_set")}),
    ("ps-name-space", lambda d: (ps(d).update(name="Admin Users"), center(d)["assignments"].clear()),
     {("permission-set-name-invalid", "identity.identity_center.permission_sets[Admin Users].name")}),
    ("session-13h", lambda d: ps(d).update(session_duration="PT13H"), {("session-duration-out-of-range", f"{PS}.session_duration")}),
    ("session-30m", lambda d: ps(d).update(session_duration="PT30M"), {("session-duration-out-of-range", f"{PS}.session_duration")}),
    ("session-12h", lambda d: ps(d).update(session_duration="PT12H"), set()),
    ("session-90m", lambda d: ps(d).update(session_duration="PT1H30M"), set()),
    ("session-words", lambda d: ps(d).update(session_duration="4 hours"), {("session-duration-invalid", f"{PS}.session_duration")}),
    ("session-number", lambda d: ps(d).update(session_duration=60), {("session-duration-number", f"{PS}.session_duration")}),
    ("session-quoted-number", lambda d: ps(d).update(session_duration="60"),
     {("session-duration-number", f"{PS}.session_duration")}),
    ("job-function-policy", lambda d: ps(d).update(managed_policies=["job-function/ViewOnlyAccess"]), set()),
    ("policy-name-bad", lambda d: ps(d).update(managed_policies=["Admin Access"]),
     {("policy-name-invalid", f"{PS}.managed_policies[Admin Access]")}),
    ("policy-twice", lambda d: ps(d).update(managed_policies=["ReadOnlyAccess", "ReadOnlyAccess"]),
     {("policy-name-duplicate", f"{PS}.managed_policies[ReadOnlyAccess]")}),
    ("too-many-policies", lambda d: ps(d).update(managed_policies=[f"P{i}" for i in range(21)]),
     {("permission-set-too-many-policies", PS)}),
    ("boundary-customer-arn", lambda d: ps(d).update(permissions_boundary="arn:aws:iam::123456789012:policy/B"),
     {("permissions-boundary-invalid", f"{PS}.permissions_boundary")}),
    ("relay-state-http", lambda d: ps(d).update(relay_state="http://console.aws.amazon.com"),
     {("permission-set-relay-state-invalid", f"{PS}.relay_state")}),
    ("assignment-unknown-ps", lambda d: center(d)["assignments"][0].update(permission_set="Admins"),
     {("assignment-permission-set-unknown", "identity.identity_center.assignments[Admins].permission_set")}),
    ("assignment-unknown-ou", lambda d: center(d)["assignments"][0].update(targets={"units": ["Workload"]}),
     {("target-unit-unknown", "identity.identity_center.assignments[Admin].targets.units[Workload]")}),
    ("assignment-no-targets", lambda d: center(d)["assignments"][0].update(targets={}),
     {("assignment-targets-empty", "identity.identity_center.assignments[Admin].targets")}),
    ("assignment-group-name", lambda d: center(d)["assignments"][0].update(group_id="Admins"),
     {("assignment-principal-invalid", "identity.identity_center.assignments[Admin].group_id")}),
    ("instance-arn", lambda d: center(d).update(instance_arn="ssoins-1234"),
     {("identity-center-instance-invalid", "identity.identity_center.instance_arn")}),
    ("abac-two-sources", lambda d: center(d)["access_control_attributes"][0]["source"].append("${path:x}"),
     {("abac-attribute-invalid", "identity.identity_center.access_control_attributes[0].source")}),
    ("oidc-no-sub", lambda d: role(d)["conditions"].pop("StringLike"),
     {("oidc-role-condition-missing", f"{ROLE}.conditions")}),
    ("oidc-no-conditions", lambda d: role(d).pop("conditions"),
     {("oidc-role-condition-missing", f"{ROLE}.name"), ("oidc-role-condition-missing", f"{ROLE}.name")}),
    ("oidc-negated-sub", lambda d: role(d)["conditions"].update(StringLike={}, StringNotLike={f"{GITHUB}:sub": "x"}),
     {("oidc-role-condition-missing", f"{ROLE}.conditions")}),
    ("oidc-sub-star", lambda d: role(d)["conditions"]["StringLike"].update({f"{GITHUB}:sub": "*"}),
     {("oidc-role-condition-missing", f"{ROLE}.conditions")}),
    ("oidc-aud-unknown", lambda d: role(d)["conditions"]["StringEquals"].update({f"{GITHUB}:aud": "sts"}),
     {("oidc-role-audience-unknown", f"{ROLE}.conditions")}),
    ("oidc-http", lambda d: d["identity"]["oidc_providers"][0].update(url=f"http://{GITHUB}"),
     {("oidc-url-invalid", "identity.oidc_providers[github].url")}),
    ("oidc-thumbprint", lambda d: d["identity"]["oidc_providers"][0].update(thumbprints=["abc"]),
     {("oidc-thumbprint-invalid", "identity.oidc_providers[github].thumbprints[abc]")}),
    ("role-reserved-prefix", lambda d: role(d).update(name="AWSReservedSSO_deploy"),
     {("federated-role-name-invalid", "identity.oidc_providers[github].roles[AWSReservedSSO_deploy].name")}),
    ("role-duplicate", lambda d: d["identity"]["oidc_providers"][0]["roles"].append(dict(role(d))),
     {("federated-role-duplicate", f"{ROLE}.name")}),
    ("provider-duplicate-url", lambda d: d["identity"]["oidc_providers"].append(
        dict(d["identity"]["oidc_providers"][0], name="github2", url=f"https://{GITHUB}/", roles=[])),
     {("federation-provider-duplicate", "identity.oidc_providers[github2].url")}),
]


@pytest.mark.parametrize("name, mutate, expected", CASES, ids=[c[0] for c in CASES])
def test_identity_check(tmp_path, name, mutate, expected):
    data = base()
    mutate(data)
    assert_issues(tmp_path, data, set(expected))


@pytest.mark.parametrize("value, meant", [
    (60, "60 minutes is PT1H"), ("90", "90 minutes is PT1H30M"), (4, "4 hours is PT4H"),
    (1.5, "1.5 hours is PT1H30M"), (600, "600 minutes is PT10H"), (3600, "3600 seconds is PT1H"),
    (30, None), (13, None), (0, None),
], ids=["minutes", "quoted-minutes", "hours", "fraction-of-hours", "ten-hours-in-minutes", "seconds",
        "below-range", "above-range", "zero"])
def test_a_bare_number_gets_the_iso_8601_form_at_once(tmp_path, value, meant):
    data = base()
    ps(data)["session_duration"] = value
    with pytest.raises(BlueprintError) as info:
        load_blueprint(write(tmp_path, data))
    (issue,) = info.value.issues
    assert issue.code == "session-duration-number" and f"session_duration {value} " in issue.message
    assert "PT1H-PT12H" in issue.message
    if meant:
        assert issue.message.endswith(meant)
        assert issue.hint == f"write `session_duration: {meant.rsplit(' ', 1)[1]}`"
    else:
        assert "no unit makes it 1 to 12 hours" in issue.message and "PT<hours>H" in issue.hint


def test_landing_zone_prefix_on_a_federated_role_is_a_warning(tmp_path):
    data = base()
    role(data)["name"] = "acme-deploy"
    loaded = load_blueprint(write(tmp_path, data))
    assert [(w.code, w.severity) for w in loaded.warnings] == [("federated-role-name-reserved", "warning")]


def test_many_managed_policies_warn_about_the_default_quota(tmp_path):
    data = base()
    ps(data)["managed_policies"] = [f"P{i}" for i in range(11)]
    loaded = load_blueprint(write(tmp_path, data))
    assert [w.code for w in loaded.warnings] == ["permission-set-many-policies"]


def test_provider_without_account_and_no_identity_account(tmp_path):
    data = base()
    data["organization"]["accounts"][-1].pop("role")
    data["identity"].pop("directory")
    with pytest.raises(BlueprintError) as info:
        load_blueprint(write(tmp_path, data))
    codes = [i.code for i in info.value.issues]
    assert "federation-account-missing" in codes


@pytest.mark.parametrize("holder, message, hint", [
    ("app1", "has no role; allowed: the account with role identity (account 'app1' has role identity)",
     "move the directory (and its VPC) to account 'app1', or give 'identity' the role instead of 'app1'"),
    (None, "has no role; allowed: the account with role identity (no account has role identity)",
     "add `role: identity` to account 'identity'"),
], ids=["another-account-holds-the-role", "nobody-holds-the-role"])
def test_directory_outside_the_identity_account_says_where_it_belongs(tmp_path, holder, message, hint):
    data = base()
    data["organization"]["accounts"][-1].pop("role")
    for account in data["organization"]["accounts"]:
        if account["name"] == holder:
            account["role"] = "identity"
    data["identity"]["oidc_providers"][0]["account"] = "identity"   # no default account without the role
    with pytest.raises(BlueprintError) as info:
        load_blueprint(write(tmp_path, data))
    (issue,) = [i for i in info.value.issues if i.code == "directory-account-not-identity"]
    assert issue.message == f"identity.directory.account 'identity' {message}"
    assert issue.hint.startswith(hint) and issue.path == "identity.directory.account"
