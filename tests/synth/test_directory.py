"""Directory stack of the enterprise blueprint, and no secret anywhere in cdk.out."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BLUEPRINT = "enterprise"
STACK = "globex-directory-us-east-1"
DYNAMIC = re.compile(r"^\{\{resolve:(secretsmanager|ssm-secure):")
# Values that would be secrets if they showed up: the trust password property of ad_trust, and
# key names whose value must always be a dynamic reference.
FORBIDDEN_KEYS = {"TrustPassword", "SecretString"}


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


@pytest.fixture(scope="module")
def template(synthesized):
    return synthesized(BLUEPRINT).templates()[STACK]


def test_managed_ad_properties_and_retain(template):
    (directory,) = resources(template, "AWS::DirectoryService::MicrosoftAD").values()
    props = directory["Properties"]
    assert (props["Name"], props["ShortName"], props["Edition"]) == ("corp.example.com", "CORP", "Enterprise")
    assert props["VpcSettings"] == {
        "VpcId": {"Fn::ImportValue": "globex-vpc-identity-id"},
        "SubnetIds": [{"Fn::ImportValue": "globex-vpc-identity-subnet-ds-a-id"},
                      {"Fn::ImportValue": "globex-vpc-identity-subnet-ds-b-id"}]}
    assert directory["DeletionPolicy"] == directory["UpdateReplacePolicy"] == "Retain"


def test_password_is_a_dynamic_reference_to_the_generated_secret(template):
    (secret_id, secret), = resources(template, "AWS::SecretsManager::Secret").items()
    (directory,) = resources(template, "AWS::DirectoryService::MicrosoftAD").values()
    assert directory["Properties"]["Password"] == {"Fn::Join": ["", [
        "{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:password::}}"]]}
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 15 and generated["RequireEachIncludedType"] is True
    assert secret["DeletionPolicy"] == secret["UpdateReplacePolicy"] == "Retain"


def test_the_network_stacks_export_what_the_directory_imports(synthesized):
    templates = synthesized(BLUEPRINT).templates()
    exported = {o["Export"]["Name"] for name in ("globex-network-identity-us-east-1",
                                                 "globex-network-identity-eu-west-1")
                for o in templates[name]["Outputs"].values()}
    imported = set(re.findall(r'"Fn::ImportValue": "([^"]+)"', json.dumps(templates[STACK])))
    assert imported and imported <= exported
    replica = next(iter(resources(templates[STACK], "Custom::DirectoryRegion").values()))["Properties"]
    assert {replica["VpcExportName"], *replica["SubnetExportNames"]} <= exported


def test_trust_properties_name_the_secret_only(template):
    (trust,) = resources(template, "Custom::DirectoryTrust").values()
    props = dict(trust["Properties"])
    props.pop("ServiceToken")
    ports = props.pop("TrustPorts")
    assert props == {"DirectoryId": {"Ref": next(iter(resources(template, "AWS::DirectoryService::MicrosoftAD")))},
                     "RemoteDomainName": "onprem.example.com", "TrustDirection": "Two-Way", "TrustType": "Forest",
                     "ConditionalForwarderIpAddrs": ["192.168.1.10", "192.168.1.11"], "SelectiveAuth": "Disabled",
                     "PasswordSecretArn": "arn:aws:secretsmanager:us-east-1:100000000005:secret:lz/ad/onprem-trust"}
    for wanted in ["tcp:53", "udp:53", "tcp:88", "tcp:389", "tcp:445", "tcp:464", "tcp:636", "tcp:3268-3269",
                   "tcp:9389", "tcp:49152-65535", "udp:123", "udp:138", "icmp"]:
        assert wanted in ports


def test_trust_handler_policy_is_least_privilege(template):
    statements = [s for p in resources(template, "AWS::IAM::Policy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]]
    secret = [s for s in statements if s["Action"] == "secretsmanager:GetSecretValue"]
    assert secret and all(s["Resource"] == "arn:aws:secretsmanager:us-east-1:100000000005:secret:"
                          "lz/ad/onprem-trust-??????" for s in secret)
    trust = [s for s in statements if "ds:CreateTrust" in s["Action"]]
    assert trust and all("directory/" in json.dumps(s["Resource"]) for s in trust)


def test_trust_handler_opens_ports_only_in_security_groups_of_the_directory_vpc(template):
    statements = [s for p in resources(template, "AWS::IAM::Policy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]]
    (authorize,) = {json.dumps(s, sort_keys=True): s for s in statements
                    if "ec2:AuthorizeSecurityGroupIngress" in s["Action"] and s["Resource"] != "*"}.values()
    assert sorted(authorize["Action"]) == ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"]
    assert "security-group/*" in json.dumps(authorize["Resource"])
    vpc = authorize["Condition"]["ArnEquals"]["ec2:Vpc"]
    assert {"Fn::ImportValue": "globex-vpc-identity-id"} in vpc["Fn::Join"][1]
    # No separate trust security group: the rules go into the directory's own group.
    groups = resources(template, "AWS::EC2::SecurityGroup")
    assert all("SecurityGroupIngress" not in g["Properties"] for g in groups.values())


def test_resolver_rule_forwards_the_domain_to_the_directory_and_is_shared(template):
    directory_id = next(iter(resources(template, "AWS::DirectoryService::MicrosoftAD")))
    (rule_id, rule), = resources(template, "AWS::Route53Resolver::ResolverRule").items()
    props = rule["Properties"]
    assert (props["DomainName"], props["RuleType"]) == ("corp.example.com", "FORWARD")
    assert props["TargetIps"] == [
        {"Ip": {"Fn::Select": [i, {"Fn::GetAtt": [directory_id, "DnsIpAddresses"]}]}, "Port": "53"}
        for i in range(2)]
    (endpoint,) = resources(template, "AWS::Route53Resolver::ResolverEndpoint").values()
    assert endpoint["Properties"]["Direction"] == "OUTBOUND"
    assert props["ResolverEndpointId"] == {"Fn::GetAtt": [next(iter(
        resources(template, "AWS::Route53Resolver::ResolverEndpoint"))), "ResolverEndpointId"]}
    assert [ip["SubnetId"] for ip in endpoint["Properties"]["IpAddresses"]] == [
        {"Fn::ImportValue": "globex-vpc-identity-subnet-ds-a-id"},
        {"Fn::ImportValue": "globex-vpc-identity-subnet-ds-b-id"}]
    assert not resources(template, "AWS::Route53Resolver::ResolverRuleAssociation")
    (share,) = resources(template, "AWS::RAM::ResourceShare").values()
    assert share["Properties"]["AllowExternalPrincipals"] is False
    assert share["Properties"]["ResourceArns"] == [{"Fn::GetAtt": [rule_id, "Arn"]}]
    assert share["Properties"]["Principals"] and all(
        re.fullmatch(r"arn:aws:organizations::\d{12}:ou/o-\w+/ou-[\w-]+|\d{12}", p)
        for p in share["Properties"]["Principals"])


def test_replication_to_eu_west_1_and_sharing(template):
    (replica,) = resources(template, "Custom::DirectoryRegion").values()
    assert replica["Properties"]["RegionName"] == "eu-west-1"
    assert replica["Properties"]["VpcExportName"] == "globex-vpc-identity-eu-id"
    (share,) = resources(template, "Custom::DirectoryShare").values()
    assert share["Properties"]["AccountIds"] and all(re.fullmatch(r"\d{12}", a)
                                                     for a in share["Properties"]["AccountIds"])


def test_resource_budget_matches_the_plan(synthesized, template):
    plan = synthesized(BLUEPRINT).plan
    assert plan.stack(STACK).resources == len(template["Resources"])


# ---------- no secret in cdk.out ----------

def secret_findings(document, where: str = "") -> list[str]:
    """`Password`-like properties that are not dynamic references, and keys that hold secrets."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            path = f"{where}/{key}"
            if "password" in key.lower() and not key.endswith(("Length", "Arn", "SecretArn")):
                text = json.dumps(value) if not isinstance(value, str) else value
                joined = ("".join(p if isinstance(p, str) else "" for p in value["Fn::Join"][1])
                          if isinstance(value, dict) and "Fn::Join" in value else text)
                if not DYNAMIC.match(joined):
                    found.append(f"{path}: {text[:60]}")
            elif key in FORBIDDEN_KEYS:
                found.append(f"{path}: secret-bearing key")
            found += secret_findings(value, path)
    elif isinstance(document, list):
        for i, item in enumerate(document):
            found += secret_findings(item, f"{where}[{i}]")
    return found


def scan(outdir: Path, secret_values: list[str]) -> list[str]:
    problems = []
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        problems += [f"{path.name}: contains a secret value" for v in secret_values if v in text]
        if path.suffix == ".json":
            try:
                problems += [f"{path.name}{f}" for f in secret_findings(json.loads(text))]
            except ValueError:
                pass
    return problems


SECRET_VALUES = ["Tr0ub4dor&3-horse-BATTERY", "Svc-Acc0unt-Passw0rd!"]


@pytest.mark.parametrize("name", ["standard", "enterprise"])
def test_no_secret_in_cdk_out(synthesized, name):
    assert scan(synthesized(name).outdir, SECRET_VALUES) == []


def test_the_scan_catches_a_literal_password(tmp_path):
    template = {"Resources": {"Ad": {"Type": "AWS::DirectoryService::MicrosoftAD",
                                     "Properties": {"Name": "corp.example.com", "Password": "Hunter2-Hunter2"}},
                              "Ok": {"Type": "AWS::DirectoryService::SimpleAD", "Properties": {
                                  "Password": "{{resolve:secretsmanager:arn:x:SecretString:password::}}"}},
                              "Trust": {"Type": "Custom::X", "Properties": {"TrustPassword": "x"}}}}
    (tmp_path / "x.template.json").write_text(json.dumps(template))
    (tmp_path / "notes.txt").write_text("Tr0ub4dor&3-horse-BATTERY")
    problems = scan(tmp_path, SECRET_VALUES)
    assert any("/Ad/Properties/Password" in p for p in problems)
    assert any("TrustPassword" in p for p in problems)
    assert any("notes.txt: contains a secret value" in p for p in problems)
    assert not any("/Ok/" in p for p in problems)


def test_admin_secret_uses_the_blueprint_key_serving_secretsmanager(synthesized):
    result = synthesized("enterprise")
    template = result.templates()["globex-directory-us-east-1"]
    secrets = [r for r in template["Resources"].values() if r["Type"] == "AWS::SecretsManager::Secret"]
    assert [s["Properties"]["KmsKeyId"] for s in secrets] == ["arn:aws:kms:us-east-1:100000000005:alias/lz/directory"]
    assert "globex-keys-identity-us-east-1" in result.plan.stack("globex-directory-us-east-1").depends_on
