"""Ids another account's stacks need (a transit gateway, an IPAM pool, a rule group, a Route 53 Profile,
a prefix list), passed by deterministic names: the owning stack writes each id into an SSM parameter
(advanced tier, the tier RAM shares) shared with the consumers, and a consumer's template declares a
parameter of type AWS::SSM::Parameter::Value<String> whose default is that parameter's full ARN.

CloudFormation reads a shared parameter only through a template parameter and only by full ARN
(account and region included), never through a {{resolve:ssm:...}} reference, so the ARN is built
here from the owner's account id, the region and the name: nothing is looked up when synthesizing.
Values of the same account are referenced directly, or across regions with Fn::GetStackOutput on an
output the producing stack always declares (`output_name`): a reference CloudFormation resolves when
deploying, with no export to keep and no custom resource.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landing_zone.blueprint.model.common import Targets
from landing_zone.plan.model import Plan
from landing_zone.plan.names import logical_id, pascal, stack_name
from landing_zone.plan.shared import partition

ValueKind = Literal["transit-gateway", "ipam-pool", "route53-profile", "firewall-rule-group", "prefix-list"]
Ref = tuple[str, str]          # (kind, key): the value a resource uses, resolved by the stack that builds it


def parameter_name(prefix: str, kind: str, key: str) -> str:
    return f"/{prefix}/network/{kind}/{key}"


def parameter_arn(plan: Plan, region: str, account_id: str, name: str) -> str:
    return f"arn:{partition(region)}:ssm:{region}:{account_id}:parameter{name}"


@dataclass(frozen=True)
class Published:
    """An SSM parameter a network stack writes with the id of one of its resources, shared through RAM."""

    kind: str
    key: str
    name: str
    logical_id: str
    targets: Targets            # who reads it: the same targets the resource itself is shared with
    source_stack: str = ""      # a stack of the same account in another region that made the resource


@dataclass(frozen=True)
class Imported:
    """A template parameter reading a shared SSM parameter of another account by its ARN."""

    kind: str
    key: str
    parameter_id: str           # the CloudFormation parameter's logical id
    arn: str
    description: str


def published(plan: Plan, kind: str, key: str, targets: Targets, source_stack: str = "") -> Published:
    # Targets without order or duplicates: the blueprint's order never shows.
    targets = Targets(units=sorted(set(targets.units)), accounts=sorted(set(targets.accounts)))
    return Published(kind=kind, key=key, name=parameter_name(plan.name, kind, key),
                     logical_id=logical_id("SharedId", f"{kind}/{key}"), targets=targets,
                     source_stack=source_stack)


def imported(plan: Plan, kind: str, key: str, owner_id: str, region: str) -> Imported:
    name = parameter_name(plan.name, kind, key)
    return Imported(kind=kind, key=key, parameter_id=logical_id(pascal(kind), key),
                    arn=parameter_arn(plan, region, owner_id, name),
                    description=f"The id of {kind} {key}, shared by account {owner_id} ({name})")


def output_name(kind: str, key: str) -> str:
    """The output under which a network stack gives a value to its account's stacks of other regions."""
    return logical_id("Output", f"{kind}/{key}")


def network_stack_name(plan: Plan, account: str, region: str) -> str:
    """The network stack of an account and region: `<name>-network-<region>` for the network account,
    `<name>-network-<account>-<region>` for the others (named after the account's created name)."""
    member = plan.account(account)
    part = "network" if member.role == "network" else f"network-{member.key}"
    return stack_name(plan.name, part, region)


class StackValues:
    """The values one (account, region) network stack uses that other stacks make: imported shared
    parameters (other accounts), cross-region references (the same account), or nothing (its own)."""

    def __init__(self, plan: Plan, account: str, region: str) -> None:
        self.plan, self.account, self.region = plan, account, region
        self.imports: dict[Ref, Imported] = {}
        self.cross_region: dict[Ref, str] = {}       # value → the same account's stack that makes it
        self.missing: list[str] = []                 # owners without an account id yet
        self.depends: set[str] = set()               # the stacks that publish or make those values

    def use(self, kind: str, key: str, owner: str, owner_region: str) -> Ref:
        ref = (kind, key)
        if owner == self.account:
            if owner_region != self.region:
                self.cross_region[ref] = network_stack_name(self.plan, owner, owner_region)
                self.depends.add(self.cross_region[ref])
            return ref
        owner_id = self.plan.account(owner).id
        if owner_id:
            # A shared parameter lives in the consumer's region (pools: published there by the owner).
            self.imports[ref] = imported(self.plan, kind, key, owner_id, self.region)
            self.depends.add(network_stack_name(self.plan, owner, self.region))
        else:
            self.missing.append(owner)
        return ref
