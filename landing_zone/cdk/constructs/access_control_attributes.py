"""AccessControlAttributes: the instance's attributes for attribute-based access control (ABAC)."""
from __future__ import annotations

from aws_cdk import aws_sso as sso
from constructs import Construct

Attr = sso.CfnInstanceAccessControlAttributeConfiguration


class AccessControlAttributes(Construct):
    def __init__(self, scope: Construct, id_: str, *, instance_arn: str, logical_id: str,
                 attributes: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        super().__init__(scope, id_)
        self.resource = Attr(
            self, "Resource", instance_arn=instance_arn,
            access_control_attributes=[
                Attr.AccessControlAttributeProperty(
                    key=key, value=Attr.AccessControlAttributeValueProperty(source=list(sources)))
                for key, sources in attributes])
        self.resource.override_logical_id(logical_id)
