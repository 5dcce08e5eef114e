"""Offline proof that the landing zone can deploy itself under its own SCPs and RCPs.

For every stack of a member account, and every StackSet body in every account it reaches:
- the CDK deploy role can make the calls `cdk deploy` makes on the stack (and the publishing role can
  stage its assets);
- the principal that creates the resources (CDK's CloudFormation execution role, or the StackSet
  execution role) can call every action of each resource type's handlers (create, update, delete);
- each custom-resource handler role can make the calls its policy declares;
all evaluated by the project's evaluator against the synthesized SCPs and RCPs of that account (the
blueprint's own policies included). Accounts with the same chain of policies are evaluated once.
The management account is skipped: SCPs and RCPs never apply there.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landing_zone.checks.chains import AccountChains
from landing_zone.checks.deploy_requests import (
    Call,
    deploy_role_calls,
    exec_calls,
    handler_role_calls,
    publishing_calls,
    stack_output_calls,
)
from landing_zone.explain.deployed import read_deployed
from landing_zone.plan import Plan
from landing_zone.plan.principals import cdk_role_arn, stackset_execution_arn
from landing_zone.policy.evaluate import Request


@dataclass(frozen=True)
class DeployFinding:
    code: str
    stack: str
    account: str
    region: str
    principal: str
    action: str
    resource: str
    logical_id: str = ""
    policy: str | None = None
    sid: str | None = None
    reason: str = ""

    def format(self) -> str:
        where = f"{self.stack}" + (f"/{self.logical_id}" if self.logical_id else "")
        by = f" by {self.policy} (Sid {self.sid})" if self.policy else ""
        return (f"{where}: {self.principal} cannot {self.action} on {self.resource} in account {self.account} "
                f"{self.region}: denied{by}. {self.reason}")


@dataclass
class ProofReport:
    findings: list[DeployFinding] = field(default_factory=list)
    requests: int = 0           # (principal, action, resource, region) requests checked
    evaluations: int = 0        # evaluator calls (after sharing between accounts with one chain)
    chains: int = 0             # distinct SCP/RCP chains
    seconds: float = 0.0


def _templates(outdir: Path) -> dict[str, dict[str, Any]]:
    return {p.name.removesuffix(".template.json"): json.loads(p.read_text())
            for p in sorted(outdir.glob("*.template.json"))}


def _accounts_of_stackset(plan: Plan, name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(account name, regions) a StackSet of the plan reaches."""
    stackset = next((s for s in plan.stacksets if s.name == name), None)
    if stackset is None:
        # The bootstrap's and the VPC templates' StackSets live in stacks of their own.
        stackset = next((s for st in plan.stacks for s in getattr(st.payload, "stacksets", ()) if s.name == name),
                        None)
    if stackset is None:
        return []
    reached: dict[str, tuple[str, ...]] = {}
    for target in stackset.targets:
        for account in plan.accounts:
            inside = (target.kind == "root" or (target.kind == "ou" and (account.unit == target.ref or
                      account.unit.startswith(target.ref + "/"))) or (target.kind == "account"
                      and account.name == target.ref))
            if inside and account.id:
                reached[account.name] = stackset.regions
    for account, regions in stackset.account_regions:
        reached[account] = regions
    return sorted(reached.items())


def _requests(plan: Plan, templates: dict[str, dict[str, Any]], chains: AccountChains
              ) -> Iterator[tuple[str, str, str, str, Call]]:
    """(stack, account name, region, principal, call) for everything the deploy asks AWS for."""
    names = {a.id: a.name for a in plan.accounts if a.id}
    q = plan.qualifier
    for stack in plan.stacks:
        template = templates.get(stack.name)
        if template is None:
            continue
        if stack.account_id != plan.management_account_id and stack.account_id in names:
            account, region, acct = names[stack.account_id], stack.region, stack.account_id
            deploy = cdk_role_arn(plan.partition, q, "deploy", acct, region)
            for call in deploy_role_calls(stack.name, acct, region, q):
                yield stack.name, account, region, deploy, call
            publishing = cdk_role_arn(plan.partition, q, "file-publishing", acct, region)
            for call in publishing_calls(acct, region, q):
                yield stack.name, account, region, publishing, call
            executor = cdk_role_arn(plan.partition, q, "cfn-exec", acct, region)
            for call in exec_calls(template, acct, region):
                yield stack.name, account, region, executor, call
            for call in stack_output_calls(template, acct, region):
                yield stack.name, account, region, executor, call
            for role, call in handler_role_calls(template, stack.name):
                yield stack.name, account, region, f"arn:{plan.partition}:iam::{acct}:role/{role}", call
        for _logical_id, resource in sorted(template.get("Resources", {}).items()):
            if resource.get("Type") != "AWS::CloudFormation::StackSet":
                continue
            props = resource["Properties"]
            body = json.loads(props["TemplateBody"])
            reached = dict(_accounts_of_stackset(plan, props["StackSetName"]))
            by_regions: dict[tuple[str, ...], list[tuple[str, str]]] = {}
            for account, regions in reached.items():
                by_regions.setdefault(regions, []).append((account, plan.account(account).id or ""))
            # A body is the same in every account it reaches: one account per distinct chain of
            # policies answers for the others (accounts a policy names by id answer for themselves).
            for regions, accounts in sorted(by_regions.items()):
                for account in chains.representatives(accounts):
                    acct = plan.account(account).id
                    for region in regions:
                        for call in exec_calls(body, acct, region):
                            yield (f"{stack.name} StackSet {props['StackSetName']}", account, region,
                                   stackset_execution_arn(plan.partition, acct), call)


def prove_deployable(plan: Plan, outdir: str | Path) -> ProofReport:
    started = time.perf_counter()
    outdir = Path(outdir)
    chains = AccountChains(read_deployed(outdir, plan))
    report = ProofReport()
    seen: set[tuple] = set()
    for stack, account, region, principal, call in _requests(plan, _templates(outdir), chains):
        request = Request(action=call.action, resource=call.resource, principal=principal, region=region)
        report.requests += 1
        decision = chains.decide(account, request)
        if decision.allowed:
            continue
        key = (stack, account, region, principal, call.action, call.resource)
        if key in seen:
            continue
        seen.add(key)
        report.findings.append(DeployFinding(
            "deploy-denied", stack, account, region, principal, call.action, call.resource, call.logical_id,
            decision.policy, decision.sid, f"{call.why}; {decision.reason}"))
    report.evaluations, report.chains = chains.evaluations, chains.distinct
    report.seconds = time.perf_counter() - started
    return report


def format_findings(findings: Iterable[DeployFinding]) -> str:
    return "\n".join(f.format() for f in findings)
