"""YAML parsing that remembers the file and line of every node, so issues can point at them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from landing_zone.blueprint.issues import Issue, Loc

# List items are shown by the first of these keys they carry, e.g. accounts[app1].
NAME_KEYS = ("name", "alias", "control", "permission_set", "remote_domain", "region", "level")
SYNTAX_HINT = "check indentation and quoting around this line; `lz render` shows the text after Jinja2"


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


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """SafeLoader that refuses duplicate keys (YAML silently keeps the last one)."""


def _no_duplicates(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or a mapping", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    loader.flatten_mapping(node)   # YAML merge keys (<<: *anchor) are allowed
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


class YamlIssue(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format())


def parse_yaml(text: str, file: str, origins: tuple = (), hint: str = SYNTAX_HINT) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raises YamlIssue with the position of a syntax error."""
    smap = SourceMap(file, origins=tuple(origins))
    try:
        loader = _LineLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, smap
            data = loader.construct_document(node)
            _index(node, (), smap)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        where, line = smap.origin(_error_line(exc, text))
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlIssue(Issue("yaml-syntax", f"not valid YAML: {problem}", hint=hint, file=where,
                              line=line)) from None
    return data, smap


def _error_line(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    # At the end of the stream PyYAML's problem position is past the last line; the place where
    # the unclosed construct started is the useful one then.
    last = len(text.rstrip("\n").split("\n"))
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is not None and mark.line + 1 <= last:
            return mark.line + 1
    return last


def _index(node: yaml.Node, loc: Loc, smap: SourceMap) -> None:
    smap.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        smap.scalars[loc] = node.value
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = yaml.SafeLoader(key_node.value).get_single_data() if key_node.tag != \
                "tag:yaml.org,2002:str" else key_node.value
            _index(value_node, loc + (key,), smap)
            # The key's own line, not its value's: a block value starts on the next line.
            smap.lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, loc + (i,), smap)


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
