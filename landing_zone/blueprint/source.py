"""YAML parsing that remembers the file and line of every node, so issues can point at them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from landing_zone.blueprint.issues import Issue, Loc

# List items are shown by the first of these keys they carry, e.g. accounts[app1].
NAME_KEYS = ("name", "alias", "control", "permission_set", "remote_domain", "region", "level")


@dataclass
class SourceMap:
    """Lines of every node of one parsed document, keyed by its raw location."""

    file: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        # A missing key has no node: point at the closest enclosing node that exists.
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (YAML silently keeps the last one)."""


def _no_duplicates(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document; raises YamlIssue with the position of a syntax error."""
    smap = SourceMap(file)
    try:
        loader = _LineLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, smap
            _index(node, (), smap)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlIssue(Issue(
            "yaml-syntax", f"not valid YAML: {problem}",
            hint="check indentation and quoting around this line; `lz render` shows the text after Jinja2",
            file=file, line=line)) from None
    return data, smap


def _index(node: yaml.Node, loc: Loc, smap: SourceMap) -> None:
    smap.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index(value_node, loc + (key,), smap)
            # The key's own line, not its value's: a block value starts on the next line.
            smap.lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, loc + (i,), smap)


class YamlIssue(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format())


def display_path(data: Any, loc: Loc) -> str:
    """`organization.accounts[app1].email` from ('organization', 'accounts', 3, 'email')."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            if isinstance(item, dict):
                for key in NAME_KEYS:
                    if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool):
                        label = str(item[key])
                        break
            elif isinstance(item, (str, int)) and not isinstance(item, bool):
                label = str(item)
            out += f"[{label}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out
