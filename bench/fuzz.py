"""Fuzz blueprint loading (1,000 cases by default) and report outcomes, time and memory per case as Markdown.

    .venv/bin/python bench/fuzz.py [--cases N] [--seed S] [--timeout S] [--json FILE]

The cases are tests/unit/blueprint/fuzz_cases.py's: the hand-written hostile list, then seeded
mutations of the shipped blueprints (the same cases every run for one seed; `make test` runs the
first 300). Each case runs in its own forked child process, through `load` + `build_plan` like
`lz validate`: wall time is measured from fork to exit, peak memory is the child's ru_maxrss from
wait4 (which includes the pages it shares with this process at the fork, so the baseline is shown
too). A child that runs past --timeout is killed and counted as a timeout.
Exit status: 0 when no case ended in a traceback or a timeout, 1 otherwise (they are listed).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.blueprint.fuzz_cases import SEED, FuzzCase, all_cases, run_case, write_case  # noqa: E402

# Targets per case (issue "Hostile and careless input").
CASE_MAX_S = 5.0
CASE_MAX_MB = 500.0
KB = 1024


@dataclass
class Result:
    case: str
    kind: str          # valid | issues | traceback | timeout
    wall_s: float
    peak_mb: float
    detail: str


def resident_mb() -> float:
    """This process's resident memory now (what a forked child starts with), not its peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (KB * KB)
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KB


def run_forked(case: FuzzCase, folder: Path, timeout: float) -> Result:
    path = write_case(case, folder)
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:                                          # the child: one case, then exit
        os.close(read_end)
        signal.alarm(int(timeout) + 1)
        try:
            outcome = run_case(path, case)
            payload = json.dumps({"kind": outcome.kind, "detail": outcome.detail[-2000:]})
        except BaseException as exc:  # noqa: BLE001 - report whatever escaped
            payload = json.dumps({"kind": "traceback", "detail": repr(exc)})
        os.write(write_end, payload.encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / KB                        # Linux: KiB
    if os.WIFSIGNALED(status):
        kind = "timeout" if os.WTERMSIG(status) == signal.SIGALRM else "traceback"
        return Result(case.name, kind, wall, peak_mb, f"killed by signal {os.WTERMSIG(status)}")
    data = json.loads(b"".join(chunks) or b'{"kind": "traceback", "detail": "no result"}')
    return Result(case.name, data["kind"], wall, peak_mb, data["detail"])


def report(results: list[Result], baseline_mb: float, seed: int, elapsed: float) -> str:
    kinds = {k: sum(1 for r in results if r.kind == k) for k in ("valid", "issues", "traceback", "timeout")}
    walls = sorted(results, key=lambda r: r.wall_s)
    peaks = sorted(results, key=lambda r: r.peak_mb)
    slow, big = walls[-1], peaks[-1]
    ok = kinds["traceback"] == kinds["timeout"] == 0 and slow.wall_s < CASE_MAX_S and big.peak_mb < CASE_MAX_MB
    lines = [
        "# Blueprint loading fuzz",
        "",
        f"python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f}; seed {seed}; total {elapsed:.0f} s",
        "",
        "| cases | valid | issues | traceback | timeout | median wall s | worst wall s | median peak RSS MB "
        "| worst peak RSS MB | result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {len(results)} | {kinds['valid']} | {kinds['issues']} | {kinds['traceback']} | {kinds['timeout']} "
        f"| {statistics.median(r.wall_s for r in results):.2f} | {slow.wall_s:.2f} "
        f"| {statistics.median(r.peak_mb for r in results):.0f} | {big.peak_mb:.0f} | {'PASS' if ok else 'FAIL'} |",
        "",
        f"Targets per case: < {CASE_MAX_S:.0f} s and < {CASE_MAX_MB:.0f} MB, no traceback. Peak RSS is the "
        f"forked child's ru_maxrss; the parent had {baseline_mb:.0f} MB resident when it forked (shared pages "
        "count in the child), so a case's own growth is its peak minus that.",
        "",
        "Slowest cases: " + ", ".join(f"`{r.case}` {r.wall_s:.2f} s" for r in reversed(walls[-5:])),
        "",
        "Largest cases: " + ", ".join(f"`{r.case}` {r.peak_mb:.0f} MB" for r in reversed(peaks[-5:])),
    ]
    failed = [r for r in results if r.kind in ("traceback", "timeout")]
    if failed:
        lines += ["", "## Tracebacks and timeouts", ""]
        for r in failed:
            lines += [f"### {r.case} ({r.kind})", "", "```", r.detail.strip(), "```", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, metavar="N", help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=SEED, metavar="S", help=f"mutation seed (default {SEED})")
    parser.add_argument("--timeout", type=float, default=60, metavar="S", help="kill a case after S seconds")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every case's result as JSON")
    args = parser.parse_args(argv)

    import landing_zone.plan  # noqa: F401 - imported once here, shared by every forked child

    started = time.perf_counter()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="lz-fuzz-") as tmp:
        cases = all_cases(args.cases, Path(tmp) / "seeds", args.seed)
        baseline_mb = resident_mb()
        for index, case in enumerate(cases):
            result = run_forked(case, Path(tmp) / f"case-{index:04d}", args.timeout)
            results.append(result)
            if result.kind in ("traceback", "timeout") or index % 100 == 99:
                print(f"fuzz: {index + 1}/{len(cases)} {result.case}: {result.kind}", file=sys.stderr, flush=True)
    text = report(results, baseline_mb, args.seed, time.perf_counter() - started)
    print(text, end="")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n", encoding="utf-8")
    return 1 if any(r.kind in ("traceback", "timeout") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
