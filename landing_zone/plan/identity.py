"""Identity component: IAM Identity Center (permission sets, ABAC attributes, assignments) and
SAML / OIDC federation (providers and the roles they may assume).

Stacks:
- `<name>-identity-center` (management account, home region): permission sets, the ABAC attribute
  configuration, and one SSM parameter per permission set holding its ARN.
- `<name>-identity-center-assignments-NN` (same place): account assignments, spread over a fixed
  number of shards by a hash of the account name, so an assignment's stack never changes when
  other accounts or assignments come and go. Assignments find their permission set's ARN through
  an SSM dynamic reference whose name holds the instance id and the permission set name: the two
  create-only properties, so a replaced permission set always changes the assignments' templates.
- `<name>-federation` in the identity account, `<name>-federation-<account>` in any other account a
  provider names: SAML and OIDC providers and their roles. Role names are used as given (identity
  provider claim rules and CI pipelines name them); the checks warn on the landing zone's own
  `<name>-` prefix and reject the prefixes AWS reserves.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from landing_zone.blueprint.files import NamedFile
from landing_zone.blueprint.issues import Issue, Loc
from landing_zone.blueprint.load import LoadedBlueprint
from landing_zone.blueprint.model.identity import (
    AWS_MANAGED_POLICY_ARN,
    FederatedRole,
    InlinePolicy,
    PermissionSet,
)
from landing_zone.blueprint.query import account_key, account_role
from landing_zone.plan.component import ComponentResult
from landing_zone.plan.model import Pending, Plan, StackPlan, Tags
from landing_zone.plan.names import bucket_of, digest, logical_id, stack_name
from landing_zone.plan.targets import Tree
from landing_zone.policy.elements import Kind, Problem
from landing_zone.policy.lint import lint_document

CENTER_COMPONENT = "identity-center"
ASSIGNMENTS_COMPONENT = "identity-center-assignments"
FEDERATION_COMPONENT = "federation"
# Assignments are spread over this many stacks by a hash of the account name; at 50 permission
# sets per account at most (the Identity Center quota) a shard holds 9 fully assigned accounts, and
# at a typical 5-10 assignments per account the 16 shards hold about 1,000 accounts.
ASSIGNMENT_SHARDS = 16
# Assignments created at once (within a shard; shards deploy one after another).
ASSIGNMENT_LANES = 10
# IAM Identity Center: permission sets provisioned in one AWS account.
PERMISSION_SETS_PER_ACCOUNT = 50
SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"
SAML_METADATA_MIN, SAML_METADATA_MAX = 1000, 10_000_000
MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
CENTER_LOC: Loc = ("identity", "identity_center")
PLACEHOLDER_ID = "000000000000"   # lints the documents of an account that has no id yet


# ---------- payloads ----------

@dataclass(frozen=True)
class PermissionSetPlan:
    name: str
    logical_id: str
    description: str | None
    session_duration: str
    managed_policy_arns: tuple[str, ...]
    customer_managed_policies: tuple[tuple[str, str], ...]     # (name, path), path "/" by default
    inline_policy: dict[str, Any] | None
    boundary_arn: str | None                                   # AWS managed boundary
    boundary_reference: tuple[str, str] | None                 # customer managed boundary (name, path)
    relay_state: str | None
    parameter_name: str          # SSM parameter that holds the permission set's ARN
    parameter_logical_id: str
    tags: Tags


@dataclass(frozen=True)
class IdentityCenterPlan:
    instance_arn: str
    permission_sets: tuple[PermissionSetPlan, ...]
    attributes: tuple[tuple[str, tuple[str, ...]], ...]        # (key, sources), sorted by key
    attributes_logical_id: str = "AccessControlAttributes"


@dataclass(frozen=True, order=True)
class AssignmentPlan:
    logical_id: str
    permission_set: str
    permission_set_arn: str      # an SSM dynamic reference to the permission set's parameter
    principal_type: str          # GROUP | USER
    principal_id: str
    account: str
    account_id: str
    after: str | None = None     # logical id of the assignment this one waits for (its lane)


@dataclass(frozen=True)
class AssignmentsPlan:
    instance_arn: str
    assignments: tuple[AssignmentPlan, ...]


@dataclass(frozen=True)
class SamlProviderPlan:
    name: str
    logical_id: str
    arn: str
    metadata: str
    tags: Tags


@dataclass(frozen=True)
class OidcProviderPlan:
    url: str
    logical_id: str
    arn: str
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    tags: Tags


@dataclass(frozen=True)
class FederatedRolePlan:
    name: str
    logical_id: str
    provider_logical_id: str
    trust_policy: dict[str, Any]
    managed_policy_arns: tuple[str, ...]
    inline_policy: dict[str, Any] | None
    max_session_duration: int
    tags: Tags


@dataclass(frozen=True)
class FederationPlan:
    saml_providers: tuple[SamlProviderPlan, ...] = ()
    oidc_providers: tuple[OidcProviderPlan, ...] = ()
    roles: tuple[FederatedRolePlan, ...] = ()


@dataclass
class _Federation:
    account: str
    saml: list[SamlProviderPlan] = field(default_factory=list)
    oidc: list[OidcProviderPlan] = field(default_factory=list)
    roles: list[FederatedRolePlan] = field(default_factory=list)


# ---------- planner ----------

def plan_identity(loaded: LoadedBlueprint, plan: Plan) -> ComponentResult:
    result = ComponentResult()
    _plan_identity_center(loaded, plan, result)
    _plan_federation(loaded, plan, result)
    return result


def managed_policy_arn(name: str, partition_name: str) -> str:
    """An AWS managed policy by name ('AdministratorAccess', 'job-function/ViewOnlyAccess') or ARN."""
    return name if name.startswith("arn:") else f"arn:{partition_name}:iam::aws:policy/{name}"


def split_path(name: str) -> tuple[str, str]:
    """'engineering/ReadBilling' → ('ReadBilling', '/engineering/'); IAM paths start and end with '/'."""
    parts = [p for p in name.split("/") if p]
    path = "/" + "".join(f"{p}/" for p in parts[:-1])
    return parts[-1], path


def parameter_name(blueprint: str, instance_arn: str, permission_set: str) -> str:
    """SSM parameter names take [a-zA-Z0-9_.-/]; other name characters are replaced, plus a digest.

    CloudFormation resolves a `{{resolve:ssm:...}}` reference only when the text around it changes,
    and an assignment's PermissionSetArn is create-only. The name therefore holds everything whose
    change replaces the permission set (its create-only InstanceArn and Name, and its logical id,
    which derives from the name): a new permission set always means a new reference text, so the
    assignments are replaced with it and never keep a stale ARN."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", permission_set)
    if safe != permission_set:
        safe = f"{safe}-{digest(permission_set, 6)}"
    instance = instance_arn.rsplit("/", 1)[-1]
    return f"/{blueprint}/identity-center/{instance}/permission-sets/{safe}"


def _plan_identity_center(loaded: LoadedBlueprint, plan: Plan, result: ComponentResult) -> None:
    bp = loaded.model
    center = bp.identity.identity_center
    if center is None:
        return
    permission_sets = []
    for i, ps in enumerate(center.permission_sets):
        loc = CENTER_LOC + ("permission_sets", i)
        inline = _inline_policy(loaded, ps.inline_policy, loc + ("inline_policy",), "permission_set", result)
        permission_sets.append(_permission_set(bp.name, center.instance_arn, ps, inline, plan.tags, plan.partition))
    permission_sets.sort(key=lambda p: p.name)
    attributes = tuple(sorted((a.key, tuple(a.source)) for a in center.access_control_attributes))
    center_stack = StackPlan(
        name=stack_name(plan.name, CENTER_COMPONENT), component=CENTER_COMPONENT,
        account_id=plan.management_account_id, region=plan.home_region,
        description=f"{plan.name} landing zone: IAM Identity Center permission sets and attributes",
        resources=2 * len(permission_sets) + (1 if attributes else 0),
        payload=IdentityCenterPlan(center.instance_arn, tuple(permission_sets), attributes))
    if permission_sets or attributes:
        result.stacks.append(center_stack)

    by_name = {p.name: p for p in permission_sets}
    tree = Tree(bp)
    ids = {a.name: a.id for a in plan.accounts}
    # Keyed by the name an account was created under: a rename must not replace (revoke) assignments.
    created = {a.name: a.key for a in plan.accounts}
    wanted: set[tuple[str, str, str, str]] = set()
    for assignment in center.assignments:
        principal = ("GROUP", assignment.group_id) if assignment.group_id else ("USER", assignment.user_id)
        for target in tree.of(assignment.targets):
            for account in tree.accounts_under(target):
                wanted.add((assignment.permission_set, principal[0], principal[1] or "", account))
    shards: dict[str, list[AssignmentPlan]] = defaultdict(list)
    waiting: dict[str, set[str]] = defaultdict(set)
    per_account: dict[str, set[str]] = defaultdict(set)
    for ps_name, kind, principal_id, account in sorted(wanted):
        per_account[account].add(ps_name)
        account_id = ids.get(account)
        if not account_id:
            waiting[account].add(ps_name)
            continue
        key = f"{ps_name}/{created[account]}/{kind.lower()}/{principal_id}"
        shard = stack_name(plan.name, ASSIGNMENTS_COMPONENT,
                           f"{bucket_of(created[account], ASSIGNMENT_SHARDS):02d}")
        shards[shard].append(AssignmentPlan(
            logical_id=logical_id("Assignment", key), permission_set=ps_name,
            permission_set_arn=f"{{{{resolve:ssm:{by_name[ps_name].parameter_name}}}}}",
            principal_type=kind, principal_id=principal_id, account=account, account_id=account_id))
    for account, names in sorted(per_account.items()):
        if len(names) > PERMISSION_SETS_PER_ACCOUNT:
            result.issues.append(Issue(
                "identity-center-permission-sets-per-account", f"account {account!r} would receive "
                f"{len(names)} permission sets; allowed: at most {PERMISSION_SETS_PER_ACCOUNT}",
                hint="IAM Identity Center provisions at most 50 permission sets in one account: assign "
                     "fewer, or merge permission sets", loc=CENTER_LOC + ("assignments",)))
    for account, names in sorted(waiting.items()):
        result.pending.append(Pending(
            f"Identity Center assignments in account {account}",
            f"{', '.join(sorted(names))}: the account has no id yet; deploy the accounts stacks, then "
            "run `lz sync`"))
    previous: str | None = None
    for shard, assignments in sorted(shards.items()):
        # Shards deploy one after another, and within a shard ASSIGNMENT_LANES DependsOn chains run
        # side by side: IAM Identity Center fails assignments created much more in parallel.
        chained = [replace(a, after=sorted(assignments)[i - ASSIGNMENT_LANES].logical_id
                           if i >= ASSIGNMENT_LANES else None)
                   for i, a in enumerate(sorted(assignments))]
        result.stacks.append(StackPlan(
            name=shard, component=ASSIGNMENTS_COMPONENT, account_id=plan.management_account_id,
            region=plan.home_region,
            description=f"{plan.name} landing zone: IAM Identity Center assignments (shard "
                        f"{shard.rsplit('-', 1)[1]} of {ASSIGNMENT_SHARDS})",
            resources=len(assignments), depends_on=(center_stack.name,), after=(previous,) if previous else (),
            payload=AssignmentsPlan(center.instance_arn, tuple(chained))))
        previous = shard


def _permission_set(blueprint: str, instance_arn: str, ps: PermissionSet, inline: dict[str, Any] | None,
                    tags: Tags, partition_name: str) -> PermissionSetPlan:
    boundary_arn = boundary_reference = None
    if ps.permissions_boundary:
        if AWS_MANAGED_POLICY_ARN.match(ps.permissions_boundary):
            boundary_arn = ps.permissions_boundary
        else:
            boundary_reference = split_path(ps.permissions_boundary)
    return PermissionSetPlan(
        name=ps.name, logical_id=logical_id("PermissionSet", ps.name), description=ps.description or None,
        session_duration=ps.session_duration,
        managed_policy_arns=tuple(sorted(managed_policy_arn(n, partition_name) for n in ps.managed_policies)),
        customer_managed_policies=tuple(sorted(split_path(n) for n in ps.customer_managed_policies)),
        inline_policy=inline, boundary_arn=boundary_arn, boundary_reference=boundary_reference,
        relay_state=ps.relay_state, parameter_name=parameter_name(blueprint, instance_arn, ps.name),
        parameter_logical_id=logical_id("PermissionSetArn", ps.name), tags=tags)


def _plan_federation(loaded: LoadedBlueprint, plan: Plan, result: ComponentResult) -> None:
    bp = loaded.model
    identity = bp.identity
    if not identity.saml_providers and not identity.oidc_providers:
        return
    default = next((a.name for a in bp.organization.accounts if account_role(bp, a) == "identity"), None)
    ids = {a.name: a.id for a in plan.accounts}
    groups: dict[str, _Federation] = {}

    for i, saml in enumerate(identity.saml_providers):
        loc = ("identity", "saml_providers", i)
        account = saml.account or default
        metadata = _saml_metadata(loaded.files.text[saml.metadata_file], loc + ("metadata_file",), result)
        if account is None or metadata is None:
            continue
        # Accounts without an id still get their documents linted; their stack is reported pending.
        group = groups.setdefault(account, _Federation(account))
        provider = SamlProviderPlan(
            name=saml.name, logical_id=logical_id("SamlProvider", saml.name),
            arn=f"arn:{plan.partition}:iam::{ids.get(account) or PLACEHOLDER_ID}:saml-provider/{saml.name}",
            metadata=metadata, tags=plan.tags)
        group.saml.append(provider)
        for j, role in enumerate(saml.roles):
            conditions = {op: dict(keys) for op, keys in role.conditions.items()}
            if not any("SAML:aud" in keys for keys in conditions.values()):
                conditions.setdefault("StringEquals", {})["SAML:aud"] = SAML_AUDIENCE
            group.roles.append(_role(loaded, plan, role, provider.arn, provider.logical_id,
                                     "sts:AssumeRoleWithSAML", conditions, loc + ("roles", j), result))

    for i, oidc in enumerate(identity.oidc_providers):
        loc = ("identity", "oidc_providers", i)
        account = oidc.account or default
        if account is None:
            continue
        group = groups.setdefault(account, _Federation(account))
        host = oidc.host
        issuer = OidcProviderPlan(
            url=oidc.url, logical_id=logical_id("OidcProvider", host),
            arn=f"arn:{plan.partition}:iam::{ids.get(account) or PLACEHOLDER_ID}:oidc-provider/{host}",
            client_ids=tuple(oidc.client_ids),
            thumbprints=tuple(t.lower() for t in oidc.thumbprints), tags=plan.tags)
        group.oidc.append(issuer)
        for j, role in enumerate(oidc.roles):
            group.roles.append(_role(loaded, plan, role, issuer.arn, issuer.logical_id,
                                     "sts:AssumeRoleWithWebIdentity", role.conditions, loc + ("roles", j),
                                     result))

    wanted = {saml.account or default for saml in identity.saml_providers}
    wanted |= {oidc.account or default for oidc in identity.oidc_providers}
    for account in sorted(a for a in wanted if a):
        name = stack_name(plan.name, FEDERATION_COMPONENT, None if account == default else account_key(bp, account))
        account_id = ids.get(account)
        if not account_id:
            result.pending.append(Pending(f"stack {name}", f"account {account} has no id yet, so the "
                                          "stack is not synthesized; deploy the accounts stacks, then run "
                                          "`lz sync`"))
            continue
        federation = groups.get(account)
        if federation is None:
            continue    # its providers had issues, reported above
        payload = FederationPlan(
            saml_providers=tuple(sorted(federation.saml, key=lambda p: p.name)),
            oidc_providers=tuple(sorted(federation.oidc, key=lambda p: p.url)),
            roles=tuple(sorted(federation.roles, key=lambda r: r.name)))
        result.stacks.append(StackPlan(
            name=name, component=FEDERATION_COMPONENT, account_id=account_id, region=plan.home_region,
            description=f"{plan.name} landing zone: SAML and OIDC identity providers and federated roles",
            resources=len(payload.saml_providers) + len(payload.oidc_providers) + len(payload.roles),
            payload=payload))


def _role(loaded: LoadedBlueprint, plan: Plan, role: FederatedRole, provider_arn: str, provider_id: str,
          action: str, conditions: dict[str, dict[str, str | list[str]]], loc: Loc,
          result: ComponentResult) -> FederatedRolePlan:
    statement: dict[str, Any] = {"Sid": "Federation", "Effect": "Allow",
                                 "Principal": {"Federated": provider_arn}, "Action": action}
    if conditions:
        statement["Condition"] = conditions
    trust = {"Version": "2012-10-17", "Statement": [statement]}
    for problem in lint_document(trust, kind="trust"):
        result.issues.append(_policy_issue(problem, f"the trust policy of role {role.name!r}",
                                           loc + ("conditions",) if role.conditions else loc + ("name",)))
    inline = _inline_policy(loaded, role.inline_policy, loc + ("inline_policy",), "identity", result)
    return FederatedRolePlan(
        name=role.name, logical_id=logical_id("FederatedRole", role.name), provider_logical_id=provider_id,
        trust_policy=trust,
        managed_policy_arns=tuple(sorted(managed_policy_arn(n, plan.partition) for n in role.managed_policies)),
        inline_policy=inline, max_session_duration=role.max_session_duration, tags=plan.tags)


def _inline_policy(loaded: LoadedBlueprint, policy: InlinePolicy | None, loc: Loc, kind: Kind,
                   result: ComponentResult) -> dict[str, Any] | None:
    """The document inline or from its Jinja2-rendered JSON file, linted like every IAM document."""
    if policy is None:
        return None
    named = None
    if policy.document is not None:
        document, loc = policy.document, loc + ("document",)
    else:   # the loader has read, rendered and parsed the file (and reported any problem with it)
        loc = loc + ("file",)
        assert policy.file is not None      # the model holds a document or a file
        named = loaded.files.json[policy.file]
        document = named.content
    for p in lint_document(document, kind=kind):
        issue = _policy_issue(p, "the policy", loc)
        result.issues.append(named.place(issue, p.pointer) if named else issue)
    return document


def _policy_issue(problem: Problem, what: str, loc: Loc) -> Issue:
    where = f"{problem.pointer}: " if problem.pointer else ""
    return Issue(problem.code, f"{where}{problem.message}",
                 hint=problem.hint or f"fix {what}; the IAM policy grammar is in the IAM User Guide", loc=loc)


def _saml_metadata(named: NamedFile, loc: Loc, result: ComponentResult) -> str | None:
    """IAM wants the identity provider's SAML 2.0 metadata with its signing certificate."""
    text: str = named.content     # a text file's content: the metadata as written
    path = named.written
    problem = None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        problem = f"is not well-formed XML ({exc})"
    else:
        if root.tag != f"{{{MD_NS}}}EntityDescriptor":
            problem = f"has root element {root.tag!r}, not a SAML 2.0 metadata EntityDescriptor"
        elif root.find(f"{{{MD_NS}}}IDPSSODescriptor") is None:
            problem = "has no IDPSSODescriptor (it is not an identity provider's metadata)"
        elif root.find(f".//{{{MD_NS}}}KeyDescriptor//{{{DS_NS}}}X509Certificate") is None:
            problem = "has no signing certificate (KeyDescriptor with an X509Certificate)"
        elif not SAML_METADATA_MIN <= len(text) <= SAML_METADATA_MAX:
            problem = (f"has {len(text):,} characters; IAM accepts {SAML_METADATA_MIN:,}-"
                       f"{SAML_METADATA_MAX:,}")
    if problem:
        result.issues.append(Issue("saml-metadata-invalid", f"SAML metadata file {path!r} {problem}",
                                   hint="use the metadata document your identity provider publishes, "
                                        "unchanged", loc=loc))
        return None
    return text
