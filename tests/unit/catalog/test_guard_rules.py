"""The proactive controls' Guard rules, run in-process with cfn-guard-rs on small templates."""
from __future__ import annotations

import pytest
from cfn_guard_rs import run_checks

from landing_zone.catalog.load import GUARD_DIR
from tests.unit.catalog.common import CATALOG


def rules_of(control_id: str) -> str:
    return (GUARD_DIR / CATALOG[control_id].guard_rule.file).read_text(encoding="utf-8")


def template(resource_type: str, properties: dict | None = None) -> dict:
    resource = {"Type": resource_type}
    if properties is not None:
        resource["Properties"] = properties
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Subject": resource}}


def group(*ingress: dict) -> dict:
    return template("AWS::EC2::SecurityGroup", {"GroupDescription": "test", "VpcId": "vpc-0a1b2c3d",
                                                "SecurityGroupIngress": list(ingress)})


def ingress(**properties) -> dict:
    return template("AWS::EC2::SecurityGroupIngress", {"GroupId": "sg-0a1b2c3d", **properties})


def tcp(port_from, port_to=None, **source) -> dict:
    return {"IpProtocol": "tcp", "FromPort": port_from, "ToPort": port_from if port_to is None else port_to,
            **source}


ANYWHERE = {"CidrIp": "0.0.0.0/0"}
ANYWHERE6 = {"CidrIpv6": "::/0"}
PRIVATE = {"CidrIp": "10.0.0.0/8"}
BLOCK_ALL = {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
             "RestrictPublicBuckets": True}
ENCRYPTED = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}


def volume(**properties) -> dict:
    return template("AWS::EC2::Volume", {"AvailabilityZone": "us-east-1a", "Size": 20, **properties})


CASES = {
    "LZ-EC2-PR1": {
        "pass": {
            "https from anywhere": group(tcp(443, **ANYWHERE)),
            "http from anywhere over IPv6": group(tcp(80, **ANYWHERE6)),
            "ports given as strings": group(tcp("443", "443", **ANYWHERE)),
            "ssh from a private range": group(tcp(22, **PRIVATE)),
            "from another security group": group(tcp(5432, SourceSecurityGroupId="sg-0f0e0d0c")),
            "no ingress at all": template("AWS::EC2::SecurityGroup", {"GroupDescription": "test"}),
            "standalone https ingress": ingress(**tcp(443, **ANYWHERE)),
            "standalone ssh ingress from a private range": ingress(**tcp(22, **PRIVATE)),
        },
        "fail": {
            "ssh from anywhere": group(tcp(22, **ANYWHERE)),
            "rdp from anywhere over IPv6": group(tcp(3389, **ANYWHERE6)),
            "a range that contains 80 and 443": group(tcp(80, 443, **ANYWHERE)),
            "all protocols from anywhere": group({"IpProtocol": "-1", **ANYWHERE}),
            "udp 443 from anywhere": group({"IpProtocol": "udp", "FromPort": 443, "ToPort": 443, **ANYWHERE}),
            "one bad rule among good ones": group(tcp(443, **ANYWHERE), tcp(22, **ANYWHERE)),
            "standalone ssh ingress from anywhere": ingress(**tcp(22, **ANYWHERE)),
            "standalone string port from anywhere": ingress(**tcp("3306", "3306", **ANYWHERE6)),
        },
    },
    "LZ-S3-PR1": {
        "pass": {
            "encrypted and blocked": template("AWS::S3::Bucket", {"BucketEncryption": ENCRYPTED,
                                                                 "PublicAccessBlockConfiguration": BLOCK_ALL}),
        },
        "fail": {
            "no properties": template("AWS::S3::Bucket"),
            "no encryption": template("AWS::S3::Bucket", {"PublicAccessBlockConfiguration": BLOCK_ALL}),
            "empty encryption": template("AWS::S3::Bucket", {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": []},
                "PublicAccessBlockConfiguration": BLOCK_ALL}),
            "no public access block": template("AWS::S3::Bucket", {"BucketEncryption": ENCRYPTED}),
            "public policies allowed": template("AWS::S3::Bucket", {
                "BucketEncryption": ENCRYPTED,
                "PublicAccessBlockConfiguration": {**BLOCK_ALL, "BlockPublicPolicy": False}}),
            "a setting left out": template("AWS::S3::Bucket", {
                "BucketEncryption": ENCRYPTED,
                "PublicAccessBlockConfiguration": {k: v for k, v in BLOCK_ALL.items() if k != "IgnorePublicAcls"}}),
        },
    },
    "LZ-EC2-PR2": {
        "pass": {
            "encrypted": volume(Encrypted=True),
            "encrypted with a key": volume(Encrypted=True, KmsKeyId="alias/lz/ebs"),
            "encrypted given as a string": volume(Encrypted="true"),
        },
        "fail": {
            "not encrypted": volume(Encrypted=False),
            "encryption not stated": volume(),
        },
    },
}


def as_hook_input(template_: dict, strings: bool = False) -> dict:
    """The same resource as a Guard hook sees it (ResourceType / ResourceProperties), optionally with
    every number and boolean as a string, as hooks may deliver them."""
    def stringify(value):
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, list):
            return [stringify(v) for v in value]
        if isinstance(value, dict):
            return {k: stringify(v) for k, v in value.items()}
        return value
    resources = {}
    for logical_id, resource in template_["Resources"].items():
        properties = resource.get("Properties", {})
        resources[logical_id] = {"ResourceType": resource["Type"],
                                 "ResourceProperties": stringify(properties) if strings else properties}
    return {"HookContext": {"AWSAccountID": "444444444444", "TargetType": "RESOURCE",
                            "InvocationPoint": "CREATE_PRE_PROVISION", "TargetLogicalId": "Subject"},
            "Resources": resources}


SHAPES = {
    "template": lambda t: t,
    "hook": as_hook_input,
    "hook-strings": lambda t: as_hook_input(t, strings=True),
}
PARAMS = [(control_id, expected, name, shape, SHAPES[shape](case))
          for control_id, groups in CASES.items()
          for expected, cases in groups.items()
          for name, case in cases.items()
          for shape in SHAPES]

# Passing cases the rule has nothing to check in (no open ingress): Guard reports SKIP, which passes.
SKIPPED = {"ssh from a private range", "from another security group", "no ingress at all",
           "standalone ssh ingress from a private range"}


def test_every_proactive_control_has_cases():
    assert set(CASES) == {i for i, c in CATALOG.items() if c.behavior == "proactive"}


@pytest.mark.parametrize("control_id, expected, name, shape, data", PARAMS,
                         ids=[f"{c}-{e}-{n.replace(' ', '_')}-{s}" for c, e, n, s, _ in PARAMS])
def test_guard_rule(control_id, expected, name, shape, data):
    report = run_checks(data, rules_of(control_id))
    if expected == "pass":
        assert report.status in ("PASS", "SKIP") and not report.not_compliant, report.not_compliant
        if "Subject" in data["Resources"] and name not in SKIPPED:
            assert report.status == "PASS", f"{name}: the rule did not apply to the resource"
    else:
        assert report.status == "FAIL", f"{name} should be refused"


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("control_id", sorted(CASES))
def test_guard_rule_ignores_other_resource_types(control_id, shape):
    report = run_checks(SHAPES[shape](template("AWS::SQS::Queue", {})), rules_of(control_id))
    assert report.status == "SKIP"
