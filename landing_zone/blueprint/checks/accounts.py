"""Checks of accounts: names, emails, ids, OU placement, landing zone roles, templates."""
from __future__ import annotations

import re
from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import ACCOUNTS_LOC, account_role, account_unit, unit_paths
from landing_zone.blueprint.regions import partition
from landing_zone.blueprint.suggest import suggest

# Organizations' own email pattern and length limits for CreateAccount.
EMAIL_PATTERN = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
REQUIRED_ROLES = ("log-archive", "audit")
SINGLE_ROLES = ("log-archive", "audit", "network", "identity")


def account_names_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """Names key logical ids and stacks, so a second account with the same name cannot exist."""
    first: dict[str, int] = {}
    for i, account in enumerate(bp.organization.accounts):
        if account.name in first:
            yield Issue("account-name-duplicate", f"account name {account.name!r} is already used",
                        hint="every account needs its own name", loc=ACCOUNTS_LOC + (i, "name"))
        else:
            first[account.name] = i


def account_emails_are_valid_and_unique(bp: Blueprint) -> Iterator[Issue]:
    """Organizations refuses a malformed email and a second account with the same email."""
    owner: dict[str, tuple[str, int]] = {}
    for i, account in enumerate(bp.organization.accounts):
        loc = ACCOUNTS_LOC + (i, "email")
        email = account.email
        if not EMAIL_PATTERN.match(email) or not 6 <= len(email) <= 64:
            yield Issue("account-email-invalid",
                        f"{email!r} is not an email address Organizations accepts (6-64 characters, "
                        f"name@domain.tld)", hint="use a mailbox you own, e.g. aws+app1@example.com",
                        loc=loc)
            continue
        key = email.lower()
        if key in owner:
            name, first = owner[key]
            yield Issue("account-email-duplicate", f"{email!r} is already used by account {name!r}",
                        hint="every account needs its own email address (plus addressing works: "
                             "aws+name@example.com)", loc=loc, related=ACCOUNTS_LOC + (first, "email"))
        else:
            owner[key] = (account.name, i)


def account_ids_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """An id belongs to one account, and never to a member account and the management account both."""
    owner: dict[str, str] = {bp.organization.management_account_id: "the management account"}
    for i, account in enumerate(bp.organization.accounts):
        if account.id is None:
            continue
        if account.id in owner:
            yield Issue("account-id-duplicate", f"account id {account.id!r} is already {owner[account.id]}"
                        if owner[account.id].startswith("the ") else
                        f"account id {account.id!r} is already used by account {owner[account.id]!r}",
                        hint="each account has its own 12-digit id; the management account is not "
                             "listed in organization.accounts", loc=ACCOUNTS_LOC + (i, "id"))
        else:
            owner[account.id] = account.name


def account_units_exist(bp: Blueprint) -> Iterator[Issue]:
    """Every account sits in an OU that exists (its own `unit` or its template's)."""
    paths = unit_paths(bp)
    for i, account in enumerate(bp.organization.accounts):
        unit = account_unit(bp, account)
        template = bp.organization.account_templates.get(account.template or "")
        if account.unit is None and account.template is not None and (template is None or template.unit):
            continue  # an unknown template, or its unit, is reported once by account_templates_exist
        if unit is None:
            yield Issue("account-unit-missing", f"account {account.name!r} has no unit",
                        hint="give `unit:` (an OU path or Root) or a template that has one",
                        loc=ACCOUNTS_LOC + (i,))
        elif unit != ROOT and unit not in paths:
            yield Issue("account-unit-unknown", f"OU {unit!r} does not exist",
                        hint=suggest(unit, list(paths)),
                        loc=ACCOUNTS_LOC + (i, "unit"))


def account_templates_exist(bp: Blueprint) -> Iterator[Issue]:
    """Every `template:` names an account template, and every template's unit exists."""
    templates = bp.organization.account_templates
    for i, account in enumerate(bp.organization.accounts):
        if account.template is not None and account.template not in templates:
            yield Issue("account-template-unknown", f"account template {account.template!r} does not exist",
                        hint=suggest(account.template, list(templates)),
                        loc=ACCOUNTS_LOC + (i, "template"))
    paths = unit_paths(bp)
    for name, template in templates.items():
        if template.unit is not None and template.unit != ROOT and template.unit not in paths:
            yield Issue("account-unit-unknown", f"OU {template.unit!r} does not exist",
                        hint=suggest(template.unit, list(paths)),
                        loc=("organization", "account_templates", name, "unit"))


def landing_zone_roles_are_assigned(bp: Blueprint) -> Iterator[Issue]:
    """The log archive and audit accounts are where every other account's evidence lands."""
    holders: dict[str, list[int]] = {role: [] for role in SINGLE_ROLES}
    for i, account in enumerate(bp.organization.accounts):
        role = account_role(bp, account)
        if role in holders:
            holders[role].append(i)
    for role in REQUIRED_ROLES:
        if not holders[role]:
            yield Issue("role-missing", f"no account has role {role!r}",
                        hint=f"add `role: {role}` to exactly one account (Control Tower calls it the "
                             f"{role.replace('-', ' ')} account)", loc=ACCOUNTS_LOC)
    for role, indexes in holders.items():
        for i in indexes[1:]:
            first = bp.organization.accounts[indexes[0]].name
            yield Issue("role-duplicate", f"role {role!r} is already held by account {first!r}",
                        hint=f"exactly one account may have role {role}",
                        loc=ACCOUNTS_LOC + (i, "role"))


def account_renames_are_consistent(bp: Blueprint) -> Iterator[Issue]:
    """`renamed_from` names the account's previous name: a name no account has any more, claimed once.

    The previous name keys the logical id, shard and AccountName, so two accounts claiming it, or one
    still using it, would make two accounts share one resource.
    """
    names = {a.name: i for i, a in reversed(list(enumerate(bp.organization.accounts)))}
    first: dict[str, int] = {}
    for i, account in enumerate(bp.organization.accounts):
        old = account.renamed_from
        if old is None:
            continue
        loc = ACCOUNTS_LOC + (i, "renamed_from")
        if old == account.name:
            yield Issue("account-renamed-from-exists", f"renamed_from {old!r} is the account's own name",
                        hint="renamed_from is the name the account had before; remove it if the account was "
                             "never renamed", loc=loc)
        elif old in names:
            yield Issue("account-renamed-from-exists", f"renamed_from {old!r} names an account that is still "
                        "in the blueprint", hint=f"renamed_from is the name the account had before, which no "
                        f"other account may have: if {old!r} is another account, remove renamed_from here",
                        loc=loc, related=ACCOUNTS_LOC + (names[old], "name"))
        elif old in first:
            other = bp.organization.accounts[first[old]].name
            yield Issue("account-renamed-from-duplicate", f"renamed_from {old!r} is already claimed by "
                        f"account {other!r}", hint="one account was renamed; keep renamed_from on that "
                        "one only", loc=loc, related=ACCOUNTS_LOC + (first[old], "renamed_from"))
        else:
            first[old] = i


def govcloud_accounts_have_ids(bp: Blueprint) -> Iterator[Issue]:
    """CloudFormation cannot create an account in AWS GovCloud (US): AWS::Organizations::Account is
    offered only in the aws partition. A GovCloud account is created with its commercial twin
    (CreateGovCloudAccount) and named here by id."""
    if partition(bp.home_region) != "aws-us-gov":
        return
    for i, account in enumerate(bp.organization.accounts):
        if not account.id:
            yield Issue("account-id-required", f"account {account.name!r} has no id, and in the aws-us-gov "
                        "partition the landing zone cannot create accounts (AWS::Organizations::Account is "
                        "offered only in the aws partition)", loc=("organization", "accounts", i),
                        hint="create it from the commercial management account (`aws organizations "
                             "create-gov-cloud-account`), then record its GovCloud id (`lz sync`)")
