"""Checks of `identity.directory`: names, trusts, type-specific features and domain controller subnets."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, Loc, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.identity import Directory
from landing_zone.blueprint.model.network import Vpc
from landing_zone.blueprint.query import account_role, accounts_by_name
from landing_zone.blueprint.suggest import suggest

DIRECTORY: Loc = ("identity", "directory")

# Directory Service: Name `^([a-zA-Z0-9]+[\.-])+([a-zA-Z0-9])+$`; DNS labels are 1-63 characters.
DNS_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# NetBIOS names: at most 15 characters, none of \ / : * ? " < > | and no leading period
# (Directory Service ShortName pattern `^[^\\/:*?"<>|.]+[^\\/:*?"<>|]*$`).
NETBIOS_FORBIDDEN = set('\\/:*?"<>|')
NETBIOS_MAX = 15
MAX_FORWARDERS = 4
# Secrets Manager secret names: 1-512 of ASCII letters, digits and /_+=.@-
SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")

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
            vpc_name = min(v.name for v in owned)   # by name: the blueprint's order never matters
        vpc = _vpc(bp, vpc_name)
        subnets = replica.subnets or (sorted(s.name for s in vpc.subnets)[:2] if vpc else [])
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


def directory_lives_in_the_identity_account(bp: Blueprint) -> Iterator[Issue]:
    """The directory holds every user's credentials: it lives in the account whose role says so (role
    identity, where federation providers default too), never in a workload or shared-services account
    picked by accident. An unknown account is reported by owning_accounts_exist."""
    d = bp.identity.directory
    accounts = accounts_by_name(bp)
    if d is None or d.account not in accounts or account_role(bp, accounts[d.account]) == "identity":
        return
    holder = next((a.name for a in bp.organization.accounts if account_role(bp, a) == "identity"), None)
    held = f"account {holder!r} has role identity" if holder else "no account has role identity"
    role = account_role(bp, accounts[d.account])
    if holder:
        fix = f"move the directory (and its VPC) to account {holder!r}" + (
            "" if role else f", or give {d.account!r} the role instead of {holder!r}")
    elif role:
        fix = (f"give `role: identity` to the account that should hold the directory and move it there "
               f"({d.account!r} keeps role {role!r}: an account has one role)")
    else:
        fix = f"add `role: identity` to account {d.account!r} (one account holds it)"
    yield Issue("directory-account-not-identity",
                f"identity.directory.account {quote(d.account)} has {f'role {role!r}' if role else 'no role'}; "
                f"allowed: the account with role identity ({held})",
                hint=f"{fix}: the directory belongs in the identity account", loc=DIRECTORY + ("account",))
