"""Checks of the `keys:` section: aliases, replica regions, key material origin, rotation.

The owning account (references.owning_accounts_exist), region codes (regions.regions_exist), the
service names and the rotation period range (the model) are checked elsewhere.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.model.common import ROOT
from landing_zone.blueprint.query import account_unit, accounts_by_name, unit_covers

ALIAS_PATTERN = re.compile(r"^alias/[a-zA-Z0-9/_-]+$")
ALIAS_MAX = 256


def aliases_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """KMS rejects aliases without the prefix, in the AWS-reserved space, or with other characters."""
    for i, key in enumerate(bp.keys):
        loc = ("keys", i, "alias")
        alias = key.alias
        if not alias.startswith("alias/"):
            yield Issue("key-alias-prefix", f"alias {alias!r} does not start with 'alias/'",
                        hint=f"write it as 'alias/{alias}'", loc=loc)
        elif alias.startswith("alias/aws/"):
            yield Issue("key-alias-reserved", f"alias {alias!r} is in the 'alias/aws/' space that AWS "
                        "reserves for AWS managed keys", hint="choose another prefix, e.g. 'alias/lz/...'",
                        loc=loc)
        elif not ALIAS_PATTERN.match(alias):
            bad = sorted({c for c in alias[6:] if not re.match(r"[a-zA-Z0-9/_-]", c)})
            yield Issue("key-alias-characters", f"alias {alias!r} contains {''.join(bad)!r}; allowed "
                        "after 'alias/': letters, digits, '/', '_' and '-'",
                        hint="replace the other characters, e.g. with '-'", loc=loc)
        if len(alias) > ALIAS_MAX:
            yield Issue("key-alias-too-long", f"alias {alias[:40]!r}... is {len(alias)} characters; "
                        f"allowed: at most {ALIAS_MAX}", hint="shorten the alias", loc=loc)


def aliases_are_unique(bp: Blueprint) -> Iterator[Issue]:
    """An alias names one key per account and region; replicas carry their primary's alias."""
    seen: dict[tuple[str, str, str], int] = {}
    for i, key in enumerate(bp.keys):
        regions = dict.fromkeys([key.primary_region, *key.replica_regions])
        clash = next((seen[(key.account, r, key.alias)] for r in regions
                      if (key.account, r, key.alias) in seen), None)
        if clash is not None:
            region = next(r for r in regions if (key.account, r, key.alias) in seen)
            yield Issue("key-alias-duplicate", f"alias {key.alias!r} is already used by another key of "
                        f"account {key.account!r} in {region}",
                        hint="every key needs its own alias in each account and region",
                        loc=("keys", i, "alias"), related=("keys", clash, "alias"))
            continue
        for region in regions:
            seen[(key.account, region, key.alias)] = i


def replica_regions_are_valid(bp: Blueprint) -> Iterator[Issue]:
    """Replicas go to governed regions other than the primary, each once."""
    governed = set(bp.governed_regions)
    for i, key in enumerate(bp.keys):
        seen: set[str] = set()
        for j, region in enumerate(key.replica_regions):
            loc = ("keys", i, "replica_regions", j)
            if region == key.primary_region:
                yield Issue("key-replica-is-primary", f"replica region {region!r} is the key's "
                            "primary_region", hint="a multi-Region key has its primary there already; "
                            "remove it from replica_regions", loc=loc)
            elif region in seen:
                yield Issue("key-replica-duplicate", f"replica region {region!r} is listed twice",
                            hint="list each replica region once", loc=loc)
            elif region not in governed:
                yield Issue("key-replica-not-governed", f"replica region {region!r} is not a governed "
                            f"region {sorted(governed)}", hint="add it to governed_regions or remove the "
                            "replica", loc=loc)
            seen.add(region)
        if key.primary_region not in governed:
            yield Issue("key-region-not-governed", f"primary_region {key.primary_region!r} is not a "
                        f"governed region {sorted(governed)}", hint="add it to governed_regions",
                        loc=("keys", i, "primary_region"))


def key_material_fits_the_origin(bp: Blueprint) -> Iterator[Issue]:
    """EXTERNAL and custom key store keys cannot rotate automatically; custom key stores are single-Region."""
    for i, key in enumerate(bp.keys):
        asked = "rotation" in key.model_fields_set and key.rotation
        if key.custom_key_store_id and key.origin == "EXTERNAL":
            yield Issue("key-origin-conflict", "origin 'EXTERNAL' and custom_key_store_id "
                        f"{key.custom_key_store_id!r} exclude each other",
                        hint="a key's material is either imported or held in the key store: keep one",
                        loc=("keys", i, "custom_key_store_id"))
        kind = ("an EXTERNAL key (imported key material)" if key.origin == "EXTERNAL"
                else "a key in a custom key store" if key.custom_key_store_id else None)
        if kind and asked:
            yield Issue("key-rotation-not-available", f"rotation: true was asked for {kind}; automatic "
                        "rotation is available only for AWS_KMS keys",
                        hint="remove `rotation` (it is off for these keys) and rotate by hand",
                        loc=("keys", i, "rotation"))
        if kind and key.rotation_period_days is not None:
            yield Issue("key-rotation-not-available", f"rotation_period_days "
                        f"{key.rotation_period_days} was given for {kind}, which cannot rotate "
                        "automatically", hint="remove rotation_period_days",
                        loc=("keys", i, "rotation_period_days"))
        if key.custom_key_store_id and key.replica_regions:
            yield Issue("key-custom-store-multi-region", f"a key in custom key store "
                        f"{key.custom_key_store_id!r} cannot be multi-Region (replica_regions "
                        f"{key.replica_regions})", hint="remove replica_regions, or use an AWS_KMS key "
                        "for multi-Region encryption", loc=("keys", i, "replica_regions"))


def aws_kms_keys_rotate(bp: Blueprint) -> Iterator[Issue]:
    """AWS_KMS keys rotate: the synthesis rejects a customer managed key without automatic rotation
    (cdk-nag AwsSolutions-KMS5, CIS AWS Foundations 3.6), so `rotation: false` is refused here first."""
    for i, key in enumerate(bp.keys):
        if key.origin == "AWS_KMS" and not key.custom_key_store_id and not key.rotation:
            yield Issue("key-rotation-required", f"rotation: false on key {key.alias}, whose key material is "
                        "AWS_KMS; the synthesis rejects a customer managed key without automatic rotation "
                        "(cdk-nag AwsSolutions-KMS5, CIS AWS Foundations 3.6)",
                        hint="remove `rotation: false` (rotation is on by default); rotation_period_days "
                             "(90-2560) sets how often the key material rotates",
                        loc=("keys", i, "rotation"))


def secrets_have_a_customer_managed_key(bp: Blueprint) -> Iterator[Issue]:
    """A secret the landing zone creates (the directory's admin password) is encrypted with a blueprint key
    serving secretsmanager in its account and region; without one, Secrets Manager falls back to the AWS
    managed key aws/secretsmanager, whose policy nobody can narrow (a warning)."""
    directory = bp.identity.directory
    if directory is None or directory.type == "connector":      # a connector's secret is the user's own
        return
    account = accounts_by_name(bp).get(directory.account)
    unit = (account_unit(bp, account) if account else None) or ROOT
    for key in bp.keys:
        serves = "secretsmanager" in key.services and directory.region in (key.primary_region, *key.replica_regions)
        granted = (key.account == directory.account or directory.account in key.grants.accounts
                   or any(unit_covers(u, unit) for u in key.grants.units))
        if serves and granted:
            return
    yield Issue("secret-default-key", f"the directory's admin password, a Secrets Manager secret of account "
                f"{directory.account!r} in {directory.region}, falls back to the AWS managed key "
                "aws/secretsmanager: no key in `keys` serves secretsmanager there",
                hint=f"add a key with services: [secretsmanager, ds] owned by account {directory.account!r} "
                     f"(or granted to it) in {directory.region}, so its policy decides who may read the secret",
                loc=("identity", "directory"), severity="warning")
