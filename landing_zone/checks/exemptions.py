"""Exemption safety: every principal a synthesized SCP exempts is protected from change, from being
passed, and from being assumed, by anyone who is not exempt himself.

An exemption (`ArnNotLike aws:PrincipalArn [...]` in a Deny) is only as strong as the principal it
names: a developer who could create a role matching the pattern, rewrite its trust or policies,
pass it to a service, or assume it, would inherit the exemption.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from landing_zone.checks.chains import AccountChains
from landing_zone.explain.deployed import DeployedPolicies
from landing_zone.plan import Plan
from landing_zone.policy.evaluate import Request, evaluate

# The operators that exempt principals when used on aws:PrincipalArn in a Deny statement.
EXEMPTING = {"arnnotlike", "arnnotequals", "stringnotlike", "stringnotequals",
             "arnnotlikeifexists", "stringnotlikeifexists"}
# A principal none of the guardrails exempts, asking to take over an exempt one.
ATTACKER = "arn:{partition}:iam::{account}:role/Developer"
ROLE_TAKEOVER = ("iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy",
                 "iam:PassRole", "sts:AssumeRole")
USER_TAKEOVER = ("iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:PutUserPolicy",
                 "iam:AttachUserPolicy")


@dataclass(frozen=True)
class ExemptionFinding:
    pattern: str
    account: str
    action: str
    policies: tuple[str, ...]      # the policies whose statements exempt the pattern

    def format(self) -> str:
        return (f"exempt principal {self.pattern} (exempted by {', '.join(self.policies)}) is not protected in "
                f"account {self.account}: a non-exempt principal is allowed {self.action} on it")


def exempt_patterns(deployed: DeployedPolicies) -> dict[str, set[str]]:
    """pattern → names of the SCPs that exempt it."""
    found: dict[str, set[str]] = {}
    for by_key in deployed.attached.get("SERVICE_CONTROL_POLICY", {}).values():
        for policy in by_key:
            statements = policy.document.get("Statement", [])
            for statement in statements if isinstance(statements, list) else [statements]:
                if statement.get("Effect") != "Deny":
                    continue
                for operator, entries in (statement.get("Condition") or {}).items():
                    if operator.lower() not in EXEMPTING:
                        continue
                    for key, values in entries.items():
                        if key.lower() == "aws:principalarn":
                            for value in values if isinstance(values, list) else [values]:
                                found.setdefault(value, set()).add(policy.name)
    return found


def concrete(pattern: str, account: str) -> str:
    """A principal ARN that matches the pattern, in the account (wildcards filled with letters)."""
    parts = pattern.split(":", 5)
    if len(parts) == 6 and parts[4] in ("*", "?" * 12, ""):
        parts[4] = account
    return re.sub(r"[*?]", "x", ":".join(parts))


def unprotected(plan: Plan, deployed: DeployedPolicies) -> Iterator[ExemptionFinding]:
    """Checked in one account per distinct chain of policies (an account a policy names by id, as an
    exemption of that account's principals does, is its own chain)."""
    patterns = exempt_patterns(deployed)
    chains = AccountChains(deployed)
    for name in chains.representatives([(a.name, a.id) for a in plan.accounts if a.id]):
        account = plan.account(name)
        scps = deployed.levels(account.name)
        rcps = deployed.levels(account.name, "RESOURCE_CONTROL_POLICY")
        attacker = ATTACKER.format(partition=plan.partition, account=account.id)
        for pattern, policies in sorted(patterns.items()):
            target = concrete(pattern, account.id)
            owner = target.split(":")[4]
            if owner not in (account.id, ""):
                continue   # a principal of another (or the management) account: its SCPs, not these
            takeover = USER_TAKEOVER if ":user/" in target else ROLE_TAKEOVER
            for action in takeover:
                request = Request(action=action, resource=target, principal=attacker, region=plan.home_region)
                if evaluate(request, scps=scps, rcps=rcps).decision != "explicit-deny":
                    yield ExemptionFinding(pattern, account.name, action, tuple(sorted(policies)))
