"""`lz preflight`: read-only checks that the organization is ready for the landing zone's deploy."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.tower import uses_tower
from landing_zone.deploy.aws import Accounts, client_error
from landing_zone.deploy.findings import INFO, OK, PROBLEM, Finding, with_profile
from landing_zone.deploy.members import member_findings
from landing_zone.deploy.tower_preflight import tower_findings
from landing_zone.plan.model import Plan
from landing_zone.plan.prerequisites import delegated_admins, trusted_access
from landing_zone.sync import LiveOrg, match_accounts, walk_org

# The service's own switch where AWS recommends it over Organizations' generic one.
ENABLE_COMMAND = {
    "member.org.stacksets.cloudformation.amazonaws.com": "aws cloudformation activate-organizations-access",
}


def run_preflight(plan: Plan, bp: Blueprint, accounts: Accounts, *, blueprint: str,
                  profile: str | None = None) -> list[Finding]:
    """Every finding, in check order. The first two checks stop the rest when they fail: with the
    wrong account or organization every other answer would be about something else."""
    ctx = _Context(plan, bp, accounts, blueprint, profile)
    findings: list[Finding] = []
    for check in (_credentials, _organization):
        found = _guarded(check, ctx)
        findings += found
        if any(f.status == PROBLEM for f in found):
            return findings
    for check in (_trusted_access, _delegated_admins, _identity_center, _control_tower, _recorded_ids):
        findings += _guarded(check, ctx)
    findings += member_findings(plan, accounts, profile=profile)
    return findings


class _Context:
    def __init__(self, plan: Plan, bp: Blueprint, accounts: Accounts, blueprint: str, profile: str | None):
        self.plan, self.bp, self.accounts, self.blueprint, self.profile = plan, bp, accounts, blueprint, profile
        self.home = plan.home_region
        self._live: LiveOrg | None = None

    def client(self, service: str) -> Any:
        return self.accounts.client(service, self.home)

    def live(self) -> LiveOrg:
        if self._live is None:
            self._live = walk_org(self.client("organizations"))
        return self._live

    def fix(self, command: str) -> str:
        return with_profile(command, self.profile)


# The check name each function reports under, also when its first call is refused.
_NAMES = {"_credentials": "credentials", "_organization": "organization", "_trusted_access": "trusted access",
          "_delegated_admins": "delegated admin", "_identity_center": "identity center",
          "_control_tower": "control tower", "_recorded_ids": "ids file"}


def _guarded(check: Callable[[_Context], Iterator[Finding]], ctx: _Context) -> list[Finding]:
    """A refused call makes its check a problem; it does not hide the other checks."""
    from botocore.exceptions import ClientError

    try:
        return list(check(ctx))
    except ClientError as exc:
        return [Finding(PROBLEM, _NAMES[check.__name__], f"cannot check: {client_error(exc)}",
                        "use credentials of the management account that may call it (--profile)")]


def _credentials(ctx: _Context) -> Iterator[Finding]:
    caller = ctx.client("sts").get_caller_identity()
    if caller["Account"] != ctx.plan.management_account_id:
        yield Finding(PROBLEM, "credentials", f"the credentials in use belong to account {caller['Account']}, "
                      f"not the management account {ctx.plan.management_account_id}",
                      "pass --profile with credentials of the management account")
    else:
        yield Finding(OK, "credentials", f"management account {caller['Account']} ({caller['Arn']})")


def _organization(ctx: _Context) -> Iterator[Finding]:
    org = ctx.client("organizations").describe_organization()["Organization"]
    plan = ctx.plan
    if org["Id"] != plan.organization_id:
        yield Finding(PROBLEM, "organization", f"the credentials reach organization {org['Id']}, the blueprint "
                      f"says {plan.organization_id}", "use the blueprint's organization (--profile), or fix "
                      "organization.id in the blueprint")
        return
    root_id = ctx.live().root_id
    if root_id != plan.root_id:
        yield Finding(PROBLEM, "organization", f"the organization's root is {root_id}, the blueprint says "
                      f"{plan.root_id}", f"fix organization.root_id, or run `lz sync {ctx.blueprint}`")
    elif org.get("FeatureSet") != "ALL":
        yield Finding(PROBLEM, "organization", f"{org['Id']} has feature set {org.get('FeatureSet')}, "
                      "not ALL: SCPs, RCPs and trusted access need all features",
                      ctx.fix("aws organizations enable-all-features") + "\nthen every member account accepts "
                      "the handshake (console: AWS Organizations > Settings)")
    else:
        yield Finding(OK, "organization", f"{org['Id']} has all features enabled (root {root_id})")


def _trusted_access(ctx: _Context) -> Iterator[Finding]:
    paginator = ctx.client("organizations").get_paginator("list_aws_service_access_for_organization")
    enabled = {s["ServicePrincipal"] for page in paginator.paginate() for s in page["EnabledServicePrincipals"]}
    for access in trusted_access(ctx.plan):
        if access.by_landing_zone:
            yield Finding(OK, "trusted access", f"{access.service}: enabled by the landing zone itself ({access.why})")
        elif access.service in enabled:
            yield Finding(OK, "trusted access", f"{access.service} ({access.why})")
        else:
            command = ENABLE_COMMAND.get(
                access.service, f"aws organizations enable-aws-service-access --service-principal {access.service}")
            yield Finding(PROBLEM, "trusted access", f"{access.service} is not trusted by the organization, "
                          f"needed for {access.why}", ctx.fix(command))


def _delegated_admins(ctx: _Context) -> Iterator[Finding]:
    org = ctx.client("organizations")
    for admin in delegated_admins(ctx.plan):
        account_id = ctx.plan.account(admin.account).id
        paginator = org.get_paginator("list_delegated_administrators")
        registered = {a["Id"] for page in paginator.paginate(ServicePrincipal=admin.service)
                      for a in page["DelegatedAdministrators"]}
        if account_id in registered:
            yield Finding(OK, "delegated admin", f"{admin.account} ({account_id}) for {admin.service}")
        else:
            now = f"; now: {', '.join(sorted(registered))}" if registered else ""
            yield Finding(PROBLEM, "delegated admin", f"{admin.account} ({account_id}) is not the delegated "
                          f"administrator for {admin.service}, needed because {admin.why}{now}",
                          ctx.fix("aws organizations register-delegated-administrator "
                                  f"--service-principal {admin.service} --account-id {account_id}"))


def _identity_center(ctx: _Context) -> Iterator[Finding]:
    wanted = ctx.bp.identity.identity_center if ctx.bp.identity else None
    if wanted is None:
        return
    paginator = ctx.client("sso-admin").get_paginator("list_instances")
    instances = [i for page in paginator.paginate() for i in page["Instances"]]
    match = next((i for i in instances if i["InstanceArn"] == wanted.instance_arn), None)
    if match is None:
        live = ", ".join(f"{i['InstanceArn']} ({i['IdentityStoreId']})" for i in instances) or "none"
        yield Finding(PROBLEM, "identity center", f"no IAM Identity Center instance {wanted.instance_arn} in "
                      f"{ctx.home}; instances there: {live}",
                      "enable IAM Identity Center in the home region (console: IAM Identity Center > Enable), "
                      "then set identity.identity_center.instance_arn and identity_store_id to its values")
    elif match["IdentityStoreId"] != wanted.identity_store_id:
        yield Finding(PROBLEM, "identity center", f"instance {wanted.instance_arn} has identity store "
                      f"{match['IdentityStoreId']}, the blueprint says {wanted.identity_store_id}",
                      f"set identity.identity_center.identity_store_id: {match['IdentityStoreId']}")
    else:
        yield Finding(OK, "identity center", f"{wanted.instance_arn} (identity store {wanted.identity_store_id})")


def _control_tower(ctx: _Context) -> Iterator[Finding]:
    client = ctx.client("controltower")
    if uses_tower(ctx.bp):
        yield from tower_findings(client, ctx.bp, ctx.home)
        return
    arns = [z["arn"] for page in client.get_paginator("list_landing_zones").paginate() for z in page["landingZones"]]
    if not arns:
        yield Finding(INFO, "control tower", f"no AWS Control Tower landing zone (looked in {ctx.home})")
        return
    zone = client.get_landing_zone(landingZoneIdentifier=arns[0])["landingZone"]
    note = ""
    if ctx.bp.guardrails.engine == "native":
        note = ("; guardrails.engine is native: the landing zone's own SCPs, Config recorders and trail sit "
                "beside Control Tower's in the OUs both govern (recorder collisions are checked below)")
    yield Finding(INFO, "control tower", f"AWS Control Tower landing zone {zone.get('version', '?')} "
                  f"({zone.get('status', '?')}, drift {zone.get('driftStatus', {}).get('status', '?')}){note}")


def _recorded_ids(ctx: _Context) -> Iterator[Finding]:
    """Live OUs and accounts the blueprint names but the ids file lacks: deploying would try to
    create them a second time, which fails; recorded ids that are gone would fail an import."""
    live, plan = ctx.live(), ctx.plan
    unrecorded: list[tuple[str, str, str, str]] = []   # (what, live id, stack, logical id)
    for unit in plan.units:
        if unit.id is None and unit.path in live.units:
            unrecorded.append((f"OU {unit.path!r}", live.units[unit.path], unit.stack, unit.logical_id))
    members = [a for a in live.accounts if a.id != live.management_account_id]
    missing = [a for a in plan.accounts if a.id is None]
    found = match_accounts([{"name": a.name, "email": a.email} for a in missing], members)
    for account in missing:
        if account.name in found:
            unrecorded.append((f"account {account.name!r}", found[account.name], account.stack, account.logical_id))
    live_accounts = {a.id for a in live.accounts}
    live_units = set(live.units.values())
    gone = [f"OU {u.path!r} ({u.id})" for u in plan.units if u.id and u.id not in live_units]
    gone += [f"account {a.name!r} ({a.id})" for a in plan.accounts if a.id and a.id not in live_accounts]
    managed = _StackResources(ctx.client("cloudformation"))
    problem = False
    for what, ident, stack, logical in unrecorded:
        if managed.has(stack, logical):
            yield Finding(OK, "ids file", f"{what} ({ident}) was created by stack {stack}; "
                          "the sync phase records its id")
            continue
        problem = True
        yield Finding(PROBLEM, "ids file", f"{what} exists ({ident}) but is not recorded: deploying would "
                      "create it a second time", ctx.fix(f"lz sync {ctx.blueprint}") + " (then lz deploy imports it)")
    for what in gone:
        problem = True
        yield Finding(PROBLEM, "ids file", f"{what} is recorded but not in organization {live.id}",
                      ctx.fix(f"lz sync {ctx.blueprint}"))
    if not problem and not unrecorded:
        yield Finding(OK, "ids file", f"every OU and account of the blueprint that exists in {live.id} is recorded")


class _StackResources:
    """Logical ids of deployed stacks, read once each; a missing stack has none."""

    def __init__(self, cloudformation: Any):
        self.client = cloudformation
        self.cache: dict[str, set[str]] = {}

    def has(self, stack: str, logical_id: str) -> bool:
        if stack not in self.cache:
            self.cache[stack] = deployed_resources(self.client, stack) or set()
        return logical_id in self.cache[stack]


def deployed_resources(cloudformation: Any, stack: str) -> set[str] | None:
    """Logical ids of the resources of a deployed stack; None when CloudFormation has no such stack."""
    from botocore.exceptions import ClientError

    try:
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
        return {r["LogicalResourceId"] for page in pages for r in page["StackResourceSummaries"]}
    except ClientError as exc:
        if "does not exist" in str(exc.response.get("Error", {}).get("Message", "")):
            return None
        raise
