"""The `guardrails:` and `policies:` sections: which controls apply where, and custom org policies."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from landing_zone.blueprint.model.common import Model, Region, Targets

Level = Literal["mandatory", "strongly-recommended", "elective"]


class GuardrailEnable(Targets):
    """Turn on one control (`control`) or a whole guidance level (`level`) for targets."""

    level: Level | None = Field(default=None, description="Enable every control of this guidance level. "
                                "Default: none; give either level or control.")
    control: str | None = Field(default=None, description="Enable one control by id (e.g. "
                                "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA). Default: none; give either level or control.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for the control's "
                                       "declared parameters. Default: the catalog defaults.")

    @model_validator(mode="after")
    def _one_selector(self) -> GuardrailEnable:
        if (self.level is None) == (self.control is None):
            raise ValueError("give exactly one of 'level' or 'control'")
        return self


class GuardrailDisable(Targets):
    """Switch a control off for targets where a level or a parent enabled it."""

    control: str = Field(description="Control id to disable. Mandatory controls cannot be disabled. "
                         "Required.")


class RegionDeny(Targets):
    """Deny every request outside the allowed regions, except global services and exempt principals."""

    allowed_regions: list[Region] = Field(
        default_factory=list, description="Regions requests may go to. Default: the governed regions.")
    exempt_principals: list[str] = Field(
        default_factory=list, description="Principal ARN patterns (break-glass roles) the deny does not "
        "apply to. Default: none.")


class Remediation(Targets):
    """A detective control that also fixes what it finds on its targets: AWS Config runs the control's
    Systems Manager Automation runbook on each non-compliant resource. The control is enabled on the
    targets too (with `parameters`) where nothing enables it yet."""

    control: str = Field(description="Id of a detective control whose catalog entry declares a runbook "
                         "(GUARDRAILS.md lists them). Required.")
    mode: Literal["automatic", "manual"] = Field(default="automatic", description="automatic: Config runs "
                                                 "the runbook as soon as a resource is non-compliant; manual: "
                                                 "someone starts it from the Config console. Default: automatic.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for the control's declared "
                                       "parameters, where this entry enables it. Default: the catalog defaults.")
    attempts: int = Field(default=5, ge=1, le=25, description="Automatic attempts per resource within "
                          "retry_seconds, 1-25. Default: 5.")
    retry_seconds: int = Field(default=60, ge=1, le=2678000, description="Window for the attempts, in "
                               "seconds. Default: 60.")


class Guardrails(Model):
    """Controls in the Control Tower sense: mandatory, strongly recommended and elective."""

    engine: Literal["native", "control-tower"] = Field(
        default="native", description="native: SCPs, Config rules and Guard hooks synthesized by this "
        "tool. control-tower: AWS Control Tower (landing zone, OU registrations, "
        "AWS::ControlTower::EnabledControl) enforces every control it has an identifier for, the others "
        "stay native; see control_tower. Default: native.")
    enable: list[GuardrailEnable] = Field(
        default_factory=list, description="Controls or levels to enable. Mandatory controls are always "
        "on at Root. Default: only the mandatory controls.")
    disable: list[GuardrailDisable] = Field(default_factory=list, description="Exceptions. Default: none.")
    region_deny: RegionDeny | None = Field(default=None, description="Region deny control. Default: off.")
    remediate: list[Remediation] = Field(default_factory=list, description="Detective controls that also "
                                         "fix what they find. Default: none.")


PolicyType = Literal["service_control", "resource_control", "tag", "backup", "ai_opt_out"]


class Policy(Model):
    """An AWS Organizations policy beyond the catalog, attached to targets."""

    name: str = Field(description="Unique policy name; also the key of its logical id. Required.")
    type: PolicyType = Field(description="Organizations policy type. Required.")
    description: str = Field(default="", description="Shown in the console. Default: empty.")
    file: str | None = Field(default=None, description="JSON file, relative to the blueprint, rendered "
                             "with Jinja2 like the blueprint. Default: none; give file or document.")
    document: dict[str, Any] | None = Field(default=None, description="The policy document inline. "
                                            "Default: none; give file or document.")
    targets: Targets = Field(default_factory=Targets, description="Where the policy is attached. "
                             "Default: nowhere (created but not attached).")

    @model_validator(mode="after")
    def _one_source(self) -> Policy:
        if (self.file is None) == (self.document is None):
            raise ValueError("give exactly one of 'file' or 'document'")
        return self
