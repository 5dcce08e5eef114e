"""Generates the "Blueprint reference" (docs/blueprint-reference.md, from the pydantic models) and the table
of Issue codes (docs/issue-codes.md, from codes.yaml), each between its markers in its page."""
from __future__ import annotations

import argparse
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

import annotated_types
from pydantic import BaseModel, StringConstraints
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from landing_zone.blueprint import codes
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ACCOUNT_ID_PATTERN, OU_ID_PATTERN, REGION_PATTERN

BEGIN = "<!-- BEGIN BLUEPRINT REFERENCE -->"
END = "<!-- END BLUEPRINT REFERENCE -->"
FILE = "docs/blueprint-reference.md"
COMMAND = f"python -m landing_zone.blueprint.reference --write {FILE}"
ROOT_TITLE = "Top level"

# Patterns shared by many fields read better by name than as a regular expression.
NAMED_PATTERNS = {
    REGION_PATTERN: "region code, e.g. us-east-1",
    ACCOUNT_ID_PATTERN: "12-digit account id",
    OU_ID_PATTERN: "OU id, ou-...",
}
SCALARS = {str: "string", int: "integer", bool: "boolean", float: "number"}


@dataclass
class Section:
    """One model of the blueprint: where it first appears, and every other place it is used."""

    model: type[BaseModel]
    path: str
    anchor: str
    also: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"`{self.path}`" if self.path else ROOT_TITLE


def field_key(name: str, info: FieldInfo) -> str:
    """The key users write in YAML: the alias when there is one (`lambda`), else the field name."""
    return info.alias or name


def sections(root: type[BaseModel] = Blueprint) -> list[Section]:
    """Every model reachable from `root`, depth first in field definition order, each once.

    A model reached again (a shared shape like Targets, or a recursive one like Unit) gets no
    second section: the extra paths are listed under its first one, so recursion ends.
    """
    found: dict[type[BaseModel], Section] = {}
    order: list[Section] = []
    anchors: set[str] = set()

    def visit(model: type[BaseModel], path: str) -> None:
        if model in found:
            found[model].also.append(path)
            return
        section = Section(model, path, _anchor(path, anchors))
        found[model] = section
        order.append(section)
        for name, info in model.model_fields.items():
            key = field_key(name, info)
            for suffix, child in _nested_models(info.annotation):
                visit(child, f"{path}.{key}{suffix}" if path else f"{key}{suffix}")

    visit(root, "")
    return order


def reference_markdown(root: type[BaseModel] = Blueprint) -> str:
    """The reference: one heading, docstring and field table per model, deterministic."""
    all_sections = sections(root)
    anchors = {s.model: s.anchor for s in all_sections}
    out = [f"<!-- Generated from landing_zone/blueprint/model by `{COMMAND}`; do not edit by hand. -->",
           "",
           "Every object of a blueprint, starting at the top of the file. `[]` marks a list item, "
           "`.<name>` a mapping value; unknown keys are errors.",
           ""]
    for section in all_sections:
        out.append(f'<a id="{section.anchor}"></a>')
        out.append("")
        out.append(f"### {section.title}")
        out.append("")
        doc = _docstring(section.model)
        if doc:
            out.append(_text(doc))
            out.append("")
        if section.also:
            used = ", ".join(f"`{p}`" for p in section.also)
            out.append(f"Also used at: {used}.")
            out.append("")
        out.append("| Key | Type | Required / default | Description |")
        out.append("|---|---|---|---|")
        for name, info in section.model.model_fields.items():
            cells = (f"`{field_key(name, info)}`", type_text(info.annotation, info.metadata, anchors),
                     default_text(info), _text(info.description or ""))
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def type_text(annotation: Any, metadata: list[Any] | None = None,
              anchors: dict[type[BaseModel], str] | None = None) -> str:
    """A human readable type: `string`, `list of string`, `native` | `control-tower`, a model link."""
    anchors = anchors or {}
    annotation, extra = _unwrap(annotation)
    constraints = list(metadata or []) + extra
    origin = get_origin(annotation)
    if origin is Literal:
        return " | ".join(f"`{v}`" for v in get_args(annotation))
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        texts = [type_text(a, constraints if len(options) == 1 else None, anchors) for a in options]
        return " or ".join(texts)
    if origin is list:
        (item,) = get_args(annotation)
        return "list of " + type_text(item, None, anchors)
    if origin is dict:
        key, value = get_args(annotation)
        if value is Any:
            return "mapping"
        return f"mapping of {type_text(key, None, anchors)} to {type_text(value, None, anchors)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        target = anchors.get(annotation)
        return f"[{annotation.__name__}](#{target})" if target else annotation.__name__
    if annotation is Any:
        return "any"
    base = SCALARS.get(annotation, getattr(annotation, "__name__", str(annotation)))
    notes = _constraint_notes(constraints)
    return f"{base} ({', '.join(notes)})" if notes else base


def default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.get_default(call_default_factory=True)     # the models' factories take no data
        if isinstance(value, BaseModel):
            return "`{}` (defaults of its fields)"
        return f"`{_yaml_value(value)}`"
    if info.default is None or info.default is PydanticUndefined:
        return "optional"
    return f"`{_yaml_value(info.default)}`"


def replace_block(text: str, block: str, begin: str = BEGIN, end: str = END) -> str:
    """`text` with everything between the markers replaced by `block`."""
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < 0 or stop < start:
        raise ValueError(f"the markers {begin} and {end} are missing or out of order")
    return text[: start + len(begin)] + "\n\n" + block.rstrip("\n") + "\n\n" + text[stop:]


def blocks() -> list[tuple[str, str, str]]:
    """(begin marker, end marker, generated text) of every block this module keeps up to date."""
    return [(BEGIN, END, reference_markdown()), (codes.BEGIN, codes.END, codes.codes_markdown())]


def update(text: str) -> str:
    """`text` with every generated block it holds brought up to date; ValueError if it holds none.

    Each block stands alone between its markers, so either can move to another file.
    """
    present = [b for b in blocks() if b[0] in text or b[1] in text]
    if not present:
        raise ValueError("the markers " + ", ".join(f"{b} ... {e}" for b, e, _ in blocks()) + " are missing")
    for begin, end, block in present:
        text = replace_block(text, block, begin, end)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m landing_zone.blueprint.reference",
                                     description="Print the blueprint reference and the table of issue "
                                                 "codes, or keep the generated blocks (between their markers) "
                                                 f"of files up to date: {FILE}, {codes.FILE}.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="FILE", nargs="+", help="replace the generated blocks in each FILE")
    group.add_argument("--check", metavar="FILE", nargs="+", help="exit 1 if a generated block in a FILE is stale")
    args = parser.parse_args(argv)
    if not args.write and not args.check:
        sys.stdout.write("\n".join(block for _, _, block in blocks()))
        return 0
    return max(_write_or_check(Path(name), check=bool(args.check)) for name in args.write or args.check)


def _write_or_check(path: Path, *, check: bool) -> int:
    try:
        text = path.read_text(encoding="utf-8")
        updated = update(text)
    except (OSError, ValueError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if check:
        if updated != text:
            print(f"{path}: the generated reference is stale; run "
                  f"`python -m landing_zone.blueprint.reference --write {path}`", file=sys.stderr)
            return 1
        print(f"{path}: the generated reference is up to date")
        return 0
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: generated reference updated")
    else:
        print(f"{path}: generated reference already up to date")
    return 0


def _nested_models(annotation: Any, suffix: str = "") -> list[tuple[str, type[BaseModel]]]:
    """Models inside a field's type, with the YAML path suffix that reaches them."""
    annotation, _ = _unwrap(annotation)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return [m for a in get_args(annotation) for m in _nested_models(a, suffix)]
    if origin is list:
        return _nested_models(get_args(annotation)[0], suffix + "[]")
    if origin is dict:
        return _nested_models(get_args(annotation)[1], suffix + ".<name>")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(suffix, annotation)]
    return []


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Annotated[T, constraints...] → (T, constraints)."""
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return base, list(extra)
    return annotation, []


def _constraint_notes(constraints: list[Any]) -> list[str]:
    notes: list[str] = []
    low = high = None
    for c in constraints:
        if isinstance(c, StringConstraints):
            if c.pattern:
                named = NAMED_PATTERNS.get(c.pattern) if isinstance(c.pattern, str) else None
                notes.append(named or f"matching `{c.pattern}`")
            if c.min_length is not None and c.max_length is not None:
                notes.append(f"{c.min_length}-{c.max_length} characters")
            elif c.max_length is not None:
                notes.append(f"at most {c.max_length} characters")
            elif c.min_length is not None:
                notes.append(f"at least {c.min_length} characters")
        # annotated_types types a bound as anything comparable; a field's bounds here are numbers.
        elif isinstance(c, (annotated_types.Ge, annotated_types.Gt)):
            low = c.ge if isinstance(c, annotated_types.Ge) else cast(float, c.gt) + 1
        elif isinstance(c, (annotated_types.Le, annotated_types.Lt)):
            high = c.le if isinstance(c, annotated_types.Le) else cast(float, c.lt) - 1
    if low is not None and high is not None:
        notes.append(f"{low}-{high}")
    elif low is not None:
        notes.append(f"at least {low}")
    elif high is not None:
        notes.append(f"at most {high}")
    return notes


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _docstring(model: type[BaseModel]) -> str:
    doc = model.__doc__ or ""
    return " ".join(doc.split())


def _text(text: str) -> str:
    """Prose from the models: '<blueprint>' outside code spans would be read as an HTML tag."""
    parts = text.split("`")
    return "`".join(p if i % 2 else p.replace("<", "&lt;").replace(">", "&gt;")
                    for i, p in enumerate(parts))


def _anchor(path: str, taken: set[str]) -> str:
    base = "bp-" + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "top-level")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _cell(text: str) -> str:
    """Table cells are one line; a bare '|' would end the cell (GFM unescapes '\\|', even in code)."""
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":
    sys.exit(main())
