"""Renders catalog templates (SCP statements, Config rule inputs) with parameters and landing zone context."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jinja2

_WHOLE = re.compile(r"^\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}$")
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def render(node: Any, variables: Mapping[str, Any]) -> Any:
    """Render every string (keys too). A string that is exactly `{{ name }}` takes the value itself,
    so a list parameter becomes a JSON list, not its Python text."""
    if isinstance(node, dict):
        return {render(k, variables): render(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [render(item, variables) for item in node]
    if isinstance(node, str):
        whole = _WHOLE.match(node)
        if whole:
            value = variables[whole.group(1)]
            return list(value) if isinstance(value, (list, tuple)) else value
        if "{{" in node or "{%" in node:
            return _ENV.from_string(node).render(**variables)
    return node
