"""What `lz diff` found: resource, stack, guardrail, decision and blueprint changes, and the risks among them."""
from __future__ import annotations

from dataclasses import dataclass

# Severities of a risk. A data-loss risk fails `lz diff` (exit 2) unless --allow-data-loss; a warning
# is shown first but never fails: the deploy leaves something behind, it destroys nothing.
DATA_LOSS = "data-loss"
WARNING = "warning"


@dataclass(frozen=True)
class ResourceChange:
    stack: str
    logical_id: str
    resource_type: str
    kind: str                           # added | removed | modified | replaced
    properties: tuple[str, ...] = ()    # top-level properties that changed (modified, replaced)
    attributes: tuple[str, ...] = ()    # resource attributes that changed (DependsOn, DeletionPolicy, ...)
    replacing: tuple[str, ...] = ()     # the changed properties that force the replacement
    retained: bool = False              # removed/replaced resource kept by its Deletion/UpdateReplacePolicy


@dataclass(frozen=True)
class Risk:
    severity: str                       # DATA_LOSS | WARNING
    kind: str                           # e.g. account-renamed, stateful-replaced, retained-replaced
    stack: str
    subject: str                        # a logical id, or the stack name for stack-level risks
    resource_type: str
    message: str


@dataclass(frozen=True)
class StackDiff:
    name: str
    status: str                         # added | removed | changed | moved
    base_environment: str | None        # aws://ACCOUNT/REGION from manifest.json
    head_environment: str | None
    resources: tuple[ResourceChange, ...] = ()
    outputs: tuple[tuple[str, str], ...] = ()     # (output name, added | removed | modified)
    sections: tuple[str, ...] = ()                # other template sections that changed (Parameters, ...)


@dataclass(frozen=True)
class StatementChange:
    policy_type: str                    # SCP | RCP
    target: str                         # Root, an OU path, or "account NAME"
    sid: str
    kind: str                           # added | removed | changed
    control: str                        # catalog control id, or "" for the blueprint's own policies
    policy: str                         # the policy holding the statement (head side; base side if removed)
    details: tuple[str, ...] = ()       # changed: which element changed and how


@dataclass(frozen=True)
class DecisionChange:
    request: str                        # readable request, e.g. ec2:RunInstances@ap-south-1
    source: str                         # the controls whose proofs ask it, or "--actions"
    before: str                         # allow | explicit-deny | implicit-deny
    after: str
    cause: str                          # the statement (Sid, control) that now denies or no longer does
    accounts: tuple[str, ...]


@dataclass(frozen=True)
class ControlChange:
    control: str
    added: tuple[str, ...] = ()         # targets (Root, OU paths, "account NAME") it now attaches to
    removed: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()    # targets where it stays but with other parameters


@dataclass(frozen=True)
class Summary:
    """Blueprint-level changes, from the two plans (not from the templates)."""

    accounts_added: tuple[tuple[str, str], ...] = ()             # (name, OU path)
    accounts_removed: tuple[tuple[str, str], ...] = ()
    accounts_moved: tuple[tuple[str, str, str], ...] = ()        # (name, from OU, to OU)
    accounts_renamed: tuple[tuple[str, str], ...] = ()           # (old name, new name): same email
    units_added: tuple[str, ...] = ()
    units_removed: tuple[str, ...] = ()
    controls: tuple[ControlChange, ...] = ()
    controls_known: bool = True         # False with --base-out: no base blueprint to resolve controls from

    @property
    def empty(self) -> bool:
        return not (self.accounts_added or self.accounts_removed or self.accounts_moved
                    or self.accounts_renamed or self.units_added or self.units_removed or self.controls)


@dataclass(frozen=True)
class Diff:
    base: str                           # what was compared: "origin/main", or the --base-out folder
    head: str                           # "working tree"
    base_note: str                      # how the base was made (old blueprint, current generator)
    summary: Summary
    stacks: tuple[StackDiff, ...]
    risks: tuple[Risk, ...]
    guardrails: tuple[StatementChange, ...]
    decisions: tuple[DecisionChange, ...]
    requests: int = 0                   # distinct requests evaluated per account for the decision delta

    @property
    def data_loss(self) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.severity == DATA_LOSS)

    @property
    def empty(self) -> bool:
        return not (self.stacks or self.risks or self.guardrails or self.decisions or not self.summary.empty)

    def headline(self) -> list[str]:
        """The summary line's parts, shared by every format."""
        loss, warnings = len(self.data_loss), len(self.risks) - len(self.data_loss)
        counts = self.resource_counts()
        stacks = {s: sum(1 for d in self.stacks if d.status == s) for s in ("added", "removed", "changed", "moved")}
        return [
            f"{loss} data-loss risk{'s' if loss != 1 else ''}", f"{warnings} warning{'s' if warnings != 1 else ''}",
            "stacks: " + (", ".join(f"{n} {s}" for s, n in stacks.items() if n) or "no change"),
            "resources: " + (", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no change"),
            f"guardrail statements: {len(self.guardrails)} changed",
            f"decisions: {sum(len(d.accounts) for d in self.decisions)} (account, request) changed",
        ]

    def resource_counts(self) -> dict[str, int]:
        counts = {"added": 0, "modified": 0, "replaced": 0, "removed": 0}
        for stack in self.stacks:
            for change in stack.resources:
                counts[change.kind] += 1
        return counts
