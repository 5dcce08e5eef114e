"""Checks of `identity:`: the directory, IAM Identity Center, and SAML / OIDC federation.

Everything here is pure: values are checked against the patterns and quotas AWS documents (API
reference of Directory Service, SSO Admin and IAM), so a mistake fails `lz validate`, not a deploy.
Policy documents and SAML metadata files are read by the plan (they live in files), not here.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Iterator
from urllib.parse import urlsplit

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.identity import Directory, FederatedRole, OidcProvider
from landing_zone.blueprint.model.network import Vpc
from landing_zone.blueprint.query import account_role
from landing_zone.blueprint.suggest import suggest

DIRECTORY: Loc = ("identity", "directory")
CENTER: Loc = ("identity", "identity_center")

# Directory Service: Name `^([a-zA-Z0-9]+[\.-])+([a-zA-Z0-9])+$`; DNS labels are 1-63 characters.
DNS_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# NetBIOS names: at most 15 characters, none of \ / : * ? " < > | and no leading period
# (Directory Service ShortName pattern `^[^\\/:*?"<>|.]+[^\\/:*?"<>|]*$`).
NETBIOS_FORBIDDEN = set('\\/:*?"<>|')
NETBIOS_MAX = 15
MAX_FORWARDERS = 4
# Secrets Manager secret names: 1-512 of ASCII letters, digits and /_+=.@-
SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")

# SSO Admin: permission set Name `[\w+=,.@-]+`, 1-32; Description 1-700 of printable Latin-1.
PERMISSION_SET_NAME = re.compile(r"^[\w+=,.@-]{1,32}$", re.ASCII)
DESCRIPTION_MAX = 700
DESCRIPTION_CHARS = re.compile(r"^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$")
SESSION_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
SESSION_MIN, SESSION_MAX = 3600, 12 * 3600
RELAY_STATE_MAX = 240
# AWS managed policies by name, some under a path (job-function/ViewOnlyAccess, service-role/...).
POLICY_NAME = re.compile(r"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}$", re.ASCII)
AWS_MANAGED_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$", re.ASCII)
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

def directory_names_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """The domain is a DNS name of two labels or more; the short name follows NetBIOS rules."""
    d = bp.identity.directory
    if d is None:
        return
    problem = _dns_problem(d.domain)
    if problem:
        yield Issue("directory-domain-invalid", f"domain {quote(d.domain)} {problem}",
                    hint="use a fully qualified name such as corp.example.com (not the on-premises "
                         "domain a trust points to)", loc=DIRECTORY + ("domain",))
    if d.short_name is not None:
        problem = _netbios_problem(d.short_name)
        if problem:
            yield Issue("directory-short-name-invalid", f"short_name {quote(d.short_name)} {problem}",
                        hint=f"a NetBIOS name: 1-{NETBIOS_MAX} characters, none of \\ / : * ? \" < > |, "
                             "not starting with a period, e.g. CORP", loc=DIRECTORY + ("short_name",))
    elif not problem:
        label = d.domain.split(".")[0]
        if len(label) > NETBIOS_MAX:
            yield Issue("directory-short-name-invalid", f"the default short name {quote(label.upper())} "
                        f"(the domain's first label) has {len(label)} characters; allowed: at most "
                        f"{NETBIOS_MAX}", hint="set short_name to a NetBIOS name of at most 15 characters",
                        loc=DIRECTORY + ("domain",))


def directory_trusts_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Each trust has 1-4 forwarder IPv4 addresses and a secret name; remote domains are distinct."""
    d = bp.identity.directory
    if d is None:
        return
    seen: dict[str, int] = {}
    for i, trust in enumerate(d.trusts):
        loc = DIRECTORY + ("trusts", i)
        problem = _dns_problem(trust.remote_domain)
        if problem:
            yield Issue("trust-remote-domain-invalid",
                        f"remote_domain {quote(trust.remote_domain)} {problem}",
                        hint="the fully qualified name of the on-premises domain, e.g. onprem.example.com",
                        loc=loc + ("remote_domain",))
        key = trust.remote_domain.lower().rstrip(".")
        if key == d.domain.lower().rstrip("."):
            yield Issue("trust-remote-domain-invalid", f"remote_domain {quote(trust.remote_domain)} is the "
                        "directory's own domain", hint="a trust points to another forest or domain",
                        loc=loc + ("remote_domain",))
        if key in seen:
            yield Issue("trust-remote-domain-duplicate", f"a trust to {quote(trust.remote_domain)} is "
                        "already declared", hint="Directory Service allows one trust per remote domain; "
                        "merge the two entries", loc=loc + ("remote_domain",),
                        related=DIRECTORY + ("trusts", seen[key], "remote_domain"))
        seen.setdefault(key, i)
        ips = trust.conditional_forwarder_ips
        if not 1 <= len(ips) <= MAX_FORWARDERS:
            yield Issue("trust-forwarders-count", f"the trust to {quote(trust.remote_domain)} has "
                        f"{len(ips)} conditional forwarder address(es); allowed: 1-{MAX_FORWARDERS}",
                        hint="list the IPv4 addresses of the remote domain's DNS servers in "
                             "conditional_forwarder_ips",
                        loc=loc + (("conditional_forwarder_ips",) if ips else ()))
        for j, ip in enumerate(ips):
            if not _is_ipv4(ip):
                yield Issue("trust-forwarder-invalid", f"{quote(ip)} is not an IPv4 address",
                            hint="Directory Service forwards to IPv4 addresses such as 192.168.1.10",
                            loc=loc + ("conditional_forwarder_ips", j))
        if not SECRET_NAME.match(trust.password_secret):
            yield Issue("trust-secret-invalid", f"password_secret {quote(trust.password_secret)} is not a "
                        "Secrets Manager secret name", hint="1-512 characters of letters, digits and "
                        "/_+=.@-, e.g. lz/ad/onprem-trust (the name, not the password)",
                        loc=loc + ("password_secret",))


def directory_features_match_type(bp: Blueprint) -> Iterator[Issue]:
    """Trusts, sharing and replication exist only for Managed AD; replication only on Enterprise."""
    d = bp.identity.directory
    if d is None:
        return
    kind = {"connector": "an AD Connector", "simple": "Simple AD"}.get(d.type)
    if kind:
        for key, present in (("trusts", d.trusts), ("replicate_to", d.replicate_to),
                             ("share_with", d.share_with)):
            if present:
                yield Issue("directory-feature-unsupported", f"{kind} directory cannot have {key}",
                            hint="only AWS Managed Microsoft AD (type: microsoft-ad) supports trusts, "
                                 "sharing and region replication", loc=DIRECTORY + (key,))
    elif d.replicate_to and d.edition != "Enterprise":
        yield Issue("directory-replication-needs-enterprise", f"replicate_to needs edition Enterprise; "
                    f"the directory is {quote(d.edition)}", hint="set edition: Enterprise (a new "
                    "directory: the edition cannot be changed in place) or remove replicate_to",
                    loc=DIRECTORY + ("replicate_to",))
    if d.type == "connector":
        if not d.dns_ips:
            yield Issue("directory-connector-dns-missing", "an AD Connector needs dns_ips, the "
                        "on-premises DNS addresses", hint="list 1-4 IPv4 addresses of on-premises DNS "
                        "servers", loc=DIRECTORY + ("type",))
        if not d.service_account_secret:
            yield Issue("directory-connector-secret-missing", "an AD Connector needs "
                        "service_account_secret", hint="name the Secrets Manager secret holding the "
                        "connector's service account", loc=DIRECTORY + ("type",))
    else:
        for key in ("dns_ips", "service_account_secret"):
            if getattr(d, key):
                yield Issue("directory-feature-unsupported", f"{key} applies only to an AD Connector "
                            f"(type: connector); the directory is type {quote(d.type)}",
                            hint=f"remove {key}", loc=DIRECTORY + (key,))
    for j, ip in enumerate(d.dns_ips):
        if not _is_ipv4(ip):
            yield Issue("directory-dns-ip-invalid", f"{quote(ip)} is not an IPv4 address",
                        hint="AD Connector forwards to IPv4 addresses", loc=DIRECTORY + ("dns_ips", j))


def directory_subnets_are_in_two_azs(bp: Blueprint) -> Iterator[Issue]:
    """Two domain controllers in two AZs of a VPC the directory's account owns in its region."""
    d = bp.identity.directory
    if d is None:
        return
    yield from _placement(bp, d, d.region, d.vpc, d.subnets, DIRECTORY + ("vpc",), DIRECTORY + ("subnets",))
    if d.type != "microsoft-ad" or d.edition != "Enterprise":
        return      # replication itself is the mistake, reported by directory_features_match_type
    seen_regions = {d.region}
    for i, replica in enumerate(d.replicate_to):
        loc = DIRECTORY + ("replicate_to", i)
        if replica.region in seen_regions:
            yield Issue("directory-replica-region-duplicate", f"region {quote(replica.region)} already "
                        "hosts the directory", hint="each replica region once, other than the "
                        "directory's own region", loc=loc + ("region",))
            continue
        seen_regions.add(replica.region)
        if replica.region not in bp.governed_regions:
            yield Issue("directory-replica-region-ungoverned", f"replica region {quote(replica.region)} "
                        "is not a governed region", hint="add it to governed_regions or replicate "
                        "elsewhere", loc=loc + ("region",))
        vpc_name = replica.vpc
        if vpc_name is None:
            owned = [v for v in bp.network.vpcs if v.account == d.account and v.region == replica.region]
            if not owned:
                yield Issue("directory-vpc-unknown", f"account {quote(d.account)} has no VPC in "
                            f"{replica.region} for the replica", hint="declare one in network.vpcs or "
                            "name it with vpc:", loc=loc + ("region",))
                continue
            vpc_name = owned[0].name
        vpc = _vpc(bp, vpc_name)
        subnets = replica.subnets or ([s.name for s in vpc.subnets][:2] if vpc else [])
        vpc_loc = loc + (("vpc",) if replica.vpc else ("region",))
        yield from _placement(bp, d, replica.region, vpc_name, subnets, vpc_loc,
                              loc + ("subnets",) if replica.subnets else vpc_loc)


def _placement(bp: Blueprint, d: Directory, region: str, vpc_name: str, subnets: list[str],
               vpc_loc: Loc, subnet_loc: Loc) -> Iterator[Issue]:
    vpc = _vpc(bp, vpc_name)
    if vpc is None:
        yield Issue("directory-vpc-unknown", f"VPC {quote(vpc_name)} is not declared in network.vpcs",
                    hint=suggest(vpc_name, [v.name for v in bp.network.vpcs]), loc=vpc_loc)
        return
    if vpc.account != d.account or vpc.region != region:
        yield Issue("directory-vpc-elsewhere", f"VPC {quote(vpc_name)} belongs to account "
                    f"{quote(vpc.account)} in {vpc.region}; the directory needs one of account "
                    f"{quote(d.account)} in {region}", hint="use a VPC the directory's account owns in "
                    "that region", loc=vpc_loc)
        return
    if len(subnets) != 2:
        yield Issue("directory-subnets-count", f"the directory needs exactly 2 subnets in VPC "
                    f"{quote(vpc_name)}; received {len(subnets)}", hint="name two subnets in two "
                    "different Availability Zones (one domain controller in each)", loc=subnet_loc)
        return
    by_name = {s.name: s for s in vpc.subnets}
    found = []
    for j, name in enumerate(subnets):
        subnet = by_name.get(name)
        if subnet is None:
            yield Issue("directory-subnet-unknown", f"subnet {quote(name)} is not in VPC {quote(vpc_name)}",
                        hint=suggest(name, by_name),
                        loc=subnet_loc + ((j,) if subnet_loc[-1] == "subnets" else ()))
        else:
            found.append(subnet)
    if len(found) == 2 and found[0].az_id == found[1].az_id:
        yield Issue("directory-subnets-same-az", f"subnets {quote(found[0].name)} and "
                    f"{quote(found[1].name)} are both in {found[0].az_id}", hint="Directory Service puts "
                    "one domain controller in each subnet: pick subnets in two different AZs",
                    loc=subnet_loc)


def _vpc(bp: Blueprint, name: str) -> Vpc | None:
    return next((v for v in bp.network.vpcs if v.name == name), None)


# ---------- IAM Identity Center ----------

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
            if not (AWS_MANAGED_ARN.match(boundary) or
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
        key = (oidc.account or default or "", oidc_host(oidc))
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


def oidc_host(provider: OidcProvider) -> str:
    """The condition key prefix of a provider: its URL without the scheme and the trailing '/'."""
    return provider.url.split("://", 1)[-1].rstrip("/")


def _web_identity_conditions(provider: OidcProvider, role: FederatedRole, loc: Loc) -> Iterator[Issue]:
    host = oidc_host(provider)
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
        if not (AWS_MANAGED_ARN.match(name) or (not name.startswith("arn:") and POLICY_NAME.match(name))):
            yield Issue("policy-name-invalid", f"{quote(name)} is not an AWS managed policy name",
                        hint="the policy's name, with its path when it has one (AdministratorAccess, "
                             "job-function/ViewOnlyAccess), or its arn:aws:iam::aws:policy/... ARN",
                        loc=loc + (j,))
        if name in seen:
            yield Issue("policy-name-duplicate", f"{quote(name)} is listed twice", hint="list each policy "
                        "once", loc=loc + (j,))
        seen.add(name)


def _session_duration(value: str, loc: Loc) -> Iterator[Issue]:
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


def _provider_account(account: str | None, default: str | None, loc: Loc) -> Iterator[Issue]:
    if account is None and default is None:
        yield Issue("federation-account-missing", "the provider names no account and no account has "
                    "role identity", hint="set account: on the provider, or role: identity on an "
                    "account", loc=loc + ("name",))


def _identity_account(bp: Blueprint) -> str | None:
    return next((a.name for a in bp.organization.accounts if account_role(bp, a) == "identity"), None)


def _dns_problem(name: str) -> str | None:
    labels = name.rstrip(".").split(".")
    if len(name) > 255:
        return f"is {len(name)} characters long; allowed: at most 255"
    if len(labels) < 2:
        return "has one label; a directory needs a DNS name of at least two labels"
    bad = [label for label in labels if not DNS_LABEL.match(label)]
    if bad:
        return (f"has an invalid label {quote(bad[0])}; labels are 1-63 letters, digits and hyphens, "
                "not starting or ending with a hyphen")
    if labels[-1].isdigit():
        return "looks like an address, not a DNS name"
    return None


def _netbios_problem(name: str) -> str | None:
    if not 1 <= len(name) <= NETBIOS_MAX:
        return f"has {len(name)} characters; allowed: 1-{NETBIOS_MAX}"
    bad = sorted(set(name) & NETBIOS_FORBIDDEN)
    if bad:
        return f"contains {' '.join(bad)}, which NetBIOS names cannot"
    if name.startswith("."):
        return "starts with a period"
    return None


def _is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True

