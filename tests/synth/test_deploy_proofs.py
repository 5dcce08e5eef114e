"""The deploy proofs: every shipped landing zone can deploy itself under its own SCPs, and each way it
could not (the findings of the first deploy review) is caught offline, naming what blocks it."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from landing_zone.checks.deploy_proofs import prove_deployable
from landing_zone.checks.exemptions import unprotected
from landing_zone.checks.template_rules import template_findings
from landing_zone.explain.deployed import read_deployed
from landing_zone.policy.evaluate import Request, evaluate
from tests.synth.conftest import SHIPPED


def copy_out(result, tmp_path: Path) -> Path:
    out = tmp_path / "cdk.out"
    shutil.copytree(result.outdir, out)
    return out


def edit_template(out: Path, stack: str, change) -> None:
    path = out / f"{stack}.template.json"
    template = json.loads(path.read_text())
    change(template)
    path.write_text(json.dumps(template))


def edit_policies(out: Path, plan, change) -> None:
    """Apply `change` to the document of every SCP the policies stack attaches."""
    def rewrite(template):
        for resource in template["Resources"].values():
            if resource["Properties"].get("Type") == "SERVICE_CONTROL_POLICY":
                props = resource["Properties"]
                content = props["Content"]
                props["Content"] = change(json.loads(content) if isinstance(content, str) else content)
    edit_template(out, f"{plan.name}-policies", rewrite)


@pytest.mark.parametrize("blueprint", list(SHIPPED))
def test_every_shipped_landing_zone_can_deploy_itself(synthesized, blueprint):
    result = synthesized(blueprint)
    report = json.loads((result.outdir / "deploy-proofs.json").read_text())
    assert report["findings"] == []
    assert report["requests"] > 300 and report["chains"] >= 1


def member_stack(plan):
    return next(s for s in plan.stacks if s.account_id != plan.management_account_id)


def test_stack_protection_lets_the_cdk_deploy_role_deploy(synthesized, tmp_path):
    """Finding 1: LZ-STACK-001 exempted only the CDK execution role, while `cdk deploy` creates and
    executes change sets as the deploy role: today's exemption list, put back, is caught."""
    result = synthesized("standard")
    plan, stack = result.plan, member_stack(result.plan)
    out = copy_out(result, tmp_path)
    q = plan.qualifier
    old = ["arn:aws:iam::*:role/acme-*", "arn:aws:iam::*:role/stacksets-exec-*",
           f"arn:aws:iam::*:role/cdk-{q}-cfn-exec-role-*"]

    def before_the_fix(content):
        for statement in content["Statement"]:
            if statement.get("Sid") == "LZPROTECTLANDINGZONESTACKS":
                statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"] = old
        return content
    edit_policies(out, plan, before_the_fix)
    findings = prove_deployable(plan, out).findings
    blocked = {(f.stack, f.action, f.sid) for f in findings if "deploy-role" in f.principal}
    assert (stack.name, "cloudformation:CreateChangeSet", "LZPROTECTLANDINGZONESTACKS") in blocked
    assert (stack.name, "cloudformation:ExecuteChangeSet", "LZPROTECTLANDINGZONESTACKS") in blocked


@pytest.mark.parametrize("action", ["iam:PassRole", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole",
                                    "iam:PutRolePolicy"])
def test_a_developer_cannot_take_over_the_exempt_execution_role(synthesized, action):
    """Finding 2: the region deny exempts the CDK execution role; whoever could pass, assume or
    rewrite it would deploy into a denied region. LZ-IAM-003 denies all of it."""
    result = synthesized("enterprise")
    plan = result.plan
    deployed = read_deployed(result.outdir, plan)
    account = next(a for a in plan.accounts if a.name == "web-dev")
    region = "us-east-1"
    role = f"arn:aws:iam::{account.id}:role/cdk-{plan.qualifier}-cfn-exec-role-{account.id}-{region}"
    request = Request(action=action, resource=role, principal=f"arn:aws:iam::{account.id}:role/Developer",
                      region=region)
    decision = evaluate(request, scps=deployed.levels(account.name))
    assert (decision.decision, decision.sid) == ("explicit-deny", "LZPROTECTEXEMPTPRINCIPALS")
    # ...while the deploy role still passes it to CloudFormation
    deployer = f"arn:aws:iam::{account.id}:role/cdk-{plan.qualifier}-deploy-role-{account.id}-{region}"
    passing = Request(action="iam:PassRole", resource=role, principal=deployer, region=region)
    assert evaluate(passing, scps=deployed.levels(account.name)).allowed


def test_unprotected_exemptions_are_found(synthesized, tmp_path):
    result = synthesized("enterprise")
    plan = result.plan
    assert list(unprotected(plan, read_deployed(result.outdir, plan))) == []
    out = copy_out(result, tmp_path)

    def without_protection(content):
        content["Statement"] = [s for s in content["Statement"] if s.get("Sid") != "LZPROTECTEXEMPTPRINCIPALS"]
        return content
    edit_policies(out, plan, without_protection)
    findings = list(unprotected(plan, read_deployed(out, plan)))
    exec_role = f"arn:aws:iam::*:role/cdk-{plan.qualifier}-*"
    assert {(f.pattern, f.action) for f in findings} >= {(exec_role, "iam:PassRole"), (exec_role, "sts:AssumeRole"),
                                                         (exec_role, "iam:UpdateAssumeRolePolicy")}
    # the break-glass principal of the region deny is protected too
    assert any(f.pattern == "arn:aws:iam::*:role/BreakGlass" for f in findings)


def _set(path: list, value):
    def change(template):
        node = template
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _first(template, kind):
    return next(k for k, v in template["Resources"].items() if v["Type"] == kind)


def _references(node, function):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == function:
                yield value
            else:
                yield from _references(value, function)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value, function)


def _mutation(result, rule):
    """(stack, change) that reintroduces one finding of the review into a synthesized template."""
    plan = result.plan
    templates = result.templates()
    name = plan.name
    if rule == "config-object-lock":
        archive = templates[f"{name}-log-archive"]
        config_bucket = next(k for k, v in archive["Resources"].items()
                             if v["Type"] == "AWS::S3::Bucket" and "-logs-config-" in v["Properties"]["BucketName"])
        return f"{name}-log-archive", _set(["Resources", config_bucket, "Properties", "ObjectLockEnabled"], True)
    if rule == "bucket-key-alias":
        archive = templates[f"{name}-log-archive"]
        bucket = next(k for k, v in archive["Resources"].items() if v["Type"] == "AWS::S3::Bucket"
                      and "BucketEncryption" in v["Properties"] and "aws:kms" in json.dumps(v["Properties"]))
        return f"{name}-log-archive", _set(
            ["Resources", bucket, "Properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0,
             "ServerSideEncryptionByDefault", "KMSMasterKeyID"], "arn:aws:kms:us-east-1:100000000002:alias/lz/logs")
    if rule == "account-chain":
        shard = next(s for s in plan.stacks if s.component == "accounts" and len(plan.accounts_in(s.name)) >= 2)
        second = sorted(plan.accounts_in(shard.name), key=lambda a: a.name)[1]
        return shard.name, lambda t: t["Resources"][second.logical_id].pop("DependsOn")
    if rule == "import-without-export":
        stack = f"{name}-audit"
        bus = _first(templates[stack], "AWS::Events::EventBus")
        return stack, _set(["Resources", bus, "Properties", "Description"], {"Fn::ImportValue": "nobody-exports-this"})
    if rule == "stack-output-missing":
        stack = f"{name}-log-archive"

        def rename_output(template):
            for reference in _references(template, "Fn::GetStackOutput"):
                reference["OutputName"] = "NoSuchOutput"
        return stack, rename_output
    if rule == "stackset-order":
        stack = f"{name}-guardrails"
        detective = next(k for k, v in templates[stack]["Resources"].items()
                         if "-detective-" in v["Properties"]["StackSetName"])
        return stack, lambda t: t["Resources"][detective]["Properties"]["AutoDeployment"].pop("DependsOn")
    if rule == "custom-resource-timeout":
        stack = next(s for s, t in templates.items() if any(v["Type"].startswith("Custom::")
                                                            for v in t["Resources"].values()))
        custom = next(k for k, v in templates[stack]["Resources"].items() if v["Type"].startswith("Custom::"))
        return stack, _set(["Resources", custom, "Properties", "ServiceTimeout"], 7200)
    if rule == "resource-type-unavailable":     # e.g. a service not offered in a region or partition
        stack = f"{name}-audit"
        bus = _first(templates[stack], "AWS::Events::EventBus")
        return stack, _set(["Resources", bus, "Type"], "AWS::CloudFormation::GuardHookOfTheFuture")
    raise AssertionError(rule)


@pytest.mark.parametrize("rule", ["config-object-lock", "bucket-key-alias", "account-chain", "import-without-export",
                                  "stack-output-missing", "stackset-order", "custom-resource-timeout", "resource-type-unavailable"])
def test_template_rules_catch_what_would_fail_the_first_deploy(synthesized, tmp_path, rule):
    result = synthesized("enterprise")
    assert template_findings(result.plan, result.templates()) == []
    out = copy_out(result, tmp_path)
    stack, change = _mutation(result, rule)
    edit_template(out, stack, change)
    templates = {p.name.removesuffix(".template.json"): json.loads(p.read_text()) for p in out.glob("*.template.json")}
    findings = template_findings(result.plan, templates)
    found = {(f.rule, f.stack) for f in findings}
    if rule == "config-object-lock":
        # reported where AWS Config would fail: every delivery channel into the locked bucket, by its
        # own logical id
        plan = result.plan
        assert found == {(rule, f"{plan.name}-guardrails StackSet {plan.name}-config-baseline")} | {
            (rule, s.name) for s in plan.stacks if s.component == "management-baseline"}
        assert {f.logical_id for f in findings} == {"DeliveryChannel"}
    else:
        assert found == {(rule, stack)}


def test_a_weak_reference_to_a_stack_deployed_later_is_found(synthesized):
    # The replica's keys stack waits for the primary's; a primary reading the replica's output would
    # deploy with a value that does not exist yet.
    result = synthesized("enterprise")
    templates = json.loads(json.dumps(result.templates()))
    primary, replica = "globex-keys-log-archive-us-east-1", "globex-keys-log-archive-eu-west-1"
    templates[replica].setdefault("Outputs", {})["ReplicaArn"] = {"Value": "arn"}
    key = _first(templates[primary], "AWS::KMS::Key")
    templates[primary]["Resources"][key]["Properties"]["Description"] = {"Fn::GetStackOutput": {
        "StackName": replica, "OutputName": "ReplicaArn", "Region": "eu-west-1"}}
    assert [(f.rule, f.stack) for f in template_findings(result.plan, templates)] == [
        ("stack-output-order", primary)]
    templates[primary]["Resources"][key]["Properties"]["Description"]["Fn::GetStackOutput"]["Region"] = "us-east-1"
    assert [(f.rule, f.stack, f.message.split(", but")[0]) for f in template_findings(result.plan, templates)] == [
        ("stack-output-missing", primary, f"reads {replica}/ReplicaArn in us-east-1")]


def test_a_custom_scp_that_blocks_the_landing_zone_fails_the_synthesis(tmp_path):
    """Finding 15: a policy of the blueprint denying what the detective StackSets do (here
    config:PutConfigRule for everyone) was accepted; the deploy proofs now fail the synthesis and name
    the policy, the principal and the action."""
    from landing_zone.blueprint.load import load_blueprint
    from landing_zone.cdk.app import synthesize
    from landing_zone.plan import build_plan
    from tests.helpers import minimal, write

    data = minimal()
    data["organization"]["units"][0]["id"] = "ou-a1b2-11111111"
    data["organization"]["units"][1]["id"] = "ou-a1b2-22222222"
    data["policies"] = [{"name": "no-config-rules", "type": "service_control", "targets": {"units": ["Root"]},
                         "document": {"Version": "2012-10-17", "Statement": [
                             {"Sid": "NoConfigRules", "Effect": "Deny", "Action": "config:PutConfigRule",
                              "Resource": "*"}]}}]
    plan = build_plan(load_blueprint(write(tmp_path, data)))
    with pytest.raises(RuntimeError) as failure:
        synthesize(plan, str(tmp_path / "out"))
    text = str(failure.value)
    assert "LandingZoneDeployProof" in text
    assert re.search(r"role/stacksets-exec-\w+ cannot config:PutConfigRule .* denied by acme-no-config-rules "
                     r"\(Sid NoConfigRules\)", text)


def test_accounts_with_one_chain_are_proven_once_unless_a_policy_names_them(synthesized):
    """StackSet bodies reach every account of their targets: one account per distinct chain of
    policies answers for the rest, except an account a policy names by its id."""
    from landing_zone.checks.chains import AccountChains

    result = synthesized("enterprise")
    chains = AccountChains(read_deployed(result.outdir, result.plan))
    accounts = [(a.name, a.id) for a in result.plan.accounts if a.id]
    chosen = chains.representatives(accounts)
    assert 1 < len(chosen) < len(accounts)
    assert chains.representatives(accounts) == chosen                          # deterministic
    assert "web-prod" not in chosen                  # it shares its chain with web-dev or data-dev...
    named = next(a for a in result.plan.accounts if a.name == "web-prod")
    deployed = read_deployed(result.outdir, result.plan)
    policy = deployed.attached["SERVICE_CONTROL_POLICY"]["Root"][0]
    object.__setattr__(policy, "document", {**policy.document, "Statement": [
        *policy.document["Statement"], {"Sid": "OnlyThisOne", "Effect": "Deny", "Action": "s3:DeleteBucket",
                                       "Resource": "*", "Condition": {"StringEquals": {
                                           "aws:PrincipalAccount": named.id}}}]})
    assert "web-prod" in AccountChains(deployed).representatives(accounts)
