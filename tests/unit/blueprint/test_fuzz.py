"""Fuzzing the loader: no input, hostile or careless, ends in anything but a plan or a list of issues.

Every case goes through the entry point `lz validate` uses (load with variables, then build_plan).
The outcome must be a valid plan, or BlueprintError whose every issue has a code, a message and a
hint; any other exception fails with the case's name (re-run it alone with `-k NAME`). The cases
are the hand-written hostile list of fuzz_hostile.py plus seeded mutations of the shipped blueprints;
bench/fuzz.py runs 1,000 of them with time and memory per case.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.unit.blueprint.fuzz_cases import FuzzCase, all_cases, run_case, write_case
from tests.unit.blueprint.fuzz_hostile import hostile

CASES_IN_MAKE_TEST = 300
SLOW_CASE_S = 20      # a hang, not a slow machine: bench/fuzz.py holds the real target (< 5 s)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[FuzzCase]:
    return all_cases(CASES_IN_MAKE_TEST, tmp_path_factory.mktemp("fuzz-seeds"))


def test_the_fuzzer_covers_every_hostile_case_and_the_shipped_blueprints(cases: list[FuzzCase]) -> None:
    names = [c.name for c in cases]
    assert len(cases) == CASES_IN_MAKE_TEST and len(set(names)) == len(names)
    assert {c.name for c in hostile()} <= set(names)
    assert {n.split("-", 1)[1].split("-")[0] for n in names if n[:4].isdigit()} >= {"standard", "enterprise", "many"}


def test_the_mutations_are_the_same_every_run(tmp_path: Path) -> None:
    first = [(c.name, c.blueprint) for c in all_cases(160, tmp_path / "a")]
    again = [(c.name, c.blueprint) for c in all_cases(160, tmp_path / "b")]
    assert first == again


def test_no_case_ends_in_a_traceback(cases: list[FuzzCase], tmp_path: Path) -> None:
    failures, kinds = [], {"valid": 0, "issues": 0, "traceback": 0}
    for index, case in enumerate(cases):
        path = write_case(case, tmp_path / f"case-{index}")
        started = time.perf_counter()
        outcome = run_case(path, case)
        elapsed = time.perf_counter() - started
        kinds[outcome.kind] += 1
        if outcome.kind == "traceback":
            failures.append(f"{case.name}:\n{outcome.detail}")
        elif elapsed > SLOW_CASE_S:
            failures.append(f"{case.name}: took {elapsed:.1f} s")
    assert not failures, f"{len(failures)} of {len(cases)} cases failed:\n\n" + "\n\n".join(failures[:5])
    # The mix is what makes the run meaningful: most inputs are broken, some still load.
    assert kinds["issues"] > len(cases) // 2 and kinds["valid"] >= 10, kinds
