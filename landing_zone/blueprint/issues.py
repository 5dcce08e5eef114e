"""The one error type users see: an Issue with a code, a blueprint path, file:line and a hint."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One problem found in a blueprint.

    `loc` is the raw location in the YAML data (keys and list indexes); the loader turns it
    into a readable `path` (list items by name) and a `file`/`line` before anyone prints it.
    """

    code: str
    message: str
    hint: str = ""
    loc: Loc = ()
    path: str = ""
    file: str = ""
    line: int | None = None
    severity: Literal["error", "warning"] = "error"
    related: Loc | None = None      # another place the message refers to ("already used ... (line 57)")

    def where(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "<blueprint>"

    def format(self) -> str:
        path = f"{self.path}: " if self.path else ""
        tag = "" if self.severity == "error" else f"{self.severity}: "
        text = f"{self.where()}  {tag}{path}{self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return printable(text)

    def with_source(self, *, path: str, file: str, line: int | None) -> Issue:
        return replace(self, path=path, file=file, line=line)

    def with_message(self, message: str) -> Issue:
        return replace(self, message=message)

    def sort_key(self) -> tuple[bool, str, int, str, str, str]:
        # File order; the note that more issues were left out comes last.
        return (self.code == "too-many-issues", self.file, self.line or 0, self.path, self.code, self.message)


class BlueprintError(Exception):
    """Raised once with every issue found, never with only the first."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = sorted(issues, key=Issue.sort_key)
        super().__init__(len(self.issues))

    def __str__(self) -> str:
        # Formatted when shown, not when raised: a hostile blueprint can have 100,000 issues.
        return format_issues(self.issues)


def format_issues(issues: Iterable[Issue]) -> str:
    """Every issue in file order (file, then line), then the count."""
    issues = sorted(issues, key=Issue.sort_key)
    errors = sum(1 for i in issues if i.severity == "error")
    lines = [i.format() for i in issues]
    lines.append(f"{errors} error(s), {len(issues) - errors} warning(s)")
    return "\n".join(lines)


def printable(text: str) -> str:
    """Control characters and lone surrogates a hostile blueprint put in a value, escaped for the terminal."""
    if text.replace("\n", "").isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)


def quote(value: object) -> str:
    """Show a received value the way users wrote it, shortened when long."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."
