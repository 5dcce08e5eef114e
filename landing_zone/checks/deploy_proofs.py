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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from landing_zone.checks.deploy_requests import (
    Call,
    deploy_role_calls,
    exec_calls,
    handler_role_calls,
    publishing_calls,
)
from landing_zone.plan import Plan
from landing_zone.plan.principals import cdk_role_arn, stackset_execution_arn
from landing_zone.explain.deployed import DeployedPolicies, read_deployed
from landing_zone.policy.evaluate import Decision, PolicyRef, Request, evaluate

SCP, RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"
ALLOWED = Decision("allow", reason="no Deny statement of the account's SCPs or RCPs names the action")


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


class _Chains:
    """The SCP and RCP levels of each account, and decisions shared by accounts with equal chains."""

    def __init__(self, deployed: DeployedPolicies) -> None:
        self.deployed = deployed
        self._levels: dict[str, tuple[list[list[PolicyRef]], list[list[PolicyRef]]]] = {}
        self._keys: dict[str, tuple] = {}
        self._decisions: dict[tuple, Any] = {}
        self._deny_statements: dict[tuple, list] = {}
        self.evaluations = 0

    def _of(self, account: str) -> tuple[list[list[PolicyRef]], list[list[PolicyRef]]]:
        if account not in self._levels:
            self._levels[account] = (self.deployed.levels(account, SCP), self.deployed.levels(account, RCP))
            # Levels holding only the AWS managed full-access policy decide nothing: leave them out of
            # the key, so accounts in different OUs without policies of their own share their answers.
            self._keys[account] = tuple(
                tuple(p.name for p in level[1:]) for chain in self._levels[account] for level in chain
                if len(level) > 1)
        return self._levels[account]

    def _denies(self, account: str) -> list:
        key = self._keys[account]
        if key not in self._deny_statements:
            scps, rcps = self._levels[account]
            self._deny_statements[key] = [s for chain in (scps, rcps) for level in chain for policy in level
                                          for s in policy.statements if s.effect == "Deny"]
        return self._deny_statements[key]

    def decide(self, account: str, request: Request):
        scps, rcps = self._of(account)
        action = request.action.lower()
        # Every level holds the AWS managed full-access policy (deny-list strategy), so a request no
        # Deny statement names by action is allowed: the evaluator is only asked about the others.
        if not any(s.actions(action) != s.not_action for s in self._denies(account)):
            return ALLOWED
        key = (self._keys[account], request.action, request.resource, request.principal, request.region)
        if key not in self._decisions:
            self.evaluations += 1
            self._decisions[key] = evaluate(request, scps=scps, rcps=rcps)
        return self._decisions[key]

    @property
    def distinct(self) -> int:
        return len(set(self._keys.values()))


def _templates(outdir: Path) -> dict[str, dict[str, Any]]:
    return {p.name.removesuffix(".template.json"): json.loads(p.read_text())
            for p in sorted(outdir.glob("*.template.json"))}


def _accounts_of_stackset(plan: Plan, name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(account name, regions) a StackSet of the plan reaches."""
    stackset = next((s for s in plan.stacksets if s.name == name), None)
    if stackset is None:
        bootstrap = next((s.payload.stacksets[0] for s in plan.stacks if s.component == "bootstrap"), None)
        return list(bootstrap.account_regions) if bootstrap and bootstrap.name == name else []
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


def _requests(plan: Plan, templates: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, str, str, Call]]:
    """(stack, account name, region, principal, call) for everything the deploy asks AWS for."""
    names = {a.id: a.name for a in plan.accounts if a.id}
    q = plan.qualifier
    for stack in plan.stacks:
        template = templates.get(stack.name)
        if template is None:
            continue
        if stack.account_id != plan.management_account_id and stack.account_id in names:
            account, region, acct = names[stack.account_id], stack.region, stack.account_id
            deploy = cdk_role_arn(q, "deploy", acct, region)
            for call in deploy_role_calls(stack.name, acct, region, q):
                yield stack.name, account, region, deploy, call
            publishing = cdk_role_arn(q, "file-publishing", acct, region)
            for call in publishing_calls(acct, region, q):
                yield stack.name, account, region, publishing, call
            executor = cdk_role_arn(q, "cfn-exec", acct, region)
            for call in exec_calls(template, acct, region):
                yield stack.name, account, region, executor, call
            for role, call in handler_role_calls(template, stack.name):
                yield stack.name, account, region, f"arn:aws:iam::{acct}:role/{role}", call
        for logical_id, resource in sorted(template.get("Resources", {}).items()):
            if resource.get("Type") != "AWS::CloudFormation::StackSet":
                continue
            props = resource["Properties"]
            body = json.loads(props["TemplateBody"])
            for account, regions in _accounts_of_stackset(plan, props["StackSetName"]):
                acct = plan.account(account).id
                for region in regions:
                    for call in exec_calls(body, acct, region):
                        yield (f"{stack.name} StackSet {props['StackSetName']}", account, region,
                               stackset_execution_arn(acct), call)


def prove_deployable(plan: Plan, outdir: str | Path) -> ProofReport:
    started = time.perf_counter()
    outdir = Path(outdir)
    chains = _Chains(read_deployed(outdir, plan))
    report = ProofReport()
    seen: set[tuple] = set()
    for stack, account, region, principal, call in _requests(plan, _templates(outdir)):
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
