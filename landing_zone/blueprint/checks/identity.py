"""Checks of `identity:` IAM Identity Center and SAML / OIDC federation (the directory: directory.py).

Everything here is pure: values are checked against the patterns and quotas AWS documents (API
reference of Directory Service, SSO Admin and IAM), so a mistake fails `lz validate`, not a deploy.
Policy documents and SAML metadata files are read by the plan (they live in files), not here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.identity import AWS_MANAGED_POLICY_ARN, FederatedRole, OidcProvider
from landing_zone.blueprint.query import account_role
from landing_zone.blueprint.suggest import suggest

CENTER: Loc = ("identity", "identity_center")


# SSO Admin: permission set Name `[\w+=,.@-]+`, 1-32; Description 1-700 of printable Latin-1.
PERMISSION_SET_NAME = re.compile(r"^[\w+=,.@-]{1,32}$", re.ASCII)
DESCRIPTION_MAX = 700
DESCRIPTION_CHARS = re.compile(r"^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$")
SESSION_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
SESSION_MIN, SESSION_MAX = 3600, 12 * 3600
BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# How a bare number is read, tried in order; the ranges do not overlap: hours 1-12, minutes 60-720,
# seconds 3600-43200 (what IAM role session durations use).
DURATION_UNITS = (("hours", 3600), ("minutes", 60), ("seconds", 1))
RELAY_STATE_MAX = 240
# AWS managed policies by name, some under a path (job-function/ViewOnlyAccess, service-role/...).
POLICY_NAME = re.compile(r"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}$", re.ASCII)
# Managed policies per role (and so per permission set): IAM's default quota is 10, at most 20.
MANAGED_POLICIES_DEFAULT, MANAGED_POLICIES_MAX = 10, 20
INSTANCE_ARN = re.compile(r"^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/"
                          r"(sso)?ins-[a-zA-Z0-9-.]{16}$")
UUID = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
IDENTITY_STORE_ID = re.compile(rf"^d-[0-9a-f]{{10}}$|^{UUID}$")
PRINCIPAL_ID = re.compile(rf"^([0-9a-f]{{10}}-|){UUID}$")
ABAC_KEY = re.compile(r"^[\w\s.:/=+@-]{1,128}$")

# IAM: role names `[\w+=,.@-]{1,64}`; SAML provider names `[\w._-]{1,128}`.
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
SAML_PROVIDER_NAME = re.compile(r"^[\w._-]{1,128}$", re.ASCII)
RESERVED_ROLE_PREFIXES = ("AWSReservedSSO_", "AWSServiceRoleFor")
THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}$")
MAX_THUMBPRINTS, MAX_CLIENT_IDS = 5, 100
# Operators that constrain a key (a negated or IfExists operator lets a missing key through).
WHO_ELSE = {"aud": "tokens issued for any audience",
            "sub": "any workload of this issuer (any repository, any cluster)"}
CONSTRAINING = ("StringEquals", "StringLike", "ForAnyValue:StringEquals", "ForAnyValue:StringLike",
                "ForAllValues:StringEquals", "ForAllValues:StringLike")


# ---------- directory ----------

def permission_sets_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Names, descriptions, session durations, policy names and relay states AWS accepts."""
    center = bp.identity.identity_center
    if center is None:
        return
    seen: dict[str, int] = {}
    for i, ps in enumerate(center.permission_sets):
        loc = CENTER + ("permission_sets", i)
        if not PERMISSION_SET_NAME.match(ps.name):
            yield Issue("permission-set-name-invalid", f"name {quote(ps.name)} has {len(ps.name)} "
                        "characters" + ("" if len(ps.name) <= 32 else "; allowed: 1-32")
                        + ("" if re.fullmatch(r"[\w+=,.@-]*", ps.name, re.ASCII) else
                           "; allowed characters: letters, digits and _+=,.@-"),
                        hint="1-32 characters of letters, digits and _+=,.@- (the name shows in the "
                             "AWS access portal and in role names AWSReservedSSO_<name>_...)",
                        loc=loc + ("name",))
        if ps.name in seen:
            yield Issue("permission-set-duplicate", f"permission set {quote(ps.name)} is already declared",
                        hint="permission set names are unique in the instance", loc=loc + ("name",),
                        related=CENTER + ("permission_sets", seen[ps.name], "name"))
        seen.setdefault(ps.name, i)
        if len(ps.description) > DESCRIPTION_MAX or not DESCRIPTION_CHARS.match(ps.description):
            yield Issue("permission-set-description-invalid", f"description {quote(ps.description)} is "
                        f"not accepted: at most {DESCRIPTION_MAX} printable Latin-1 characters",
                        hint="shorten it and use plain characters", loc=loc + ("description",))
        yield from _session_duration(ps.session_duration, loc + ("session_duration",))
        yield from _managed_policies(ps.managed_policies, loc + ("managed_policies",))
        for j, name in enumerate(ps.customer_managed_policies):
            if not POLICY_NAME.match(name.strip("/")) or name.startswith("arn:"):
                yield Issue("policy-name-invalid", f"{quote(name)} is not a customer managed policy name",
                            hint="a name with an optional path, e.g. ReadBilling or engineering/ReadBilling; "
                                 "the policy must exist in every account the permission set is assigned "
                                 "to", loc=loc + ("customer_managed_policies", j))
        total = len(ps.managed_policies) + len(ps.customer_managed_policies)
        if total > MANAGED_POLICIES_MAX:
            yield Issue("permission-set-too-many-policies", f"permission set {quote(ps.name)} attaches "
                        f"{total} managed policies; allowed: at most {MANAGED_POLICIES_MAX}",
                        hint="combine policies, or move permissions into the inline policy", loc=loc)
        elif total > MANAGED_POLICIES_DEFAULT:
            yield Issue("permission-set-many-policies", f"permission set {quote(ps.name)} attaches "
                        f"{total} managed policies; IAM's default quota per role is "
                        f"{MANAGED_POLICIES_DEFAULT}", severity="warning",
                        hint="raise the 'Managed policies per role' quota (up to 20) in every assigned "
                             "account, or combine policies", loc=loc)
        if ps.permissions_boundary is not None:
            boundary = ps.permissions_boundary
            if not (AWS_MANAGED_POLICY_ARN.match(boundary) or
                    (not boundary.startswith("arn:") and POLICY_NAME.match(boundary.strip("/")))):
                yield Issue("permissions-boundary-invalid", f"{quote(boundary)} is neither an AWS managed "
                            "policy ARN nor a customer managed policy name", hint="e.g. "
                            "arn:aws:iam::aws:policy/PowerUserAccess, or boundaries/Developer for a "
                            "customer managed policy present in every assigned account",
                            loc=loc + ("permissions_boundary",))
        if ps.relay_state is not None and (not ps.relay_state.startswith("https://")
                                           or len(ps.relay_state) > RELAY_STATE_MAX):
            yield Issue("permission-set-relay-state-invalid", f"relay_state {quote(ps.relay_state)} is "
                        f"not accepted: an https:// URL of at most {RELAY_STATE_MAX} characters",
                        hint="e.g. https://console.aws.amazon.com/billing/home", loc=loc + ("relay_state",))


def assignments_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Assignments name a declared permission set, a well-formed principal and at least one target.

    Unknown OUs and accounts in `targets` are reported once for every section by targets_exist.
    """
    center = bp.identity.identity_center
    if center is None:
        return
    if not INSTANCE_ARN.match(center.instance_arn):
        yield Issue("identity-center-instance-invalid", f"instance_arn {quote(center.instance_arn)} is "
                    "not an IAM Identity Center instance ARN", hint="copy it from the Identity Center "
                    "console's Settings: arn:aws:sso:::instance/ssoins-<16 characters>",
                    loc=CENTER + ("instance_arn",))
    if not IDENTITY_STORE_ID.match(center.identity_store_id):
        yield Issue("identity-center-instance-invalid",
                    f"identity_store_id {quote(center.identity_store_id)} "
                    "is not an identity store id", hint="copy it from the Identity Center console's "
                    "Settings: d-<10 hexadecimal digits>", loc=CENTER + ("identity_store_id",))
    names = {ps.name for ps in center.permission_sets}
    for i, assignment in enumerate(center.assignments):
        loc = CENTER + ("assignments", i)
        if assignment.permission_set not in names:
            yield Issue("assignment-permission-set-unknown", f"permission set "
                        f"{quote(assignment.permission_set)} is not declared",
                        hint=suggest(assignment.permission_set, names), loc=loc + ("permission_set",))
        key = "group_id" if assignment.group_id else "user_id"
        principal = getattr(assignment, key)
        if principal is not None and not PRINCIPAL_ID.match(principal):
            yield Issue("assignment-principal-invalid", f"{key} {quote(principal)} is not an identity "
                        "store id", hint="copy the group's or user's id from the Identity Center console "
                        "(a UUID such as 90677f5b-...), not its display name", loc=loc + (key,))
        if assignment.targets.is_empty():
            yield Issue("assignment-targets-empty", f"the assignment of {quote(assignment.permission_set)} "
                        "has no targets", hint="list OUs (expanded to every account under them) or "
                        "accounts in targets", loc=loc + ("targets",))


def access_control_attributes_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """ABAC attribute keys are unique and well formed; each maps to exactly one source."""
    center = bp.identity.identity_center
    if center is None:
        return
    seen: set[str] = set()
    for i, attribute in enumerate(center.access_control_attributes):
        loc = CENTER + ("access_control_attributes", i)
        if not ABAC_KEY.match(attribute.key):
            yield Issue("abac-attribute-invalid", f"key {quote(attribute.key)} is not accepted",
                        hint="1-128 letters, digits, spaces and _.:/=+@-", loc=loc + ("key",))
        if attribute.key in seen:
            yield Issue("abac-attribute-duplicate", f"attribute {quote(attribute.key)} is already declared",
                        hint="each key once", loc=loc + ("key",))
        seen.add(attribute.key)
        if len(attribute.source) != 1:
            yield Issue("abac-attribute-invalid", f"attribute {quote(attribute.key)} has "
                        f"{len(attribute.source)} sources; allowed: exactly 1", hint="e.g. "
                        "[\"${path:enterprise.costCenter}\"]", loc=loc + ("source",))


# ---------- federation ----------

def federation_providers_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Provider names and URLs AWS accepts, one provider per name or URL in an account."""
    default = _identity_account(bp)
    names: dict[tuple[str, str], Loc] = {}
    urls: dict[tuple[str, str], Loc] = {}
    for i, saml in enumerate(bp.identity.saml_providers):
        loc = ("identity", "saml_providers", i)
        yield from _provider_account(saml.account, default, loc)
        if not SAML_PROVIDER_NAME.match(saml.name):
            yield Issue("saml-provider-name-invalid", f"name {quote(saml.name)} is not accepted",
                        hint="1-128 letters, digits and ._-", loc=loc + ("name",))
        key = (saml.account or default or "", saml.name)
        if key in names:
            yield Issue("federation-provider-duplicate", f"SAML provider {quote(saml.name)} is already "
                        "declared in that account", hint="give each provider its own name",
                        loc=loc + ("name",), related=names[key])
        names.setdefault(key, loc + ("name",))
    for i, oidc in enumerate(bp.identity.oidc_providers):
        loc = ("identity", "oidc_providers", i)
        yield from _provider_account(oidc.account, default, loc)
        parts = urlsplit(oidc.url)
        if (parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment
                or len(oidc.url) > 255 or parts.port is not None):
            yield Issue("oidc-url-invalid", f"url {quote(oidc.url)} is not an issuer URL IAM accepts",
                        hint="https://<host>[/<path>] without query, fragment or port, at most 255 "
                             "characters, e.g. https://token.actions.githubusercontent.com",
                        loc=loc + ("url",))
        key = (oidc.account or default or "", oidc.host)
        if key in urls:
            yield Issue("federation-provider-duplicate", f"an OIDC provider for {quote(oidc.url)} is "
                        "already declared in that account", hint="IAM allows one provider per issuer "
                        "URL in an account: merge their client_ids and roles", loc=loc + ("url",),
                        related=urls[key])
        urls.setdefault(key, loc + ("url",))
        if not 1 <= len(oidc.client_ids) <= MAX_CLIENT_IDS:
            yield Issue("oidc-client-ids-count", f"{len(oidc.client_ids)} client id(s); allowed: "
                        f"1-{MAX_CLIENT_IDS}", hint="list the audiences tokens are issued for, e.g. "
                        "sts.amazonaws.com", loc=loc + ("client_ids",))
        if len(oidc.thumbprints) > MAX_THUMBPRINTS:
            yield Issue("oidc-thumbprints-count", f"{len(oidc.thumbprints)} thumbprints; allowed: at "
                        f"most {MAX_THUMBPRINTS}", hint="keep the current and the next certificate",
                        loc=loc + ("thumbprints",))
        for j, thumbprint in enumerate(oidc.thumbprints):
            if not THUMBPRINT.match(thumbprint):
                yield Issue("oidc-thumbprint-invalid", f"{quote(thumbprint)} is not a SHA-1 thumbprint",
                            hint="40 hexadecimal digits", loc=loc + ("thumbprints", j))


def federated_roles_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Role names are valid and unique per account; web-identity roles pin both aud and sub.

    Roles keep the names given (identity providers' claim rules name them), so they must not use
    the prefixes IAM reserves; a name starting with the landing zone's own `<name>-` prefix is a
    warning: that namespace is where the landing zone puts its roles, and SCP exemptions match it.
    """
    default = _identity_account(bp)
    seen: dict[tuple[str, str], Loc] = {}
    providers = ([("saml_providers", i, p, None) for i, p in enumerate(bp.identity.saml_providers)]
                 + [("oidc_providers", i, p, p) for i, p in enumerate(bp.identity.oidc_providers)])
    for section, i, provider, oidc in providers:
        account = provider.account or default or ""
        for j, role in enumerate(provider.roles):
            loc = ("identity", section, i, "roles", j)
            yield from _role_name(bp, role, loc)
            key = (account, role.name)
            if key in seen:
                yield Issue("federated-role-duplicate", f"role {quote(role.name)} is already declared in "
                            f"account {quote(account)}", hint="role names are unique in an account",
                            loc=loc + ("name",), related=seen[key])
            seen.setdefault(key, loc + ("name",))
            yield from _managed_policies(role.managed_policies, loc + ("managed_policies",))
            if oidc is not None:
                yield from _web_identity_conditions(oidc, role, loc)
            else:
                yield from _saml_conditions(role, loc)


def _web_identity_conditions(provider: OidcProvider, role: FederatedRole, loc: Loc) -> Iterator[Issue]:
    host = provider.host
    for claim in ("aud", "sub"):
        key = f"{host}:{claim}"
        values = [v for op in CONSTRAINING for k, v in role.conditions.get(op, {}).items() if k == key]
        flat = [x for v in values for x in ([v] if isinstance(v, str) else v)]
        if not flat:
            yield Issue("oidc-role-condition-missing", f"web-identity role {quote(role.name)} has no "
                        f"{claim!r} condition on {key!r}", hint=f"add StringEquals (or StringLike) "
                        f"{{{key}: ...}}: without it {WHO_ELSE[claim]} could assume the role",
                        loc=loc + (("conditions",) if role.conditions else ("name",)))
        elif claim == "sub" and any(x.strip("*") == "" for x in flat):
            yield Issue("oidc-role-condition-missing", f"web-identity role {quote(role.name)} accepts any "
                        f"subject ({key} = {quote(flat[0])})", hint="name the repositories, branches or "
                        "service accounts allowed to assume the role", loc=loc + ("conditions",))
        elif claim == "aud":
            for value in flat:
                if value not in provider.client_ids:
                    yield Issue("oidc-role-audience-unknown", f"role {quote(role.name)} expects audience "
                                f"{quote(value)}, which is not one of the provider's client_ids",
                                hint=suggest(value, provider.client_ids), loc=loc + ("conditions",))


def _saml_conditions(role: FederatedRole, loc: Loc) -> Iterator[Issue]:
    for op, keys in role.conditions.items():
        for key, value in keys.items():
            if key == "SAML:aud":
                for v in [value] if isinstance(value, str) else value:
                    if not re.fullmatch(r"https://([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws\.cn|"
                                        r"amazonaws-us-gov\.com)/saml", v):
                        yield Issue("saml-role-audience-invalid",
                                    f"SAML:aud {quote(v)} is not an AWS sign-in "
                                    "endpoint", hint="leave SAML:aud out (the landing zone sets "
                                    "https://signin.aws.amazon.com/saml) or use a regional endpoint",
                                    loc=loc + ("conditions", op))


def _role_name(bp: Blueprint, role: FederatedRole, loc: Loc) -> Iterator[Issue]:
    if not ROLE_NAME.match(role.name):
        yield Issue("federated-role-name-invalid", f"role name {quote(role.name)} is not accepted",
                    hint="1-64 letters, digits and _+=,.@-", loc=loc + ("name",))
    elif role.name.startswith(RESERVED_ROLE_PREFIXES):
        yield Issue("federated-role-name-invalid", f"role name {quote(role.name)} uses a prefix AWS "
                    "reserves", hint=f"names starting with {' or '.join(RESERVED_ROLE_PREFIXES)} belong to "
                    "IAM Identity Center and service-linked roles", loc=loc + ("name",))
    elif role.name.startswith(f"{bp.name}-"):
        yield Issue("federated-role-name-reserved", f"role name {quote(role.name)} starts with "
                    f"{bp.name + '-'!r}, the prefix of the landing zone's own roles", severity="warning",
                    hint="guardrails exempt that prefix from some SCPs; rename the role unless that is "
                         "intended", loc=loc + ("name",))


def _managed_policies(names: list[str], loc: Loc) -> Iterator[Issue]:
    seen: set[str] = set()
    for j, name in enumerate(names):
        if not (AWS_MANAGED_POLICY_ARN.match(name) or (not name.startswith("arn:") and POLICY_NAME.match(name))):
            yield Issue("policy-name-invalid", f"{quote(name)} is not an AWS managed policy name",
                        hint="the policy's name, with its path when it has one (AdministratorAccess, "
                             "job-function/ViewOnlyAccess), or its arn:aws:iam::aws:policy/... ARN",
                        loc=loc + (j,))
        if name in seen:
            yield Issue("policy-name-duplicate", f"{quote(name)} is listed twice", hint="list each policy "
                        "once", loc=loc + (j,))
        seen.add(name)


def _session_duration(value: str, loc: Loc) -> Iterator[Issue]:
    if BARE_NUMBER.match(value):
        yield _bare_duration(value, loc)
        return
    match = SESSION_DURATION.match(value)
    if not match or not any(match.groups()):
        yield Issue("session-duration-invalid", f"session_duration {quote(value)} is not an ISO 8601 "
                    "duration", hint="PT<hours>H[<minutes>M], e.g. PT1H, PT4H, PT8H30M; allowed: PT1H-PT12H",
                    loc=loc)
        return
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if not SESSION_MIN <= total <= SESSION_MAX:
        yield Issue("session-duration-out-of-range", f"session_duration {quote(value)} is "
                    f"{total / 3600:g} hours; allowed: PT1H-PT12H", hint="IAM Identity Center sessions "
                    "last 1 to 12 hours", loc=loc)


def _bare_duration(value: str, loc: Loc) -> Issue:
    """A number without a unit: name the ISO 8601 duration it most likely means."""
    number = float(value)
    for unit, seconds in DURATION_UNITS:
        total = number * seconds
        if SESSION_MIN <= total <= SESSION_MAX and total == int(total):
            iso = iso_duration(int(total))
            return Issue("session-duration-number", f"session_duration {value} is a number without a unit; "
                         f"IAM Identity Center takes an ISO 8601 duration, PT1H-PT12H: {value} {unit} is {iso}",
                         hint=f"write `session_duration: {iso}`", loc=loc)
    return Issue("session-duration-number", f"session_duration {value} is a number without a unit, and no "
                 "unit makes it 1 to 12 hours; IAM Identity Center takes an ISO 8601 duration, PT1H-PT12H",
                 hint="write hours and minutes as PT<hours>H<minutes>M, e.g. `session_duration: PT4H`", loc=loc)


def iso_duration(seconds: int) -> str:
    """3600 → 'PT1H', 5400 → 'PT1H30M'."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)


def _provider_account(account: str | None, default: str | None, loc: Loc) -> Iterator[Issue]:
    if account is None and default is None:
        yield Issue("federation-account-missing", "the provider names no account and no account has "
                    "role identity", hint="set account: on the provider, or role: identity on an "
                    "account", loc=loc + ("name",))


def _identity_account(bp: Blueprint) -> str | None:
    return next((a.name for a in bp.organization.accounts if account_role(bp, a) == "identity"), None)
