"""SharedParameter: an id another account reads by ARN (an advanced-tier SSM parameter, the tier RAM shares),
and ImportedId: the template parameter that reads one shared with this account."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from landing_zone.plan.shared_values import Imported, Published


class SharedParameter(Construct):
    def __init__(self, scope: Construct, id_: str, *, parameter: Published, value: str) -> None:
        super().__init__(scope, id_)
        resource = ssm.CfnParameter(self, "Parameter", name=parameter.name, type="String", value=value,
                                    tier="Advanced",
                                    description=f"The id of {parameter.kind} {parameter.key}, read by other "
                                                "accounts through its RAM share")
        resource.override_logical_id(parameter.logical_id)
        self.arn: str = resource.attr_arn


def imported_id(scope: Construct, parameter: Imported) -> str:
    """The value of a parameter shared with this account (CloudFormation reads it when deploying)."""
    created = cdk.CfnParameter(scope, parameter.parameter_id, type="AWS::SSM::Parameter::Value<String>",
                               default=parameter.arn, description=parameter.description)
    created.override_logical_id(parameter.parameter_id)
    return created.value_as_string
