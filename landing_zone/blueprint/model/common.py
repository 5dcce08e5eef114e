"""Shared building blocks of the blueprint model: the base class, targets, constrained strings."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

REGION_PATTERN = r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$"
ACCOUNT_ID_PATTERN = r"^\d{12}$"
OU_ID_PATTERN = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"
ACCOUNT_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,48}$"
ROOT = "Root"

Region = Annotated[str, StringConstraints(pattern=REGION_PATTERN)]
AccountId = Annotated[str, StringConstraints(pattern=ACCOUNT_ID_PATTERN)]
OuId = Annotated[str, StringConstraints(pattern=OU_ID_PATTERN)]
Tags = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=128)],
    Annotated[str, StringConstraints(max_length=256)],
]


class Model(BaseModel):
    """Every blueprint object: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Targets(Model):
    """Where something applies: OU paths (or `Root`) and account names."""

    units: list[str] = Field(
        default_factory=list,
        description="OU paths from the root, '/'-separated (e.g. 'Workloads/Prod'), or 'Root' for the "
        "whole organization. Default: no OUs.")
    accounts: list[str] = Field(
        default_factory=list,
        description="Account names from organization.accounts. Default: no accounts.")

    def is_empty(self) -> bool:
        return not self.units and not self.accounts
