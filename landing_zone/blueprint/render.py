"""Jinja2 rendering of blueprints and the files they name, with StrictUndefined and fragment includes."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import jinja2
import yaml

from landing_zone.blueprint.issues import Issue


class RenderIssue(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format())


def _environment(base: Path) -> jinja2.Environment:
    # Fragments resolve beside the blueprint first, then one level up, so blueprints in
    # blueprints/examples/ can include blueprints/fragments/... too.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(base), str(base.parent)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_file(path: Path, variables: Mapping[str, Any], display: str | None = None) -> str:
    """Render one file; every Jinja2 problem becomes an Issue naming the file and line."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenderIssue(Issue("file-not-found", f"file {display!r} does not exist",
                                hint="check the path; it is relative to the current directory",
                                file=display)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderIssue(Issue("file-unreadable", f"cannot read {display!r}: {exc}",
                                hint="the blueprint must be a readable UTF-8 text file",
                                file=display)) from None
    env = _environment(path.parent)
    try:
        return env.from_string(text).render(**dict(variables))
    except jinja2.TemplateSyntaxError as exc:
        where = display if exc.filename in (None, "<template>") else exc.filename
        raise RenderIssue(Issue("jinja-syntax", f"Jinja2 syntax error: {exc.message}",
                                hint="see https://jinja.palletsprojects.com/templates/",
                                file=where, line=exc.lineno)) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderIssue(Issue("jinja-include-not-found", f"included file {exc.name!r} not found",
                                hint=f"fragments are looked up in {path.parent} and {path.parent.parent}",
                                file=display, line=_template_line(exc))) from None
    except jinja2.UndefinedError as exc:
        raise RenderIssue(Issue("jinja-undefined", f"Jinja2 variable is not defined: {exc.message}",
                                hint="pass it with `-c var:NAME=value` (cdk) or `--var NAME=value` (lz), "
                                     "or in a vars file (`-c vars=FILE`, `--vars FILE`)",
                                file=display, line=_template_line(exc))) from None
    except jinja2.TemplateError as exc:
        raise RenderIssue(Issue("jinja-error", f"Jinja2 error: {exc}", file=display,
                                line=_template_line(exc))) from None


def _template_line(exc: BaseException) -> int | None:
    # Jinja2 rewrites tracebacks so template frames carry the template's line numbers;
    # the innermost frame of the top-level template is the line users wrote.
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def parse_variables(pairs: list[str], vars_file: str | None) -> dict[str, Any]:
    """Variables from a YAML vars file, overridden by NAME=value pairs (values read as YAML scalars)."""
    variables: dict[str, Any] = {}
    if vars_file:
        try:
            loaded = yaml.safe_load(Path(vars_file).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise RenderIssue(Issue("vars-file-unreadable", f"cannot read vars file: {exc.strerror}",
                                    hint="pass an existing YAML file with -c vars=FILE / --vars FILE",
                                    file=vars_file)) from None
        except yaml.YAMLError as exc:
            raise RenderIssue(Issue("vars-file-invalid", f"vars file is not valid YAML: {exc}",
                                    file=vars_file)) from None
        if not isinstance(loaded, dict):
            raise RenderIssue(Issue("vars-file-invalid", "vars file must be a mapping of NAME: value",
                                    hint="write one `NAME: value` per line", file=vars_file))
        variables.update(loaded)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise RenderIssue(Issue("var-invalid", f"variable {pair!r} is not NAME=value",
                                    hint="write --var accounts=100 (cdk: -c var:accounts=100)"))
        try:
            variables[name] = yaml.safe_load(value) if value else ""
        except yaml.YAMLError:
            variables[name] = value
    return variables
