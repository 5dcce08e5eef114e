"""Accounts that share one chain of SCPs and RCPs share their answers: the deploy proofs and the
exemption checks evaluate a request once per distinct chain, not once per account."""
from __future__ import annotations

import json
from typing import Any

from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.policy.evaluate import Decision, PolicyRef, Request, evaluate

SCP, RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"
ALLOWED = Decision("allow", reason="no Deny statement of the account's SCPs or RCPs names the action")


class AccountChains:
    """The SCP and RCP levels of each account, and decisions shared by accounts with equal chains."""

    def __init__(self, deployed: DeployedPolicies) -> None:
        self.deployed = deployed
        self._levels: dict[str, tuple[list[list[PolicyRef]], list[list[PolicyRef]]]] = {}
        self._keys: dict[str, tuple] = {}
        self._decisions: dict[tuple, Any] = {}
        self._deny_statements: dict[tuple, list] = {}
        self._texts: dict[str, str] = {}
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

    def representatives(self, accounts: list[tuple[str, str]]) -> list[str]:
        """One account name per group of `(name, id)` accounts whose answers are the same: the same
        chain of policies, none of which names the account's id (an account a policy names, by id in a
        condition or ARN, is evaluated on its own)."""
        groups: dict[tuple, str] = {}
        for name, account_id in sorted(accounts):
            self._of(name)
            named = any(account_id in self._text(p) for chain in self._levels[name] for level in chain
                        for p in level)
            groups.setdefault((self._keys[name], name if named else ""), name)
        return sorted(groups.values())

    def _text(self, policy: PolicyRef) -> str:
        if policy.name not in self._texts:
            self._texts[policy.name] = json.dumps(policy.document)
        return self._texts[policy.name]
