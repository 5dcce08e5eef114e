"""The `identity:` section: Managed Microsoft AD, IAM Identity Center, SAML and OIDC federation."""
from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from landing_zone.blueprint.model.common import Model, Region, Targets

# The ARN of an AWS managed policy, in any partition (permission sets, boundaries, federated roles).
AWS_MANAGED_POLICY_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?:[\w+=,.@-]+/)*[\w+=,.@-]+$", re.ASCII)


class Trust(Model):
    """A trust from the directory to another (usually on-premises) forest or domain."""

    remote_domain: str = Field(description="Remote domain DNS name. Required.")
    direction: Literal["One-Way: Outgoing", "One-Way: Incoming", "Two-Way"] = Field(
        default="Two-Way", description="Trust direction. Default: Two-Way.")
    type: Literal["Forest", "External"] = Field(default="Forest", description="Trust type. Default: Forest.")
    conditional_forwarder_ips: list[str] = Field(default_factory=list, description="1-4 DNS addresses of "
                                                 "the remote domain. Default: none, which the checks reject for a trust.")
    selective_authentication: bool = Field(default=False, description="Selective authentication. "
                                           "Default: off.")
    password_secret: str = Field(description="Name of the Secrets Manager secret holding the trust "
                                 "password; read by the handler, never put in a template. Required.")


class DirectoryReplica(Model):
    """A region the directory is replicated to (Enterprise edition only)."""

    region: Region = Field(description="Replica region. Required.")
    vpc: str | None = Field(default=None, description="VPC (by name) in that region. Default: the VPC "
                            "of the identity account in that region (the first by name).")
    subnets: list[str] = Field(default_factory=list, description="Two subnet names in two AZs. Default: "
                               "the first two subnets of that VPC by name.")


class Directory(Model):
    """An AWS Directory Service directory in the identity account."""

    type: Literal["microsoft-ad", "connector", "simple"] = Field(
        default="microsoft-ad", description="microsoft-ad (AWS Managed Microsoft AD), connector (AD "
        "Connector) or simple (Simple AD). Default: microsoft-ad.")
    account: str = Field(description="Owning account name: the account with role identity (checked). "
                         "Required.")
    region: Region = Field(description="Region. Required.")
    vpc: str = Field(description="VPC by name, owned by the same account. Required.")
    subnets: list[str] = Field(description="Two subnet names in two different AZs. Required.")
    domain: str = Field(description="Fully qualified domain name, at least two labels. Required.")
    short_name: str | None = Field(default=None, description="NetBIOS name, at most 15 characters. "
                                   "Default: the first label of the domain, upper-cased.")
    edition: Literal["Standard", "Enterprise"] = Field(default="Standard", description="Managed AD "
                                                       "edition. Default: Standard.")
    size: Literal["Small", "Large"] = Field(default="Small", description="Simple AD / AD Connector size. "
                                            "Default: Small.")
    dns_ips: list[str] = Field(default_factory=list, description="On-premises DNS addresses (connector "
                               "only). Default: none.")
    service_account_secret: str | None = Field(default=None, description="Secret with the connector's "
                                               "service account (connector only). Default: none.")
    trusts: list[Trust] = Field(default_factory=list, description="Trusts. Default: none.")
    replicate_to: list[DirectoryReplica] = Field(default_factory=list, description="Replica regions "
                                                 "(Enterprise only); a plain region name is accepted. "
                                                 "Default: none.")
    share_with: Targets | None = Field(default=None, description="Accounts and OUs the directory is shared "
                                       "with (ShareDirectory), and the DNS forwarding rule for its domain "
                                       "through RAM. Default: "
                                       "not shared.")

    @field_validator("replicate_to", mode="before")
    @classmethod
    def _region_shorthand(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"region": v} if isinstance(v, str) else v for v in value]
        return value


class InlinePolicy(Model):
    """An IAM policy document given inline or as a file."""

    file: str | None = Field(default=None, description="JSON file relative to the blueprint. Default: none; "
                             "give file or document.")
    document: dict[str, Any] | None = Field(default=None, description="The document inline. Default: none; give "
                                            "file or document.")

    @model_validator(mode="after")
    def _one_source(self) -> InlinePolicy:
        if (self.file is None) == (self.document is None):
            raise ValueError("give exactly one of 'file' or 'document'")
        return self


class PermissionSet(Model):
    """An IAM Identity Center permission set."""

    name: str = Field(description="1-32 characters of [\\w+=,.@-]. Required.")
    description: str = Field(default="", description="Description. Default: empty.")
    session_duration: str = Field(default="PT1H", description="ISO 8601 duration PT1H-PT12H (PT4H, "
                                  "PT8H30M). Default: PT1H.")

    @field_validator("session_duration", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # `session_duration: 60` reaches the checks as "60", which they reject with the ISO 8601
        # form (PT1H) at once, rather than first asking for quotes and then for the form.
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    managed_policies: list[str] = Field(default_factory=list, description="AWS managed policy names "
                                        "(with their path, e.g. job-function/ViewOnlyAccess) or ARNs. "
                                        "Default: none.")
    customer_managed_policies: list[str] = Field(default_factory=list, description="Customer managed "
                                                 "policy names (with optional path). Default: none.")
    inline_policy: InlinePolicy | None = Field(default=None, description="Inline policy. Default: none.")
    permissions_boundary: str | None = Field(default=None, description="Permissions boundary: an AWS "
                                             "managed policy ARN (arn:aws:iam::aws:policy/...), or a "
                                             "customer managed policy name with optional path, which "
                                             "must exist in every assigned account. Default: none.")
    relay_state: str | None = Field(default=None, description="Console URL to land on. Default: none.")


class Assignment(Model):
    """Gives a group or user a permission set in accounts (OUs expand to their accounts)."""

    permission_set: str = Field(description="Permission set name. Required.")
    group_id: str | None = Field(default=None, description="Identity store group id. Default: none; "
                                 "give group_id or user_id.")
    user_id: str | None = Field(default=None, description="Identity store user id. Default: none; "
                                "give group_id or user_id.")
    targets: Targets = Field(description="Accounts and OUs (recursively) to assign in. Required.")

    @model_validator(mode="after")
    def _one_principal(self) -> Assignment:
        if (self.group_id is None) == (self.user_id is None):
            raise ValueError("give exactly one of 'group_id' or 'user_id'")
        return self


class AccessControlAttribute(Model):
    """An attribute for attribute-based access control."""

    key: str = Field(description="Attribute key. Required.")
    source: list[str] = Field(description="Identity source paths, e.g. "
                              "${path:enterprise.department}. Required.")


class IdentityCenter(Model):
    """IAM Identity Center (an existing instance)."""

    instance_arn: str = Field(description="Instance ARN. Required.")
    identity_store_id: str = Field(description="Identity store id (d-...). Required.")
    permission_sets: list[PermissionSet] = Field(default_factory=list, description="Permission sets. "
                                                 "Default: none.")
    assignments: list[Assignment] = Field(default_factory=list, description="Assignments. Default: none.")
    access_control_attributes: list[AccessControlAttribute] = Field(
        default_factory=list, description="ABAC attributes. Default: none.")


class FederatedRole(Model):
    """An IAM role assumed through a SAML or OIDC provider."""

    name: str = Field(description="Role name, used as given (identity providers name it); not "
                      "AWSReservedSSO_... or AWSServiceRoleFor..., and a warning when it starts with the "
                      "landing zone's own '<name>-' prefix. Required.")
    managed_policies: list[str] = Field(default_factory=list, description="AWS managed policy names "
                                        "(with their path, e.g. job-function/ViewOnlyAccess) or ARNs. "
                                        "Default: none.")
    inline_policy: InlinePolicy | None = Field(default=None, description="Inline policy; policy variables "
                                               "such as ${aws:PrincipalTag/team} are allowed. Default: none.")
    conditions: dict[str, dict[str, str | list[str]]] = Field(
        default_factory=dict, description="Trust policy conditions, e.g. {StringEquals: {'<url>:sub': ...}}. "
        "OIDC roles must constrain aud and sub. Default: none beyond SAML:aud.")
    max_session_duration: int = Field(default=3600, ge=3600, le=43200, description="Seconds, 3600-43200. "
                                      "Default: 3600.")


class SamlProvider(Model):
    """A SAML 2.0 identity provider with the roles it may assume."""

    name: str = Field(description="Provider name. Required.")
    metadata_file: str = Field(description="SAML metadata XML file relative to the blueprint. Required.")
    account: str | None = Field(default=None, description="Account name. Default: the identity account.")
    roles: list[FederatedRole] = Field(default_factory=list, description="Roles. Default: none.")


class OidcProvider(Model):
    """An OpenID Connect provider with web-identity roles."""

    name: str = Field(description="Provider name. Required.")
    url: str = Field(description="Issuer URL (https://...). Required.")
    client_ids: list[str] = Field(description="Audiences. Required.")
    thumbprints: list[str] = Field(default_factory=list, description="Server certificate thumbprints. "
                                   "Default: none (IAM fetches them).")
    account: str | None = Field(default=None, description="Account name. Default: the identity account.")
    roles: list[FederatedRole] = Field(default_factory=list, description="Roles. Default: none.")

    @property
    def host(self) -> str:
        """The condition key prefix of the provider: its URL without the scheme and the trailing '/'."""
        return self.url.split("://", 1)[-1].rstrip("/")


class Identity(Model):
    """Who people are and how they get into accounts."""

    directory: Directory | None = Field(default=None, description="AWS Managed Microsoft AD, AD "
                                      "Connector or Simple AD in the identity account. Default: none.")
    identity_center: IdentityCenter | None = Field(default=None, description="IAM Identity Center. "
                                                   "Default: not managed.")
    saml_providers: list[SamlProvider] = Field(default_factory=list, description="SAML providers. "
                                               "Default: none.")
    oidc_providers: list[OidcProvider] = Field(default_factory=list, description="OIDC providers. "
                                               "Default: none.")
