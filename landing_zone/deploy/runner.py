"""`lz deploy`: runs the plan's phases in order with the pinned CDK CLI, stopping at the first failure."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landing_zone.blueprint.load import LoadedBlueprint, load_with_variables
from landing_zone.blueprint.variables import parse_variables
from landing_zone.deploy import aws
from landing_zone.deploy.aws import DEFAULT_ROLE, Accounts, fatal_errors
from landing_zone.deploy.findings import PROBLEM, Finding, bootstrap_command, problems
from landing_zone.deploy.import_mapping import import_mapping
from landing_zone.plan import Plan, build_plan
from landing_zone.plan.shared import partition

DEFAULT_CDK = "npx --no-install cdk"
# Phases whose stacks may hold OUs and accounts that exist already (brownfield): imported first.
IMPORT_PHASES = ("organization", "accounts")


class DeployStopped(Exception):
    """The deploy cannot go on; the message is what the user reads (one line, or a few)."""


def cdk_command() -> list[str]:
    """The CDK CLI: the pinned one through npx, or LZ_CDK_COMMAND (tests, a global install)."""
    return shlex.split(os.environ.get("LZ_CDK_COMMAND") or DEFAULT_CDK)


@dataclass(frozen=True)
class DeployRequest:
    blueprint: str
    variables: tuple[str, ...] = ()
    vars_file: str | None = None
    allow_dirs: tuple[str, ...] = ()
    profile: str | None = None
    concurrency: int | None = None      # at most this many stacks at once; default: each phase's own
    start: str | None = None            # --from
    assume_role: str = DEFAULT_ROLE

    def load(self) -> tuple[LoadedBlueprint, Plan]:
        loaded = load_with_variables(self.blueprint, list(self.variables), self.vars_file, self.allow_dirs)
        return loaded, build_plan(loaded)

    def context_args(self) -> list[str]:
        """The same blueprint and variables for the CDK app (cdk.json's app reads these)."""
        args = ["-c", f"blueprint={self.blueprint}"]
        for pair in self.variables:
            args += ["-c", f"var:{pair}"]
        if self.vars_file:
            args += ["-c", f"vars={self.vars_file}"]
        if self.allow_dirs:
            args += ["-c", f"allow_dir={os.pathsep.join(self.allow_dirs)}"]
        return args

    def profile_args(self) -> list[str]:
        return ["--profile", self.profile] if self.profile else []

    def concurrency_for(self, phase_concurrency: int) -> int:
        return min(self.concurrency or phase_concurrency, phase_concurrency)

    def deploy_argv(self, stacks: tuple[str, ...], concurrency: int) -> list[str]:
        return [*cdk_command(), "deploy", "--exclusively", "--require-approval", "never", "--concurrency",
                str(concurrency), *self.context_args(), *self.profile_args(), *stacks]

    def import_argv(self, stack: str, mapping_file: str) -> list[str]:
        return [*cdk_command(), "import", stack, "--resource-mapping", mapping_file, *self.context_args(),
                *self.profile_args()]


def phase_index(plan: Plan, name: str | None) -> int:
    if name is None:
        return 0
    names = [p.name for p in plan.phases]
    if name not in names:
        raise DeployStopped(f"--from {name!r} is not a phase; the phases, in order: {', '.join(names)}")
    return names.index(name)


class Deployer:
    """One `lz deploy` run. `accounts` makes the AWS clients for a plan (tests pass moto-backed ones);
    `run` runs a command and returns its exit code."""

    def __init__(self, request: DeployRequest, *, echo: Callable[[str], None],
                 accounts: Callable[[Plan], Accounts] | None = None,
                 run: Callable[[list[str]], int] | None = None):
        self.request = request
        self.echo = echo
        self.make_accounts = accounts or self._accounts
        self.run = run or _run

    def _accounts(self, plan: Plan) -> Accounts:
        return aws.Accounts(plan.management_account_id, partition(plan.home_region),
                            profile=self.request.profile, role=self.request.assume_role)

    def deploy(self) -> None:
        loaded, plan = self.request.load()
        start = phase_index(plan, self.request.start)
        total = len(plan.phases)
        index = 0
        while index < total:
            phase = plan.phases[index]
            head = f"[{index + 1}/{total}] {phase.name}:"
            began = time.monotonic()
            if phase.action == "preflight":
                # Always, also when resuming: it only reads, and what it checks may have changed.
                self.echo(f"{head} checking the prerequisites (read-only) ...")
                self._preflight(loaded, plan)
            elif index < start:
                index += 1
                continue
            elif phase.action == "sync":
                self.echo(f"{head} recording the new ids (lz sync), then planning again ...")
                loaded, plan = self._sync()
                self.echo("  preflight for the re-planned stacks:")
                self._preflight(loaded, plan)
            elif not phase.stacks:
                self.echo(f"{head} nothing to deploy")
                index += 1
                continue
            else:
                self._deploy(plan, phase, head)
            self.echo(f"  done in {time.monotonic() - began:.1f} s")
            index += 1
        self.echo(f"deployed {loaded.display}: {len(plan.stacks)} stacks, {len(plan.pending)} pending")

    def _preflight(self, loaded: LoadedBlueprint, plan: Plan) -> None:
        from landing_zone.deploy.preflight import run_preflight

        with fatal_errors():
            accounts = self.make_accounts(plan)
            findings = run_preflight(plan, loaded.model, accounts, blueprint=self.request.blueprint,
                                     profile=self.request.profile)
        for finding in findings:
            for line in finding.lines():
                self.echo("  " + line)
        blocking = [f for f in problems(findings) if f.bootstrap is None]
        if blocking:
            raise DeployStopped(f"preflight found {_count(len(blocking), 'problem')}; fix "
                                f"{'it' if len(blocking) == 1 else 'them'} and run lz deploy again")
        self._bootstrap_management(plan, [f for f in findings if f.bootstrap is not None])

    def _bootstrap_management(self, plan: Plan, findings: list[Finding]) -> None:
        for finding in findings:
            target = finding.bootstrap
            argv = shlex.split(bootstrap_command(target, plan.qualifier, plan.management_account_id,
                                                 profile=self.request.profile, cdk=shlex.join(cdk_command())))
            self.echo(f"  bootstrapping the management account in {target.region}: {shlex.join(argv)}")
            if self.run(argv) != 0:
                raise DeployStopped(f"cdk bootstrap of aws://{target.account_id}/{target.region} failed; "
                                    "fix what it printed and run lz deploy again")

    def _sync(self) -> tuple[LoadedBlueprint, Plan]:
        from landing_zone.sync import SyncError, sync_ids

        request = self.request
        try:
            written, summary = sync_ids(Path(request.blueprint), profile=request.profile,
                                        variables=parse_variables(list(request.variables), request.vars_file),
                                        allow_dirs=request.allow_dirs)
        except SyncError as exc:
            raise DeployStopped(f"phase sync failed: {exc}") from None
        self.echo(f"  wrote {written}: {summary}")
        loaded, plan = request.load()
        self.echo(f"  planned again: {len(plan.stacks)} stacks, {len(plan.pending)} pending")
        return loaded, plan

    def _deploy(self, plan: Plan, phase: Any, head: str) -> None:
        concurrency = self.request.concurrency_for(phase.concurrency)
        self.echo(f"{head} deploying {_count(len(phase.stacks), 'stack')} (concurrency {concurrency}) ...")
        # OU stacks of a deeper level import their parents' ids from the level above: with OUs to
        # adopt, each is imported and deployed (its exports made) before the next.
        batches = [(s,) for s in phase.stacks] if phase.name == "organization" else [phase.stacks]
        for batch in batches:
            if phase.name in IMPORT_PHASES:
                self._import_existing(plan, batch)
            self._deploy_batch(phase, batch, concurrency)

    def _deploy_batch(self, phase: Any, stacks: tuple[str, ...], concurrency: int) -> None:
        if self.run(self.request.deploy_argv(stacks, concurrency)) != 0:
            raise DeployStopped(
                f"phase {phase.name} failed (cdk deploy exited non-zero) deploying: {', '.join(phase.stacks)}\n"
                f"  fix what cdk printed, then resume: lz deploy {self.request.blueprint} --from {phase.name}")

    def _import_existing(self, plan: Plan, stacks: tuple[str, ...]) -> None:
        """A stack not yet in CloudFormation whose OUs or accounts exist already (they have ids):
        `cdk import` adopts them first, otherwise the deploy would try to create them again."""
        with fatal_errors():
            accounts = self.make_accounts(plan)
        with tempfile.TemporaryDirectory(prefix="lz-import-") as folder:
            for name in stacks:
                mapping = import_mapping(plan, name)
                if not mapping:
                    continue
                stack = plan.stack(name)
                with fatal_errors("AWS CloudFormation"):
                    exists = stack_exists(accounts.client("cloudformation", stack.region, stack.account_id), name)
                if exists:
                    continue
                path = Path(folder) / f"{name}.json"
                path.write_text(json.dumps(mapping, indent=2) + "\n", encoding="utf-8")
                self.echo(f"  importing {_count(len(mapping), 'existing resource')} into {name} before its "
                          "first deploy ...")
                if self.run(self.request.import_argv(name, str(path))) != 0:
                    raise DeployStopped(
                        f"cdk import of {name} failed; fix what cdk printed, then resume: "
                        f"lz deploy {self.request.blueprint} --from {plan.phase_of(name).name}")


def stack_exists(cloudformation: Any, name: str) -> bool:
    from botocore.exceptions import ClientError

    from landing_zone.deploy.aws import AwsError, client_error

    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
            return False
        raise AwsError(f"cannot tell whether stack {name} exists: {client_error(exc)}") from None
    return any(s.get("StackStatus") != "DELETE_COMPLETE" for s in stacks)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _run(argv: list[str]) -> int:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    try:
        return subprocess.run(argv, env=env, check=False).returncode
    except FileNotFoundError:
        raise DeployStopped(f"cannot run {argv[0]!r}: install Node and run `make synth` once "
                            "(or set LZ_CDK_COMMAND)") from None


__all__ = ["DeployRequest", "Deployer", "DeployStopped", "PROBLEM", "cdk_command", "phase_index"]
