"""The `organization:` section: OU tree, account templates (Account Factory) and accounts."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from landing_zone.blueprint.model.common import (
    ACCOUNT_NAME_PATTERN,
    AccountId,
    Model,
    OuId,
    Tags,
)

AccountRole = Literal["log-archive", "audit", "network", "identity"]


class Unit(Model):
    """An organizational unit; `units` nests children (at most 5 levels under the root)."""

    name: str = Field(description="OU name, 1-128 characters, unique among its siblings. Required.")
    id: OuId | None = Field(
        default=None,
        description="Id of the OU once it exists (ou-...). Default: taken from <blueprint>.ids.yaml "
        "if present there, otherwise unknown until `lz sync` records it.")
    tags: Tags = Field(default_factory=dict, description="Tags on this OU, added to the blueprint tags. "
                       "Default: only the blueprint tags.")
    renamed_from: str | None = Field(
        default=None,
        description="The name this OU was created under, among the same siblings: renaming it keeps its "
        "logical id and id and updates its Name in place. Keep it for as long as the OU exists. An OU "
        "cannot move to another parent (ParentId is create-only), so this is a name, never a path. "
        "Default: the OU was never renamed.")
    units: list[Unit] = Field(default_factory=list, description="Child OUs. Default: none.")


class AccountTemplate(Model):
    """Named defaults an account can start from (Account Factory)."""

    unit: str | None = Field(default=None, description="Default OU path for accounts using this template. "
                             "Default: the account must name its own unit.")
    role: AccountRole | None = Field(default=None, description="Default role. Default: no role.")
    tags: Tags = Field(default_factory=dict, description="Tags merged under the account's own tags "
                       "(the account wins on conflicts). Default: none.")


class Account(Model):
    """A member account, created by AWS::Organizations::Account and never deleted by us."""

    name: Annotated[str, StringConstraints(pattern=ACCOUNT_NAME_PATTERN)] = Field(
        description="Account name: unique, lowercase letters, digits and '-', 1-49 characters; also the "
        "account's name in AWS (AccountName) and the key of its logical id and shard: rename an account "
        "with `renamed_from`, never by editing the name alone. Required.")
    email: str = Field(description="Root user email, unique in the organization, 6-64 characters. "
                            "Required.")
    unit: str | None = Field(
        default=None,
        description="OU path from the root ('Workloads/Prod') or 'Root'. Default: the template's unit; "
        "one of the two is required.")
    id: AccountId | None = Field(
        default=None,
        description="12-digit account id once the account exists, quoted. Default: from "
        "<blueprint>.ids.yaml, otherwise pending: stacks deployed into this account are not "
        "synthesized until the id is known.")
    role: AccountRole | None = Field(
        default=None,
        description="Landing zone role: exactly one log-archive and one audit account are required; "
        "network and identity at most once each. Default: the template's role, or none.")
    renamed_from: Annotated[str, StringConstraints(pattern=ACCOUNT_NAME_PATTERN)] | None = Field(
        default=None,
        description="The name this account was created under: it keeps the account's logical id, shard "
        "stack and id, and stays its AccountName in the template (CloudFormation refuses to change "
        "AccountName; rename it in AWS with `aws account put-account-name`). Keep it for as long as the "
        "account exists; a later rename changes only `name`. Default: never renamed.")
    template: str | None = Field(default=None, description="Name of an entry of account_templates to "
                                 "start from. Default: none.")
    tags: Tags = Field(default_factory=dict, description="Tags on the account, over the template's and "
                       "the blueprint's. Default: none of its own.")

    @property
    def key(self) -> str:
        """The name the account was created under: what its logical id, shard and AccountName derive from."""
        return self.renamed_from or self.name


class Organization(Model):
    """The AWS Organization this landing zone manages."""

    id: Annotated[str, StringConstraints(pattern=r"^o-[a-z0-9]{10,32}$")] = Field(
        description="Organization id (o-...). Required, here or in the ids file: names and policies are "
        "derived from it offline.")
    root_id: Annotated[str, StringConstraints(pattern=r"^r-[0-9a-z]{4,32}$")] = Field(
        description="Root id (r-...). Required, here or in the ids file.")
    management_account_id: AccountId = Field(
        description="The management account id, quoted. Required, here or in the ids file: organization "
        "stacks deploy there.")
    units: list[Unit] = Field(default_factory=list, description="Top-level OUs under the root. "
                              "Default: none (every account sits in Root).")
    account_templates: dict[str, AccountTemplate] = Field(
        default_factory=dict, description="Named account defaults (Account Factory). Default: none.")
    accounts: list[Account] = Field(default_factory=list, description="Member accounts. The management "
                                    "account is not listed here. Default: none.")
