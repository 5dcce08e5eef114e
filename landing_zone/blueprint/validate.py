"""Turns pydantic validation errors into Issues: readable message, received value, allowed values, hint."""
from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.source import SourceMap

_TYPE_WORDS = {"string_type": "a string", "int_type": "a whole number", "int_parsing": "a whole number",
               "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
               "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
               "float_type": "a number"}


def issues_from_validation(exc: ValidationError, data: Any, root: type[BaseModel],
                           smap: SourceMap | None = None) -> list[Issue]:
    by_loc: dict[tuple[Loc, str], Issue] = {}
    for err in exc.errors(include_url=False):
        loc = clean_loc(data, tuple(err["loc"]))
        # For a bad mapping key, the scalar at the location is the value, not the key.
        written = smap.scalars.get(loc) if smap and "[key]" not in err["loc"] else None
        issue = _issue(err, loc, root, written)
        # Unions report once per branch; one issue per place is what people can act on.
        by_loc.setdefault((loc, issue.code), issue)
    return list(by_loc.values())


def clean_loc(data: Any, loc: Loc) -> Loc:
    """Drop pydantic's union-branch and '[key]' markers so the location follows the YAML data."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif isinstance(node, dict) and (isinstance(part, str) or part in node):
            out.append(part)
            node = node.get(part)
        # anything else is a union-branch tag ('str', 'list[str]') that is not in the data
    return tuple(out)


def _issue(err: ErrorDetails, loc: Loc, root: type[BaseModel], written: str | None) -> Issue:
    kind, received = err["type"], err.get("input")
    shown = quote(received)
    if written is not None and written != str(received) and not isinstance(received, str):
        # YAML 1.1 typing surprises: 011 is octal 9, yes is true; show what the user wrote.
        shown = f"{written} (which YAML reads as {quote(received)})"
    ctx = err.get("ctx") or {}
    field_desc = _field_description(root, loc)
    if kind == "extra_forbidden":
        allowed = sorted(_allowed_keys(root, loc[:-1]))
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (f"did you mean {close[0]!r}? " if close else "") + f"allowed keys: {', '.join(allowed)}"
        return Issue("unknown-key", f"unknown key {key!r}", hint=hint, loc=loc)
    if kind == "missing":
        return Issue("missing-key", f"required key {loc[-1]!r} is missing", hint=field_desc, loc=loc)
    if kind in _TYPE_WORDS:
        hint = field_desc
        if kind == "string_type" and isinstance(received, (int, float, bool)):
            hint = "quote it: YAML reads unquoted digits, yes/no and on/off as numbers and booleans"
        return Issue("wrong-type", f"expected {_TYPE_WORDS[kind]}, received {shown} "
                     f"({type(received).__name__})", hint=hint, loc=loc)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        close = difflib.get_close_matches(str(received), options, n=1, cutoff=0.5)
        hint = (f"did you mean {close[0]!r}? " if close else "") + f"allowed: {expected}"
        return Issue("not-allowed", f"{quote(received)} is not allowed", hint=hint, loc=loc)
    if kind == "string_pattern_mismatch":
        return Issue("bad-format", f"{quote(received)} does not match {ctx.get('pattern')}",
                     hint=field_desc, loc=loc)
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
        hint = ("keep exactly one of the two keys; docs/blueprint-reference.md describes both"
                if "exactly one of" in message else field_desc)
        return Issue("invalid-value", message, hint=hint, loc=loc)
    return Issue("invalid-value", f"{err['msg']} (received {quote(received)})", hint=field_desc, loc=loc)


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(root: type[BaseModel], loc: Loc) -> tuple[Any, FieldInfo | None]:
    """The model class (or container type) at a data location, and the field info that led there."""
    current: Any = root
    info: FieldInfo | None = None
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            info = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
            if info is None:
                return None, None
            current = info.annotation
        elif origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict and isinstance(part, str):
            current = typing.get_args(current)[1]
        else:
            return None, None
    return _unwrap(current), info


def _allowed_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    model, _ = _model_at(root, loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return []


def _field_description(root: type[BaseModel], loc: Loc) -> str:
    for end in range(len(loc), 0, -1):
        _, info = _model_at(root, loc[:end])
        if info is not None and info.description:
            return info.description
    return ""
