"""The `control_tower:` section: how the control-tower guardrails engine drives AWS Control Tower."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from landing_zone.blueprint.model.common import Model


class LandingZoneSettings(Model):
    """The AWS Control Tower landing zone itself."""

    manage: bool = Field(default=True, description="true: the landing zone is an "
                         "AWS::ControlTower::LandingZone of this blueprint (retained), its manifest generated "
                         "from the blueprint. false: an existing landing zone; only OU registrations and "
                         "controls are deployed, and `lz preflight` checks its version, drift and status. "
                         "Default: true.")
    version: str = Field(default="3.3", description="Landing zone version; AWS Control Tower only accepts "
                         "updates to the latest available one. Its manifest shape and OU baseline version "
                         "follow from it (3.x name the security OU, 4.0 does not). Default: 3.3.")
    access_management: bool = Field(default=True, description="Let AWS Control Tower manage IAM Identity "
                                    "Center (accessManagement); registrations then name its Identity Center "
                                    "baseline. Default: true.")
    extra_manifest: dict[str, Any] = Field(default_factory=dict, description="Manifest fields this blueprint "
                                           "does not model (e.g. backup), merged over the generated manifest "
                                           "and checked against the declared version's shape. Default: none.")


class ControlTower(Model):
    """AWS Control Tower under `guardrails.engine: control-tower`: landing zone, registered OUs, controls."""

    landing_zone: LandingZoneSettings = Field(default_factory=LandingZoneSettings, description="The landing "
                                              "zone. Default: managed, version 3.3, access management on.")
    security_unit: str = Field(default="Security", description="Top-level OU holding the log-archive and audit "
                               "accounts; AWS Control Tower governs it through the landing zone, so it is "
                               "never registered and takes no controls. Default: Security.")
    register_units: list[str] | None = Field(default=None, description="OUs registered with AWS Control Tower "
                                             "(AWSControlTowerBaseline), each with every OU below it; Root "
                                             "means every OU. Default: every OU except the security unit.")
    max_concurrent_operations: int = Field(default=10, description="EnabledControl operations in flight at "
                                           "once, 1-100 (AWS Control Tower's quota is shared with the console "
                                           "and other tools). Default: 10.")
