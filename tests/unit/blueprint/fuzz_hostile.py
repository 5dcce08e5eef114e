"""Hand-written hostile and careless blueprints for the loader fuzzer: every crash and hang found so far, and more."""
from __future__ import annotations

from tests.unit.blueprint.fuzz_cases import FuzzCase, read_shipped

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
SAML = read_shipped("saml/adfs.xml")


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
        FuzzCase("jinja-long-sum", _jinja("{{ " + "+".join(["1"] * 20000) + " }}")),
        FuzzCase("jinja-nested-ifs", "{% if 1 %}" * 300 + MINIMAL + "{% endif %}" * 300),
        FuzzCase("jinja-nested-fors", "{% for i in [1] %}" * 300 + MINIMAL + "{% endfor %}" * 300),
        FuzzCase("jinja-extends-self", '{% extends "blueprint.yaml" %}\n' + MINIMAL),
        FuzzCase("jinja-deep-list", _jinja("{{ " + "[" * 3000 + "]" * 3000 + " }}")),
        FuzzCase("jinja-nested-call", "{% macro m() %}{{ caller() }}{% endmacro %}" + "{% call m() %}" * 200 + MINIMAL
                 + "{% endcall %}" * 200),
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
