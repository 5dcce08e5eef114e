"""Preflight checks inside each target account and region: AWS Config recorders and delivery channels
that would collide with the baseline's, and the CDK bootstrap (qualifier, version, trust)."""
from __future__ import annotations

import json
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from landing_zone.deploy.aws import Accounts, AssumeFailed, client_error
from landing_zone.deploy.findings import OK, PROBLEM, Finding, bootstrap_command, required_bootstrap_version
from landing_zone.plan.model import Plan
from landing_zone.plan.prerequisites import BootstrapTarget, bootstrap_targets

MANAGEMENT = "management"
# Accounts read at once: each is an AssumeRole and a few calls per region.
WORKERS = 8


@dataclass
class _Work:
    account: str
    account_id: str
    recorder_regions: list[str] = field(default_factory=list)
    targets: list[BootstrapTarget] = field(default_factory=list)


def member_findings(plan: Plan, accounts: Accounts, *, profile: str | None = None) -> list[Finding]:
    work = _work(plan)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda w: _account(plan, accounts, w, profile), work))
    return [finding for found in results for finding in found]


def baseline_names(plan: Plan) -> tuple[str, str]:
    """The recorder and delivery channel the baseline creates in every account and governed region."""
    return f"{plan.name}-recorder", f"{plan.name}-delivery"


def _work(plan: Plan) -> list[_Work]:
    """Management account first, then accounts by name: the output reads the same every run."""
    names = {a.id: a.name for a in plan.accounts if a.id}
    by_id: dict[str, _Work] = {}

    def get(account_id: str) -> _Work:
        name = MANAGEMENT if account_id == plan.management_account_id else names.get(account_id, account_id)
        return by_id.setdefault(account_id, _Work(name, account_id))

    management_regions = sorted({s.region for s in plan.stacks if s.component == "management-baseline"})
    if management_regions:
        get(plan.management_account_id).recorder_regions = management_regions
    baseline = next((s for s in plan.stacksets if s.name == f"{plan.name}-config-baseline"), None)
    # Under the control-tower engine the baseline records nothing: AWS Control Tower's recorder is expected.
    if baseline and "ConfigurationRecorder" in baseline.template.get("Resources", {}):
        # The baseline StackSet targets the root: every member account gets a recorder in each region.
        for account in plan.accounts:
            if account.id and account.id != plan.management_account_id:
                get(account.id).recorder_regions = sorted(baseline.regions)
    for target in bootstrap_targets(plan):
        get(target.account_id).targets.append(target)
    return sorted(by_id.values(), key=lambda w: (w.account != MANAGEMENT, w.account))


def _account(plan: Plan, accounts: Accounts, work: _Work, profile: str | None) -> list[Finding]:
    from botocore.exceptions import ClientError

    where = f"{work.account} ({work.account_id})"
    try:
        found = [f for region in work.recorder_regions
                 for f in _recorders(plan, accounts.client("config", region, work.account_id), where, region)]
        if work.recorder_regions and not found:
            # One line per account when all is well: at 1,000 accounts the problems must stand out.
            found = [Finding(OK, "config", f"{where}: no other AWS Config recorder or delivery channel in "
                             f"{', '.join(work.recorder_regions)}")]
        for target in work.targets:
            found += _bootstrap(plan, accounts, target, profile)
        return found
    except AssumeFailed as exc:
        return [Finding(PROBLEM, "account access", f"cannot read {where}: {exc}",
                        f"create the role {accounts.role} in {work.account}, trusting the management account "
                        f"{plan.management_account_id}, or pass --assume-role NAME of a role that does "
                        f"(arn {accounts.role_arn(work.account_id)})")]
    except ClientError as exc:
        return [Finding(PROBLEM, "account access", f"cannot check {where}: {client_error(exc)}",
                        f"let the role {accounts.role} read AWS Config, SSM parameters and IAM roles")]


def _recorders(plan: Plan, config: Any, where: str, region: str) -> list[Finding]:
    """Problems only: a recorder or channel of another name (the baseline's own is fine)."""
    recorder, channel = baseline_names(plan)
    # Service-linked recorders (servicePrincipal set) live beside a customer managed one.
    recorders = [r["name"] for r in config.describe_configuration_recorders()["ConfigurationRecorders"]
                 if not r.get("servicePrincipal")]
    channels = [c["name"] for c in config.describe_delivery_channels()["DeliveryChannels"]]
    found = []
    for kind, ours, names, delete in (
            ("recorder", recorder, recorders, "aws configservice stop-configuration-recorder "
             "--configuration-recorder-name {n} --region {r}\naws configservice delete-configuration-recorder "
             "--configuration-recorder-name {n} --region {r}"),
            ("delivery channel", channel, channels, "aws configservice delete-delivery-channel "
             "--delivery-channel-name {n} --region {r}")):
        others = [n for n in names if n != ours]
        for name in others:
            found.append(Finding(
                PROBLEM, "config", f"{where} {region}: AWS Config {kind} {name!r} exists; an account has one "
                f"customer managed {kind} per region, so the baseline's {ours!r} cannot be created",
                "with that account's credentials (after moving what uses it to the landing zone's):\n"
                + delete.format(n=name, r=region)))
    return found


def _bootstrap(plan: Plan, accounts: Accounts, target: BootstrapTarget, profile: str | None) -> list[Finding]:
    from botocore.exceptions import ClientError

    q, management = plan.qualifier, plan.management_account_id
    where = f"{target.account} ({target.account_id}) {target.region}"
    command = bootstrap_command(target, q, management, profile=profile)
    ssm = accounts.client("ssm", target.region, target.account_id)
    try:
        version = int(ssm.get_parameter(Name=f"/cdk-bootstrap/{q}/version")["Parameter"]["Value"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        version = None
    if version is None:
        if target.by_stackset:
            return [Finding(OK, "bootstrap", f"{where}: not bootstrapped yet; will be bootstrapped by the "
                            f"{plan.name}-bootstrap StackSet (phase bootstrap)")]
        if target.account_id == management:
            return [Finding(PROBLEM, "bootstrap", f"{where}: not bootstrapped with qualifier {q} "
                            "(lz deploy bootstraps it first)", command, bootstrap=target)]
        return [Finding(PROBLEM, "bootstrap", f"{where}: not bootstrapped with qualifier {q} "
                        "(deploy.bootstrap: manual)", command)]
    needed = required_bootstrap_version()
    if version < needed:
        return [Finding(PROBLEM, "bootstrap", f"{where}: bootstrap version {version} with qualifier {q} is older "
                        f"than {needed}, the pinned CDK CLI's", command)]
    role = f"cdk-{q}-deploy-role-{target.account_id}-{target.region}"
    try:
        document = accounts.client("iam", target.region, target.account_id).get_role(
            RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise
        return [Finding(PROBLEM, "bootstrap", f"{where}: bootstrapped (version {version}) but the deploy role "
                        f"{role} is missing", command)]
    if not trusts(document, management):
        return [Finding(PROBLEM, "bootstrap", f"{where}: the deploy role {role} does not trust the management "
                        f"account {management}", command)]
    return [Finding(OK, "bootstrap", f"{where}: version {version}, qualifier {q}, {role} trusts {management}")]


def trusts(document: Any, account_id: str) -> bool:
    """Whether a trust policy lets principals of `account_id` assume the role."""
    if isinstance(document, str):  # the raw API returns it URL-encoded
        document = json.loads(urllib.parse.unquote(document))
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") != "Allow" or not {"sts:AssumeRole", "sts:*", "*"} & set(actions):
            continue
        principals = statement.get("Principal", {})
        values = principals.get("AWS", []) if isinstance(principals, dict) else [principals]
        for value in [values] if isinstance(values, str) else values:
            if value == account_id or (value.startswith("arn:") and value.split(":")[4] == account_id
                                       and value.endswith(":root")):
                return True
    return False
