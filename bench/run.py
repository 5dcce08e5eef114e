"""Benchmark `lz validate` and `cdk synth` against the targets of docs/benchmarks.md; prints a Markdown report.

    .venv/bin/python bench/run.py [--quick] [--repeat N] [--json FILE]     (or `make bench`)

Every measured command runs in a fresh subprocess (its own session), so wall time and peak memory
are per run: nothing is cached in this process between cases. See bench/README.md for the columns.
Exit status: 0 when every command ran (even if a target fails: this is a report), 1 when a
command itself failed (its stderr is printed).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MANY = "blueprints/examples/many-accounts.yaml"
STANDARD = "blueprints/standard.yaml"
ENTERPRISE = "blueprints/enterprise.yaml"
SIZES = ((10, 10), (100, 10), (1000, 100))          # (accounts, units) for the many-accounts blueprint
# 5,000 accounts over 500 OUs, guardrails at three levels, an Identity Center assignment to every
# account and subnets shared with the organization.
SCALE = "blueprints/examples/scale.yaml"

# Targets (docs/benchmarks.md): validate < 1 s; synth of 1,000 accounts < 60 s and < 2 GB; no stack > 450 resources.
VALIDATE_MAX_S = 1.0
SYNTH_MAX_S = 60.0
SYNTH_MAX_MB = 2048.0
STACK_MAX_RESOURCES = 450

POLL_S = 0.05
MB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
ENV_DEFAULTS = {                                     # same as the Makefile, so direct runs match `make bench`
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
    "CDK_DISABLE_VERSION_CHECK": "1",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
}
# One resource: under cdk.json's recommended flags (@aws-cdk/core:validateAgainstDefaultRules) the CLI
# refuses a template without resources, and a wait condition handle costs nothing to synthesize.
EMPTY_APP = ('import aws_cdk as cdk\napp = cdk.App()\n'
             'cdk.CfnWaitConditionHandle(cdk.Stack(app, "Empty"), "Nothing")\napp.synth()\n')
RSS_METHOD = (
    f"peak RSS = max(sum of VmRSS over every process in the command's session, sampled from /proc "
    f"every {POLL_S * 1000:.0f} ms; the kernel's ru_maxrss of the largest single process from wait4, "
    f"the number `/usr/bin/time -v` prints). The sum covers npx + cdk CLI (node) + app (python) + jsii "
    f"(node), which /usr/bin/time alone does not (it reports the largest process, not the tree); the "
    f"ru_maxrss floor covers peaks between samples in sub-second runs. Shared pages count once per process."
)


@dataclass
class Case:
    name: str
    kind: str                   # validate | synth | baseline
    argv: list[str]             # {out} is replaced by a fresh temporary directory per run
    display: str


@dataclass
class Run:
    wall_s: float
    tree_peak_mb: float
    largest_process_mb: float
    stacks: int | None
    max_resources: int | None
    proofs_s: float | None = None     # the deploy proofs inside the synth (cdk.out/deploy-proofs.json)

    @property
    def peak_mb(self) -> float:
        return max(self.tree_peak_mb, self.largest_process_mb)


@dataclass
class Row:
    case: str
    kind: str
    command: str
    wall_s: float
    peak_rss_mb: float
    stacks: int | None
    max_resources: int | None
    result: str
    proofs_s: float | None = None
    failures: list[str] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)


class CommandFailed(Exception):
    def __init__(self, case: Case, argv: list[str], code: int, stdout: str, stderr: str):
        super().__init__(case.name)
        self.case, self.argv, self.code, self.stdout, self.stderr = case, argv, code, stdout, stderr


class TreeSampler(threading.Thread):
    """Sums RSS over every process whose session id is `sid`; keeps the maximum sum seen."""

    def __init__(self, sid: int):
        super().__init__(daemon=True)
        self.sid, self.peak, self.samples = sid, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(POLL_S)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def sample(self) -> None:
        total = 0
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
                # after "(comm)": state ppid pgrp session ...
                if int(stat[stat.rindex(b")") + 2:].split()[3]) != self.sid:
                    continue
                with open(f"/proc/{name}/statm", "rb") as f:
                    total += int(f.read().split()[1]) * PAGE
            except (OSError, ValueError, IndexError):
                continue                                   # the process ended while we looked
        self.peak = max(self.peak, total)
        self.samples += 1


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for key, value in ENV_DEFAULTS.items():
        env.setdefault(key, value)
    return env


def measure_once(case: Case, timeout: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="lz-bench-") as out:
        argv = [a.replace("{out}", out) for a in case.argv]
        with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=ROOT, env=child_env(), stdin=subprocess.DEVNULL,
                                    stdout=so, stderr=se, start_new_session=True)
            sampler = TreeSampler(proc.pid)
            sampler.start()
            timer = threading.Timer(timeout, _kill_group, (proc.pid,))
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            except BaseException:
                _kill_group(proc.pid)
                raise
            finally:
                timer.cancel()
            wall = time.perf_counter() - start
            sampler.stop()
            if _session_alive(proc.pid):                   # stragglers (e.g. an orphaned jsii kernel)
                _kill_group(proc.pid)
            proc.returncode = os.waitstatus_to_exitcode(status)
            so.seek(0)
            se.seek(0)
            stdout = so.read().decode(errors="replace")
            stderr = se.read().decode(errors="replace")
        if proc.returncode != 0:
            if wall >= timeout:
                stderr += f"\n(killed after the {timeout:.0f} s timeout)"
            raise CommandFailed(case, argv, proc.returncode, stdout, stderr)
        proofs = None
        if case.kind == "validate":
            stacks, most = validate_counts(stdout)
        else:
            stacks, most = template_counts(Path(out))
            report = Path(out) / "deploy-proofs.json"
            proofs = json.loads(report.read_text())["seconds"] if report.exists() else None
    return Run(wall_s=wall, tree_peak_mb=sampler.peak / MB, largest_process_mb=usage.ru_maxrss * 1024 / MB,
               stacks=stacks, max_resources=most, proofs_s=proofs)


def _session_alive(sid: int) -> bool:
    probe = TreeSampler(sid)
    probe.sample()
    return probe.peak > 0


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def validate_counts(stdout: str) -> tuple[int | None, int | None]:
    """Stacks and the largest per-stack resource count from `lz validate` output."""
    stacks, most, in_stacks = None, None, False
    for line in stdout.splitlines():
        if m := re.match(r"\s*stacks to synthesize: (\d+)\s*$", line):
            stacks, in_stacks = int(m.group(1)), True
        elif re.match(r"\s*pending: \d+", line):
            in_stacks = False
        elif in_stacks and (m := re.search(r"\s(\d+) resources\s*$", line)):
            most = max(most or 0, int(m.group(1)))
    return stacks, most


def template_counts(outdir: Path) -> tuple[int, int | None]:
    """Number of CloudFormation templates in cdk.out and the most `Resources` in one of them."""
    counts = [len(json.loads(p.read_text()).get("Resources", {})) for p in outdir.rglob("*.template.json")]
    return len(counts), max(counts, default=None)


def cases(quick: bool, empty_app: Path) -> list[Case]:
    lz = str(VENV_BIN / "lz")
    cdk = ["npx", "--no-install", "cdk", "synth", "--quiet"]
    out: list[Case] = []

    def blueprints():
        yield "standard", STANDARD, None
        yield "enterprise", ENTERPRISE, None
        for accounts, units in SIZES:
            yield f"many-accounts {accounts}", MANY, (accounts, units)
        # Every account vended a VPC: the StackSet carries the template once, whatever the count.
        yield "many-accounts 1000 + VPC template", MANY, (1000, 100, "vpc_template=true")
        yield "scale 5000 accounts, 500 OUs", SCALE, None

    for label, bp, size in blueprints():
        var = ["--var", f"accounts={size[0]}", "--var", f"units={size[1]}"] if size else []
        var += ["--var", size[2]] if size and len(size) > 2 else []
        argv = [lz, "validate", bp, *var]
        out.append(Case(f"validate {label}", "validate", argv, shlex.join([".venv/bin/lz", *argv[1:]])))
    python = str(VENV_BIN / "python")
    app = f"{python} {empty_app}"
    out.append(Case("synth empty CDK app", "baseline", [*cdk, "-a", app, "-o", "{out}"],
                    shlex.join([*cdk, "-a", ".venv/bin/python empty_app.py", "-o", "<tmp>"])))
    for label, bp, size in blueprints():
        if quick and ((size and size[0] >= 1000) or bp == SCALE):
            continue
        ctx = ["-c", f"var:accounts={size[0]}", "-c", f"var:units={size[1]}"] if size else []
        ctx += ["-c", f"var:{size[2]}"] if size and len(size) > 2 else []
        argv = [*cdk, "-c", f"blueprint={bp}", *ctx, "-o", "{out}"]
        out.append(Case(f"synth {label}", "synth", argv, shlex.join(argv).replace("{out}", "<tmp>")))
    return out


def judge(case: Case, wall: float, mb: float, most: int | None) -> tuple[str, list[str]]:
    failures = []
    if case.kind == "validate" and wall >= VALIDATE_MAX_S:
        failures.append(f"wall >= {VALIDATE_MAX_S:g} s")
    if case.kind == "synth":
        if wall >= SYNTH_MAX_S:
            failures.append(f"wall >= {SYNTH_MAX_S:g} s")
        if mb >= SYNTH_MAX_MB:
            failures.append(f"RSS >= {SYNTH_MAX_MB / 1024:g} GB")
    if most is not None and most > STACK_MAX_RESOURCES:
        failures.append(f"stack > {STACK_MAX_RESOURCES} resources")
    if case.kind == "baseline":
        return "baseline", failures
    return ("FAIL: " + ", ".join(failures)) if failures else "PASS", failures


def measure(case: Case, repeat: int, timeout: float) -> Row:
    runs = []
    for i in range(repeat):
        print(f"  {case.name} ({i + 1}/{repeat}) ...", end="", file=sys.stderr, flush=True)
        run = measure_once(case, timeout)
        print(f" {run.wall_s:.2f} s, {run.peak_mb:.0f} MB", file=sys.stderr, flush=True)
        runs.append(run)
    wall = statistics.median(r.wall_s for r in runs)
    mb = statistics.median(r.peak_mb for r in runs)
    last = runs[-1]
    result, failures = judge(case, wall, mb, last.max_resources)
    return Row(case=case.name, kind=case.kind, command=case.display, wall_s=wall, peak_rss_mb=mb,
               stacks=last.stacks, max_resources=last.max_resources, result=result, failures=failures,
               proofs_s=statistics.median(r.proofs_s for r in runs) if last.proofs_s is not None else None,
               runs=[{**asdict(r), "peak_mb": r.peak_mb} for r in runs])


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc.__class__.__name__})"
    if done.returncode != 0:
        return "unavailable"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0]


def machine_info() -> dict[str, str]:
    cpu_model = "unknown"
    mem = "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu_model = next(line.split(":", 1)[1].strip()
                         for line in Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("model name"))
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, AttributeError):
        pass
    try:
        from importlib.metadata import version
        cdk_lib = version("aws-cdk-lib")
    except Exception:  # noqa: BLE001 - informational only
        cdk_lib = "not installed"
    python = VENV_BIN / "python"
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return {
        "cpus": str(os.cpu_count()),
        "cpu model": cpu_model,
        "memory": mem,
        "os": platform.platform(),
        "load average at start (1/5/15 min)": load,
        "python": _version([str(python if python.exists() else sys.executable), "--version"]),
        "node": _version(["node", "--version"]),
        "aws-cdk CLI": _version(["npx", "--no-install", "cdk", "--version"]),
        "aws-cdk-lib": cdk_lib,
    }


def _cell(value) -> str:
    return "–" if value is None else str(value)


def report(info: dict[str, str], rows: list[Row], repeat: int) -> str:
    lines = ["## Landing zone benchmark", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += [f"- runs per case: {repeat} (median shown)" if repeat > 1 else "- runs per case: 1", ""]
    lines += ["| case | command | wall s | peak RSS MB | stacks | most resources in one stack | deploy proofs s "
              "| result |", "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        proofs = "–" if r.proofs_s is None else f"{r.proofs_s:.2f}"
        lines.append(f"| {r.case} | `{r.command}` | {r.wall_s:.2f} | {r.peak_rss_mb:.0f} | {_cell(r.stacks)} "
                     f"| {_cell(r.max_resources)} | {proofs} | {r.result} |")
    lines.append("")
    base = next((r for r in rows if r.kind == "baseline"), None)
    if base:
        over = ", ".join(f"{r.case.removeprefix('synth ')} +{r.wall_s - base.wall_s:.2f} s / "
                         f"+{r.peak_rss_mb - base.peak_rss_mb:.0f} MB" for r in rows if r.kind == "synth")
        lines += [f"Synth over the empty CDK app ({base.wall_s:.2f} s, {base.peak_rss_mb:.0f} MB): "
                  f"{over}.", ""]
    lines += [
        f"Targets: validate < {VALIDATE_MAX_S:g} s; synth of 1,000 accounts < {SYNTH_MAX_S:g} s and "
        f"< {SYNTH_MAX_MB / 1024:g} GB (applied to every synth row); no stack over {STACK_MAX_RESOURCES} "
        f"resources (every row). Validate rows count stacks and resources from the plan (`lz validate` "
        f"output); synth rows count `Resources` in the `*.template.json` files of cdk.out.",
        "",
        f"Memory: {RSS_METHOD}",
    ]
    failed = [r for r in rows if r.failures and r.kind != "baseline"]
    lines += ["", f"{len(failed)} of {sum(r.kind != 'baseline' for r in rows)} rows miss a target."
              if failed else "All targets met."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000-account synth")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="median of N runs per case (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON to FILE")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S",
                        help="kill a command after S seconds and fail (default 1800)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not (VENV_BIN / "lz").exists():
        print(f"bench: {VENV_BIN / 'lz'} not found; run `make setup` first", file=sys.stderr)
        return 1

    print("bench: collecting machine info ...", file=sys.stderr, flush=True)
    info = machine_info()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="lz-bench-app-") as appdir:
        empty_app = Path(appdir) / "empty_app.py"
        empty_app.write_text(EMPTY_APP)
        for case in cases(args.quick, empty_app):
            try:
                rows.append(measure(case, args.repeat, args.timeout))
            except CommandFailed as exc:
                print(" failed", file=sys.stderr)
                print(f"\nbench: `{shlex.join(exc.argv)}` exited {exc.code} ({exc.case.name})",
                      file=sys.stderr)
                if exc.stdout.strip():
                    print("--- stdout (last 40 lines) ---\n" + "\n".join(exc.stdout.splitlines()[-40:]),
                          file=sys.stderr)
                print("--- stderr ---\n" + exc.stderr, file=sys.stderr)
                return 1
    text = report(info, rows, args.repeat)
    print(text, end="")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": info, "repeat": args.repeat, "rss_method": RSS_METHOD,
            "targets": {"validate_max_s": VALIDATE_MAX_S, "synth_max_s": SYNTH_MAX_S,
                        "synth_max_mb": SYNTH_MAX_MB, "stack_max_resources": STACK_MAX_RESOURCES},
            "rows": [asdict(r) for r in rows],
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
