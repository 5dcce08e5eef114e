"""Renders a Report into one self-contained HTML page: Jinja2 with autoescape, CSS and JS inline."""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from landing_zone.report.build import Report
from landing_zone.report.guardrails import SIZE_LIMIT, SLOT_LIMIT, STATES

TEMPLATES = Path(__file__).with_name("templates")
# Control levels and behaviours in the order the matrix filters list them.
LEVELS = ("mandatory", "strongly-recommended", "elective")
BEHAVIORS = ("preventive", "detective", "proactive")
KIND_TITLES = {"subnet": "Subnets", "prefix-list": "Prefix lists", "resolver-rule": "Resolver rules",
               "transit-gateway": "Transit gateways"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_report(report: Report) -> str:
    """The page. Its Content-Security-Policy allows nothing but its own inline style and script (by
    hash): it cannot load anything from anywhere, and an injected script would not run."""
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    # The style and script are our own files, not user values: they go in verbatim.
    return _environment().get_template("report.html.j2").render(
        r=report, css=Markup(css), js=Markup(js), csp=csp, states=STATES, levels=LEVELS,
        behaviors=BEHAVIORS, kind_titles=KIND_TITLES, slot_limit=SLOT_LIMIT, size_limit=SIZE_LIMIT)
