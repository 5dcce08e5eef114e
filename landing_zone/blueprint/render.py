"""Jinja2 rendering of blueprints and fragments, remembering which file and line each output line came from."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2

from landing_zone.blueprint.issues import Issue

# Every source line gets an invisible trailing marker naming its file and line; Jinja2 carries
# it into the output (also through loops and includes) and we strip it before YAML sees the text.
_MARK = " #\u2063lz:{file}:{line}"
_MARK_RE = re.compile(" #\u2063lz:(\\d+):(\\d+)")
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_TOKENS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")

Origin = tuple[str, int]


class RenderIssue(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format())


@dataclass(frozen=True)
class Rendered:
    text: str
    origins: tuple[Origin, ...]     # (display file, line) of every output line

    def origin(self, line: int) -> Origin:
        return self.origins[min(max(line, 1), len(self.origins)) - 1] if self.origins else ("", line)


def display_name(path: str | os.PathLike) -> str:
    """Paths relative to the working directory read best in issues; others stay absolute."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)


def mark_lines(source: str, file_index: int) -> str:
    out, closer = [], None
    for number, line in enumerate(source.split("\n"), start=1):
        for token in _TOKENS.findall(line):
            if closer is None and token in _OPENERS:
                closer = _OPENERS[token]
            elif token == closer:
                closer = None
        # No marker inside a multi-line tag, nor after a tag whose '-' would join it to the next line.
        if closer is None and not line.rstrip().endswith(("-}}", "-%}", "-#}")):
            line += _MARK.format(file=file_index, line=number)
        out.append(line)
    return "\n".join(out)


class _MarkingLoader(jinja2.FileSystemLoader):
    def __init__(self, searchpath: list[str]):
        super().__init__(searchpath)
        self.files: list[str] = []

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        self.files.append(display_name(filename))
        return mark_lines(source, len(self.files) - 1), filename, uptodate


def _unmark(text: str, files: list[str], top: str) -> Rendered:
    lines, origins, last = [], [], (top, 1)
    for line in text.split("\n"):
        marks = _MARK_RE.findall(line)
        if marks:
            last = (files[int(marks[0][0])], int(marks[0][1]))
        origins.append(last)
        lines.append(_MARK_RE.sub("", line))
    return Rendered("\n".join(lines), tuple(origins))


def render_file(path: Path, variables: Mapping[str, Any]) -> Rendered:
    """Render one file; every Jinja2 problem becomes an Issue naming the file and line."""
    display = display_name(path)
    try:
        path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenderIssue(Issue("file-not-found", f"file {display!r} does not exist",
                                hint="check the path; it is relative to the current directory",
                                file=display)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderIssue(Issue("file-unreadable", f"cannot read {display!r}: {exc}",
                                hint="the blueprint must be a readable UTF-8 text file",
                                file=display)) from None
    # Fragments resolve beside the blueprint first, then one level up, so blueprints in
    # blueprints/examples/ can include blueprints/fragments/... too.
    loader = _MarkingLoader([str(path.parent), str(path.parent.parent)])
    env = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    try:
        return _unmark(env.get_template(path.name).render(**dict(variables)), loader.files, display)
    except jinja2.TemplateSyntaxError as exc:
        where = display_name(exc.filename) if exc.filename else display
        raise RenderIssue(Issue("jinja-syntax", f"Jinja2 syntax error: {exc.message}",
                                hint="see https://jinja.palletsprojects.com/templates/",
                                file=where, line=exc.lineno)) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderIssue(Issue("jinja-include-not-found", f"included file {exc.name!r} not found",
                                hint=f"fragments are looked up in {display_name(path.parent)} and "
                                     f"{display_name(path.parent.parent)}",
                                **_template_position(exc, loader, display))) from None
    except jinja2.UndefinedError as exc:
        raise RenderIssue(Issue("jinja-undefined", f"Jinja2 variable is not defined: {exc.message}",
                                hint="pass it with `-c var:NAME=value` (cdk) or `--var NAME=value` (lz), "
                                     "or in a vars file (`-c vars=FILE`, `--vars FILE`)",
                                **_template_position(exc, loader, display))) from None
    except Exception as exc:  # noqa: BLE001 - any error raised while rendering is the template's
        raise RenderIssue(Issue("jinja-error", f"Jinja2 could not render: {type(exc).__name__}: {exc}",
                                hint="check the expression on this line; `lz render` shows the output",
                                **_template_position(exc, loader, display))) from None


def _template_position(exc: BaseException, loader: _MarkingLoader, display: str) -> dict:
    # Jinja2 rewrites tracebacks so template frames carry template file names and line numbers;
    # the innermost one is where the user's mistake is (inside a fragment if it is there).
    templates = set(loader.files)
    tb, found = exc.__traceback__, {"file": display, "line": None}
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and display_name(name) in templates:
            found = {"file": display_name(name), "line": tb.tb_lineno}
        tb = tb.tb_next
    return found
