"""Seeded structural mutations of the shipped blueprints for the loader fuzzer (the same cases for one seed)."""
from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

from tests.unit.blueprint.fuzz_cases import SEED, FuzzCase, rendered_data, seeds

JINJA_SNIPPETS = [
    "{{ undefined_thing }}", "{{ x.y.z }}", "{% if %}", "{% for i in range(3) %}", "{% endfor %}",
    "{{ 'a' * 10**9 }}", "{{ 9 ** 9 ** 9 }}", "{% for i in range(10**7) %}{% endfor %}",
    "{% include 'nope.yaml' %}", "{% include '../outside.json' %}", "{{ cycler.__init__ }}",
    "{{ ''.__class__ }}", "{{ range(10)|join(',') }}", "{{ '%0999999999d' % 1 }}", "{% raw %}",
    "{{ '\\x00' }}", "{# unclosed comment", "{{ 1 / 0 }}", "{{ [1, 2][5] }}", "{{ {}['k'] }}",
    "{% set x = 1 %}", "{{ lipsum() }}", "{{ self }}", "{{ 'x'|center(10**9) }}", "{{ }}",
]
WEIRD_STRINGS = [
    "", " ", "\u202e\u0634RTL", "😀" * 50, "e\u0301" * 40, "\u0000", "\ud800", "\uffff", "\t\r\n",
    "a" * 10_000, "${aws:username}", "*", "../../etc/passwd", "/dev/zero", "Root", "Workloads//Prod",
    "o-" + "a" * 40, "111111111111", "aws+x@example.com", "{{ x }}", "%s%s%s", "null", "~", "yes", "0o777",
]


def _weird_value(rng: random.Random) -> Any:
    choice = rng.randrange(14)
    if choice == 0:
        return rng.choice(WEIRD_STRINGS)
    if choice == 1:
        return 10 ** rng.choice([3, 12, 19, 40, 300, 4000])
    if choice == 2:
        return -(10 ** rng.randrange(1, 30))
    if choice == 3:
        return rng.choice([float("inf"), float("-inf"), float("nan"), 1e308, -0.0, 3.5])
    if choice == 4:
        return rng.choice([True, False, None])
    if choice == 5:
        return []
    if choice == 6:
        return {}
    if choice == 7:
        return [rng.choice(WEIRD_STRINGS) for _ in range(rng.randrange(1, 5))]
    if choice == 8:
        return {rng.choice(WEIRD_STRINGS) or "k": rng.choice(WEIRD_STRINGS)}
    if choice == 9:
        return _nest(rng.choice([5, 30, 63, 65, 200]), rng.random() < 0.5)
    if choice == 10:
        return rng.choice(["2024-01-01", "12:30:00", "0x1F", "1_000", ".inf", "=", "<<"])
    if choice == 11:
        return {"name": rng.choice(WEIRD_STRINGS)}
    if choice == 12:
        return [{"name": "x"}] * rng.randrange(1, 4)
    return rng.randrange(-5, 5)


def _nest(depth: int, mapping: bool) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"n": value} if mapping else [value]
    return value


def _places(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) pair in the data: where a mutation can act."""
    out, stack, seen = [], [data], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            out.append((node, key))
            if isinstance(value, (dict, list)):
                stack.append(value)
    return out


def _mutate_data(data: Any, rng: random.Random) -> str:
    """One structural mutation of the data; returns what it did."""
    places = _places(data)
    if not places:
        return "none"
    container, key = rng.choice(places)
    kind = rng.randrange(12)
    if kind == 9 and isinstance(container[key], str):     # another name of the blueprint: a wrong reference
        strings = [c[k] for c, k in places if isinstance(c[k], str)]
        container[key] = rng.choice(strings)
        return "swap-name"
    if kind == 10 and isinstance(container, list) and len(container) > 1:
        del container[key]
        return "drop-item"
    if kind == 11 and isinstance(container[key], (int, float)) and not isinstance(container[key], bool):
        container[key] = rng.choice([0, -1, 1, 2**31, 2**63, 10**40, 0.5, float("nan")])
        return "edge-number"
    if kind == 0 and isinstance(container, dict):
        del container[key]
        return "delete-key"
    if kind == 1:
        container[key] = _weird_value(rng)
        return "swap-type"
    if kind == 2:                                  # mapping <-> list <-> scalar
        value = container[key]
        if isinstance(value, dict):
            container[key] = rng.choice([list(value.values()), list(value.items()), list(value)])
        elif isinstance(value, list):
            container[key] = rng.choice([{str(i): v for i, v in enumerate(value)}, value[0] if value else None])
        else:
            container[key] = rng.choice([[value], {"value": value}, {str(value): value}])
        return "reshape"
    if kind == 3 and isinstance(container, list):  # duplicate an item (duplicate names)
        container.append(copy.deepcopy(container[key]))
        return "duplicate-item"
    if kind == 4 and isinstance(container, dict):  # rename a key (a typo or a stranger)
        container[rng.choice([str(key) + "s", str(key)[:-1], "x-" + str(key), rng.choice(WEIRD_STRINGS) or "k"])] = \
            container.pop(key)
        return "rename-key"
    if kind == 5:                                  # the same object twice: the dumper writes an alias
        other_container, other_key = rng.choice(places)
        other_container[other_key] = container[key]
        return "alias"
    if kind == 6 and isinstance(container[key], list):   # a list that holds itself: a recursive alias
        container[key].append(container[key])
        return "alias-self"
    if kind == 7:
        container[key] = _nest(rng.choice([40, 63, 64, 70, 500]), rng.random() < 0.5)
        return "deep"
    if kind == 8 and isinstance(container, list) and container:
        container.extend([container[0]] * rng.choice([10, 1000, 100_000]))
        return "repeat-alias"
    container[key] = _weird_value(rng)
    return "swap-type"


def _mutate_text(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    kind = rng.randrange(8)
    at = rng.randrange(len(lines))
    if kind == 0:
        lines.insert(at, lines[at])
        return "\n".join(lines), "duplicate-line"
    if kind == 1:
        del lines[at]
        return "\n".join(lines), "delete-line"
    if kind == 2:
        column = rng.randrange(len(lines[at]) + 1)
        lines[at] = lines[at][:column] + rng.choice(JINJA_SNIPPETS) + lines[at][column:]
        return "\n".join(lines), "jinja-snippet"
    if kind == 3:
        cut = rng.randrange(len(text) + 1)
        return text[:cut] + rng.choice(["\x00", "\x1b", "\ud800", "\ufeff", "\u2028", "\x85", "\t"]) + text[cut:], \
            "control-character"
    if kind == 4:
        return text[:rng.randrange(len(text) + 1)], "truncate"
    if kind == 5:
        lines[at] = " " * rng.randrange(1, 9) + lines[at]
        return "\n".join(lines), "indent"
    if kind == 6:
        lines[at] = lines[at].replace(":", rng.choice([": &a", ": *a", ": !!str", ": !!binary", ": <<", ""]), 1)
        return "\n".join(lines), "yaml-token"
    position = rng.randrange(len(text) + 1)
    return text[:position] + rng.choice(["{{", "}}", "{%", "%}", "[", "]", "{", "}", '"', "'", "&", "*", "|", ">"]) \
        + text[position:], "bracket"


def _mutate_file(case: FuzzCase, rng: random.Random) -> FuzzCase:
    """Mutate one of the support files (policy JSON, SAML metadata, ids file, fragment)."""
    if not case.files:
        return case
    name = rng.choice(sorted(case.files))
    text = case.files[name] if isinstance(case.files[name], str) else case.files[name].decode("utf-8", "replace")
    if name.endswith(".yaml") and rng.random() < 0.5:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if isinstance(data, (dict, list)):
            _mutate_data(data, rng)
            return _replace_file(case, name, _dump(data))
    mutated, _ = _mutate_text(text or " ", rng)
    return _replace_file(case, name, mutated)


def _replace_file(case: FuzzCase, name: str, content: str) -> FuzzCase:
    return FuzzCase(case.name, case.blueprint, {**case.files, name: content}, case.links, case.fifos, case.variables)


def _dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, RecursionError, ValueError):
        return yaml.safe_dump({"unrepresentable": True})


def mutated(count: int, folder: Path, seed: int = SEED) -> list[FuzzCase]:
    """`count` cases: 1-3 seeded mutations of a shipped blueprint each (data, text or a support file)."""
    rng = random.Random(seed)
    bases = seeds()
    datas: dict[str, Any] = {}
    for base in bases:
        datas[base.name] = rendered_data(base, folder / f"seed-{base.name}")
    cases: list[FuzzCase] = []
    for index in range(count):
        base = bases[index % len(bases)]
        case, what = base, []
        for _ in range(rng.choice([1, 1, 2, 3])):
            mode = rng.random()
            if mode < 0.45:
                data = copy.deepcopy(datas[base.name]) if case is base or not what else None
                if data is None:
                    try:
                        data = yaml.safe_load(case.blueprint)
                    except (yaml.YAMLError, ValueError, RecursionError):
                        data = copy.deepcopy(datas[base.name])
                what.append(_mutate_data(data, rng) if isinstance(data, (dict, list)) else "none")
                case = FuzzCase(case.name, _dump(data), case.files, case.links, case.fifos, case.variables)
            elif mode < 0.85:
                text, did = _mutate_text(case.blueprint if isinstance(case.blueprint, str) else
                                         case.blueprint.decode("utf-8", "replace"), rng)
                what.append(did)
                case = FuzzCase(case.name, text, case.files, case.links, case.fifos, case.variables)
            else:
                case = _mutate_file(case, rng)
                what.append("file")
        cases.append(FuzzCase(f"{index:04d}-{base.name}-{'+'.join(what)}", case.blueprint, case.files, case.links,
                              case.fifos, case.variables))
    return cases
