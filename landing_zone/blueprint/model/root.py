"""The blueprint root object."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from landing_zone.blueprint.model.baseline import AccountBaseline
from landing_zone.blueprint.model.common import Model, Region, Tags
from landing_zone.blueprint.model.control_tower import ControlTower
from landing_zone.blueprint.model.deploy import Deploy
from landing_zone.blueprint.model.guardrails import Guardrails, Policy
from landing_zone.blueprint.model.identity import Identity
from landing_zone.blueprint.model.keys import Key
from landing_zone.blueprint.model.logging import Logging
from landing_zone.blueprint.model.network import Network
from landing_zone.blueprint.model.organization import Organization
from landing_zone.blueprint.model.security import Security


class Blueprint(Model):
    """One landing zone, described by one file."""

    version: Literal[1] = Field(description="Blueprint format version. Required: 1.")
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,19}$")] = Field(
        description="2-20 lowercase characters, prefix of every stack and resource name. Required.")
    home_region: Region = Field(description="Region of the organization stacks, the trail and the log "
                                "archive. Required.")
    governed_regions: list[Region] = Field(description="Regions the landing zone governs; must include "
                                           "home_region. Required.")
    tags: Tags = Field(default_factory=dict, description="Tags on every taggable resource. Default: none.")
    organization: Organization = Field(description="The organization. Required.")
    guardrails: Guardrails = Field(default_factory=Guardrails, description="Guardrails. Default: the "
                                   "mandatory controls only.")
    policies: list[Policy] = Field(default_factory=list, description="Organization policies beyond the "
                                   "catalog. Default: none.")
    logging: Logging = Field(default_factory=Logging, description="Central logging. Default: a "
                              "3650-day log bucket, organization-trail, CIS alarms on.")
    network: Network = Field(default_factory=Network, description="Shared network. Default: none.")
    identity: Identity = Field(default_factory=Identity, description="Directory, IAM Identity Center and "
                                "federation. Default: none of them.")
    keys: list[Key] = Field(default_factory=list, description="KMS keys. Default: none.")
    security: Security = Field(default_factory=Security, description="Organization security services from "
                               "a delegated administrator. Default: every service off.")
    account_baseline: AccountBaseline | None = Field(default=None, description="Account-level hardening in "
                                                     "every account of its targets. Default: none.")
    control_tower: ControlTower = Field(default_factory=ControlTower, description="AWS Control Tower, used "
                                        "under guardrails.engine control-tower. Default: a managed 3.3 landing "
                                        "zone, every OU but Security registered.")
    deploy: Deploy = Field(default_factory=Deploy, description="How the landing zone is deployed. "
                           "Default: qualifier lzdeploy, member accounts bootstrapped by a StackSet.")
