"""Checks of `account_baseline:`: the password policy within IAM's limits, a usable EBS key."""
from __future__ import annotations

from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue, quote
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.baseline import EbsDefaultEncryption
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.model.keys import Key
from landing_zone.blueprint.query import account_unit, accounts_by_name, unit_covers
from landing_zone.blueprint.suggest import suggest

BASELINE = ("account_baseline",)
# UpdateAccountPasswordPolicy: MinimumPasswordLength, MaxPasswordAge, PasswordReusePrevention.
PASSWORD_LIMITS = {"minimum_length": (6, 128), "max_age_days": (1, 1095), "reuse_prevention": (1, 24)}


def password_policy_is_within_iam_limits(bp: Blueprint) -> Iterator[Issue]:
    """IAM refuses a password policy outside its limits, at deploy time."""
    policy = bp.account_baseline.password_policy() if bp.account_baseline else None
    if policy is None:
        return
    for name, (low, high) in PASSWORD_LIMITS.items():
        value = getattr(policy, name)
        if value is not None and not low <= value <= high:
            yield Issue("baseline-password-policy-out-of-range",
                        f"iam_password_policy.{name} {value} is outside IAM's limits {low}-{high}",
                        hint=f"IAM accepts {low} to {high}"
                             + ("; null means passwords never expire" if name == "max_age_days" else "")
                             + ("; null means no reuse restriction" if name == "reuse_prevention" else ""),
                        loc=BASELINE + ("iam_password_policy", name))


def ebs_key_serves_ec2_everywhere(bp: Blueprint) -> Iterator[Issue]:
    """The EBS default key is a blueprint key for ec2, present in every governed region (EBS encrypts
    with a key of the volume's region) and granted to every account the baseline reaches."""
    baseline = bp.account_baseline
    setting = baseline.ebs_default_encryption if baseline else None
    if not isinstance(setting, EbsDefaultEncryption) or setting.key is None:
        return
    loc = BASELINE + ("ebs_default_encryption", "key")
    keys = [k for k in bp.keys if k.alias == setting.key]
    if not keys:
        yield Issue("baseline-ebs-key-unknown", f"key {quote(setting.key)} is not a key of the blueprint",
                    hint=suggest(setting.key, {k.alias for k in bp.keys}) + "; or leave `key` out for the AWS "
                         "managed key aws/ebs", loc=loc)
        return
    key = keys[0]
    if "ec2" not in key.services:
        yield Issue("baseline-ebs-key-not-for-ec2", f"key {quote(key.alias)} does not serve ec2 (services: "
                    f"{', '.join(key.services) or 'none'})",
                    hint="add ec2 to the key's services, so its policy lets EBS use it for the accounts it grants",
                    loc=loc)
    regions = {key.primary_region, *key.replica_regions}
    missing = sorted(set(bp.governed_regions) - regions)
    if missing:
        yield Issue("baseline-ebs-key-region-missing", f"key {quote(key.alias)} has no key in {', '.join(missing)}",
                    hint="EBS encrypts with a key of the volume's region: add these regions to the key's "
                         "replica_regions (a multi-Region key)", loc=loc)
    ungranted = _ungranted(bp, key)
    if ungranted:
        yield Issue("baseline-ebs-key-not-granted", f"key {quote(key.alias)} is not granted to "
                    f"{', '.join(ungranted)}, where the account baseline applies",
                    hint="add those OUs (or Root) to the key's grants: every account's volumes are encrypted "
                         "with it", loc=loc)


def _ungranted(bp: Blueprint, key: Key) -> list[str]:
    """The baseline's targets whose accounts the key does not reach."""
    baseline = bp.account_baseline
    assert baseline is not None     # only asked when the baseline names a key
    granted_units = key.grants.units
    out = [u for u in baseline.units if not any(unit_covers(g, u) for g in granted_units)]
    accounts = accounts_by_name(bp)
    for name in baseline.accounts:
        account = accounts.get(name)
        unit = (account_unit(bp, account) if account else None) or ROOT
        if name != key.account and name not in key.grants.accounts and \
                not any(unit_covers(g, unit) for g in granted_units):
            out.append(f"account {name}")
    return out
