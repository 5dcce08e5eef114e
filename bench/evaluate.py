"""Benchmark the policy evaluator: 10,000 requests against a 1,000-account blueprint's synthesized SCPs."""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from landing_zone.blueprint.load import load_blueprint, render_blueprint  # noqa: E402
from landing_zone.cdk.app import synthesize  # noqa: E402
from landing_zone.explain.deployed import read_deployed  # noqa: E402
from landing_zone.explain.proofs import stand_in_id  # noqa: E402
from landing_zone.plan import build_plan  # noqa: E402
from landing_zone.policy import actions  # noqa: E402
from landing_zone.policy.evaluate import evaluate  # noqa: E402
from landing_zone.policy.request import Request  # noqa: E402

MANY = ROOT / "blueprints" / "examples" / "many-accounts.yaml"
TARGET_S = 2.0                       # issue 4: evaluate 10,000 requests across 1,000 accounts in < 2 s
GUARDRAILS = {"enable": [{"level": "strongly-recommended", "units": ["Root"]},
                         {"level": "elective", "units": ["Workloads"]}],
              "region_deny": {"units": ["Root"]}}
GOVERNED, UNGOVERNED = ["us-east-1"], ["eu-west-1", "ap-southeast-2", "sa-east-1"]
# (action, resource template, extra context); {id} is the account id, {name} the blueprint name
PROBES = [
    ("ec2:RunInstances", "arn:aws:ec2:{region}:{id}:instance/*", {}),
    ("s3:GetObject", "arn:aws:s3:::team-data-{id}/report.csv", {}),
    ("s3:DeleteObject", "arn:aws:s3:::team-data-{id}/report.csv", {}),
    ("s3:DeleteObject", "arn:aws:s3:::{name}-logs-{id}/AWSLogs/trail.json.gz", {}),
    ("iam:CreateAccessKey", "arn:aws:iam::{id}:user/ci", {}),
    ("organizations:LeaveOrganization", "*", {}),
    ("cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:900000000000:trail/*", {}),
    ("kms:ScheduleKeyDeletion", "arn:aws:kms:{region}:{id}:key/mrk-0123456789abcdef0123456789abcdef",
     {"aws:ResourceTag/lz:managed-by": "{name}"}),
    ("kms:ScheduleKeyDeletion", "arn:aws:kms:{region}:{id}:key/1234abcd-12ab-34cd-56ef-1234567890ab", {}),
    ("ec2:AuthorizeSecurityGroupIngress", "arn:aws:ec2:{region}:{id}:security-group/sg-0123456789abcdef0",
     {}),
    ("iam:CreateRole", "arn:aws:iam::{id}:role/app", {}),
    ("sts:GetCallerIdentity", "*", {}),
    ("config:StopConfigurationRecorder", "*", {}),
    ("dynamodb:PutItem", "arn:aws:dynamodb:{region}:{id}:table/orders", {}),
]
PRINCIPALS = [("role/Developer", 6), ("root", 1), ("role/{name}-deployer", 2), ("role/stacksets-exec-abc", 1)]


def prepare(accounts: int, units: int, workdir: Path) -> tuple[list[tuple[str, float, str]], object, object]:
    """Render many-accounts with guardrails, then load, plan, synthesize and read cdk.out (each timed)."""
    phases = []

    def timed(label, note, function, *args):
        start = time.perf_counter()
        result = function(*args)
        phases.append((label, time.perf_counter() - start, note))
        return result

    def render():
        data = yaml.safe_load(render_blueprint(MANY, {"accounts": accounts, "units": units}).text)
        data["guardrails"] = GUARDRAILS
        path = workdir / "many-guarded.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    path = timed("render + add guardrails", f"many-accounts accounts={accounts} units={units}, Jinja2 → "
                 "YAML, guardrails: strongly-recommended@Root, elective@Workloads, region_deny@Root", render)
    loaded = timed("load blueprint", "load_blueprint (parse, validate)", load_blueprint, path)
    plan = timed("build plan", "build_plan (stacks, guardrail resolution, SCP packing)", build_plan, loaded)
    outdir = workdir / "cdk.out"
    timed("synthesize (in-process)", "landing_zone.cdk.app.synthesize into a temp dir (jsii, no CDK CLI)",
          synthesize, plan, str(outdir))
    deployed = timed("read_deployed", "AWS::Organizations::Policy Content/TargetIds → Root/OU/account",
                     read_deployed, outdir, plan)
    return phases, plan, deployed


def make_requests(plan, count: int, seed: int = 0) -> list[tuple[str, Request]]:
    rng = random.Random(seed)
    names = [a.name for a in plan.accounts]
    ids = {a.name: a.id or stand_in_id(a.name) for a in plan.accounts}
    canonical = {action: actions.canonical(action) for action, _, _ in PROBES}
    principals, weights = zip(*PRINCIPALS, strict=False)
    out = []
    for _ in range(count):
        account = rng.choice(names)
        account_id = ids[account]
        action, resource, extra = rng.choice(PROBES)
        region = rng.choice(GOVERNED) if rng.random() < 0.7 else rng.choice(UNGOVERNED)
        fill = {"id": account_id, "name": plan.name, "region": region}
        principal = f"arn:aws:iam::{account_id}:" + rng.choices(principals, weights)[0].format(**fill)
        context = {key: value.format(**fill) for key, value in extra.items()}
        if rng.random() < 0.3:
            context["aws:MultiFactorAuthPresent"] = rng.choice(["true", "false"])
        out.append((account, Request(action=canonical[action], resource=resource.format(**fill),
                                     principal=principal, region=region, context=context)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000, help="workload accounts (default 1000)")
    parser.add_argument("--requests", type=int, default=10000, help="requests to evaluate (default 10000)")
    args = parser.parse_args()
    units = max(1, min(100, args.accounts // 10))
    unknown = [a for a, _, _ in PROBES if not actions.is_known(a)]
    if unknown:
        raise SystemExit(f"unknown actions in PROBES: {unknown}")

    with tempfile.TemporaryDirectory(prefix="lz-bench-eval-") as tmp:
        phases, plan, deployed = prepare(args.accounts, units, Path(tmp))

    start = time.perf_counter()
    levels = {a.name: deployed.levels(a.name) for a in plan.accounts}
    phases.append(("precompute SCP levels", time.perf_counter() - start,
                   f"deployed.levels() for all {len(levels)} accounts (outside the timed evaluation)"))

    start = time.perf_counter()
    requests = make_requests(plan, args.requests)
    phases.append(("build requests", time.perf_counter() - start,
                   f"{len(requests):,} Request objects, random.Random(0), {len(PROBES)} action/resource "
                   f"probes, {len(GOVERNED) + len(UNGOVERNED)} regions (30% ungoverned), "
                   f"{len(PRINCIPALS)} principal kinds, 30% with aws:MultiFactorAuthPresent"))

    start = time.perf_counter()
    decisions = [evaluate(request, scps=levels[account]) for account, request in requests]
    evaluate_s = time.perf_counter() - start
    phases.append((f"**evaluate {len(requests):,}**", evaluate_s,
                   "evaluate(request, scps=levels[account]) with levels precomputed; includes first-use "
                   "compilation of each policy document"))

    start = time.perf_counter()
    again = [evaluate(request, scps=deployed.levels(account)) for account, request in requests]
    phases.append((f"evaluate {len(requests):,} + levels() lookups", time.perf_counter() - start,
                   "evaluate(request, scps=deployed.levels(account)) per request; attached SCPs already "
                   "compiled, the fresh FullAWSAccess refs of each levels() call are compiled again"))
    mismatched = sum(a.decision != b.decision for a, b in zip(decisions, again, strict=False))

    scps = deployed.attached.get("SERVICE_CONTROL_POLICY", {})
    policies = {ref.name for refs in scps.values() for ref in refs}
    print(f"# Policy evaluator benchmark\n\n{len(plan.accounts):,} accounts, {len(plan.units)} OUs, "
          f"{len(policies)} SCPs attached; Python {sys.version.split()[0]}\n")
    print("| phase | seconds | notes |\n|---|---:|---|")
    for label, seconds, note in phases:
        print(f"| {label} | {seconds:.3f} | {note} |")
    counts = Counter(d.decision for d in decisions)
    print("\n| decision | count |\n|---|---:|")
    for name in ("allow", "explicit-deny", "implicit-deny"):
        print(f"| {name} | {counts.get(name, 0):,} |")
    deciders = Counter(d.policy for d in decisions if d.decision == "explicit-deny").most_common(5)
    if deciders:
        print("\nTop denying SCPs: " + ", ".join(f"{name} ({n:,})" for name, n in deciders))
    if mismatched:
        print(f"\nWARNING: {mismatched} decisions differ between the two evaluation runs")
    verdict = "PASS" if evaluate_s < TARGET_S else "FAIL"
    print(f"\nTarget: evaluate {len(requests):,} requests < {TARGET_S:.0f} s — {evaluate_s:.3f} s — "
          f"**{verdict}**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
