"""Fuzz cases for blueprint loading: hand-written hostile inputs plus seeded mutations of the shipped blueprints.

Shared by tests/unit/blueprint/test_fuzz.py (about 300 cases in `make test`) and bench/fuzz.py (1,000
cases, with time and memory per case). A case is a folder of files; `run_case` loads and plans it
through the entry point the CLI uses and classifies the outcome. The cases themselves live in
fuzz_hostile.py (the hand-written list) and fuzz_mutations.py (seeded mutations).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

def read_shipped(relative: str) -> str:
    return (BLUEPRINTS / relative).read_text(encoding="utf-8")


def seeds() -> list[FuzzCase]:
    enterprise_files = {"blueprint.ids.yaml": read_shipped("enterprise.ids.yaml"),
                        "fragments/core-accounts.yaml": read_shipped("fragments/core-accounts.yaml"),
                        "policies/deny-leave-org.json": read_shipped("policies/deny-leave-org.json"),
                        "saml/adfs.xml": read_shipped("saml/adfs.xml")}
    return [
        FuzzCase("standard", read_shipped("standard.yaml"), {"blueprint.ids.yaml": read_shipped("standard.ids.yaml")}),
        FuzzCase("enterprise", read_shipped("enterprise.yaml"), enterprise_files),
        FuzzCase("many-accounts", read_shipped("examples/many-accounts.yaml"), variables=("accounts=12", "units=3")),
    ]


def rendered_data(case: FuzzCase, folder: Path) -> Any:
    from landing_zone.blueprint.load import render_blueprint
    from landing_zone.blueprint.variables import parse_variables

    path = write_case(case, folder)
    return yaml.safe_load(render_blueprint(path, parse_variables(list(case.variables), None)).text)


def all_cases(count: int, folder: Path, seed: int = SEED) -> list[FuzzCase]:
    """The hostile list plus enough seeded mutations for `count` cases in all."""
    from tests.unit.blueprint.fuzz_hostile import hostile
    from tests.unit.blueprint.fuzz_mutations import mutated

    fixed = hostile()
    return fixed + mutated(max(count - len(fixed), 0), folder, seed)


Runner = Callable[[Path, FuzzCase], Outcome]
