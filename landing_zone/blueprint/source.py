"""YAML parsing that remembers the file and line of every node, so issues can point at them.

The parser is libyaml's event stream; nodes are composed here, iteratively, so the composer can
refuse what would hurt: more than MAX_DEPTH levels, more than MAX_YAML_NODES values once aliases
are expanded (a billion-laughs file is a few hundred bytes), an alias that contains itself,
duplicate keys, and control characters. Lines are recorded while composing, once per place in the
text: an alias is recorded where it is used, never walked again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import yaml
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.limits import MAX_DEPTH, MAX_YAML_NODES

# List items are shown by the first of these keys they carry, e.g. accounts[app1].
NAME_KEYS = ("name", "alias", "control", "permission_set", "remote_domain", "region", "level")
SYNTAX_HINT = "check indentation and quoting around this line; `lz render` shows the text after Jinja2"
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
# What YAML 1.1 allows in a stream (libyaml refuses the rest with an error that has no line).
_FORBIDDEN = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


@dataclass
class SourceMap:
    """Lines of every node of one parsed document, keyed by raw location, and their origins."""

    file: str
    lines: dict[Loc, int] = field(default_factory=dict)
    scalars: dict[Loc, str] = field(default_factory=dict)   # scalars as written, before YAML typing
    origins: tuple[tuple[str, int], ...] = ()                 # rendered line → (file, line)

    def line_of(self, loc: Loc) -> int | None:
        # A missing key has no node: point at the closest enclosing node that exists.
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def position(self, loc: Loc) -> tuple[str, int | None]:
        """(file, line) users wrote: through Jinja2 includes and loops back to the source."""
        return self.origin(self.line_of(loc))

    def origin(self, line: int | None) -> tuple[str, int | None]:
        if line is None or not self.origins:
            return self.file, line
        return self.origins[min(line, len(self.origins)) - 1]


class YamlIssue(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format())


class _Refused(Exception):
    """Raised by the composer with an Issue code, a message and the 1-based line."""

    def __init__(self, code: str, message: str, line: int, hint: str):
        super().__init__(message)
        self.code, self.message, self.line, self.hint = code, message, line, hint


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader       # the same interface; mypy cannot take a base class from getattr
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: ~10x faster


class _Loader(_SafeLoader):
    """SafeLoader whose value errors (a 5,000-digit integer, 2024-13-45) carry the node's position."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a constructor raises is about this value
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {node.value if isinstance(node, ScalarNode) else ''!r:.60}: "
                f"{exc}", node.start_mark) from None


def parse_yaml(text: str, file: str, origins: tuple[tuple[str, int], ...] = (),
               hint: str = SYNTAX_HINT) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raises YamlIssue with the position of any problem."""
    smap = SourceMap(file, origins=tuple(origins))
    bad = _FORBIDDEN.search(text)
    if bad:
        where, line = smap.origin(text.count("\n", 0, bad.start()) + 1)
        raise YamlIssue(Issue("yaml-control-character", f"the text holds the control character "
                              f"U+{ord(bad.group()):04X}, which YAML does not allow",
                              hint="remove it; write it as an escape (\"\\x00\") inside double quotes "
                                   "if it is meant", file=where, line=line))
    loader = _Loader(text)
    try:
        node = _Composer(loader, smap).document()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        where, line = smap.origin(exc.line)
        raise YamlIssue(Issue(exc.code, exc.message, hint=exc.hint, file=where, line=line)) from None
    except yaml.MarkedYAMLError as exc:
        where, line = smap.origin(_error_line(exc, text))
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlIssue(Issue("yaml-syntax", f"not valid YAML: {problem}", hint=hint, file=where,
                              line=line)) from None
    except yaml.YAMLError as exc:   # a reader error: no mark, only a character position
        position = getattr(exc, "position", None)
        where, line = smap.origin(text.count("\n", 0, position) + 1 if isinstance(position, int) else None)
        raise YamlIssue(Issue("yaml-syntax", f"not valid YAML: {exc}", hint=hint, file=where,
                              line=line)) from None
    finally:
        loader.dispose()
    return data, smap


def _error_line(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    # At the end of the stream PyYAML's problem position is past the last line; the place where
    # the unclosed construct started is the useful one then.
    last = len(text.rstrip("\n").split("\n"))
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is not None and mark.line + 1 <= last:
            return mark.line + 1
    return last


@dataclass
class _Open:
    """A sequence or mapping being composed."""

    node: SequenceNode | MappingNode
    loc: Loc | None                 # None inside a merge (`<<:`) value: not a place of its own
    size: int = 1                   # values once aliases are expanded
    depth: int = 1
    key: ScalarNode | None = None   # mappings: the key waiting for its value
    seen: dict[Any, int] = field(default_factory=dict)   # mappings: key → line, for duplicates


class _EventSource(Protocol):
    """What the composer uses of the loader, typed (the stubs leave PyYAML's parser and resolver untyped)."""

    def get_event(self) -> Event: ...
    def check_event(self, *choices: type[Event]) -> bool: ...
    def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str: ...
    def construct_object(self, node: Node, deep: bool = False) -> Any: ...


class _Composer:
    """libyaml events → nodes, with caps, without recursion, recording lines as it goes."""

    def __init__(self, loader: _EventSource, smap: SourceMap):
        self.loader, self.smap = loader, smap
        self.anchors: dict[str, Node] = {}
        self.sizes: dict[int, tuple[int, int]] = {}    # id(node) → (expanded size, depth)
        self.open_ids: set[int] = set()
        self.stack: list[_Open] = []

    def document(self) -> Node | None:
        get = self.loader.get_event
        get()                                           # stream start
        if self.loader.check_event(StreamEndEvent):
            return None
        start = get()                                   # document start
        root = self._compose()
        get()                                           # document end
        if not self.loader.check_event(StreamEndEvent):
            first, second = start.start_mark, get().start_mark
            # The stubs type these marks as yaml.error.Mark; libyaml's events carry its own Mark class.
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", first, "but found another document", second)  # type: ignore[arg-type]
        return root

    def _compose(self) -> Node:
        get = self.loader.get_event
        while True:
            event = get()
            assert event.start_mark is not None     # the parser marks every event
            line = event.start_mark.line + 1
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                self._start(event, line)
                continue
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                done = self.stack.pop()
                node: Node = done.node
                size, depth = done.size, done.depth
                self.open_ids.discard(id(node))
                self.sizes[id(node)] = (size, depth)
            elif isinstance(event, AliasEvent):
                node = self._alias(event, line)
                size, depth = self.sizes[id(node)]
            else:
                assert isinstance(event, ScalarEvent)
                tag = event.tag if event.tag is not None and event.tag != "!" else \
                    self.loader.resolve(ScalarNode, event.value, event.implicit)
                # The stubs type node marks as yaml.error.Mark; libyaml's events carry its own Mark class.
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark,  # type: ignore[arg-type]
                                  style=event.style)
                self._anchor(event.anchor, node, line)
                size, depth = 1, 1
                self.sizes[id(node)] = (1, 1)
            if not self.stack:
                return node
            self._attach(node, size, depth, line, isinstance(event, AliasEvent))

    def _start(self, event: SequenceStartEvent | MappingStartEvent, line: int) -> None:
        kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
        if len(self.stack) >= MAX_DEPTH:
            raise _too_deep(line)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.node, MappingNode) and parent.key is None:
            raise _Refused("yaml-syntax", "not valid YAML: a key must be a plain value, not a list or a mapping",
                           line, SYNTAX_HINT)
        tag = event.tag if event.tag is not None and event.tag != "!" else \
            self.loader.resolve(kind, None, event.implicit)
        # The stubs type node marks as yaml.error.Mark; libyaml's events carry its own Mark class.
        node = kind(tag, [], event.start_mark, event.end_mark,  # type: ignore[arg-type]
                    flow_style=event.flow_style)
        self._anchor(event.anchor, node, line)
        loc = self._child_loc(parent) if parent is not None else ()
        if loc is not None:
            self.smap.lines[loc] = line
        self.stack.append(_Open(node, loc))
        self.open_ids.add(id(node))

    def _alias(self, event: AliasEvent, line: int) -> Node:
        node = self.anchors.get(event.anchor) if event.anchor is not None else None
        if node is None:
            raise _Refused("yaml-syntax", f"not valid YAML: the alias *{event.anchor} names no anchor "
                           "defined above it", line, "define `&name` before using `*name`")
        if id(node) in self.open_ids:
            raise _Refused("yaml-alias-recursive", f"the alias *{event.anchor} is used inside its own "
                           f"anchor &{event.anchor}, so the value would contain itself without end", line,
                           "use the alias after the anchored value ends")
        return node

    def _anchor(self, anchor: str | None, node: Node, line: int) -> None:
        if anchor is None:
            return
        if anchor in self.anchors:
            raise _Refused("yaml-syntax", f"not valid YAML: the anchor &{anchor} is defined twice "
                           f"(first at line {self.anchors[anchor].start_mark.line + 1})", line,
                           "give each anchor its own name")
        self.anchors[anchor] = node

    def _child_loc(self, parent: _Open) -> Loc | None:
        if parent.loc is None:
            return None
        if isinstance(parent.node, SequenceNode):
            return parent.loc + (len(parent.node.value),)
        key = parent.key
        assert key is not None      # a mapping's child is its value: the key came first
        if key.tag == MERGE_TAG:
            return None
        return parent.loc + (self._key_value(key),)

    def _key_value(self, key: ScalarNode) -> Any:
        return key.value if key.tag == STR_TAG else self.loader.construct_object(key)

    def _attach(self, node: Node, size: int, depth: int, line: int, alias: bool) -> None:
        parent = self.stack[-1]
        parent.size += size
        parent.depth = max(parent.depth, depth + 1)
        if parent.size > MAX_YAML_NODES:
            raise _Refused("yaml-too-large", f"the YAML holds more than {MAX_YAML_NODES:,} values once "
                           "aliases are expanded", line, "aliases (*name) repeat their whole value at "
                           "each use; a blueprint this large is most likely an alias bomb")
        if len(self.stack) + depth > MAX_DEPTH:
            raise _too_deep(line)
        if isinstance(parent.node, SequenceNode):
            self._record(parent, node, line, alias)
            parent.node.value.append(node)
        elif parent.key is None:
            self._key(parent, node, line)
        else:
            self._record(parent, node, line, alias)
            parent.node.value.append((parent.key, node))
            parent.key = None

    def _key(self, parent: _Open, node: Node, line: int) -> None:
        if not isinstance(node, ScalarNode):
            raise _Refused("yaml-syntax", "not valid YAML: a key must be a plain value, not a list or a "
                           "mapping", line, SYNTAX_HINT)
        if node.tag != MERGE_TAG:
            value = self._key_value(node)
            first = parent.seen.get(value)
            if first is not None:
                raise _Refused("yaml-syntax", f"not valid YAML: duplicate key {value!r} (first at line {first})",
                               line, SYNTAX_HINT)
            try:
                parent.seen[value] = line
            except TypeError:
                raise _Refused("yaml-syntax", "not valid YAML: this key cannot be used as a key", line,
                               SYNTAX_HINT) from None
        parent.key = node

    def _record(self, parent: _Open, node: Node, line: int, alias: bool) -> None:
        loc = self._child_loc(parent)
        if loc is None:
            return
        if isinstance(node, ScalarNode):
            self.smap.scalars[loc] = node.value
            self.smap.lines[loc] = line
        elif alias:
            self.smap.lines[loc] = line
        # A mapping value's line is its key's: a block value starts on the next line.
        if isinstance(parent.node, MappingNode):
            assert parent.key is not None
            self.smap.lines[loc] = parent.key.start_mark.line + 1


def _too_deep(line: int) -> _Refused:
    return _Refused("yaml-too-deep", f"the YAML nests more than {MAX_DEPTH} levels deep (values an alias "
                    "repeats count where it is used)", line, "no blueprint needs this much nesting: look for "
                    "runaway brackets or indentation, or aliases nested in aliases")


def display_path(data: Any, loc: Loc) -> str:
    """`organization.accounts[app1].email` from ('organization', 'accounts', 3, 'email')."""
    out = ""
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            item = node[part] if 0 <= part < len(node) else None
            out += f"[{_label(item, part)}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _label(item: Any, index: int) -> str:
    candidates = [item.get(key) for key in NAME_KEYS] if isinstance(item, dict) else [item]
    for value in candidates:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return str(index)
