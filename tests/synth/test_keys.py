"""Keys stacks of the enterprise blueprint: primaries, replicas in other regions, aliases, retention."""
from __future__ import annotations

import json

from landing_zone.plan.keys import KeysStackPayload


def keys_stacks(result):
    return {s.name: s for s in result.plan.stacks if s.component == "keys"}


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_replica_stacks_exist_in_their_regions(synthesized):
    result = synthesized("enterprise")
    stacks = keys_stacks(result)
    assert sorted(stacks) == ["globex-keys-audit-eu-central-1", "globex-keys-audit-eu-west-1",
                              "globex-keys-audit-us-east-1", "globex-keys-identity-us-east-1",
                              "globex-keys-log-archive-eu-west-1", "globex-keys-log-archive-us-east-1"]
    templates = result.templates()
    replica_template = templates["globex-keys-log-archive-eu-west-1"]
    assert len(of_type(replica_template, "AWS::KMS::ReplicaKey")) == 1
    assert stacks["globex-keys-log-archive-eu-west-1"].region == "eu-west-1"


def test_replica_primary_key_arn_resolves_to_the_primary(synthesized):
    result = synthesized("enterprise")
    templates = result.templates()
    primary_stack = result.plan.stack("globex-keys-log-archive-us-east-1")
    primary_id = primary_stack.payload.primaries[0].logical_id
    (replica,) = of_type(templates["globex-keys-log-archive-eu-west-1"], "AWS::KMS::ReplicaKey").values()
    # A weak cross-region reference: CloudFormation reads the primary stack's output at deploy time.
    reference = replica["Properties"]["PrimaryKeyArn"]["Fn::GetStackOutput"]
    assert (reference["StackName"], reference["Region"]) == ("globex-keys-log-archive-us-east-1", "us-east-1")
    outputs = templates["globex-keys-log-archive-us-east-1"]["Outputs"]
    assert outputs[reference["OutputName"]]["Value"] == {"Fn::GetAtt": [primary_id, "Arn"]}
    assert of_type(templates["globex-keys-log-archive-us-east-1"], "Custom::CrossRegionExportWriter") == {}
    # And CloudFormation deploys the primary first.
    manifest_deps = result.plan.stack("globex-keys-log-archive-eu-west-1").depends_on
    assert manifest_deps == ("globex-keys-log-archive-us-east-1",)


def test_aliases_in_every_region(synthesized):
    result = synthesized("enterprise")
    templates = result.templates()
    for name, stack in keys_stacks(result).items():
        payload: KeysStackPayload = stack.payload
        aliases = of_type(templates[name], "AWS::KMS::Alias")
        wanted = {k.alias for k in (*payload.primaries, *payload.replicas)}
        assert {a["Properties"]["AliasName"] for a in aliases.values()} == wanted
    regions = {s.region for s in keys_stacks(result).values()
               if any(k.alias == "alias/lz/logs" for k in (*s.payload.primaries, *s.payload.replicas))}
    assert regions == {"us-east-1", "eu-west-1"}


def test_keys_are_retained_and_primaries_multi_region_only_with_replicas(synthesized):
    result = synthesized("enterprise")
    templates = result.templates()
    for name in keys_stacks(result):
        for kind in ("AWS::KMS::Key", "AWS::KMS::ReplicaKey"):
            for logical_id, resource in of_type(templates[name], kind).items():
                assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain"), \
                    logical_id
    logs = next(iter(of_type(templates["globex-keys-log-archive-us-east-1"], "AWS::KMS::Key").values()))
    directory = next(iter(of_type(templates["globex-keys-identity-us-east-1"], "AWS::KMS::Key").values()))
    assert logs["Properties"]["MultiRegion"] is True and directory["Properties"]["MultiRegion"] is False
    assert logs["Properties"]["EnableKeyRotation"] is True


def test_no_principal_but_the_owner_gets_kms_star_in_synthesized_policies(synthesized):
    result = synthesized("enterprise")
    templates = result.templates()
    for name, stack in keys_stacks(result).items():
        for kind in ("AWS::KMS::Key", "AWS::KMS::ReplicaKey"):
            for resource in of_type(templates[name], kind).values():
                for statement in resource["Properties"]["KeyPolicy"]["Statement"]:
                    actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                    if "kms:*" in actions:
                        assert statement["Principal"] == {"AWS": f"arn:aws:iam::{stack.account_id}:root"}


def test_custom_key_store_key_is_a_custom_resource_named_by_a_native_alias(custom_store_keys):
    result = custom_store_keys
    (stack,) = result.plan.stacks
    template = result.templates()[stack.name]
    assert len(template["Resources"]) == stack.resources
    (hsm,) = stack.payload.custom_store_keys
    resource = template["Resources"][hsm.logical_id]
    assert resource["Type"] == "Custom::CustomKeyStoreKey"
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = resource["Properties"]
    assert (props["Alias"], props["CustomKeyStoreId"]) == ("alias/lz/hsm", "cks-1234567890abcdef0")
    assert json.loads(props["Policy"]) == hsm.policy_document
    alias = template["Resources"][hsm.alias_logical_id]
    assert alias["Type"] == "AWS::KMS::Alias"
    assert alias["Properties"] == {"AliasName": "alias/lz/hsm",
                                   "TargetKeyId": {"Fn::GetAtt": [hsm.logical_id, "KeyId"]}}
    # Least privilege: CreateKey only for symmetric single-Region CloudHSM keys; changes only to such keys.
    policies = [r["Properties"]["PolicyDocument"]["Statement"] for r in of_type(template, "AWS::IAM::Policy").values()]
    statements = [s for doc in policies for s in doc
                  if any(str(a).startswith("kms:") for a in as_list(s["Action"]))]
    create = next(s for s in statements if s["Action"] == "kms:CreateKey")
    assert create["Condition"] == {"StringEquals": {"kms:KeyOrigin": "AWS_CLOUDHSM", "kms:KeySpec": "SYMMETRIC_DEFAULT",
                                                    "kms:KeyUsage": "ENCRYPT_DECRYPT"},
                                   "Bool": {"kms:MultiRegion": "false"}}
    change = next(s for s in statements if "kms:PutKeyPolicy" in as_list(s["Action"]))
    assert change["Condition"] == {"StringEquals": {"kms:KeyOrigin": "AWS_CLOUDHSM"}}
    assert not any("kms:*" in as_list(s["Action"]) for s in statements)
    # The plain key next to it is still a native AWS::KMS::Key.
    assert len(of_type(template, "AWS::KMS::Key")) == 1


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]
