"""Plan objects: resolved, frozen inputs for the CDK constructs (no defaults or lookups left)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from landing_zone.blueprint.regions import partition

if TYPE_CHECKING:
    from landing_zone.plan.policies import PolicyPlan
    from landing_zone.plan.stacksets import StackSetPlan

Tags = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UnitPlan:
    path: str
    name: str
    parent: str | None          # parent OU path; None under the root
    id: str | None
    tags: Tags
    logical_id: str
    created_as: str | None = None   # the path it was created under, when it or an OU above was renamed
    stack: str = ""                 # the organization stack that holds it (plan/build.py _unit_stacks)

    @property
    def key(self) -> str:
        """The path it was created under: its logical id and its stack derive from it."""
        return self.created_as or self.path


@dataclass(frozen=True)
class AccountPlan:
    name: str
    email: str
    unit: str                   # OU path or "Root"
    id: str | None
    role: str | None
    tags: Tags
    stack: str                  # name of the management-account stack that owns the resource
    logical_id: str
    after: str | None           # logical id this account's creation waits for (its shard's chain)
    created_as: str | None = None   # `renamed_from`: the name it was created under

    @property
    def key(self) -> str:
        """The name it was created under: what its logical id and the stacks named after it derive
        from, so a rename replaces nothing."""
        return self.created_as or self.name

    @property
    def account_name(self) -> str:
        """AccountName in the template. CloudFormation's update handler refuses any change to it (the
        stack update fails), so a renamed account keeps the name it was created under; the name in
        AWS changes with `aws account put-account-name`."""
        return self.key


@dataclass(frozen=True)
class UnitsPayload:
    """The organization stack: every OU, parents before children."""

    units: tuple[UnitPlan, ...]


@dataclass(frozen=True)
class AccountsPayload:
    """One shard of member accounts, each after the one it waits for."""

    accounts: tuple[AccountPlan, ...]


@dataclass(frozen=True)
class StackPlan:
    name: str
    component: str              # organization | accounts | ...
    account_id: str
    region: str
    description: str
    resources: int              # resources it will hold, for the 450 budget
    depends_on: tuple[str, ...] = ()     # stacks whose objects or exports this one uses
    payload: Any = field(default=None, compare=True)   # the component's resolved objects for this stack
    # Stacks of the previous deploy phase (plan/phases.py): deployed before this one, nothing shared.
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pending:
    """Something the blueprint asks for that cannot be synthesized until an id is known."""

    subject: str
    reason: str


@dataclass(frozen=True)
class Phase:
    """One step of the deploy: stacks deployed together (in parallel up to `concurrency`), or an
    action that is not a stack deploy (`sync`: record new ids, then synthesize again)."""

    name: str                   # organization | accounts | sync | bootstrap | keys | ...
    title: str
    action: str                 # deploy | sync
    stacks: tuple[str, ...] = ()
    concurrency: int = 1        # stacks of this phase deployed at once


@dataclass(frozen=True)
class Plan:
    name: str
    home_region: str
    governed_regions: tuple[str, ...]
    organization_id: str
    root_id: str
    management_account_id: str
    tags: Tags
    units: tuple[UnitPlan, ...]
    accounts: tuple[AccountPlan, ...]
    stacks: tuple[StackPlan, ...]
    pending: tuple[Pending, ...] = field(default=())
    policies: tuple[PolicyPlan, ...] = field(default=())
    stacksets: tuple[StackSetPlan, ...] = field(default=())
    policy_types: tuple[str, ...] = field(default=())      # Organizations policy types to enable
    rules_bucket: str = ""                                  # Guard rules for the proactive hooks
    phases: tuple[Phase, ...] = field(default=())           # deploy order (plan/phases.py)
    qualifier: str = "lzdeploy"                             # CDK bootstrap qualifier (deploy.qualifier)

    @property
    def partition(self) -> str:
        """The AWS partition of the landing zone's regions (aws, aws-us-gov)."""
        return partition(self.home_region)

    # Lookups by name, indexed on first use (thousands of accounts are looked up thousands of times);
    # the indexes live beside the fields, so equality, repr and hashing see only the plan itself.
    @cached_property
    def _index(self) -> tuple[dict[str, UnitPlan], dict[str, StackPlan], dict[str, AccountPlan]]:
        return ({u.path: u for u in self.units}, {s.name: s for s in self.stacks},
                {a.name: a for a in self.accounts})

    def unit(self, path: str) -> UnitPlan:
        return self._index[0][path]

    def stack(self, name: str) -> StackPlan:
        return self._index[1][name]

    def account(self, name: str) -> AccountPlan:
        return self._index[2][name]

    def phase_of(self, stack: str) -> Phase | None:
        return next((p for p in self.phases if stack in p.stacks), None)

    def accounts_in(self, stack: str) -> tuple[AccountPlan, ...]:
        return tuple(a for a in self.accounts if a.stack == stack)

    def created(self, target_key: str) -> str:
        """A target key (an OU path, Root, or 'account:NAME') under the names it was created with:
        what logical ids derive from, so renaming an OU or account replaces nothing."""
        if target_key.startswith("account:"):
            name = target_key.removeprefix("account:")
            return "account:" + next((a.key for a in self.accounts if a.name == name), name)
        return next((u.created_as for u in self.units if u.path == target_key and u.created_as), target_key)
