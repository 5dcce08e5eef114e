"""Jinja2 sandbox: no way out to Python, every runaway template stopped with an issue, ordinary Jinja2 intact."""
from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import load_blueprint, render_blueprint
from tests.unit.blueprint.fuzz_hostile import MINIMAL


def _render(tmp_path: Path, text: str, variables: dict | None = None) -> str:
    path = tmp_path / "blueprint.yaml"
    path.write_text(text, encoding="utf-8")
    return render_blueprint(path, variables).text


def _issues(tmp_path: Path, text: str) -> list[tuple[str, int | None]]:
    with pytest.raises(BlueprintError) as info:
        _render(tmp_path, text)
    return [(i.code, i.line) for i in info.value.issues]


@pytest.mark.parametrize("expression", [
    "cycler.__init__.__globals__.os.system('touch {marker}')",
    "joiner.__init__.__globals__.os.system('touch {marker}')",
    "namespace.__init__.__globals__['os'].system('touch {marker}')",
    "''.__class__.__mro__[1].__subclasses__()",
    "'{{0.__class__}}'.format('')",
    "range.__class__",
], ids=["cycler-globals", "joiner-globals", "namespace-globals", "subclasses", "format-dunder", "type-of-range"])
def test_python_internals_are_out_of_reach(tmp_path: Path, expression: str) -> None:
    marker = tmp_path / "pwned"
    text = "version: 1\nname: x{{ " + expression.format(marker=marker) + " }}\n"
    assert _issues(tmp_path, text) == [("jinja-unsafe", 2)]
    assert not marker.exists()


def test_data_cannot_be_changed_in_place(tmp_path: Path) -> None:
    assert _issues(tmp_path, "{% set l = [1] %}\n{{ l.append(2) }}\n") == [("jinja-unsafe", 2)]


@pytest.mark.parametrize("template", [
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{{ 'x' * 10**9 }}",
    "{{ ([1] * 10**9)|length }}",
    "{{ 9 ** (9 ** 9) }}",
    "{% set ns = namespace(v=3) %}{% for i in range(40) %}{% set ns.v = ns.v * ns.v %}{% endfor %}{{ ns.v % 7 }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%999999999s'|format('x') }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=999999999) }}",
    "{{ ''.center(10**9) }}",
    "{{ 'a'|center(10**9) }}",
    "{{ ('a' * 1000000)|replace('a', 'b' * 1000) }}",
    "{{ ('a' * 1000000).replace('a', 'b' * 1000) }}",
    "{{ ('\\t' * 100000).expandtabs(100000) }}",
    "{{ ('x' * 1000000).join(range(100000)|map('string')) }}",
    "{{ (1).to_bytes(10**9, 'big') }}",
    "{{ [1]|batch(10**9, 0)|list }}",
    "{{ [1]|slice(10**9)|list }}",
    "{{ range(100000)|list|tojson(indent=100000) }}",
    "{{ (range(100000)|list|string) * 1000 }}",
    "{% for i in range(20) %}{{ 'x' * 1000000 }}{% endfor %}",
], ids=["range", "nested-loops", "macro-tree", "string-times", "list-times", "power", "int-squaring", "concat-doubling",
        "plus-doubling", "percent-width", "percent-star", "format-filter", "str-format", "str-format-nested",
        "center-method", "center-filter", "replace-filter", "replace-method", "expandtabs", "join-method",
        "to-bytes", "batch", "slice", "tojson-indent", "list-text-times", "output-size"])
def test_runaway_templates_stop_with_an_issue(tmp_path: Path, template: str) -> None:
    assert _issues(tmp_path, "version: 1\n" + template + "\n") == [("jinja-limit", 2)]


@pytest.mark.parametrize("template, expected", [
    ("{% for i in range(3) %}{{ '%03d'|format(i) }} {% endfor %}", "000 001 002 "),
    ("{{ ['a', 'b']|join(',') }}", "a,b"),
    ("{{ missing|default(7) + 1 }}", "8"),
    ("{{ 'x-' ~ 5 ~ '-y' }}", "x-5-y"),
    ("{{ 'ab' * 3 }}", "ababab"),
    ("{{ 2 ** 10 }}", "1024"),
    ("{{ '{}-{}'.format('a', 1) }}", "a-1"),
    ("{{ '%-6s|'|format('ab') }}", "ab    |"),
    ("{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(1) }}{{ m(2) }}", "<1><2>"),
    ("{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}", "6"),
    ("{{ {'b': 2, 'a': 1}|dictsort|map('first')|join }}", "ab"),
    ("{{ 'a b'|replace(' ', '-')|upper|center(7) }}", "  A-B  "),
    ("{{ [3, 1, 2]|sort|list|tojson }}", "[1, 2, 3]"),
    ("{% for a in ['x', 'y'] %}{{ loop.index }}{{ a }}{% endfor %}", "1x2y"),
], ids=["format-loop", "join", "default", "concat", "string-times", "power", "str-format", "format-width", "macro",
        "namespace", "dictsort", "filters", "tojson", "loop-index"])
def test_ordinary_jinja_still_works(tmp_path: Path, template: str, expected: str) -> None:
    assert _render(tmp_path, template) == expected


def test_the_shipped_many_accounts_example_renders_a_thousand_accounts(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    loaded = load_blueprint(root / "blueprints/examples/many-accounts.yaml", {"accounts": 1000, "units": 100})
    assert len(loaded.model.organization.accounts) == 1002


def test_every_undefined_variable_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("name: acme", "name: {{ prefix }}").replace(
        "aws+audit@example.com", "aws+audit@{{ domain }}").replace("Security, role: log-archive",
                                                                 "{{ ou.name }}, role: log-archive")
    text += "tags: {a: '{{ prefix }}', b: '{% for r in regions %}{{ r }}{% endfor %}'}\n"
    with pytest.raises(BlueprintError) as info:
        _render(tmp_path, text)
    got = [(i.code, i.line, i.message.split(": ", 1)[1]) for i in info.value.issues]
    assert got == [("jinja-undefined", 2, "'prefix' is undefined"), ("jinja-undefined", 12, "'ou' is undefined"),
                   ("jinja-undefined", 13, "'domain' is undefined"), ("jinja-undefined", 14, "'prefix' is undefined"),
                   ("jinja-undefined", 14, "'regions' is undefined")]


def test_an_undefined_variable_is_reported_instead_of_the_error_it_causes(tmp_path: Path) -> None:
    assert _issues(tmp_path, "version: 1\n{% for i in range(n) %}{% endfor %}\nname: {{ m + 1 }}\n") == [
        ("jinja-undefined", 2), ("jinja-undefined", 3)]


def test_policy_files_render_in_the_same_sandbox(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"Version": "{{ cycler.__init__.__globals__ }}",\n "x": "{{ a }}{{ b }}"}\n')
    path = tmp_path / "blueprint.yaml"
    path.write_text(MINIMAL + "policies:\n  - {name: p, type: service_control, file: p.json}\n")
    with pytest.raises(BlueprintError) as info:
        load_blueprint(path)
    assert [(i.code, Path(i.file).name, i.line, i.path) for i in info.value.issues] == [
        ("jinja-unsafe", "p.json", 1, "policies[p].file")]


def test_user_values_are_data_for_the_catalog_templates_never_templates(tmp_path: Path) -> None:
    """Guardrail parameters reach the catalog's own (trusted) templating as values, not as templates."""
    from landing_zone.plan import build_plan

    path = tmp_path / "blueprint.yaml"
    # {% raw %}: the blueprint is a template itself; the value that reaches the plan is the text.
    path.write_text(MINIMAL + "guardrails:\n  region_deny: {allowed_regions: [us-east-1], exempt_principals: "
                    "['arn:aws:iam::*:role/{% raw %}{{ 7 * 7 }}{% endraw %}'], units: [Root]}\n")
    plan = build_plan(load_blueprint(path))
    text = repr(plan)
    assert "role/{{ 7 * 7 }}" in text and "role/49" not in text
