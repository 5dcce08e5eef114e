"""Runs `lz diff`: loads and synthesizes both sides (offline, in this process), then compares them."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from landing_zone.blueprint.issues import BlueprintError
from landing_zone.blueprint.load import LoadedBlueprint, load_with_variables
from landing_zone.diff.decisions import SideDecisions, check_probes, decision_delta, request_specs
from landing_zone.diff.gitref import Checkout, checkout
from landing_zone.diff.guardrails import diff_guardrails
from landing_zone.diff.model import Diff
from landing_zone.diff.outplan import plan_from_out
from landing_zone.diff.risks import find_risks
from landing_zone.diff.summary import summarize
from landing_zone.diff.templates import diff_stacks, read_stacks
from landing_zone.explain.deployed import DeployedPolicyError, read_deployed
from landing_zone.explain.probes import Probe, read_probes
from landing_zone.explain.requests import UsageError
from landing_zone.plan import Plan, build_plan

HEAD = "working tree"
BASE_NOTE = ("the base is the blueprint at {ref} synthesized with the current generator: this diff shows what "
             "the blueprint change does; changes to the generator's code are reviewed by its tests")
BASE_OUT_NOTE = ("the base is the synthesized output in {ref}; accounts and OUs of the base are read from "
                 "its templates, controls per target only from its SCP statements")


@dataclass(frozen=True)
class DiffOptions:
    blueprint: str
    variables: tuple[str, ...] = ()
    vars_file: str | None = None
    allow_dirs: tuple[str, ...] = ()
    base_ref: str | None = None          # default HEAD when no --base-out either
    base_out: str | None = None
    actions_file: str | None = None
    out_dir: str | None = None


class BaseBlueprintError(BlueprintError):
    """The blueprint at the base ref has issues (its file names read REF:path)."""


def _load(blueprint: str | Path, options: DiffOptions, place: Checkout | None = None
          ) -> tuple[LoadedBlueprint, Plan]:
    where = place.path if place else Path
    vars_file = str(where(options.vars_file)) if options.vars_file else None
    if vars_file and not Path(vars_file).exists():
        vars_file = options.vars_file     # not in the repository at that ref: the operator's own file
    loaded = load_with_variables(where(blueprint), list(options.variables), vars_file,
                                 [where(d) for d in options.allow_dirs])
    return loaded, build_plan(loaded)


def _load_base(options: DiffOptions, place: Checkout) -> tuple[LoadedBlueprint, Plan]:
    try:
        return _load(options.blueprint, options, place)
    except BlueprintError as exc:
        raise BaseBlueprintError([replace(i, file=place.relabel(i.file)) for i in exc.issues]) from None


def _outdir(stack: ExitStack, out_dir: str | None, side: str) -> Path:
    if not out_dir:
        return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"lz-diff-{side}-")))
    path = Path(out_dir) / side
    if path.exists() and any(path.iterdir()):
        if not (path / "manifest.json").exists():
            raise UsageError(f"--out {out_dir}: {path} exists and is not a cdk.out folder; choose an empty folder")
        shutil.rmtree(path)   # a previous `lz diff --out`: stale templates would be read as current
    path.mkdir(parents=True, exist_ok=True)
    return path


def _synthesize(plan: Plan, outdir: Path, side: str) -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from landing_zone.cdk.app import synthesize  # lazily: the pure layers never load aws_cdk

    try:
        synthesize(plan, str(outdir))
    except Exception as exc:    # noqa: BLE001 - jsii raises plain errors; show one line, not a traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"synthesizing the {side} failed: {first}") from None


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its blueprint (None for --base-out), plan and synthesized output."""

    loaded: LoadedBlueprint | None
    plan: Plan
    outdir: Path


def _trail(side: Side) -> str:
    return side.loaded.model.logging.trail.name if side.loaded else ""


def compare(base: Side, head: Side, base_label: str, note: str, probes: list[Probe] | None = None) -> Diff:
    """Both sides are synthesized already: read their cdk.out folders and compare."""
    probes = probes or []
    base_stacks, head_stacks = read_stacks(base.outdir), read_stacks(head.outdir)
    try:
        base_policies = read_deployed(base.outdir, base.plan)
        head_policies = read_deployed(head.outdir, head.plan)
    except DeployedPolicyError as exc:
        raise UsageError(str(exc)) from None
    stacks = diff_stacks(base_stacks, head_stacks)
    specs = request_specs(probes)
    # An account id written in an --actions entry makes that account's requests its own.
    literal = " ".join(f"{p.principal or ''} {p.resource or ''}" for p in probes)
    # Proofs name the organization trail; the base read from a cdk.out has no blueprint: the head's name.
    head_trail = _trail(head) or _trail(base)
    base_trail = _trail(base) or head_trail
    return Diff(
        base=base_label, head=HEAD, base_note=note,
        summary=summarize(base.plan, head.plan, base.loaded, head.loaded),
        stacks=stacks, risks=find_risks(stacks, base_stacks, head_stacks),
        guardrails=diff_guardrails(base_policies, head_policies),
        decisions=decision_delta(SideDecisions(base.plan, base_policies, base_trail, specs, literal),
                                 SideDecisions(head.plan, head_policies, head_trail, specs, literal)),
        requests=len(specs))


def run_diff(options: DiffOptions) -> Diff:
    """BlueprintError (head), BaseBlueprintError (base) or UsageError on bad input."""
    if options.base_ref and options.base_out:
        raise UsageError("give --base GIT_REF or --base-out DIR, not both")
    probes = read_probes(options.actions_file) if options.actions_file else []
    head_loaded, head_plan = _load(options.blueprint, options)
    check_probes(head_plan, probes)
    with ExitStack() as stack:
        if options.base_out:
            base_dir = Path(options.base_out)
            if not base_dir.is_dir():
                raise UsageError(f"--base-out {options.base_out}: no such folder (a cdk.out from `cdk synth` "
                                 "or `lz diff --out DIR`, DIR/head)")
            base = Side(None, plan_from_out(read_stacks(base_dir), head_plan), base_dir)
            label, note = options.base_out, BASE_OUT_NOTE.format(ref=options.base_out)
        else:
            ref = options.base_ref or "HEAD"
            extra = tuple(options.allow_dirs) + ((options.vars_file,) if options.vars_file else ())
            place = stack.enter_context(checkout(ref, options.blueprint, extra))
            base_loaded, base_plan = _load_base(options, place)
            base = Side(base_loaded, base_plan, _outdir(stack, options.out_dir, "base"))
            _synthesize(base.plan, base.outdir, f"base ({ref})")
            label, note = ref, BASE_NOTE.format(ref=ref)
        head = Side(head_loaded, head_plan, _outdir(stack, options.out_dir, "head"))
        _synthesize(head.plan, head.outdir, "working tree")
        return compare(base, head, label, note, probes)
