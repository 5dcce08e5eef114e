"""The `account_baseline:` section: the same account-level hardening in every account of its targets."""
from __future__ import annotations

from pydantic import Field

from landing_zone.blueprint.model.common import ROOT, Model, Targets


class EbsDefaultEncryption(Model):
    """EBS encryption by default, with a blueprint key or the AWS managed key."""

    key: str | None = Field(default=None, description="Alias of a blueprint key that lists `ec2` in its "
                            "services, has a key in every governed region and is granted to the baseline's "
                            "targets. Default: none (the AWS managed key aws/ebs).")


class PasswordPolicy(Model):
    """The IAM account password policy (values within IAM's limits)."""

    minimum_length: int = Field(default=14, description="Minimum password length, 6-128. Default: 14.")
    require_symbols: bool = Field(default=True, description="Require a symbol. Default: true.")
    require_numbers: bool = Field(default=True, description="Require a number. Default: true.")
    require_uppercase: bool = Field(default=True, description="Require an uppercase letter. Default: true.")
    require_lowercase: bool = Field(default=True, description="Require a lowercase letter. Default: true.")
    allow_users_to_change: bool = Field(default=True, description="Users may change their own password. "
                                        "Default: true.")
    max_age_days: int | None = Field(default=90, description="Days a password is valid, 1-1095; null: "
                                     "passwords never expire. Default: 90.")
    reuse_prevention: int | None = Field(default=24, description="Previous passwords that cannot be reused, "
                                         "1-24; null: no restriction. Default: 24.")
    hard_expiry: bool = Field(default=False, description="An expired password can only be reset by an "
                              "administrator. Default: false.")


class AccountBaseline(Targets):
    """Account-level settings applied in every account of the targets and every governed region (member
    accounts through a StackSet, the management account through its baseline stacks when Root is a
    target). A setting left out is not touched; `false` puts it back to the AWS default. Deleting the
    stacks changes nothing in the accounts."""

    units: list[str] = Field(default_factory=lambda: [ROOT], description="OU paths (or Root) the baseline "
                             "applies to. Default: [Root] (every account, the management account included).")
    ebs_default_encryption: EbsDefaultEncryption | bool | None = Field(
        default=None, description="EBS encryption by default in every governed region: true (AWS managed "
        "key), {key: alias/...} (a blueprint key serving ec2), false (turned off again). Default: not managed.")
    s3_block_public_access: bool | None = Field(default=None, description="Account-level S3 Block Public "
                                                "Access, all four settings (false removes it). Default: not "
                                                "managed.")
    iam_password_policy: PasswordPolicy | bool | None = Field(
        default=None, description="The IAM password policy: true (the defaults below), a policy, or false "
        "(the policy deleted: IAM's default rules apply). Default: not managed.")
    imdsv2_default: bool | None = Field(default=None, description="Instance metadata defaults of the account "
                                        "in every governed region: true requires IMDSv2 tokens (hop limit 2), "
                                        "false puts back 'no preference'. Default: not managed.")
    delete_default_vpcs: bool = Field(default=False, description="Delete the default VPC (when it holds no "
                                      "network interface) in every governed region; nothing recreates it. "
                                      "Default: false.")

    def settings(self) -> tuple[str, ...]:
        """The settings the blueprint manages (given, true or false)."""
        names = ("ebs_default_encryption", "s3_block_public_access", "iam_password_policy", "imdsv2_default")
        return tuple(n for n in names if getattr(self, n) is not None) + (
            ("delete_default_vpcs",) if self.delete_default_vpcs else ())

    def password_policy(self) -> PasswordPolicy | None:
        """The policy to set, or None when none is set (not managed, or false)."""
        policy = self.iam_password_policy
        return PasswordPolicy() if policy is True else policy if isinstance(policy, PasswordPolicy) else None
