"""Jinja2 rendering of blueprints and fragments, remembering which file and line each output line came from."""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TypedDict

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

from landing_zone.blueprint.confine import FileProblem, Scope, read_named, read_operator_file
from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.sandbox import BoundedEnvironment, RenderLimit

# Every source line gets an invisible trailing marker naming its file and line; Jinja2 carries
# it into the output (also through loops and includes) and we strip it before YAML sees the text.
_MARK = " #\u2063lz:{file}:{line}"
_MARK_RE = re.compile(" #\u2063lz:(\\d{1,9}):(\\d{1,9})")
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_TOKENS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
_TOP = "\x00top"      # the loader's name for the file being rendered: no include can spell it
UNDEFINED_HINT = ("pass it with `-c var:NAME=value` (cdk) or `--var NAME=value` (lz), or in a vars file "
                  "(`-c vars=FILE`, `--vars FILE`)")
SANDBOX_HINT = ("blueprints render in a sandbox: variables, filters, tests and loops work; attributes "
                "starting with '_' and methods that change data do not")

Origin = tuple[str, int]


class _Position(TypedDict):
    file: str
    line: int | None


class RenderIssue(Exception):
    def __init__(self, issues: Issue | Iterable[Issue]):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("\n".join(i.format() for i in self.issues))

    @property
    def issue(self) -> Issue:
        return self.issues[0]


@dataclass(frozen=True)
class Rendered:
    text: str
    origins: tuple[Origin, ...]     # (display file, line) of every output line

    def origin(self, line: int) -> Origin:
        return self.origins[min(max(line, 1), len(self.origins)) - 1] if self.origins else ("", line)


def display_name(path: str | os.PathLike[str], follow: bool = True) -> str:
    """Paths relative to the working directory read best in issues; others stay absolute.

    `follow=False` keeps the file's own name when it is a symlink (its folder is still resolved).
    """
    path = Path(path)
    resolved = path.resolve() if follow else path.absolute().parent.resolve() / path.name
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


class _ConfinedLoader(jinja2.BaseLoader):
    """The file being rendered, and includes looked up in the scope's folders (never outside them)."""

    def __init__(self, scope: Scope, top: Path, top_source: str):
        self.scope, self.top, self.top_source = scope, top, top_source
        self.files: list[str] = []

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template == _TOP:
            source, filename = self.top_source, str(self.top)
        else:
            pieces = split_template_path(template)     # refuses '..'
            found = next((root.joinpath(*pieces) for root in self.scope.roots
                          if os.path.lexists(root.joinpath(*pieces))), None)
            if found is None:
                raise jinja2.TemplateNotFound(template)
            source, filename = read_named(self.scope.resolve(str(found), template), template), str(found)
        self.files.append(display_name(filename))
        return mark_lines(source, len(self.files) - 1), filename, lambda: True


def _unmark(text: str, files: list[str], top: str) -> Rendered:
    lines, origins, last = [], [], (top, 1)
    for line in text.split("\n"):
        marks = _MARK_RE.findall(line)
        if marks and int(marks[0][0]) < len(files):    # a marker the template wrote itself is not ours
            last = (files[int(marks[0][0])], int(marks[0][1]))
        origins.append(last)
        lines.append(_MARK_RE.sub("", line))
    return Rendered("\n".join(lines), tuple(origins))


def render_file(path: str | os.PathLike[str], variables: Mapping[str, Any], scope: Scope | None = None) -> Rendered:
    """Render a file the operator named (the blueprint); every problem becomes an Issue with file and line."""
    path = Path(path)
    display = display_name(path)
    try:
        source = read_operator_file(path, display)
    except FileProblem as problem:
        raise RenderIssue(Issue(problem.code, problem.message, hint=problem.hint, file=display)) from None
    return render_source(source, path, variables, scope or Scope.of(path))


def render_source(source: str, path: Path, variables: Mapping[str, Any], scope: Scope) -> Rendered:
    """Render text read from `path` in the sandbox; includes come from the scope's folders."""
    display = display_name(path)
    loader = _ConfinedLoader(scope, path, source)
    undefined: list[Issue] = []
    env = BoundedEnvironment(loader=loader, undefined=_collecting(undefined),
                             keep_trailing_newline=True, autoescape=False)
    try:
        text = env.get_template(_TOP).render(**dict(variables))
    except Exception as exc:  # noqa: BLE001 - any error raised while rendering is the template's
        issue = _issue(exc, loader, display, scope)
        # An undefined variable usually causes the error that follows it: report the cause.
        secondary = undefined and issue.code in ("jinja-error", "jinja-undefined")
        raise RenderIssue(_unique(undefined) if secondary else _unique(undefined + [issue])) from None
    if undefined:
        raise RenderIssue(_unique(undefined))
    return _unmark(text, loader.files, display)


def _issue(exc: Exception, loader: _ConfinedLoader, display: str, scope: Scope) -> Issue:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = display_name(exc.filename) if exc.filename else display
        return Issue("jinja-syntax", f"Jinja2 syntax error: {exc.message}",
                     hint="see https://jinja.palletsprojects.com/templates/", file=where, line=exc.lineno)
    at = _template_position(exc, loader, display)
    if isinstance(exc, jinja2.TemplateNotFound):
        folders = " and ".join(display_name(r) for r in scope.roots)
        return Issue("jinja-include-not-found", f"included file {exc.name!r} not found",
                     hint=f"fragments are looked up in {folders}", **at)
    if isinstance(exc, FileProblem):
        return Issue(exc.code, f"included file {exc.message}", hint=exc.hint, **at)
    if isinstance(exc, SecurityError):
        return Issue("jinja-unsafe", f"Jinja2 refused an unsafe operation: {exc}", hint=SANDBOX_HINT, **at)
    if isinstance(exc, RenderLimit):
        return Issue("jinja-limit", f"Jinja2 stopped: {exc}",
                     hint="blueprints are bounded so a mistake cannot hang CI; generate less, or split "
                          "the blueprint", **at)
    if isinstance(exc, jinja2.UndefinedError):
        return Issue("jinja-undefined", f"Jinja2 variable is not defined: {exc.message}", hint=UNDEFINED_HINT,
                     **at)
    message = "the template nests too deeply, or calls or includes itself without end" \
        if isinstance(exc, RecursionError) \
        else f"{type(exc).__name__}: {exc}"
    return Issue("jinja-error", f"Jinja2 could not render: {message}",
                 hint="check the expression on this line; `lz render` shows the output", **at)


def _template_position(exc: BaseException, loader: _ConfinedLoader, display: str) -> _Position:
    # Jinja2 rewrites tracebacks so template frames carry template file names and line numbers;
    # the innermost one is where the user's mistake is (inside a fragment if it is there).
    templates = set(loader.files)
    tb = exc.__traceback__
    found: _Position = {"file": display, "line": None}
    names: dict[str, str] = {}
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py"):
            shown = names.setdefault(name, display_name(name) if "\x00" not in name else "")
            if shown in templates:
                found = {"file": shown, "line": tb.tb_lineno}
        tb = tb.tb_next
    return found


def _unique(issues: list[Issue]) -> list[Issue]:
    return list({(i.code, i.message, i.file, i.line): i for i in issues}.values())


# ---------- every undefined variable of a file, in one run ----------

class _CollectingUndefined(jinja2.StrictUndefined):
    """Records each use of an undefined variable with its file:line and carries on as empty.

    StrictUndefined stops at the first; people fixing a blueprint want them all at once. Anything
    else an undefined value is used for (arithmetic, comparisons) still raises, after recording.
    Undefined values the sandbox makes for unsafe attributes raise SecurityError as before.
    """

    # jinja2 binds these dunders to `_fail_with_undefined_error`, typed `(*args, **kwargs) -> NoReturn`,
    # so mypy rejects any override that returns a value (jinja2's own subclasses ignore it too); the
    # `type: ignore[override]`/`[assignment]` below are for that alone, each method keeps its real type.
    __slots__ = ()
    sink: list[Issue] = []

    def _collect(self) -> bool:
        if self._undefined_exception is not jinja2.UndefinedError:
            return False
        file, line = _caller_position()
        self.sink.append(Issue("jinja-undefined", f"Jinja2 variable is not defined: {self._undefined_message}",
                               hint=UNDEFINED_HINT, file=file or "", line=line))
        return True

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._collect()
        super()._fail_with_undefined_error(*args, **kwargs)

    def __str__(self) -> str:  # type: ignore[override]  # see above
        return "" if self._collect() else super()._fail_with_undefined_error()

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]  # see above
        return iter(()) if self._collect() else super()._fail_with_undefined_error()

    def __bool__(self) -> bool:  # type: ignore[override]  # see above
        return False if self._collect() else super()._fail_with_undefined_error()

    def __len__(self) -> int:  # type: ignore[override]  # see above
        return 0 if self._collect() else super()._fail_with_undefined_error()

    def __int__(self) -> int:  # type: ignore[override]  # see above
        return 0 if self._collect() else super()._fail_with_undefined_error()

    def __float__(self) -> float:  # type: ignore[override]  # see above
        return 0.0 if self._collect() else super()._fail_with_undefined_error()

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return self if self._collect() else super()._fail_with_undefined_error()

    def __getitem__(self, key: Any) -> Any:
        return self if self._collect() else super()._fail_with_undefined_error()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self if self._collect() else super()._fail_with_undefined_error()

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]  # see above
        return False if self._collect() else super()._fail_with_undefined_error()

    def __ne__(self, other: Any) -> bool:  # type: ignore[override]  # see above
        return True if self._collect() else super()._fail_with_undefined_error()

    def __hash__(self) -> int:  # type: ignore[override]  # see above
        return id(self) if self._collect() else super()._fail_with_undefined_error()

    def __contains__(self, item: Any) -> bool:  # type: ignore[override]  # see above
        return False if self._collect() else super()._fail_with_undefined_error()

    def _same(self, *args: Any) -> Any:
        return self if self._collect() else super()._fail_with_undefined_error()

    def _false(self, other: Any) -> bool:
        return False if self._collect() else super()._fail_with_undefined_error()

    # Undefined binds these to the base class's function at class creation, so they are set again
    # here: arithmetic on an undefined value stays undefined, comparisons are false.
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = __pos__ = __neg__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = _false  # type: ignore[assignment]  # see above

    def __complex__(self) -> complex:  # type: ignore[override]  # see above
        return 0j if self._collect() else super()._fail_with_undefined_error()


def _collecting(sink: list[Issue]) -> type[jinja2.StrictUndefined]:
    return type("CollectingUndefined", (_CollectingUndefined,), {"__slots__": (), "sink": sink})


def _caller_position() -> tuple[str | None, int | None]:
    """The template file and line being run: the innermost frame of Jinja2-compiled template code."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            return display_name(template.filename), template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None, None
