"""Deploying the phases in order works: every reference a stack makes to something another stack
creates (export, bucket, key alias, event bus, topic, secret) is created in an earlier phase or in
the same stack; and the ordering fixes of the first deploy review hold in the templates."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from landing_zone.plan.phases import PHASE_OF, PHASES
from tests.synth.conftest import SHIPPED

RANK = {name: index for index, (name, *_rest) in enumerate(PHASES)}
_S3 = re.compile(r"^arn:aws:s3:::([a-z0-9.-]+)(?:/.*)?$")
_ALIAS = re.compile(r"^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias/[A-Za-z0-9/_-]+)$")
_BUS = re.compile(r"^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus/([A-Za-z0-9._-]+)$")
_TOPIC = re.compile(r"^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+)$")
_SECRET = re.compile(r"\{\{resolve:secretsmanager:([^:}]+)")
# Names a property holds that refer to a bucket by name.
BUCKET_PROPERTIES = {"S3BucketName", "DestinationBucketName", "BucketName"}


def _strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Fn::ImportValue" and isinstance(v, str):
                yield "import", v
            else:
                yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        yield key, node


def provides(template: dict, account: str, region: str) -> set[tuple]:
    made = set()
    for resource in template.get("Resources", {}).values():
        props, kind = resource.get("Properties") or {}, resource.get("Type")
        name = {"AWS::S3::Bucket": "BucketName", "AWS::KMS::Alias": "AliasName", "AWS::Events::EventBus": "Name",
                "AWS::SNS::Topic": "TopicName", "AWS::SecretsManager::Secret": "Name"}.get(kind)
        value = props.get(name) if name else None
        if not isinstance(value, str):
            continue
        made.add({"AWS::S3::Bucket": ("s3", value), "AWS::KMS::Alias": ("alias", account, region, value),
                  "AWS::Events::EventBus": ("bus", account, region, value),
                  "AWS::SNS::Topic": ("topic", account, region, value),
                  "AWS::SecretsManager::Secret": ("secret", account, region, value)}[kind])
    for output in template.get("Outputs", {}).values():
        export = (output.get("Export") or {}).get("Name")
        if isinstance(export, str):
            made.add(("export", account, region, export))
    return made


def uses(template: dict, account: str, region: str) -> set[tuple]:
    used = set()
    for key, text in _strings(template.get("Resources", {})):
        if key == "import":
            used.add(("export", account, region, text))
            continue
        if "*" in text or "${" in text:
            continue
        if key in BUCKET_PROPERTIES and re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,62}", text):
            used.add(("s3", text))
        for pattern, kind in ((_S3, "s3"), (_ALIAS, "alias"), (_BUS, "bus"), (_TOPIC, "topic")):
            match = pattern.match(text)
            if match and kind == "s3":
                used.add(("s3", match.group(1)))
            elif match:
                region_of, account_of, name = match.groups()
                used.add((kind, account_of, region_of, name))
        for secret in _SECRET.findall(text):
            used.add(("secret", account, region, secret))
    return used


def deployables(result) -> Iterator[tuple[str, str, str, str, dict]]:
    """(label, phase, account, region, template) for every stack and StackSet body (one instance per
    account and region would show the same names, so the body is checked once, in its stack's phase)."""
    templates = result.templates()
    for stack in result.plan.stacks:
        template = templates[stack.name]
        phase = PHASE_OF[stack.component]
        yield stack.name, phase, stack.account_id, stack.region, template
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::CloudFormation::StackSet":
                body = json.loads(resource["Properties"]["TemplateBody"])
                yield f"{stack.name}/{resource['Properties']['StackSetName']}", phase, "member", "any", body


@pytest.mark.parametrize("blueprint", list(SHIPPED))
def test_replaying_the_phases_every_reference_exists_already(synthesized, blueprint):
    result = synthesized(blueprint)
    made: dict[tuple, tuple[int, str]] = {}
    items = list(deployables(result))
    for label, phase, account, region, template in items:
        for thing in provides(template, account, region):
            made.setdefault(thing, (RANK[phase], label))
    problems, checked = [], 0
    for label, phase, account, region, template in items:
        own = provides(template, account, region)
        for thing in sorted(uses(template, account, region) - own):
            checked += 1
            if thing not in made:
                problems.append(f"{label} uses {thing}, which no stack of the landing zone creates")
            elif made[thing][0] > RANK[phase]:
                problems.append(f"{label} ({phase}) uses {thing}, created later by {made[thing][1]}")
    assert problems == []
    assert checked >= (5 if blueprint == "enterprise" else 2)


def test_the_baseline_stackset_comes_after_the_log_archive_and_the_policies_last(synthesized):
    """Finding 4 (the baseline StackSet could run before its bucket existed) and finding 8 (SCPs
    attached before the member stacks)."""
    plan = synthesized("enterprise").plan
    order = [p.name for p in plan.phases]
    where = {s: order.index(p.name) for p in plan.phases for s in p.stacks}
    assert where["globex-guardrails"] > where["globex-log-archive"] > where["globex-bootstrap"]
    assert where["globex-policies"] == max(where.values())
    by_name = {s.name: s for s in plan.stacks}
    assert set(by_name["globex-guardrails"].depends_on + by_name["globex-guardrails"].after) >= {
        s.name for s in plan.stacks if s.component == "management-baseline"}
    manifest = json.loads((synthesized("enterprise").outdir / "manifest.json").read_text())

    def before(name: str, seen: set[str]) -> set[str]:       # every stack CDK deploys before `name`
        for dependency in manifest["artifacts"][name].get("dependencies", []):
            if dependency not in seen and dependency in by_name:
                seen.add(dependency)
                before(dependency, seen)
        return seen
    assert {s.name for s in plan.stacks if s.name != "globex-policies"} <= before("globex-policies", set())


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_stackset_operations_tolerate_one_failing_account_and_wait_for_the_baseline(synthesized, blueprint):
    """Finding 4: FailureTolerancePercentage 10 rounds to 0 below ten accounts; finding 12: a new
    account must get the recorder before any Config rule (AutoDeployment.DependsOn)."""
    result = synthesized(blueprint)
    template = result.templates()[f"{result.plan.name}-guardrails"]
    stacksets = {r["Properties"]["StackSetName"]: r for r in template["Resources"].values()}
    baseline = next(k for k, r in template["Resources"].items() if r["Properties"]["StackSetName"].endswith("-config-baseline"))
    for name, resource in stacksets.items():
        preferences = resource["Properties"]["OperationPreferences"]
        assert preferences["FailureToleranceCount"] >= 1
        assert preferences["ConcurrencyMode"] == "SOFT_FAILURE_TOLERANCE"
        assert "FailureTolerancePercentage" not in preferences
        if not name.endswith("-config-baseline"):
            assert baseline in json.dumps(resource["Properties"]["AutoDeployment"]["DependsOn"])
            assert resource["DependsOn"] == [baseline] or resource["DependsOn"] == baseline


def baseline_body(result) -> dict:
    return next(s.template for s in result.plan.stacksets if s.name.endswith("-config-baseline"))


def test_the_baseline_template_orders_its_own_resources(synthesized):
    """Finding 5: the delivery channel waits for the recorder, the recorder for its role."""
    resources = baseline_body(synthesized("standard"))["Resources"]
    assert resources["DeliveryChannel"]["DependsOn"] == "ConfigurationRecorder"
    assert resources["ConfigurationRecorder"]["Properties"]["RoleARN"] == {"Fn::GetAtt": ["ConfigRecorderRole", "Arn"]}
    # every region's instance makes its own role: automatic deployments ignore the region order
    assert all("Condition" not in r for r in resources.values() if r["Type"] == "AWS::IAM::Role"
               and r["Properties"]["RoleName"] != "OrganizationAccountAccessRole")


@pytest.mark.parametrize("blueprint", ["standard", "enterprise"])
def test_the_management_account_records_with_aws_config_in_every_governed_region(synthesized, blueprint):
    """Finding 12: service-managed StackSets never reach the management account."""
    result = synthesized(blueprint)
    plan = result.plan
    stacks = {s.region: s for s in plan.stacks if s.component == "management-baseline"}
    assert set(stacks) == set(plan.governed_regions)
    for region, stack in stacks.items():
        assert stack.account_id == plan.management_account_id
        resources = result.templates()[stack.name]["Resources"]
        recorder = resources["ConfigurationRecorder"]["Properties"]
        assert recorder["RecordingGroup"]["IncludeGlobalResourceTypes"] is (region == plan.home_region)
        assert resources["DeliveryChannel"]["DependsOn"] == "ConfigurationRecorder"


def test_guard_hooks_read_rules_that_exist_in_their_own_region(synthesized):
    """Finding 13: the hook role lacked s3:ListBucket and s3:GetObjectVersion, the StackSet did not wait
    for the rules, and hooks in other regions read the home region's bucket."""
    result = synthesized("enterprise")
    plan = result.plan
    proactive = next(s for s in plan.stacksets if "-proactive-" in s.name)
    role = proactive.template["Resources"]["HookRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    granted = {a for st in role["Statement"] for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
    assert granted == {"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"}
    assert all("${AWS::Region}" in json.dumps(st["Resource"]) for st in role["Statement"])
    rules = {s.region: s for s in plan.stacks if s.component == "guard-rules"}
    assert set(rules) == set(plan.governed_regions)
    for region, stack in rules.items():
        assert stack.payload.bucket_name.endswith(f"-{region}")
        assert (proactive.files[0][0], proactive.files[0][1]) in stack.payload.files
    guardrails = plan.stack("globex-guardrails")
    assert set(guardrails.depends_on) == {s.name for s in rules.values()}


def test_identity_center_assignments_are_created_a_few_at_a_time(synthesized):
    """Finding 14: all assignments of a shard were created at once."""
    result = synthesized("enterprise")
    shards = [s for s in result.plan.stacks if s.component == "identity-center-assignments"]
    for previous, shard in zip(shards, shards[1:], strict=False):
        assert previous.name in shard.after
    for shard in shards:
        resources = result.templates()[shard.name]["Resources"]
        assignments = {k: v for k, v in resources.items() if v["Type"] == "AWS::SSO::Assignment"}
        heads = [k for k, v in assignments.items() if "DependsOn" not in v]
        assert 1 <= len(heads) <= 10
        assert all(len([v["DependsOn"]] if isinstance(v.get("DependsOn"), str) else v.get("DependsOn", [])) <= 1
                   for v in assignments.values())
