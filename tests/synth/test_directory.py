"""Directory stack of the enterprise blueprint and of small directory blueprints: IAM, timeouts, subnet
order, the removal rule (retained resources, one roster), and no secret anywhere in cdk.out."""
from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from tests.helpers import write
from tests.synth.conftest import SHIPPED, synth_subset
from tests.unit.plan.test_directory import base

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
    assert props.pop("ServiceTimeout") == "3540"   # waiter 3000 s + both handlers' 120 s + 300 s margin
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
    statements = [s for key, p in resources(template, "AWS::IAM::Policy").items() if key.startswith("TrustsHandler")
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


# ---------- small directory blueprints (directory, network and sharing stacks only) ----------

def managed(**directory) -> dict:
    """Managed AD (Enterprise) with two trusts, a replica in eu-west-1 and a share (tests/unit/plan)."""
    return base(**directory)


_SYNTHS: dict[str, Any] = {}


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Callable[[str, dict], dict]:
    """Templates of the directory, network and sharing stacks of a blueprint, by stack name (cached)."""
    def get(key: str, data: dict) -> dict:
        if key not in _SYNTHS:
            path = write(tmp_path_factory.mktemp(f"bp-{key}"), data)
            _SYNTHS[key] = synth_subset(build_plan(load_blueprint(path)),
                                        lambda c: c in ("directory", "sharing") or c.startswith("network"),
                                        tmp_path_factory.mktemp(f"cdk-{key}")).templates()
        return _SYNTHS[key]
    return get


SMALL = "acme-directory-us-east-1"


def render(value: Any) -> Any:
    """Intrinsics as readable text: {"Ref": "AWS::Region"} -> "${AWS::Region}", Fn::Join joined,
    Fn::ImportValue -> "${import:name}", a directory Ref -> "${Directory}"."""
    if isinstance(value, list):
        return [render(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        return "${Directory}" if value["Ref"].startswith("Directory") else f"${{{value['Ref']}}}"
    if "Fn::Join" in value:
        return value["Fn::Join"][0].join(str(render(v)) for v in value["Fn::Join"][1])
    if "Fn::ImportValue" in value:
        return f"${{import:{value['Fn::ImportValue']}}}"
    return {k: render(v) for k, v in value.items()}


def statements(template: dict, prefix: str) -> list[dict]:
    """The statements of the handler policy whose logical id starts with `prefix`, rendered."""
    (policy,) = [p for k, p in resources(template, "AWS::IAM::Policy").items() if k.startswith(prefix)]
    return render(policy["Properties"]["PolicyDocument"]["Statement"])


def grants(statements: list[dict]) -> set[tuple[str, str, str, str]]:
    """Statements as (effect, action, resource, condition) grants: CDK's policy minimizer may merge or
    reorder statements without changing what they allow."""
    def each(value: str | list[str]) -> list[str]:
        return [value] if isinstance(value, str) else value
    return {(st["Effect"], action, resource, json.dumps(st.get("Condition"), sort_keys=True))
            for st in statements for action in each(st["Action"]) for resource in each(st["Resource"])}


def arn(region: str, kind: str) -> str:
    return f"arn:${{AWS::Partition}}:ec2:{region}:${{AWS::AccountId}}:{kind}/*"


DIRECTORY_ARN = "arn:${AWS::Partition}:ds:${AWS::Region}:${AWS::AccountId}:directory/${Directory}"
EC2_READS = {"Action": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                        "ec2:DescribeVpcs"], "Effect": "Allow", "Resource": "*"}


def test_replica_handler_creates_network_resources_only_in_the_replica_regions(synth):
    eu = "eu-west-1"
    assert grants(statements(synth("managed", managed())[SMALL], "ReplicasHandlerOnEvent")) == grants([
        {"Action": ["ds:AddRegion", "ds:DescribeRegions"], "Effect": "Allow", "Resource": DIRECTORY_ARN},
        {"Action": "cloudformation:ListExports", "Effect": "Allow", "Resource": "*"},
        EC2_READS,
        {"Action": "ec2:CreateSecurityGroup", "Effect": "Allow",
         "Resource": [arn(eu, "security-group"), arn(eu, "vpc")]},
        {"Action": "ec2:CreateNetworkInterface", "Effect": "Allow", "Resource": arn(eu, "network-interface")},
        {"Action": "ec2:CreateNetworkInterface", "Effect": "Allow",
         "Resource": [arn(eu, "security-group"), arn(eu, "subnet")]},
        {"Action": ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"], "Effect": "Allow",
         "Resource": arn(eu, "security-group")},
        {"Action": "ec2:CreateTags", "Effect": "Allow",
         "Resource": [arn(eu, "network-interface"), arn(eu, "security-group")]}])


def test_connector_handler_creates_network_resources_only_in_its_vpc(connector_directory):
    here = "${AWS::Region}"
    vpc = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${import:acme-vpc-ids-id}"
    in_vpc = {"ArnEquals": {"ec2:Vpc": vpc}}
    template = connector_directory.templates()[SMALL]
    assert grants(statements(template, "ConnectorHandlerOnEvent")) == grants([
        {"Action": ["ds:ConnectDirectory", "ds:DescribeDirectories"], "Effect": "Allow", "Resource": "*"},
        {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow",
         "Resource": "arn:aws:secretsmanager:us-east-1:666666666666:secret:lz/ad/connector-??????"},
        EC2_READS,
        {"Action": "ec2:CreateSecurityGroup", "Effect": "Allow", "Resource": [arn(here, "security-group"), vpc]},
        {"Action": "ec2:CreateNetworkInterface", "Effect": "Allow", "Resource": arn(here, "network-interface")},
        {"Action": "ec2:CreateNetworkInterface", "Condition": in_vpc, "Effect": "Allow",
         "Resource": [arn(here, "security-group"), arn(here, "subnet")]},
        {"Action": ["ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress"], "Condition": in_vpc,
         "Effect": "Allow", "Resource": arn(here, "security-group")},
        {"Action": "ec2:CreateTags", "Condition": in_vpc, "Effect": "Allow",
         "Resource": [arn(here, "network-interface"), arn(here, "security-group")]},
        {"Action": "ec2:CreateTags", "Effect": "Allow",
         "Condition": {"StringEquals": {"ec2:CreateAction": ["CreateNetworkInterface", "CreateSecurityGroup"]}},
         "Resource": [arn(here, "network-interface"), arn(here, "security-group")]}])


def test_ram_sharing_enables_trusted_access_for_ram_only(synth):
    assert grants(statements(synth("managed", managed())["acme-sharing"], "RamSharingOnEvent")) == grants([
        {"Action": ["ram:EnableSharingWithAwsOrganization", "organizations:DescribeOrganization",
                    "organizations:ListAWSServiceAccessForOrganization"], "Effect": "Allow", "Resource": "*"},
        {"Action": "organizations:EnableAWSServiceAccess", "Effect": "Allow", "Resource": "*",
         "Condition": {"StringEquals": {"organizations:ServicePrincipal": "ram.amazonaws.com"}}},
        {"Action": "iam:CreateServiceLinkedRole", "Effect": "Allow", "Resource": "*",
         "Condition": {"StringEquals": {"iam:AWSServiceName": "ram.amazonaws.com"}}}])


def test_enable_aws_service_access_always_names_its_service_principal(synth):
    # Anywhere in the synthesized templates, not only the RAM sharing handler.
    found = [(name, st) for name, t in synth("managed", managed()).items()
             for p in resources(t, "AWS::IAM::Policy").values() for st in render(
                 p["Properties"]["PolicyDocument"]["Statement"])
             if "organizations:EnableAWSServiceAccess" in json.dumps(st["Action"])]
    assert found and all(st["Action"] == "organizations:EnableAWSServiceAccess"
                         and list(st["Condition"]) == ["StringEquals"]
                         and list(st["Condition"]["StringEquals"]) == ["organizations:ServicePrincipal"]
                         for _, st in found), found


def test_only_the_roster_may_remove(synth):
    template = synth("managed", managed())[SMALL]
    removing = {"ds:DeleteTrust", "ds:RemoveRegion", "ds:UnshareDirectory", "ds:DeleteDirectory"}
    holders = {key.split("Handler")[0] for key, p in resources(template, "AWS::IAM::Policy").items()
               for st in p["Properties"]["PolicyDocument"]["Statement"]
               if removing & set([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
    assert holders == {"Roster"}
    assert statements(template, "RosterHandlerOnEvent") == [
        {"Action": ["ds:DeleteTrust", "ds:UnshareDirectory"], "Effect": "Allow", "Resource": DIRECTORY_ARN},
        {"Action": "ds:RemoveRegion", "Effect": "Allow",
         "Resource": "arn:${AWS::Partition}:ds:*:${AWS::AccountId}:directory/${Directory}"},
        {"Action": "ds:DescribeTrusts", "Effect": "Allow", "Resource": "*"}]


# ---------- the removal rule ----------
# | resource      | on stack delete | on removal from the blueprint      |
# | trust         | kept (Retain)   | roster Update: DeleteTrust         |
# | replica region| kept (Retain)   | roster Update: RemoveRegion        |
# | share         | kept (Retain)   | roster Update: UnshareDirectory    |
# | roster        | kept (Retain)   | (only when the directory goes: kept) |

DIRECTORY_CUSTOM = ("Custom::DirectoryTrust", "Custom::DirectoryRegion", "Custom::DirectoryShare",
                    "Custom::DirectoryRoster")


def _customs(template: dict) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] in DIRECTORY_CUSTOM}


@pytest.mark.parametrize("key", ["managed", "enterprise"])
def test_every_trust_region_share_and_the_roster_are_retained(synth, synthesized, key):
    template = synth("managed", managed())[SMALL] if key == "managed" else synthesized(key).templates()[STACK]
    customs = _customs(template)
    assert sorted({v["Type"] for v in customs.values()}) == sorted(DIRECTORY_CUSTOM)
    assert {k: (v.get("DeletionPolicy"), v.get("UpdateReplacePolicy")) for k, v in customs.items()} == {
        k: ("Retain", "Retain") for k in customs}


def test_the_roster_lists_what_the_blueprint_wants_and_goes_first(synth):
    template = synth("managed", managed())[SMALL]
    (roster_id, roster), = resources(template, "Custom::DirectoryRoster").items()
    props = {k: v for k, v in render(roster["Properties"]).items() if k not in ("ServiceToken", "ServiceTimeout")}
    assert props == {"DirectoryId": "${Directory}", "Trusts": ["branch.example.com", "onprem.example.com"],
                     "Regions": ["eu-west-1"], "SharedAccounts": ["777777777777"]}
    others = {k: v for k, v in _customs(template).items() if k != roster_id}
    assert others and all(roster_id in v.get("DependsOn", []) for v in others.values())


def _without(data: dict, **removed) -> dict:
    data = copy.deepcopy(data)
    directory = data["identity"]["directory"]
    if "trust" in removed:
        directory["trusts"] = [t for t in directory["trusts"] if t["remote_domain"] != removed["trust"]]
    if removed.get("regions"):
        directory["replicate_to"] = []
    if removed.get("share"):
        del directory["share_with"]
    return data


@pytest.mark.parametrize(("key", "removed", "left", "gone_type", "roster_change"), [
    ("no-branch-trust", {"trust": "branch.example.com"}, "Trusts", "Custom::DirectoryTrust",
     ["onprem.example.com"]),
    ("no-replicas", {"regions": True}, "Regions", "Custom::DirectoryRegion", []),
    ("no-share", {"share": True}, "SharedAccounts", "Custom::DirectoryShare", []),
], ids=["trust", "region", "share"])
def test_removal_from_the_blueprint_is_an_update_of_the_roster(synth, key, removed, left, gone_type, roster_change):
    before = synth("managed", managed())[SMALL]
    after = synth(key, _without(managed(), **removed))[SMALL]
    (roster_before,) = resources(before, "Custom::DirectoryRoster").values()
    (roster_after,) = resources(after, "Custom::DirectoryRoster").values()
    # The roster stays, with one list shorter: CloudFormation sends it an Update, which Retain does not
    # swallow, and the roster handler removes what left.
    assert render(roster_after["Properties"][left]) == roster_change
    assert {k: v for k, v in roster_after["Properties"].items() if k != left} == {
        k: v for k, v in roster_before["Properties"].items() if k != left}
    # The item's own resource leaves the template; being retained, CloudFormation deletes nothing itself.
    gone = set(_customs(before)) - set(_customs(after))
    assert gone and all(before["Resources"][k]["Type"] == gone_type for k in gone)
    assert all(before["Resources"][k]["DeletionPolicy"] == "Retain" for k in gone)


# ---------- subnet order never shows ----------

def _reordered(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["identity"]["directory"]["subnets"].reverse()
    for vpc in data["network"]["vpcs"]:
        vpc["subnets"].reverse()           # the replica takes its VPC's subnets by default
    return data


def test_reordering_subnets_changes_no_template(synth):
    one = synth("managed", managed())
    two = synth("managed-reordered", _reordered(managed()))
    assert json.dumps(two[SMALL], sort_keys=True) == json.dumps(one[SMALL], sort_keys=True)
    (directory,) = resources(one[SMALL], "AWS::DirectoryService::MicrosoftAD").values()
    assert render(directory["Properties"]["VpcSettings"]["SubnetIds"]) == [
        "${import:acme-vpc-ids-subnet-a-id}", "${import:acme-vpc-ids-subnet-b-id}"]


# ---------- CloudFormation's hour ----------

LIMIT = 3600
RETRY = re.compile(r'"IntervalSeconds":(\d+),"MaxAttempts":(\d+),"BackoffRate":([\d.]+)')


def waiter_seconds(machine: dict) -> int:
    """How long a Provider framework's waiter polls before giving up: the sum of its retry intervals."""
    definition = render(machine["Properties"]["DefinitionString"])
    ((interval, attempts, rate),) = RETRY.findall(definition)
    return int(sum(int(interval) * float(rate) ** i for i in range(int(attempts))))


def timeout_problems(template: dict) -> list[str]:
    """Every custom resource must answer within CloudFormation's hour: its waiter (if any) at most
    3,600 s, and its longest run (on_event, waiter, last is_complete) within its ServiceTimeout,
    itself at most 3,600 s."""
    problems = []
    res = template["Resources"]
    for key, resource in res.items():
        if not (resource["Type"].startswith("Custom::") or resource["Type"] == "AWS::CloudFormation::CustomResource"):
            continue
        props = resource["Properties"]
        service_timeout = int(props.get("ServiceTimeout", LIMIT))
        function = res[props["ServiceToken"]["Fn::GetAtt"][0]]["Properties"]
        env = (function.get("Environment") or {}).get("Variables") or {}

        def timeout(variable: str, env: dict = env) -> int:
            return int(res[env[variable]["Fn::GetAtt"][0]]["Properties"].get("Timeout", 3))

        wait, longest = 0, int(function.get("Timeout", 3))
        if "USER_ON_EVENT_FUNCTION_ARN" in env:
            longest = timeout("USER_ON_EVENT_FUNCTION_ARN")
            if "WAITER_STATE_MACHINE_ARN" in env:
                wait = waiter_seconds(res[env["WAITER_STATE_MACHINE_ARN"]["Ref"]])
                longest += wait + timeout("USER_IS_COMPLETE_FUNCTION_ARN")
        if wait > LIMIT:
            problems.append(f"{key}: its waiter polls for {wait} s, more than CloudFormation's {LIMIT} s")
        if not longest <= service_timeout <= LIMIT:
            problems.append(f"{key}: may run {longest} s; ServiceTimeout {service_timeout} s (at most {LIMIT})")
    return problems


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_custom_resource_answers_within_the_hour(synthesized, name):
    templates = synthesized(name).templates()
    assert any(r["Type"].startswith("Custom::") for t in templates.values() for r in t["Resources"].values())
    assert {stack: p for stack, t in templates.items() if (p := timeout_problems(t))} == {}


def test_directory_custom_resources_answer_within_the_hour(synth, connector_directory):
    templates = {**synth("managed", managed()), **{f"connector:{k}": v
                                                   for k, v in connector_directory.templates().items()}}
    assert {stack: p for stack, t in templates.items() if (p := timeout_problems(t))} == {}


def test_every_landing_zone_custom_resource_carries_a_service_timeout(synth, connector_directory):
    ours = [(k, r) for t in (*synth("managed", managed()).values(), *connector_directory.templates().values())
            for k, r in t["Resources"].items()
            if r["Type"].startswith("Custom::") and not r["Type"].startswith(("Custom::CDK", "Custom::CrossRegion"))]
    assert len(ours) >= 7 and [k for k, r in ours if "ServiceTimeout" not in r["Properties"]] == []


def test_the_timeout_rule_catches_a_two_hour_waiter(synth):
    # The replica waiter as it was: 240 polls 30 s apart.
    template = copy.deepcopy(synth("managed", managed())[SMALL])
    (machine_id,) = [k for k in template["Resources"] if k.startswith("ReplicasHandlerProviderwaiterstatemachine")
                     and template["Resources"][k]["Type"] == "AWS::StepFunctions::StateMachine"]
    definition = template["Resources"][machine_id]["Properties"]["DefinitionString"]["Fn::Join"][1]
    definition[0] = re.sub(r'"MaxAttempts":\d+', '"MaxAttempts":240', definition[0])
    problems = timeout_problems(template)
    assert "ReplicaEuWest1d763c260: its waiter polls for 7200 s, more than CloudFormation's 3600 s" in problems
    assert "ReplicaEuWest1d763c260: may run 7440 s; ServiceTimeout 3540 s (at most 3600)" in problems


# ---------- no secret in cdk.out ----------

def secret_findings(document, where: str = "") -> list[str]:
    """`Password`-like properties that are not dynamic references, and keys that hold secrets."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            path = f"{where}/{key}"
            # Numbers, booleans and plain mappings under a password-like key are settings (the account
            # baseline's password policy), never a secret.
            setting = isinstance(value, (bool, int, float)) or (
                isinstance(value, dict) and not any(k.startswith("Fn::") for k in value))
            if "password" in key.lower() and not setting and not key.endswith(("Length", "Arn", "SecretArn")):
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
            with contextlib.suppress(ValueError):
                problems += [f"{path.name}{f}" for f in secret_findings(json.loads(text))]
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
