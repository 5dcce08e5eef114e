"""The registry of Issue codes: each declared once in codes.yaml with its severity, summary and anchor."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REGISTRY = Path(__file__).with_name("codes.yaml")
SEVERITIES = ("error", "warning", "error or warning")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
BEGIN = "<!-- BEGIN ISSUE CODES -->"
END = "<!-- END ISSUE CODES -->"
ANCHOR = "issue-codes"
# The page that holds the table (between BEGIN and END), and the command that regenerates it.
FILE = "docs/issue-codes.md"
COMMAND = f"python -m landing_zone.blueprint.reference --write {FILE}"
ENTRY_KEYS = {"code", "severity", "summary"}
FAMILY_KEYS = {"prefix", "of", "severity", "summary"}
AREA_KEYS = {"area", "title", "intro", "codes", "families"}


@dataclass(frozen=True)
class Code:
    """One Issue code: what it means, and where its documentation lives."""

    code: str
    severity: str
    summary: str
    area: str

    @property
    def anchor(self) -> str:
        return f"issue-{self.code}"


@dataclass(frozen=True)
class Family:
    """Codes made by prefixing every code of another area (guardrail-unknown-action)."""

    prefix: str
    of: str           # the area whose codes follow the prefix
    severity: str
    summary: str
    area: str

    @property
    def anchor(self) -> str:
        return f"issue-{self.prefix}{self.of}"

    @property
    def pattern(self) -> str:
        return f"{self.prefix}<{self.of} code>"


@dataclass(frozen=True)
class Area:
    name: str
    title: str
    intro: str
    codes: tuple[Code, ...]
    families: tuple[Family, ...]

    @property
    def anchor(self) -> str:
        return f"issues-{self.name}"


class RegistryError(ValueError):
    """codes.yaml is malformed: a programming error, reported with the entry at fault."""


@lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    """Every area of codes.yaml in file order, validated."""
    return parse(yaml.safe_load(REGISTRY.read_text(encoding="utf-8")))


def parse(data: Any) -> tuple[Area, ...]:
    """The registry from its YAML data; RegistryError names the first entry at fault."""
    if not isinstance(data, list):
        raise RegistryError(f"{REGISTRY.name} must be a list of areas")
    out: list[Area] = []
    for raw in data:
        if not isinstance(raw, dict) or not {"area", "title", "codes"} <= set(raw) <= AREA_KEYS:
            raise RegistryError(f"{REGISTRY.name}: an area needs area, title and codes (and may have intro, "
                                f"families): {raw!r}")
        name = raw["area"]
        codes = tuple(_code(entry, name) for entry in raw["codes"] or ())
        families = tuple(_family(entry, name) for entry in raw.get("families") or ())
        out.append(Area(name, raw["title"], " ".join(str(raw.get("intro", "")).split()), codes, families))
    _check_unique(out)
    return tuple(out)


def registered() -> dict[str, Code]:
    """Every declared code by name (family-made codes are not listed; see lookup)."""
    return {c.code: c for area in areas() for c in area.codes}


def families() -> tuple[Family, ...]:
    return tuple(f for area in areas() for f in area.families)


def lookup(code: str) -> Code | Family | None:
    """The declaration of a code an Issue carries: its own entry, or the family that makes it."""
    found = registered().get(code)
    if found is not None:
        return found
    by_area = {a.name: {c.code for c in a.codes} for a in areas()}
    for family in families():
        if code.startswith(family.prefix) and code[len(family.prefix):] in by_area[family.of]:
            return family
    return None


def codes_markdown() -> str:
    """The table of codes of docs/issue-codes.md, one table per area, each code with its anchor."""
    out = [f'<a id="{ANCHOR}"></a>', "",
           f"<!-- Generated from landing_zone/blueprint/codes.yaml by `{COMMAND}`; do not edit by hand. -->", "",
           "Every code an issue can carry, from loading to building the plan. An error fails `lz validate` "
           "and the synthesis; a warning is printed and does not fail. Each code's row has the anchor "
           "`#issue-<code>`.", ""]
    for area in areas():
        out += [f'<a id="{area.anchor}"></a>', "", f"### {area.title}", ""]
        if area.intro:
            out += [area.intro, ""]
        out += ["| Code | Severity | Summary |", "|---|---|---|"]
        for code in area.codes:
            out.append(f'| <a id="{code.anchor}"></a>`{code.code}` | {code.severity} | {_cell(code.summary)} |')
        for family in area.families:
            of = next(a for a in areas() if a.name == family.of)
            summary = f"{family.summary} See [{of.title}](#{of.anchor})."
            out.append(f'| <a id="{family.anchor}"></a>`{family.pattern}` | {family.severity} | '
                       f"{_cell(summary)} |")
        out.append("")
    return "\n".join(out)


def _code(entry: Any, area: str) -> Code:
    _keys(entry, ENTRY_KEYS, area)
    code = Code(entry["code"], entry["severity"], entry["summary"], area)
    if not isinstance(code.code, str) or not CODE_PATTERN.match(code.code):
        raise RegistryError(f"{REGISTRY.name}: {code.code!r} is not a code (lowercase words joined by '-')")
    _severity_and_summary(code.code, code.severity, code.summary)
    return code


def _family(entry: Any, area: str) -> Family:
    _keys(entry, FAMILY_KEYS, area)
    family = Family(entry["prefix"], entry["of"], entry["severity"], entry["summary"], area)
    if not isinstance(family.prefix, str) or not re.fullmatch(r"[a-z][a-z0-9-]*-", family.prefix):
        raise RegistryError(f"{REGISTRY.name}: family prefix {family.prefix!r} must be lowercase and end "
                            "with '-'")
    _severity_and_summary(family.prefix, family.severity, family.summary)
    return family


def _keys(entry: Any, keys: set[str], area: str) -> None:
    if not isinstance(entry, dict) or set(entry) != keys:
        raise RegistryError(f"{REGISTRY.name}, area {area}: an entry has exactly the keys "
                            f"{', '.join(sorted(keys))}: {entry!r}")


def _severity_and_summary(name: str, severity: Any, summary: Any) -> None:
    if severity not in SEVERITIES:
        raise RegistryError(f"{REGISTRY.name}: {name}: severity {severity!r} is not one of {SEVERITIES}")
    if not isinstance(summary, str) or not summary.strip() or "\n" in summary.strip():
        raise RegistryError(f"{REGISTRY.name}: {name}: the summary must be one line of text")


def _check_unique(areas_: list[Area]) -> None:
    names = [a.name for a in areas_]
    codes = [c.code for a in areas_ for c in a.codes]
    for what, items in (("area", names), ("code", codes)):
        twice = sorted({i for i in items if items.count(i) > 1})
        if twice:
            raise RegistryError(f"{REGISTRY.name}: {what}s declared twice: {', '.join(twice)}")
    by_area = {a.name: a for a in areas_}
    for family in (f for a in areas_ for f in a.families):
        if family.of not in by_area:
            raise RegistryError(f"{REGISTRY.name}: family {family.prefix} names no area {family.of!r}")
        clash = sorted(family.prefix + c.code for c in by_area[family.of].codes
                       if family.prefix + c.code in codes)
        if clash:
            raise RegistryError(f"{REGISTRY.name}: family {family.prefix} makes codes that are also declared "
                                f"on their own: {', '.join(clash)}")


def _cell(text: str) -> str:
    """One table cell: a bare '|' would end it, and '<x>' outside code would be read as HTML."""
    parts = " ".join(text.split()).replace("|", "\\|").split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;").replace(">", "&gt;") for i, p in enumerate(parts))
