"""The shape of one catalog entry: what a control is, how it is enforced, and how it is proven."""
from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["mandatory", "strongly-recommended", "elective"]
Behavior = Literal["preventive", "detective", "proactive"]
ParameterType = Literal["string", "list", "integer", "boolean"]
ID_PATTERN = r"^(AWS-GR_[A-Z0-9_]+|LZ-[A-Z][A-Z0-9]*-(\d{3}|PR\d))$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(Strict):
    """A value a blueprint may set when it enables the control."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: ParameterType
    description: str
    default: Any = None
    default_from: str | None = Field(
        default=None, description="A context variable (catalog/context.py) whose value is the default, "
        "e.g. governed_regions for a region deny's allowed regions.")
    allowed: list[Any] | None = None

    @property
    def required(self) -> bool:
        """A parameter with no default must be given when the control is enabled by id."""
        return self.default is None and self.default_from is None


class ConfigRule(Strict):
    """A detective control: an AWS Config managed rule."""

    identifier: str = Field(pattern=r"^[A-Z0-9_]+$", description="Managed rule identifier.")
    input_parameters: dict[str, Any] = Field(default_factory=dict)
    resource_types: list[str] = Field(default_factory=list)
    maximum_execution_frequency: Literal[
        "One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"] | None = None


class Runbook(Strict):
    """The remediation of a detective control: a Systems Manager Automation runbook AWS Config runs on a
    non-compliant resource (AWS Config RemediationConfiguration), under a role allowed exactly
    `permissions`."""

    document: str = Field(pattern=r"^(AWS-|AWSConfigRemediation-|LZ-)[A-Za-z0-9_.-]+$", description=
                          "An AWS-owned runbook (AWS-..., AWSConfigRemediation-...), or one of the catalog's own "
                          "(LZ-..., catalog/runbooks/<document>.yaml), created beside the rule as <name>-<rest>.")
    resource_parameter: str = Field(description="The runbook parameter that receives the resource id AWS "
                                    "Config found non-compliant.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Other runbook parameters: strings "
                                       "or lists of strings, Jinja2 templates over the control's parameters and "
                                       "the landing zone context.")
    permissions: list[str] = Field(min_length=1, description="IAM actions the runbook calls: the remediation "
                                   "role is allowed these and nothing else.")
    note: str = Field(description="What the runbook changes, in one sentence.")


class GuardRule(Strict):
    """A proactive control: a CloudFormation Guard rule file under catalog/guard/."""

    file: str
    target_types: list[str]


class Request(Strict):
    """A request a proof evaluates. Strings are Jinja2 templates, like the control's SCP: they may use
    {{ account }} and {{ region }} (the account and region evaluated) and every context variable."""

    action: str
    principal: str = "arn:{{ partition }}:iam::{{ account }}:role/Developer"
    resource: str = "*"
    region: str = "{{ region }}"
    context: dict[str, Any] = Field(default_factory=dict)
    note: str = ""
    when: str = Field(default="", description="A Jinja2 expression over the control's parameters and the "
                      "context: the proof applies only where it is true (a control whose statement follows the "
                      "blueprint, such as LZ-SEC-001 naming only the enabled services). Default: always.")


class Proofs(Strict):
    deny: list[Request] = Field(default_factory=list)
    allow: list[Request] = Field(default_factory=list)


class ControlTower(Strict):
    identifier: str


class Control(Strict):
    """One guardrail. Exactly one implementation matching its behaviour."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    level: Level
    behavior: Behavior
    rationale: str
    services: list[str] = Field(default_factory=list)
    parameters: list[Parameter] = Field(default_factory=list)
    control_tower: ControlTower | None = None
    by_level: bool = Field(
        default=True, description="False for controls that need an organization's own decisions "
        "(region deny, tag rules): they are enabled by id or by their blueprint section, never by a level.")
    requires: str | None = Field(
        default=None, description="A context variable (catalog/context.py) that must be non-empty for the "
        "control to apply, e.g. the enabled security services for LZ-SEC-001: a statement over an empty list "
        "would be invalid, and the control protects nothing then.")
    scp: list[dict[str, Any]] | None = None
    config_rule: ConfigRule | None = None
    guard_rule: GuardRule | None = None
    remediation: Runbook | None = Field(default=None, description="Detective controls only: the runbook "
                                        "`guardrails.remediate` runs on what the control finds.")
    proofs: Proofs = Field(default_factory=Proofs)

    @model_validator(mode="after")
    def _implementation_matches_behavior(self) -> Control:
        expected = {"preventive": "scp", "detective": "config_rule", "proactive": "guard_rule"}[self.behavior]
        present = [k for k in ("scp", "config_rule", "guard_rule") if getattr(self, k) is not None]
        if present != [expected]:
            raise ValueError(f"a {self.behavior} control needs exactly '{expected}', found {present or 'none'}")
        if self.remediation is not None and self.behavior != "detective":
            raise ValueError(f"a {self.behavior} control cannot declare a remediation (detective controls only)")
        if self.behavior == "preventive" and (not self.proofs.deny or not self.proofs.allow):
            raise ValueError("a preventive control needs at least one must-deny and one must-allow proof")
        return self

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def template_variables(self) -> set[str]:
        """Jinja2 variables the SCP or Config inputs use (a meta-test checks each is declared)."""
        text = repr(self.scp) + repr(self.config_rule.input_parameters if self.config_rule else {}) + \
            repr(self.remediation.parameters if self.remediation else {})
        return set(re.findall(r"{{\s*([a-z_][a-z0-9_]*)", text))
