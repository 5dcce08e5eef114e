"""The decision delta: every (account, request) whose guardrail decision differs between base and head.

Requests are the proofs of every preventive catalog control plus `--actions`. Accounts whose SCP and
RCP chains hold the same documents get the same decisions, so each distinct chain is evaluated once
(1,000 accounts in 100 OUs come to a handful of chains). That is sound only where an account's own id
plays no part: its requests differ from another account's only by that id, so an account whose id
appears in a policy of its chain, or in the fixed values of the requests (the log archive's id), or
in an --actions entry, is evaluated on its own.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from landing_zone.catalog import load_catalog
from landing_zone.catalog.model import Request as ProofRequest
from landing_zone.diff.guardrails import control_of_sid
from landing_zone.diff.model import DecisionChange
from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.explain.probes import Probe
from landing_zone.explain.proofs import concrete, proof_values, stand_in_id
from landing_zone.explain.requests import build_request, decide
from landing_zone.plan import Plan
from landing_zone.policy.evaluate import Decision
from landing_zone.policy.request import Request
from landing_zone.policy.templating import render

# The principal a proof uses when it names none (a role in the account evaluated).
DEVELOPER = ProofRequest.model_fields["principal"].default
ACTIONS_SOURCE = "--actions"
ACCOUNT_MARK = "@@account@@"


@dataclass(frozen=True)
class RequestSpec:
    """One distinct request, as a catalog proof is: a Jinja2 template ({{ account }}, {{ region }}, ...)."""

    template: ProofRequest
    sources: tuple[str, ...]        # controls whose proofs ask it, and/or "--actions"

    def label(self, request: Request) -> str:
        """Readable, from the request rendered for a side (the account id still a mark)."""
        shown = "{account}"
        text = f"{request.action}@{request.region}"
        if request.resource != "*":
            text += f" on {_with_id(request.resource, shown)}"
        if self.template.principal != DEVELOPER:
            text += f" by {_with_id(request.principal, shown)}"
        if request.context:
            text += " [" + ", ".join(f"{k}={_text(_with_id(v, shown))}"
                                     for k, v in sorted(request.context.items())) + "]"
        return text


def _text(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _jinja(value: str | None) -> str | None:
    return value.replace("{account}", "{{ account }}") if value else value


def _key(request: ProofRequest) -> str:
    return json.dumps([request.action.lower(), request.principal, request.resource, request.region,
                       request.context], sort_keys=True, default=str)


def request_specs(probes: list[Probe]) -> list[RequestSpec]:
    """Every must-deny and must-allow proof of every preventive control, then each --actions entry;
    the same request asked by several controls is evaluated once."""
    found: dict[str, tuple[ProofRequest, list[str]]] = {}
    for control in load_catalog().values():
        if control.behavior != "preventive":
            continue
        for proof in control.proofs.deny + control.proofs.allow:
            template = ProofRequest(action=proof.action, principal=proof.principal, resource=proof.resource,
                                    region=proof.region, context=proof.context)
            found.setdefault(_key(template), (template, []))[1].append(control.id)
    for probe in probes:
        # `lz matrix --actions` writes {account}; catalog proofs are Jinja2 templates ({{ account }}).
        template = ProofRequest(action=probe.action, principal=_jinja(probe.principal) or DEVELOPER,
                                resource=_jinja(probe.resource) or "*", region=probe.region or "{{ region }}",
                                context=dict(probe.context))
        found.setdefault(_key(template), (template, []))[1].append(ACTIONS_SOURCE)
    return [RequestSpec(t, tuple(sorted(set(s)))) for _, (t, s) in sorted(found.items())]


def check_probes(plan: Plan, probes: list[Probe]) -> None:
    """Unknown actions and malformed ARNs in --actions fail early, as `lz matrix` does (UsageError)."""
    if not plan.accounts:
        return
    account = plan.accounts[0]
    account_id = account.id or stand_in_id(account.name)
    for probe in probes:
        build_request(plan, account.name, probe.action, probe.region,
                      probe.resource.replace("{account}", account_id) if probe.resource else None,
                      probe.principal.replace("{account}", account_id) if probe.principal else None,
                      dict(probe.context))


@lru_cache(maxsize=4096)
def _rendered(text: str, values: str) -> Any:
    return render(text, json.loads(values))


def _render_leaves(node: Any, values: str) -> Any:
    if isinstance(node, str):
        return _rendered(node, values) if "{{" in node or "{%" in node else node
    if isinstance(node, list):
        return [_render_leaves(v, values) for v in node]
    if isinstance(node, dict):
        return {_render_leaves(k, values): _render_leaves(v, values) for k, v in node.items()}
    return node


def _prerendered(template: ProofRequest, values: dict[str, Any]) -> ProofRequest:
    """The template with its Jinja2 already rendered, each distinct string once for both sides: Jinja2
    compiles a string on every render, which made this the slowest step. concrete() then has nothing
    left to render and builds the request as everywhere else."""
    key = json.dumps(values, sort_keys=True, default=str)
    return template.model_copy(update={
        "principal": _render_leaves(template.principal, key), "resource": _render_leaves(template.resource, key),
        "region": _render_leaves(template.region, key), "context": _render_leaves(dict(template.context), key)})


def _with_id(value: Any, account_id: str) -> Any:
    if isinstance(value, str):
        return value.replace(ACCOUNT_MARK, account_id)
    if isinstance(value, list):
        return [_with_id(v, account_id) for v in value]
    if isinstance(value, dict):
        return {k: _with_id(v, account_id) for k, v in value.items()}
    return value


def _fingerprint(levels: list[list[Any]]) -> tuple:
    # The documents themselves (one object per policy resource), not their targets: OUs whose chains
    # hold the same policies share one evaluation.
    return tuple(tuple((ref.name, id(ref.document)) for ref in level) for level in levels)


class SideDecisions:
    """Decisions of one side for every account, one evaluation per group of equivalent accounts."""

    def __init__(self, plan: Plan, deployed: DeployedPolicies, trail: str, specs: list[RequestSpec],
                 literal_text: str = "") -> None:
        self.plan, self.deployed, self.trail, self.specs = plan, deployed, trail, specs
        self.has_rcps = "RESOURCE_CONTROL_POLICY" in deployed.attached
        self.group_of: dict[str, tuple] = {}
        self.results: dict[tuple, tuple[Decision, ...]] = {}
        self.values: dict[str, str] = {}
        if plan.accounts:
            self.values = proof_values(plan, plan.accounts[0].name, trail)
        fixed = " ".join(v for k, v in self.values.items() if k != "account") + " " + literal_text
        chain_text: dict[tuple, str] = {}
        members: dict[tuple, list[str]] = defaultdict(list)
        for account in plan.accounts:
            scps = deployed.levels(account.name)
            rcps = deployed.levels(account.name, "RESOURCE_CONTROL_POLICY") if self.has_rcps else []
            chain = (_fingerprint(scps), _fingerprint(rcps))
            if chain not in chain_text:
                chain_text[chain] = json.dumps([r.document for level in scps + rcps for r in level], default=str)
            account_id = account.id or stand_in_id(account.name)
            alone = account_id in fixed or account_id in chain_text[chain]
            group = (chain, account.name if alone else None)
            self.group_of[account.name] = group
            members[group].append(account.name)
        # Templates are rendered once per side with a mark for the account id (rendering is the slow
        # part); each evaluated account puts its id in place of the mark.
        values = {**self.values, "account": ACCOUNT_MARK}
        self.requests = [concrete(_prerendered(spec.template, values), values) for spec in specs] \
            if plan.accounts else []
        for group, names in members.items():
            self.results[group] = self._evaluate(names[0])

    def _evaluate(self, account: str) -> tuple[Decision, ...]:
        account_id = self.plan.account(account).id or stand_in_id(account)
        return tuple(decide(self.deployed, account, replace(
            request, resource=_with_id(request.resource, account_id), principal=_with_id(request.principal, account_id),
            region=_with_id(request.region, account_id), context=_with_id(dict(request.context), account_id)))
            for request in self.requests)

    def of(self, account: str) -> tuple[Decision, ...]:
        return self.results[self.group_of[account]]


def _cause(before: Decision, after: Decision) -> str:
    decision = after if after.decision == "explicit-deny" else before
    if decision.decision != "explicit-deny":
        return "implicit deny: a level of the chain has no Allow"
    control = control_of_sid().get(decision.sid or "", "")
    sid = decision.sid or "(no Sid)"
    return f"{sid}: {control}" if control else f"{sid} in {decision.policy}"


def decision_delta(base: SideDecisions, head: SideDecisions) -> tuple[DecisionChange, ...]:
    specs = head.specs
    rendered = head.requests or base.requests
    labels = [spec.label(request) for spec, request in zip(specs, rendered, strict=False)]
    accounts = sorted(set(base.group_of) & set(head.group_of))
    # Accounts in the same base group and the same head group differ in the same way: compare once.
    by_pair: dict[tuple, list[str]] = defaultdict(list)
    for account in accounts:
        by_pair[(base.group_of[account], head.group_of[account])].append(account)
    changes: dict[tuple[int, str, str, str], list[str]] = defaultdict(list)
    for (base_group, head_group), names in by_pair.items():
        before_all, after_all = base.results[base_group], head.results[head_group]
        for index, (before, after) in enumerate(zip(before_all, after_all, strict=False)):
            if before.decision != after.decision:
                changes[(index, before.decision, after.decision, _cause(before, after))].extend(names)
    out = [DecisionChange(labels[index], ", ".join(specs[index].sources), before, after, cause,
                          tuple(sorted(names)))
           for (index, before, after, cause), names in changes.items()]
    return tuple(sorted(out, key=lambda c: (c.request, c.before, c.after, c.cause, c.accounts)))
