"""What a preflight check found (ok, info or problem with its fix), and the CDK bootstrap commands."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from landing_zone.plan.bootstrap import bootstrap_template
from landing_zone.plan.prerequisites import BootstrapTarget
from landing_zone.plan.shared import partition

OK, INFO, PROBLEM = "ok", "info", "problem"


@dataclass(frozen=True)
class Finding:
    status: str                 # ok | info | problem
    check: str                  # short name of the check, e.g. "trusted access"
    message: str
    fix: str = ""               # the exact command or console step, for a problem
    # A management account bootstrap `lz deploy` runs itself before the first phase.
    bootstrap: BootstrapTarget | None = None

    def lines(self) -> list[str]:
        out = [f"{self.status:<8} {self.check:<16} {self.message}"]
        out += [f"{'':<8} {'fix:' if i == 0 else '':<16} {line}"
                for i, line in enumerate(self.fix.splitlines())]
        return out


def problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.status == PROBLEM]


@cache
def required_bootstrap_version() -> int:
    """The version the pinned CDK CLI's bootstrap template writes (its CdkBootstrapVersion parameter),
    which is also what the bootstrap StackSet deploys."""
    return int(bootstrap_template()["Resources"]["CdkBootstrapVersion"]["Properties"]["Value"])


def toolkit_stack_name(qualifier: str) -> str:
    # Not the CLI's default "CDKToolkit": bootstrapping that stack again with our qualifier would
    # take it away from the CDK apps that already deploy with it in the management account.
    return f"CDKToolkit-{qualifier}"


def bootstrap_command(target: BootstrapTarget, qualifier: str, management_id: str, *,
                      profile: str | None = None, cdk: str = "npx cdk") -> str:
    """`cdk bootstrap` for one account and region, with the landing zone's qualifier; member
    accounts trust the management account, whose credentials `lz deploy` uses."""
    policy = f"arn:{partition(target.region)}:iam::aws:policy/AdministratorAccess"
    parts = [cdk, "bootstrap", f"aws://{target.account_id}/{target.region}", "--qualifier", qualifier,
             "--toolkit-stack-name", toolkit_stack_name(qualifier),
             "--cloudformation-execution-policies", policy]
    if target.account_id != management_id:
        parts += ["--trust", management_id]
        parts += ["--profile", f"<profile of account {target.account}>"]
    elif profile:
        parts += ["--profile", profile]
    return " ".join(parts)


def with_profile(command: str, profile: str | None) -> str:
    return f"{command} --profile {profile}" if profile else command
