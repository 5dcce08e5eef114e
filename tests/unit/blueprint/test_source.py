"""YAML with line marks: bounded (aliases, depth), every refusal an issue at its line, lines recorded once per place."""
from __future__ import annotations

import time

import pytest

from landing_zone.blueprint.limits import MAX_DEPTH, MAX_YAML_NODES
from landing_zone.blueprint.source import YamlIssue, parse_yaml


def _laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _refused(text: str) -> tuple[str, int | None]:
    with pytest.raises(YamlIssue) as info:
        parse_yaml(text, "bp.yaml")
    issue = info.value.issue
    assert issue.hint and issue.file == "bp.yaml"
    return issue.code, issue.line


@pytest.mark.parametrize("text, expected", [
    (_laughs(9), ("yaml-too-large", 6)),
    ("a: 1\nb: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}\n"
     + "".join(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + f"], k{i}: 1}}\n" for i in range(1, 10)),
     ("yaml-too-large", 7)),
    ("tags: &a [*a]\n", ("yaml-alias-recursive", 1)),
    ("a: 1\ntags: &a {b: {c: *a}}\n", ("yaml-alias-recursive", 2)),
    ("tags: " + "{a: " * 400 + "1" + "}" * 400 + "\n", ("yaml-too-deep", 1)),
    ("tags: " + "[" * 100_000 + "\n", ("yaml-syntax", 1)),
    ("x:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(100)), ("yaml-too-deep", 64)),
    ("m0: &m0 {a: 1}\n" + "".join(f"m{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, 200)), ("yaml-too-deep", 63)),
    ("a: 1\nname: ac\x00me\n", ("yaml-control-character", 2)),
    ("a: 1\n\nname: \x1b[31m\n", ("yaml-control-character", 3)),
    ("a: 1\nb: " + "1" * 5000 + "\n", ("yaml-syntax", 2)),
    ("a: {" + "1" * 5000 + ": x}\n", ("yaml-syntax", 1)),
    ("a: 1\nb: 2024-13-45\n", ("yaml-syntax", 2)),
    ("b: !!float abc\n", ("yaml-syntax", 1)),
    ("b: !!python/object/apply:os.system ['true']\n", ("yaml-syntax", 1)),
    ("a:\n  ? [x, y]\n  : z\n", ("yaml-syntax", 2)),
    ("k: &k [1]\nb: {*k : 1}\n", ("yaml-syntax", 2)),
    ("a: 1\nb: *nothing\n", ("yaml-syntax", 2)),
    ("a: &x 1\nb: &x 2\n", ("yaml-syntax", 2)),
    ("a: 1\nb: 2\na: 3\n", ("yaml-syntax", 3)),
    ("a: 1\n---\nb: 2\n", ("yaml-syntax", 2)),
], ids=["billion-laughs", "merge-bomb", "self-alias-list", "self-alias-map", "deep-mapping", "deep-flow",
        "deep-block", "merge-chain", "nul", "escape-sequence", "huge-int", "huge-int-key", "bad-date", "bad-float-tag",
        "python-tag", "complex-key", "alias-key", "undefined-alias", "anchor-twice", "duplicate-key",
        "two-documents"])
def test_what_yaml_cannot_be_is_an_issue_at_its_line(text: str, expected: tuple[str, int]) -> None:
    started = time.perf_counter()
    assert _refused(text) == expected
    assert time.perf_counter() - started < 2


def test_the_caps_leave_room_for_large_blueprints() -> None:
    accounts = "".join(f"  - {{name: a{i}, email: a{i}@example.com, unit: Workloads, tags: {{team: t}}}}\n"
                       for i in range(10_000))
    data, smap = parse_yaml("accounts:\n" + accounts, "bp.yaml")
    assert len(data["accounts"]) == 10_000 and smap.lines[("accounts", 9_999, "email")] == 10_001
    nested = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse_yaml(nested, "bp.yaml")[0]["a"] is not None
    assert MAX_YAML_NODES >= 200_000


def test_an_alias_is_recorded_where_it_is_used_and_not_walked_again() -> None:
    text = ("base: &b {unit: Security, tags: {a: x}}\n"
            "accounts:\n"
            "  - *b\n"
            "  - *b\n")
    data, smap = parse_yaml(text, "bp.yaml")
    assert data["accounts"][0] is data["accounts"][1]
    assert smap.line_of(("accounts", 1)) == 4
    assert smap.line_of(("accounts", 1, "tags", "a")) == 4      # inside an alias: the alias's line
    assert ("accounts", 1, "tags") not in smap.lines
    assert smap.lines[("base", "tags", "a")] == 1


def test_an_alias_bomb_under_the_cap_is_indexed_in_linear_time() -> None:
    started = time.perf_counter()
    data, smap = parse_yaml(_laughs(4), "bp.yaml")     # about 75,000 values once expanded
    assert len(smap.lines) < 100 and len(data["l4"]) == 9
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("text, loc, line, written", [
    ("a:\n  b: 1\n  c: [x, y]\n", ("a", "c", 1), 3, "y"),
    ("a:\n  b:\n    - 011\n", ("a", "b", 0), 3, "011"),
    ("a:\n  <<: {m: 1}\n  n: 2\n", ("a", "n"), 3, "2"),
    ("1: x\n2.5: y\n", (2.5,), 2, "y"),
], ids=["list-item", "octal-as-written", "merge-key", "typed-keys"])
def test_lines_and_written_scalars(text: str, loc: tuple, line: int, written: str) -> None:
    _, smap = parse_yaml(text, "bp.yaml")
    assert smap.lines[loc] == line and smap.scalars[loc] == written
