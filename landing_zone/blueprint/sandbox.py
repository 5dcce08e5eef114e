"""The Jinja2 sandbox blueprints render in: no Python internals, bounded work, bounded output.

ImmutableSandboxedEnvironment already refuses `__globals__` and friends and methods that modify
data. On top of it every template is rewritten before compiling so loops, string building and
output go through counters, and the operators and methods that can multiply a value's size
(`'x' * n`, `9 ** 9 ** 9`, `'%9999999s'`, `center(n)`, ...) check the size first. Going over a
cap raises RenderLimit, which the renderer reports as an Issue at the template line.
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from types import CodeType
from typing import Any, Literal, TypeGuard, cast, overload

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from landing_zone.blueprint.limits import MAX_INT_BITS, MAX_RANGE, MAX_RENDER_STEPS, MAX_RENDERED_CHARS, MAX_WIDTH

SEQUENCES = (str, bytes, list, tuple, dict, set, frozenset)
# A call (a macro, a method) costs about five loop iterations of work; counting it so keeps the
# worst case of MAX_RENDER_STEPS near one second whatever the template spends them on.
CALL_STEPS = 5
# Filters a YAML blueprint has no use for and whose output can grow without a size argument.
DROPPED_FILTERS = ("urlize",)
DROPPED_GLOBALS = ("lipsum",)
# Filters that turn a list or mapping into text: its text size is estimated before they run.
TEXT_FILTERS = frozenset(["capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower",
                          "pprint", "replace", "safe", "string", "striptags", "title", "tojson", "trim",
                          "truncate", "upper", "urlencode", "wordcount", "wordwrap", "xmlattr"])


class RenderLimit(Exception):
    """A cap was hit while rendering; the message says which and what the cap is."""


class _Bounder(NodeTransformer):
    """Routes loops, `~` and every output chunk through the counting filters below."""

    # generic_visit changes the node in place and returns it, typed as any Node.
    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = cast(nodes.For, self.generic_visit(node))
        node.iter = _filter(node.iter, "lz_loop")
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = cast(nodes.Concat, self.generic_visit(node))
        return _filter(nodes.Tuple(node.nodes, "load", lineno=node.lineno), "lz_concat")

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        node = cast(nodes.Output, self.generic_visit(node))
        node.nodes = [_filter(child, "lz_output") for child in node.nodes]
        return node


def _filter(node: nodes.Node, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """One rendering: a fresh environment per file, so the counters cover that file and its includes."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.steps = 0
        self.output = 0
        for name in DROPPED_FILTERS:
            self.filters.pop(name, None)
        for name in DROPPED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["range"] = self._range
        self.filters = {name: _counted(name, func) for name, func in self.filters.items()}
        self.filters.update(lz_loop=_loop, lz_concat=_concat, lz_output=_output)

    # -- compile: every template, the top one and each include, is rewritten --------------------

    @overload
    def compile(self, source: str | nodes.Template, name: str | None = None, filename: str | None = None,
                raw: Literal[False] = False, defer_init: bool = False) -> CodeType: ...

    @overload
    def compile(self, source: str | nodes.Template, name: str | None = None, filename: str | None = None,
                raw: Literal[True] = ..., defer_init: bool = False) -> str: ...

    def compile(self, source: str | nodes.Template, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> str | CodeType:
        if isinstance(source, str):
            source = _Bounder().visit(self.parse(source, name, filename))
        if raw:     # two calls so each matches one of Environment.compile's overloads
            return super().compile(source, name, filename, True, defer_init)
        return super().compile(source, name, filename, False, defer_init)

    # -- counters ---------------------------------------------------------------------------------

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_RENDER_STEPS:
            raise RenderLimit(f"the template does more than {MAX_RENDER_STEPS:,} steps (loop iterations, "
                              "calls and filters)")

    def emit(self, count: int) -> None:
        self.output += count
        if self.output > MAX_RENDERED_CHARS:
            raise RenderLimit(f"the rendered output would be over {MAX_RENDERED_CHARS:,} characters")

    def _range(self, *args: Any) -> range:
        if any(isinstance(a, jinja2.Undefined) for a in args):
            for arg in args:
                str(arg)    # reports the undefined variable (or raises, under StrictUndefined)
            return range(0)
        try:
            items = range(*args)
            size = len(items)
        except OverflowError:
            size = MAX_RANGE + 1
        if size > MAX_RANGE:
            raise RenderLimit(f"range() of more than {MAX_RANGE:,} items")
        return items

    # -- operators and calls ----------------------------------------------------------------------

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        self.step()
        if operator == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            _bits(left.bit_length() * right)
        elif operator == "*":
            if _is_int(left) and _is_int(right):
                _bits(left.bit_length() + right.bit_length())
            elif isinstance(left, SEQUENCES) and _is_int(right):
                _size(len(left) * right)
            elif isinstance(right, SEQUENCES) and _is_int(left):
                _size(len(right) * left)
        elif operator == "+" and isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES):
            _size(len(left) + len(right))
        elif operator == "%" and isinstance(left, (str, bytes)):
            _percent_format(left, right)
        return check(self.binop_table[operator](left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.step(CALL_STEPS)
        _precheck_method(__obj, args, kwargs)
        return check(super().call(__context, __obj, *args, **kwargs))


# ---------- size checks ----------

def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise RenderLimit(f"the number would have more than {MAX_INT_BITS:,} bits")


def _size(size: int) -> None:
    if size > MAX_RENDERED_CHARS:
        raise RenderLimit(f"the value would be over {MAX_RENDERED_CHARS:,} characters or items")


def _width(width: Any) -> None:
    if _is_int(width) and width > MAX_WIDTH:
        raise RenderLimit(f"a width or count of {width:,}; at most {MAX_WIDTH:,} is allowed")


def check(value: Any) -> Any:
    """Every value an operator, call or filter produces: bounded length, bounded integers."""
    if isinstance(value, SEQUENCES):
        _size(len(value))
    elif _is_int(value):
        _bits(value.bit_length())
    return value


def text_size(env: BoundedEnvironment, value: Any) -> int:
    """About how many characters str(value) makes, found without making it (each item walked is a step)."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item) + 3
        elif isinstance(item, dict):
            env.step(len(item))
            stack.extend(item.keys())
            stack.extend(item.values())
            total += 2 + 2 * len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            env.step(len(item))
            stack.extend(item)
            total += 2 + 2 * len(item)
        elif _is_int(item):
            total += item.bit_length() // 3 + 2
        else:
            total += 32
        if total > MAX_RENDERED_CHARS:
            _size(total)
    return total


def _text(env: BoundedEnvironment, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        text_size(env, value)
    return str(value)


def _percent_format(template: str | bytes, args: Any) -> None:
    """'%9999999d' % 1 makes ten million characters from one: look at the widths first."""
    if not ("%" in template if isinstance(template, str) else b"%" in template):
        return
    text = template if isinstance(template, str) else template.decode("latin-1")
    for width in _PERCENT.findall(text):
        for number in width:
            if number == "*":
                for value in args if isinstance(args, tuple) else (args,):
                    _width(value)
            elif number:
                _width(_number(number))


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= 9 else MAX_WIDTH + 1   # no int() of a 100,000-digit run


def _format_spec_widths(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """'{:>9999999}'.format(1): widths in str.format specs, and the values a nested spec takes."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return    # str.format raises the same error itself, with a clear message
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            for value in (*args, *kwargs.values()):
                _width(value)
        for number in re.findall(r"\d+", spec):
            _width(_number(number))


def _precheck_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Methods of str, bytes and int whose result can be far larger than their inputs."""
    target = getattr(obj, "__wrapped__", obj)   # the sandbox wraps str.format
    owner, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
    if isinstance(owner, (str, bytes)):
        first = args[0] if args else next(iter(kwargs.values()), None)
        if name in ("center", "ljust", "rjust", "zfill"):
            _width(first)
        elif name == "expandtabs":
            size = first if _is_int(first) else 8
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            _size(len(owner) + tabs * max(size, 0))
        elif name == "replace" and len(args) >= 2 and isinstance(args[1], (str, bytes)):
            old, new = args[0], args[1]
            count = (owner.count(old) if old else len(owner) + 1) if isinstance(old, type(owner)) else 0
            _size(len(owner) + count * len(new))
        elif name == "join":
            items = list(first) if isinstance(first, Iterable) and not isinstance(first, (str, bytes)) else []
            _size(len(owner) * len(items) + sum(len(i) for i in items if isinstance(i, (str, bytes))))
        elif name == "translate" and isinstance(first, dict):
            longest = max((len(v) for v in first.values() if isinstance(v, (str, bytes))), default=1)
            _size(len(owner) * longest)
        elif name in ("format", "format_map") and isinstance(owner, str):
            values = args[0] if name == "format_map" and args and isinstance(args[0], dict) else kwargs
            _format_spec_widths(owner, args if name == "format" else (), dict(values))
    elif _is_int(owner) and name == "to_bytes":
        _width(args[0] if args else kwargs.get("length"))


# ---------- the filters the rewritten templates call ----------

# pass_context, not pass_environment: Jinja2 folds environment filters on constants at compile
# time, and these must count every time they run.
@jinja2.pass_context
def _loop(context: jinja2.runtime.Context, iterable: Any) -> Iterator[Any]:
    env = cast(BoundedEnvironment, context.environment)   # these filters are only in BoundedEnvironment
    if isinstance(iterable, jinja2.Undefined):
        iterable = iter(iterable)   # reports the undefined variable
    for item in iterable:
        env.step()
        yield item


@jinja2.pass_context
def _concat(context: jinja2.runtime.Context, parts: tuple[Any, ...]) -> str:
    env = cast(BoundedEnvironment, context.environment)   # these filters are only in BoundedEnvironment
    env.step()
    texts = [_text(env, part) for part in parts]
    _size(sum(len(t) for t in texts))
    return "".join(texts)


@jinja2.pass_context
def _output(context: jinja2.runtime.Context, value: Any) -> str:
    env = cast(BoundedEnvironment, context.environment)   # these filters are only in BoundedEnvironment
    text = _text(env, value)
    env.emit(len(text))
    return text


# Filters whose size arguments must be looked at before they run (value first, then arguments).
def _pre_center(env: BoundedEnvironment, value: Any, width: Any = 80, *_: Any) -> None:
    _width(width)


def _pre_indent(env: BoundedEnvironment, value: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    _width(width)
    if isinstance(width, str) and isinstance(value, str):
        _size(len(value) + (value.count("\n") + 1) * len(width))


def _pre_format(env: BoundedEnvironment, value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        _percent_format(value, kwargs or args)


def _pre_count(env: BoundedEnvironment, value: Any, count: Any = 0, *_: Any, **__: Any) -> None:
    if _is_int(count) and count > MAX_RANGE:
        raise RenderLimit(f"a count of {count:,}; at most {MAX_RANGE:,} is allowed")


def _pre_join(env: BoundedEnvironment, value: Any, d: Any = "", *_: Any, **__: Any) -> None:
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        _size(text_size(env, value) + len(value) * (len(d) if isinstance(d, str) else 0))


def _pre_replace(env: BoundedEnvironment, value: Any, old: Any = "", new: Any = "", *_: Any) -> None:
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        _size(len(value) + (value.count(old) if old else len(value) + 1) * len(new))


def _pre_wordwrap(env: BoundedEnvironment, value: Any, width: Any = 79, break_long_words: Any = True,
                  wrapstring: Any = None, *_: Any) -> None:
    if isinstance(value, str) and isinstance(wrapstring, str) and _is_int(width):
        _size(len(value) + (len(value) // max(width, 1) + 1) * len(wrapstring))


def _pre_tojson(env: BoundedEnvironment, value: Any, indent: Any = None) -> None:
    _width(indent)
    size = text_size(env, value)
    if _is_int(indent) and indent > 0:
        _size(size * (indent + 1))


def _pre_sum(env: BoundedEnvironment, value: Any, *_: Any, **__: Any) -> None:
    if isinstance(value, (list, tuple)):
        _size(sum(len(v) for v in value if isinstance(v, SEQUENCES)))


_PRECHECKS: dict[str, Callable[..., None]] = {
    "center": _pre_center, "indent": _pre_indent, "format": _pre_format, "batch": _pre_count,
    "slice": _pre_count, "join": _pre_join, "replace": _pre_replace, "wordwrap": _pre_wordwrap,
    "tojson": _pre_tojson, "sum": _pre_sum,
}


def _counted(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that counts as a step, pre-checks its size arguments and post-checks its result."""
    pass_arg = getattr(getattr(func, "jinja_pass_arg", None), "name", None)   # what the filter expects
    precheck = _PRECHECKS.get(name)
    makes_text = name in TEXT_FILTERS

    @jinja2.pass_context
    def counted(context: jinja2.runtime.Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        env = cast(BoundedEnvironment, context.environment)   # these filters are only in BoundedEnvironment
        env.step()
        if makes_text and isinstance(value, (list, tuple, dict, set, frozenset)):
            text_size(env, value)    # the filter turns it into text
        if precheck is not None:
            precheck(env, value, *args, **kwargs)
        if pass_arg == "context":
            result = func(context, value, *args, **kwargs)
        elif pass_arg == "eval_context":
            result = func(context.eval_ctx, value, *args, **kwargs)
        elif pass_arg == "environment":
            result = func(env, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        return check(result)

    counted.__name__ = getattr(func, "__name__", name)
    return counted
