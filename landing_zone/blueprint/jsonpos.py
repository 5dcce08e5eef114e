"""Lines of the values in a JSON text, and of the element a policy problem's pointer names."""
from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from landing_zone.blueprint.issues import Loc

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.S)


def json_lines(text: str) -> dict[Loc, int]:
    """(keys and indexes) → 1-based line of every value of valid JSON; an object member's is its key's.

    Iterative, so a deeply nested document costs no recursion; json.loads has already accepted it.
    """
    lines: dict[Loc, int] = {}
    stack: list[list[Any]] = []           # [loc, is_object, next index, pending key]
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        token, start = match.group(), match.start()
        line += text.count("\n", last, start)
        last = start
        top = stack[-1] if stack else None
        if token in "]}":
            stack.pop()
            continue
        if token in ":,":
            if token == "," and top is not None and not top[1]:
                top[2] += 1
            continue
        if top is not None and top[1] and top[3] is None:      # an object key
            key = json.loads(token)
            top[3] = key
            lines[top[0] + (key,)] = line
            continue
        if top is None:
            loc: Loc = ()
            lines[loc] = line
        elif top[1]:
            loc, top[3] = top[0] + (top[3],), None
        else:
            loc = top[0] + (top[2],)
            lines[loc] = line
        if token in "[{":
            stack.append([loc, token == "{", 0, None])
    return lines


def line_of(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    """The line of a location, or of its closest enclosing value that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def pointer_loc(document: Any, pointer: str) -> Loc:
    """The location a lint pointer such as `Statement[DenyRoot].Action[1]` names in the document.

    Statements are named by Sid or index; keys may contain dots (condition keys), so each step takes
    the longest key the rest of the pointer starts with. Stops at the deepest part that matches.
    """
    loc: Loc = ()
    node, rest = document, pointer
    while rest:
        if rest[0] == "[":
            end = rest.find("]")
            if end < 0:
                break
            label, rest = rest[1:end], rest[end + 1:]
            if isinstance(node, list):
                index = _index(node, label)
                if index is None:
                    break
                loc, node = loc + (index,), node[index]
            elif not isinstance(node, dict):    # a single statement object is named Statement[0]
                break
            continue
        rest = rest[1:] if rest[0] == "." else rest
        if not isinstance(node, dict):
            break
        key = max((k for k in node if isinstance(k, str) and rest.startswith(k)
                   and rest[len(k):len(k) + 1] in ("", ".", "[")), key=len, default=None)
        if key is None:
            break
        loc, node, rest = loc + (key,), node[key], rest[len(key):]
    return loc


def _index(items: list[Any], label: str) -> int | None:
    if label.isdigit() and len(label) < 10 and int(label) < len(items):
        return int(label)
    return next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get("Sid") == label), None)


def json_problem(document: Any) -> tuple[Loc, str] | None:
    """The first place (in document order) of a value JSON cannot hold, and what it is.

    Policy documents written inline in YAML are data YAML typed: `2024-01-01` unquoted is a date,
    `1:` a number key, `!!binary` bytes. AWS takes JSON only, so those are reported, not linted.
    """
    stack: list[tuple[Loc, Any]] = [((), document)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, dict):
            for key in node:
                if not isinstance(key, str):
                    return loc, f"the key {key!r} is {_kind(key)}; JSON keys are strings"
            stack.extend(reversed([(loc + (key,), value) for key, value in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(loc + (i,), value) for i, value in enumerate(node)]))
        elif isinstance(node, float) and not math.isfinite(node):
            return loc, f"{node} is not a number JSON can hold"
        elif not (node is None or isinstance(node, (str, int, float))):
            shown = node.isoformat() if isinstance(node, (datetime.date, datetime.datetime)) else repr(node)
            return loc, f"{shown} is {_kind(node)}, which JSON cannot hold"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date (YAML reads an unquoted date as one)"
    return f"a {type(value).__name__}"
