"""Fuzz cases for blueprint loading: hand-written hostile inputs plus seeded mutations of the shipped blueprints.

Shared by tests/unit/blueprint/test_fuzz.py (about 300 cases in `make test`) and bench/fuzz.py (1,000
cases, with time and memory per case). A case is a folder of files; `run_case` loads and plans it
through the entry point the CLI uses and classifies the outcome.
"""
from __future__ import annotations

import copy
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parents[3]
BLUEPRINTS = ROOT / "blueprints"
SEED = 20240501          # fixed: the same cases every run


@dataclass(frozen=True)
class FuzzCase:
    name: str
    blueprint: str | bytes                                    # blueprint.yaml
    files: dict[str, str | bytes] = field(default_factory=dict)   # more files, relative to the case folder
    links: dict[str, str] = field(default_factory=dict)       # symlinks: relative path → target
    fifos: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()                           # NAME=value pairs (--var)


@dataclass(frozen=True)
class Outcome:
    kind: str            # valid | issues | traceback
    detail: str = ""


def write_case(case: FuzzCase, folder: Path) -> Path:
    """Write the case under `folder`/case (and `folder`/outside.json, which it must not be able to read)."""
    base = folder / "case"
    base.mkdir(parents=True, exist_ok=True)
    (folder / "outside.json").write_text('{"Version": "2012-10-17", "Statement": []}\n', encoding="utf-8")
    for relative, content in {"blueprint.yaml": case.blueprint, **case.files}.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
    for relative, target in case.links.items():
        (base / relative).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, base / relative)
    for relative in case.fifos:
        (base / relative).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(base / relative)
    return base / "blueprint.yaml"


def run_case(path: Path, case: FuzzCase) -> Outcome:
    """load + build_plan, like `lz validate`: a valid plan, or BlueprintError whose every issue is complete."""
    from landing_zone.blueprint.issues import BlueprintError
    from landing_zone.blueprint.load import load_with_variables
    from landing_zone.plan import build_plan

    try:
        build_plan(load_with_variables(path, list(case.variables), None))
    except BlueprintError as exc:
        for issue in exc.issues:
            text = issue.format()
            text.encode("utf-8")       # printable on any terminal
            if not (issue.code and issue.message and issue.hint):
                return Outcome("traceback", f"incomplete issue: {text!r}")
        return Outcome("issues", "; ".join(sorted({i.code for i in exc.issues})))
    except BaseException as exc:  # noqa: BLE001 - that is what the fuzzer looks for
        if isinstance(exc, KeyboardInterrupt):
            raise
        import traceback
        return Outcome("traceback", "".join(traceback.format_exception(exc))[-3000:])
    return Outcome("valid")


# ---------- the shipped blueprints the mutations start from ----------

def _read(relative: str) -> str:
    return (BLUEPRINTS / relative).read_text(encoding="utf-8")


def seeds() -> list[FuzzCase]:
    enterprise_files = {"blueprint.ids.yaml": _read("enterprise.ids.yaml"),
                        "fragments/core-accounts.yaml": _read("fragments/core-accounts.yaml"),
                        "policies/deny-leave-org.json": _read("policies/deny-leave-org.json"),
                        "saml/adfs.xml": _read("saml/adfs.xml")}
    return [
        FuzzCase("standard", _read("standard.yaml"), {"blueprint.ids.yaml": _read("standard.ids.yaml")}),
        FuzzCase("enterprise", _read("enterprise.yaml"), enterprise_files),
        FuzzCase("many-accounts", _read("examples/many-accounts.yaml"), variables=("accounts=12", "units=3")),
    ]


def _rendered_data(case: FuzzCase, folder: Path) -> Any:
    from landing_zone.blueprint.load import render_blueprint
    from landing_zone.blueprint.variables import parse_variables

    path = write_case(case, folder)
    return yaml.safe_load(render_blueprint(path, parse_variables(list(case.variables), None)).text)


# ---------- hand-written hostile inputs ----------

MINIMAL = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units:
    - name: Security
  accounts:
    - {name: log-archive, email: aws+log-archive@example.com, unit: Security, role: log-archive}
    - {name: audit, email: aws+audit@example.com, unit: Security, role: audit}
"""
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}\n'
SAML = _read("saml/adfs.xml")


def _with(extra: str) -> str:
    return MINIMAL + extra


def _policy_file(written: str) -> str:
    return _with(f"policies:\n  - {{name: p, type: service_control, file: {written}, targets: {{units: [Root]}}}}\n")


def _saml_file(written: str) -> str:
    return _with("identity:\n  saml_providers:\n    - name: corp\n"
                 f"      metadata_file: {written}\n      account: audit\n")


def _jinja(expression: str) -> str:
    return MINIMAL.replace("name: acme", f"name: acme{expression}", 1)


def _laughs(levels: int, prefix: str = "") -> str:
    lines = [f'{prefix}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{prefix}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int) -> str:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    lines += [f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + f"], k{i}: 1}}" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


XML_BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
            + ']>\n<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">&lol9;</EntityDescriptor>\n')
XML_XXE = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">&xxe;</EntityDescriptor>\n')


def hostile() -> list[FuzzCase]:
    cases = [
        # Jinja2: escapes, runaway loops and values
        FuzzCase("jinja-sandbox-escape", _jinja("{{ cycler.__init__.__globals__.os.system('true') }}")),
        FuzzCase("jinja-sandbox-escape-mro", _jinja("{{ ''.__class__.__mro__[1].__subclasses__() }}")),
        FuzzCase("jinja-sandbox-escape-format", _jinja("{{ '{0.__class__.__mro__}'.format('') }}")),
        FuzzCase("jinja-sandbox-mutate", _jinja("{% set l = [] %}{{ l.append(1) }}")),
        FuzzCase("jinja-range-huge", "{% for i in range(10**9) %}x{% endfor %}\n" + MINIMAL),
        FuzzCase("jinja-nested-loops", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
                 "{% endfor %}\n" + MINIMAL),
        FuzzCase("jinja-string-times", _jinja("{{ 'x' * 10**9 }}")),
        FuzzCase("jinja-list-times", _jinja("{{ ([1] * 10**9)|length }}")),
        FuzzCase("jinja-power-tower", _jinja("{{ 9 ** (9 ** 9) }}")),
        FuzzCase("jinja-int-squaring", _jinja("{% set ns = namespace(v=3) %}{% for i in range(40) %}"
                                              "{% set ns.v = ns.v * ns.v %}{% endfor %}{{ ns.v % 7 }}")),
        FuzzCase("jinja-percent-width", _jinja("{{ '%999999999d' % 1 }}")),
        FuzzCase("jinja-percent-star", _jinja("{{ '%*d' % (999999999, 1) }}")),
        FuzzCase("jinja-format-filter-width", _jinja("{{ '%999999999s'|format('x') }}")),
        FuzzCase("jinja-str-format-width", _jinja("{{ '{:>999999999}'.format(1) }}")),
        FuzzCase("jinja-str-format-nested", _jinja("{{ '{:>{w}}'.format(1, w=999999999) }}")),
        FuzzCase("jinja-center-method", _jinja("{{ ''.center(10**9) }}")),
        FuzzCase("jinja-center-filter", _jinja("{{ 'a'|center(10**9) }}")),
        FuzzCase("jinja-indent-string", _jinja("{{ ('a\\n' * 1000000)|indent('x' * 100000) }}")),
        FuzzCase("jinja-expandtabs", _jinja("{{ ('\\t' * 100000).expandtabs(100000) }}")),
        FuzzCase("jinja-replace-grow", _jinja("{{ ('a' * 1000000).replace('a', 'b' * 1000) }}")),
        FuzzCase("jinja-replace-filter", _jinja("{{ ('a' * 1000000)|replace('a', 'b' * 1000) }}")),
        FuzzCase("jinja-join-grow", _jinja("{{ ('x' * 1000000).join(range(100000)|map('string')) }}")),
        FuzzCase("jinja-to-bytes", _jinja("{{ (1).to_bytes(10**9, 'big')|length }}")),
        FuzzCase("jinja-batch-fill", _jinja("{{ [1]|batch(10**9, 0)|list|length }}")),
        FuzzCase("jinja-slice-count", _jinja("{{ [1]|slice(10**9)|list|length }}")),
        FuzzCase("jinja-tojson-indent", _jinja("{{ range(100000)|list|tojson(indent=100000) }}")),
        FuzzCase("jinja-concat-doubling", _jinja("{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                                                 "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}")),
        FuzzCase("jinja-plus-doubling", _jinja("{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
                                               "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}")),
        FuzzCase("jinja-list-string", _jinja("{{ (range(100000)|list|string) * 1000 }}")),
        FuzzCase("jinja-macro-tree", "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                 "{% endmacro %}{{ f(40) }}\n" + MINIMAL),
        FuzzCase("jinja-macro-forever", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\n" + MINIMAL),
        FuzzCase("jinja-macro-output", "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% else %}"
                 "{{ 'x' * 1000000 }}{% endif %}{% endmacro %}{{ f(30) }}\n" + MINIMAL),
        FuzzCase("jinja-include-self", '{% include "blueprint.yaml" %}\n' + MINIMAL),
        FuzzCase("jinja-include-outside", '{% include "../outside.json" %}\n' + MINIMAL),
        FuzzCase("jinja-include-absolute", '{% include "/etc/passwd" %}\n' + MINIMAL),
        FuzzCase("jinja-include-symlink-out", '{% include "fragments/x.yaml" %}\n' + MINIMAL,
                 links={"fragments/x.yaml": "/etc/passwd"}),
        FuzzCase("jinja-include-dev-zero", '{% include "fragments/z.yaml" %}\n' + MINIMAL,
                 links={"fragments/z.yaml": "/dev/zero"}),
        FuzzCase("jinja-include-fifo", '{% include "fragments/pipe.yaml" %}\n' + MINIMAL, fifos=("fragments/pipe.yaml",)),
        FuzzCase("jinja-undefined-many", MINIMAL.replace("acme", "{{ a }}").replace("us-east-1, eu", "{{ b }}, eu")),
        FuzzCase("jinja-undefined-range", "{% for i in range(n) %}{% endfor %}\n" + MINIMAL),
        FuzzCase("jinja-undefined-arith", _jinja("{{ n + 1 }}")),
        FuzzCase("jinja-syntax", "{% for %}\n" + MINIMAL),
        FuzzCase("jinja-raw-unclosed", "{% raw %}\n" + MINIMAL),
        FuzzCase("jinja-nul-output", _jinja('{{ "\\x00" }}')),
        FuzzCase("jinja-surrogate-output", _jinja('{{ "\\ud800" }}')),
        FuzzCase("jinja-marker-spoof", MINIMAL.replace("name: acme", "name: acme #\u2063lz:99:5\n# #\u2063lz:0:"
                                                       + "9" * 5000)),
        FuzzCase("jinja-deep-parens", _jinja("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")),
        FuzzCase("jinja-user-value-not-template", _with("tags: {Owner: '{{ 7 * 7 }}'}\n")),
        # YAML: bombs, recursion, depth, control characters, values YAML cannot build
        FuzzCase("yaml-billion-laughs", _laughs(9) + MINIMAL),
        FuzzCase("yaml-billion-laughs-in-tags", MINIMAL + "tags:\n" + _laughs(9, "  ")),
        FuzzCase("yaml-laughs-under-cap", MINIMAL + "tags: " + "{}\n" + _laughs(5)),
        FuzzCase("yaml-merge-bomb", _merge_bomb(9) + MINIMAL),
        FuzzCase("yaml-alias-self-list", _with("tags: &a [*a]\n")),
        FuzzCase("yaml-alias-self-map", _with("tags: &a {b: *a}\n")),
        FuzzCase("yaml-alias-undefined", _with("tags: *nothing\n")),
        FuzzCase("yaml-anchor-twice", _with("tags: &a {x: &a y}\n")),
        FuzzCase("yaml-deep-mapping", MINIMAL + "tags: " + "{a: " * 400 + "1" + "}" * 400 + "\n"),
        FuzzCase("yaml-deep-flow", MINIMAL + "tags: " + "[" * 100000 + "\n"),
        FuzzCase("yaml-deep-block", MINIMAL + "tags:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300))),
        FuzzCase("yaml-merge-chain", "".join(f"m{i}: &m{i} {{<<: *m{i - 1}}}\n" if i else "m0: &m0 {a: 1}\n"
                                             for i in range(1500)) + MINIMAL),
        FuzzCase("yaml-nul", MINIMAL.replace("acme", "ac\x00me")),
        FuzzCase("yaml-control-bell", MINIMAL.replace("acme", "ac\x07me")),
        FuzzCase("yaml-escaped-nul", MINIMAL.replace("name: acme", 'name: "ac\\0me"')),
        FuzzCase("yaml-huge-int", MINIMAL.replace('"111111111111"', "1" * 5000)),
        FuzzCase("yaml-huge-int-key", _with("tags: {" + "1" * 5000 + ": x}\n")),
        FuzzCase("yaml-bad-timestamp", _with("tags: {when: 2024-13-45}\n")),
        FuzzCase("yaml-bad-timestamp-key", _with("tags: {2024-13-45: x}\n")),
        FuzzCase("yaml-bad-float-tag", _with("tags: {x: !!float abc}\n")),
        FuzzCase("yaml-bad-int-tag", _with("tags: {x: !!int abc}\n")),
        FuzzCase("yaml-bad-binary", _with("tags: {x: !!binary '%%%'}\n")),
        FuzzCase("yaml-python-object", _with("tags: !!python/object/apply:os.system ['true']\n")),
        FuzzCase("yaml-unknown-tag", _with("tags: !custom {x: 1}\n")),
        FuzzCase("yaml-complex-key", _with("tags:\n  ? [a, b]\n  : c\n")),
        FuzzCase("yaml-alias-key", _with("x: &k [1]\ntags: {*k : 1}\n")),
        FuzzCase("yaml-set-tag", _with("tags: !!set {a, b}\n")),
        FuzzCase("yaml-two-documents", MINIMAL + "---\nversion: 2\n"),
        FuzzCase("yaml-empty", ""),
        FuzzCase("yaml-only-comment", "# nothing\n"),
        FuzzCase("yaml-top-list", "- a\n- b\n"),
        FuzzCase("yaml-top-scalar", "hello\n"),
        FuzzCase("yaml-not-utf8", MINIMAL.encode() + b"tags: {a: \xff\xfe}\n"),
        FuzzCase("yaml-bom", "\ufeff" + MINIMAL),
        FuzzCase("yaml-duplicate-key", MINIMAL + "name: again\n"),
        FuzzCase("yaml-long-scalar", _with("tags: {x: '" + "y" * 1_000_000 + "'}\n")),
        FuzzCase("yaml-many-issues", _with("governed_regions: [" + ", ".join(["1"] * 20000) + "]\n")
                 .replace("governed_regions: [us-east-1, eu-west-1]\n", "", 1)),
        FuzzCase("yaml-accounts-by-alias", MINIMAL.replace("  accounts:\n", "  accounts:\n    - &acc {name: a0, "
                                                           "email: aws+a@example.com, unit: Security}\n"
                                                           + "    - *acc\n" * 5000)),
        # just under the YAML cap: the whole pipeline runs on 60,000 OUs or 25,000 accounts
        FuzzCase("yaml-units-by-alias-under-cap", MINIMAL.replace("    - name: Security\n", "    - &u {name: Security}\n"
                                                                  + "    - *u\n" * 60_000)),
        FuzzCase("yaml-accounts-by-alias-under-cap", MINIMAL.replace("  accounts:\n", "  accounts:\n    - &acc {name: "
                                                                     "a0, email: aws+a@example.com, unit: Security}\n"
                                                                     + "    - *acc\n" * 25_000)),
        # the shapes that crashed the loader: account names that are not strings, with an ids file
        FuzzCase("account-name-mapping", MINIMAL.replace("{name: audit,", "{name: {x: 1},"),
                 {"blueprint.ids.yaml": "organization:\n  accounts: {audit: '333333333333'}\n"}),
        FuzzCase("account-name-list", MINIMAL.replace("{name: audit,", "{name: [a],"),
                 {"blueprint.ids.yaml": "organization:\n  accounts: {audit: '333333333333'}\n  units: {Security: "
                                        "ou-ab12-cdef3456}\n"}),
        FuzzCase("units-not-list", MINIMAL.replace("    - name: Security\n", "      {name: Security}\n"),
                 {"blueprint.ids.yaml": "organization:\n  units: {Security: ou-ab12-cdef3456}\n"}),
        # ids file
        FuzzCase("ids-billion-laughs", MINIMAL, {"blueprint.ids.yaml": _laughs(9) + "organization: {}\n"}),
        FuzzCase("ids-dev-zero", MINIMAL, links={"blueprint.ids.yaml": "/dev/zero"}),
        FuzzCase("ids-symlink-out", MINIMAL, links={"blueprint.ids.yaml": "../outside.json"}),
        FuzzCase("ids-fifo", MINIMAL, fifos=("blueprint.ids.yaml",)),
        FuzzCase("ids-folder", MINIMAL, {"blueprint.ids.yaml/x": "x"}),
        FuzzCase("ids-nul", MINIMAL, {"blueprint.ids.yaml": "organization: {accounts: {audit: '3\x00'}}\n"}),
        FuzzCase("ids-deep", MINIMAL, {"blueprint.ids.yaml": "organization: " + "[" * 5000 + "\n"}),
        # files the blueprint names
        FuzzCase("policy-dev-zero", _policy_file("/dev/zero")),
        FuzzCase("policy-etc-passwd", _policy_file("/etc/passwd")),
        FuzzCase("policy-dot-dot", _policy_file("../outside.json")),
        FuzzCase("policy-symlink-out", _policy_file("policies/x.json"), links={"policies/x.json": "../../outside.json"}),
        FuzzCase("policy-symlink-loop", _policy_file("policies/loop.json"), links={"policies/loop.json": "loop.json"}),
        FuzzCase("policy-fifo", _policy_file("policies/pipe.json"), fifos=("policies/pipe.json",)),
        FuzzCase("policy-folder", _policy_file("policies"), {"policies/p.json": POLICY}),
        FuzzCase("policy-nul-in-path", _policy_file('"p\\0.json"')),
        FuzzCase("policy-empty-path", _policy_file('""')),
        FuzzCase("policy-long-path", _policy_file("a" * 5000)),
        FuzzCase("policy-too-large", _policy_file("big.json"), {"big.json": " " * (11 * 1024 * 1024)}),
        FuzzCase("policy-not-utf8", _policy_file("p.json"), {"p.json": b'{"Version": "\xff"}'}),
        FuzzCase("policy-deep-json", _policy_file("p.json"), {"p.json": "[" * 100000}),
        FuzzCase("policy-deep-json-valid", _policy_file("p.json"), {"p.json": "[" * 900 + "]" * 900}),
        FuzzCase("policy-huge-number", _policy_file("p.json"), {"p.json": '{"Version": ' + "9" * 5000 + "}"}),
        FuzzCase("policy-nan", _policy_file("p.json"), {"p.json": '{"Version": NaN, "Statement": []}'}),
        FuzzCase("policy-top-list", _policy_file("p.json"), {"p.json": "[1, 2]"}),
        FuzzCase("policy-jinja-escape", _policy_file("p.json"), {"p.json": '{"V": "{{ cycler.__init__.__globals__ }}"}'}),
        FuzzCase("policy-jinja-loop", _policy_file("p.json"), {"p.json": "{% for i in range(10**9) %}{% endfor %}"}),
        FuzzCase("policy-jinja-undefined", _policy_file("p.json"), {"p.json": '{"a": "{{ x }}", "b": "{{ y }}"}'}),
        FuzzCase("policy-nul-char", _policy_file("p.json"), {"p.json": '{"Version": "\x00"}'}),
        FuzzCase("policy-lint-problems", _policy_file("p.json"), {"p.json": POLICY.replace("s3:*", "s3:GetObjects")}),
        FuzzCase("policy-inline-date", _with("policies:\n  - {name: p, type: service_control, document: {Version: "
                 "'2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*', Condition: {DateGreaterThan: "
                 "{'aws:CurrentTime': 2024-01-01}}}]}}\n")),
        FuzzCase("policy-inline-number-key", _with("policies:\n  - {name: p, type: tag, document: {tags: {1: {tag_key: "
                                                   "{'@@assign': x}}}}}\n")),
        FuzzCase("policy-inline-set", _with("policies:\n  - {name: p, type: backup, document: {plans: !!set {a, b}}}\n")),
        FuzzCase("policy-ai-assign-list", _with("policies:\n  - {name: p, type: ai_opt_out, document: {services: "
                                                "{default: {opt_out_policy: {'@@assign': [optOut]}}}}}\n")),
        FuzzCase("guardrail-parameter-date-in-list", _with("guardrails:\n  enable:\n    - {control: "
                                                           "AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED, units: [Root], "
                                                           "parameters: {bucket_arns: [2024-01-01]}}\n")),
        FuzzCase("guardrail-parameter-dict-in-list", _with("guardrails:\n  enable:\n    - {control: "
                                                           "AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED, units: [Root], "
                                                           "parameters: {bucket_arns: [{a: 1}]}}\n")),
        FuzzCase("saml-dev-zero", _saml_file("/dev/zero")),
        FuzzCase("saml-outside", _saml_file("../outside.json")),
        FuzzCase("saml-xml-bomb", _saml_file("saml.xml"), {"saml.xml": XML_BOMB}),
        FuzzCase("saml-xxe", _saml_file("saml.xml"), {"saml.xml": XML_XXE}),
        FuzzCase("saml-not-xml", _saml_file("saml.xml"), {"saml.xml": "<<<" * 1000}),
        FuzzCase("saml-valid", _saml_file("saml.xml"), {"saml.xml": SAML}),
        FuzzCase("saml-nul-path", _saml_file('"s\\0.xml"')),
    ]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "hostile case names must be unique"
    return cases


# ---------- seeded mutations ----------

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
        datas[base.name] = _rendered_data(base, folder / f"seed-{base.name}")
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


def all_cases(count: int, folder: Path, seed: int = SEED) -> list[FuzzCase]:
    """The hostile list plus enough seeded mutations for `count` cases in all."""
    fixed = hostile()
    return fixed + mutated(max(count - len(fixed), 0), folder, seed)


Runner = Callable[[Path, FuzzCase], Outcome]
