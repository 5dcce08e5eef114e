"""Files a blueprint names: confined to its folder (or --allow-dir), regular, bounded, read once by the loader."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from landing_zone.blueprint.confine import FileProblem, Scope, read_named
from landing_zone.blueprint.issues import BlueprintError, Issue, format_issues
from landing_zone.blueprint.jsonpos import json_lines, pointer_loc
from landing_zone.blueprint.load import context_dirs, load_blueprint
from landing_zone.cli import cli
from landing_zone.plan import build_plan
from tests.unit.blueprint.fuzz_hostile import MINIMAL, POLICY

ROOT = Path(__file__).resolve().parents[3]


def _policy(written: str) -> str:
    return MINIMAL + f"policies:\n  - {{name: p, type: service_control, file: '{written}', targets: {{units: [Root]}}}}\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """tmp/bp/ holds the blueprint; tmp/outside.json and tmp/common/ lie outside it."""
    (tmp_path / "bp" / "policies").mkdir(parents=True)
    (tmp_path / "bp" / "policies" / "p.json").write_text(POLICY)
    (tmp_path / "outside.json").write_text(POLICY)
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "p.json").write_text(POLICY)
    (tmp_path / "common" / "core.yaml").write_text("governed_regions: [us-east-1]\n")
    return tmp_path


def _codes(path: Path, allow: tuple = ()) -> list[tuple[str, str]]:
    try:
        load_blueprint(path, allow_dirs=allow)
    except BlueprintError as exc:
        return [(i.code, i.path) for i in exc.issues]
    return []


@pytest.mark.parametrize("written, link, expected", [
    ("policies/p.json", None, []),
    ("./policies/../policies/p.json", None, []),
    ("../outside.json", None, [("file-outside-folder", "policies[p].file")]),
    ("{tmp}/outside.json", None, [("file-outside-folder", "policies[p].file")]),
    ("/etc/passwd", None, [("file-outside-folder", "policies[p].file")]),
    ("/dev/zero", None, [("file-outside-folder", "policies[p].file")]),
    ("policies/link.json", "../../outside.json", [("file-outside-folder", "policies[p].file")]),
    ("policies/link.json", "p.json", []),
    ("policies/link.json", "/dev/zero", [("file-outside-folder", "policies[p].file")]),
    ("policies/loop.json", "loop.json", [("file-unreadable", "policies[p].file")]),
    ("policies", None, [("file-not-regular", "policies[p].file")]),
    ("p\\0.json", None, [("file-path-invalid", "policies[p].file")]),
    ("missing.json", None, [("policy-file-not-found", "policies[p].file")]),
], ids=["inside", "dot-dot-inside", "dot-dot-out", "absolute-out", "etc-passwd", "dev-zero", "symlink-out",
        "symlink-in", "symlink-to-device", "symlink-loop", "folder", "nul", "missing"])
def test_policy_files_stay_in_the_blueprint_folder(folder: Path, written: str, link: str | None,
                                                   expected: list) -> None:
    if link:
        os.symlink(link, folder / "bp" / written)
    text = _policy(written.format(tmp=folder)).replace("'p\\0.json'", '"p\\0.json"')
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(text)
    assert _codes(path) == expected


def test_a_fifo_is_refused_without_waiting_for_a_writer(folder: Path) -> None:
    os.mkfifo(folder / "bp" / "policies" / "pipe.json")
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(_policy("policies/pipe.json"))
    assert _codes(path) == [("file-not-regular", "policies[p].file")]


def test_allow_dir_lets_the_blueprint_read_another_folder(folder: Path) -> None:
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(_policy("../common/p.json"))
    assert _codes(path) == [("file-outside-folder", "policies[p].file")]
    assert _codes(path, (folder / "common",)) == []
    assert _codes(path, (folder / "elsewhere",)) == [("file-outside-folder", "policies[p].file")]


def test_includes_come_from_the_blueprint_folder_then_each_allowed_folder(folder: Path) -> None:
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(MINIMAL.replace("governed_regions: [us-east-1, eu-west-1]\n", '{% include "core.yaml" %}\n'))
    assert _codes(path) == [("jinja-include-not-found", "")]
    assert load_blueprint(path, allow_dirs=[folder / "common"]).model.governed_regions == ["us-east-1"]


def test_the_ids_file_is_read_like_a_file_the_blueprint_names(folder: Path) -> None:
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(MINIMAL)
    os.symlink("/dev/zero", folder / "bp" / "blueprint.ids.yaml")
    with pytest.raises(BlueprintError) as info:
        load_blueprint(path)
    assert [(i.code, Path(i.file).name) for i in info.value.issues] == [("file-outside-folder", "blueprint.ids.yaml")]


def test_files_are_read_up_to_the_cap_and_no_further(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from landing_zone.blueprint import limits

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    big = folder / "bp" / "big.json"
    big.write_text(" " * 101)
    with pytest.raises(FileProblem) as info:
        read_named(big, "big.json")
    assert info.value.code == "file-too-large"
    big.write_text(" " * 100)
    assert read_named(big, "big.json") == " " * 100


@pytest.mark.parametrize("value, expected", [
    (None, []), ("", []), ("a", ["a"]), (f"a{os.pathsep}b", ["a", "b"]), (["a", "b"], ["a", "b"]),
], ids=["none", "empty", "one", "pathsep", "list"])
def test_cdk_context_allow_dir(value: object, expected: list[str]) -> None:
    assert context_dirs(value) == expected


def test_lz_validate_and_render_take_allow_dir(folder: Path) -> None:
    path = folder / "bp" / "blueprint.yaml"
    path.write_text(_policy("../common/p.json"))
    refused = CliRunner().invoke(cli, ["validate", str(path)])
    assert refused.exit_code == 1 and "[file-outside-folder]" in refused.output and "--allow-dir" in refused.output
    allowed = CliRunner().invoke(cli, ["validate", str(path), "--allow-dir", str(folder / "common")])
    assert allowed.exit_code == 0, allowed.output
    path.write_text('{% include "core.yaml" %}\n')
    rendered = CliRunner().invoke(cli, ["render", str(path), "--allow-dir", str(folder / "common")])
    assert rendered.output == "governed_regions: [us-east-1]\n\n"


def test_scope_is_the_blueprint_folder_resolved(folder: Path) -> None:
    os.symlink(folder / "bp", folder / "bp-link")
    scope = Scope.of(folder / "bp-link" / "blueprint.yaml", [folder / "common"])
    assert scope.roots == ((folder / "bp").resolve(), (folder / "common").resolve())


# ---------- the loader reads every file; the plan reads none ----------

def test_the_loaded_blueprint_holds_every_file_it_names_and_the_plan_opens_none(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_blueprint(ROOT / "blueprints" / "enterprise.yaml")
    assert sorted(loaded.files.json) == ["policies/deny-leave-org.json"]
    assert sorted(loaded.files.text) == ["saml/adfs.xml"]
    assert loaded.files.text["saml/adfs.xml"].content.startswith("<")
    blueprint_folder = str((ROOT / "blueprints").resolve())
    opened: list[str] = []
    real_open = open

    def watching_open(file, *args, **kwargs):   # noqa: ANN001, ANN002, ANN003
        if str(Path(str(file)).resolve()).startswith(blueprint_folder):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    monkeypatch.setattr(os, "open", lambda *a, **k: (_ for _ in ()).throw(AssertionError(f"os.open{a}")))
    plan = build_plan(loaded)
    assert plan.stacks and opened == []


def test_a_problem_inside_an_inline_policy_file_is_reported_at_its_json_line(tmp_path: Path) -> None:
    (tmp_path / "role.json").write_text('{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow",\n'
                                        '    "Action": "s3:GetObjects", "Resource": "*"}]\n}\n')
    text = MINIMAL.replace("role: audit}", "role: audit}\n    - {name: identity, email: aws+id@example.com, "
                           "unit: Security, role: identity}") + (
        "identity:\n  oidc_providers:\n    - name: gh\n      url: https://token.actions.githubusercontent.com\n"
        "      client_ids: [sts.amazonaws.com]\n      roles:\n        - name: deploy\n"
        "          conditions: {StringEquals: {'token.actions.githubusercontent.com:sub': 'repo:a/b:ref:refs/heads/main',"
        " 'token.actions.githubusercontent.com:aud': sts.amazonaws.com}}\n"
        "          inline_policy: {file: role.json}\n")
    path = tmp_path / "blueprint.yaml"
    path.write_text(text)
    with pytest.raises(BlueprintError) as info:
        build_plan(load_blueprint(path))
    assert [(i.code, Path(i.file).name, i.line, i.path) for i in info.value.issues] == [
        ("unknown-action", "role.json", 4, "identity.oidc_providers[gh].roles[deploy].inline_policy.file")]


# ---------- JSON positions and issue order ----------

DOCUMENT = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "One",
      "Action": ["s3:GetObject",
                 "s3:PutObject"],
      "Condition": {"StringLike": {"aws:PrincipalTag/team.name": "x"}}
    },
    {"Sid": "Two", "Action": "ec2:*"}
  ]
}"""


@pytest.mark.parametrize("pointer, line", [
    ("", 1), ("Version", 2), ("Statement[One].Action[1]", 7), ("Statement[1].Action", 10),
    ("Statement[One].Condition.StringLike.aws:PrincipalTag/team.name", 8), ("Statement[Two]", 10),
    ("Statement[Nope].Action", 3), ("Unknown", 1),
], ids=["document", "key", "sid-index", "index", "dotted-condition-key", "statement", "unknown-sid", "unknown-key"])
def test_a_lint_pointer_finds_its_json_line(pointer: str, line: int) -> None:
    import json

    from landing_zone.blueprint.jsonpos import line_of

    lines = json_lines(DOCUMENT)
    assert line_of(lines, pointer_loc(json.loads(DOCUMENT), pointer)) == line


def test_issues_print_in_file_order() -> None:
    issues = [Issue("b", "m", "h", file="z.yaml", line=1), Issue("a", "m", "h", file="a.json", line=9),
              Issue("c", "m", "h", file="a.json", line=2)]
    text = format_issues(issues)
    assert text.index("a.json:2") < text.index("a.json:9") < text.index("z.yaml:1")


@pytest.mark.parametrize("content", [b'a: "x\x00"\n', b"a: " + b"1" * 5000 + b"\n", b"a: \xff\n", b"[1\n"],
                         ids=["nul", "huge-int", "not-utf8", "syntax"])
def test_a_broken_vars_file_is_an_issue(tmp_path: Path, content: bytes) -> None:
    from landing_zone.blueprint.variables import parse_variables

    (tmp_path / "vars.yaml").write_bytes(content)
    with pytest.raises(BlueprintError) as info:
        parse_variables([], str(tmp_path / "vars.yaml"))
    assert [i.code for i in info.value.issues] in (["vars-file-invalid"], ["vars-file-unreadable"])
