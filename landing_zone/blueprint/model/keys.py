"""The `keys:` section: customer managed KMS keys, multi-region where replicas are asked for."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.blueprint.model.common import Model, Region, Targets

KeyService = Literal["cloudtrail", "logs", "s3", "sns", "secretsmanager", "backup", "config", "ds", "ec2"]


class Key(Model):
    """A KMS key: multi-region when replica regions are given (which can never change later)."""

    alias: str = Field(description="alias/..., not alias/aws/..., unique per account and region; the key "
                       "of its logical id. Required.")
    account: str = Field(description="Owning account name. Required.")
    primary_region: Region = Field(description="Region of the primary key. Required.")
    replica_regions: list[Region] = Field(default_factory=list, description="Replica regions (governed, "
                                          "distinct, not the primary). Default: none (single-region key).")
    services: list[KeyService] = Field(default_factory=list, description="Services allowed to use the key "
                                       "through its policy. Default: none (only the owning account).")
    grants: Targets = Field(default_factory=Targets, description="OUs and accounts allowed to use the key "
                            "across accounts. Default: none.")
    origin: Literal["AWS_KMS", "EXTERNAL"] = Field(default="AWS_KMS", description="Key material origin. "
                                                   "Default: AWS_KMS.")
    custom_key_store_id: str | None = Field(default=None, description="CloudHSM key store id (single-"
                                            "Region keys only; created by a custom resource, origin "
                                            "AWS_CLOUDHSM). Default: none.")
    rotation: bool = Field(default=True, description="Automatic rotation. Default: on for AWS_KMS keys, "
                           "which must rotate (false is an error: the synthesis's cdk-nag check "
                           "AwsSolutions-KMS5 and CIS 3.6 require it); off for EXTERNAL and custom key "
                           "store keys, which cannot rotate (asking is an error).")
    rotation_period_days: int | None = Field(default=None, ge=90, le=2560, description="Rotation period "
                                             "90-2560 days. Default: unset, which KMS treats as 365.")
    pending_window_days: int = Field(default=30, ge=7, le=30, description="Deletion waiting period 7-30. "
                                     "Default: 30.")
    description: str = Field(default="", description="Key description. Default: derived from the alias.")
