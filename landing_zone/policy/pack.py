"""Packs SCP statements into as few documents as fit the Organizations size limit, deterministically."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from landing_zone.policy.document import SCP_MAX, minify

VERSION = "2012-10-17"
_EMPTY = len(minify({"Version": VERSION, "Statement": []}))


@dataclass(frozen=True)
class StatementGroup:
    """The statements of one control: kept in one document when they fit."""

    control: str
    statements: tuple[dict[str, Any], ...]

    @property
    def size(self) -> int:
        # Each statement costs its text plus the comma that joins it to the next.
        return sum(len(minify(s)) + 1 for s in self.statements)

    @property
    def text_size(self) -> int:
        """Characters of the statements themselves, the figure people compare with the limit."""
        return self.size - len(self.statements)


@dataclass(frozen=True)
class PackedDocument:
    controls: tuple[str, ...]
    document: dict[str, Any]

    @property
    def size(self) -> int:
        return len(minify(self.document))


class PackingError(ValueError):
    def __init__(self, needed: int, available: int, groups: Sequence[StatementGroup]):
        self.needed, self.available, self.groups = needed, available, list(groups)
        sizes = ", ".join(f"{g.control} ({g.text_size})" for g in sorted(groups, key=lambda g: (-g.size, g.control)))
        super().__init__(f"needs {needed} SCP document(s) of at most {SCP_MAX} characters but only "
                         f"{available} can be attached; controls and sizes: {sizes}")


def pack(groups: Sequence[StatementGroup], *, available: int, limit: int = SCP_MAX) -> list[PackedDocument]:
    """First-fit decreasing over control groups, in an order that depends only on their content.

    The result never depends on the input order, and packing one target never looks at another,
    so enabling a control on one OU changes no other target's documents.
    """
    budget = limit - _EMPTY + 1   # the last statement needs no trailing comma
    units: list[StatementGroup] = []
    for group in sorted(groups, key=lambda g: g.control):
        if group.size <= budget:
            units.append(group)
        else:   # a control too big for one document is split by statement
            units += [StatementGroup(group.control, (s,)) for s in group.statements]
    for unit in units:
        if unit.size > budget:
            raise PackingError(len(units), available, [unit])
    bins: list[list[StatementGroup]] = []
    for unit in sorted(units, key=lambda g: (-g.size, g.control, minify(g.statements))):
        for bin_ in bins:
            if sum(u.size for u in bin_) + unit.size <= budget:
                bin_.append(unit)
                break
        else:
            bins.append([unit])
    if len(bins) > available:
        raise PackingError(len(bins), available, groups)
    documents = []
    for bin_ in bins:
        ordered = sorted(bin_, key=lambda g: (g.control, minify(g.statements)))
        statements = [s for g in ordered for s in g.statements]
        documents.append(PackedDocument(tuple(dict.fromkeys(g.control for g in ordered)),
                                        {"Version": VERSION, "Statement": statements}))
    return sorted(documents, key=lambda d: (d.controls, minify(d.document)))
