"""OrganizationAutoEnable (delegated administrator): GuardDuty, Macie, Inspector and Detective switched
on for the organization's accounts, which no CloudFormation resource does (handlers/organization_auto_enable.py)."""
from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.security import AutoEnable

# Per service: the actions the handler calls, and the service-linked roles the service may create while
# it switches itself (and its protection plans) on.
SERVICE_ACTIONS = {
    "guardduty": (("guardduty:CreateDetector", "guardduty:ListDetectors", "guardduty:UpdateDetector",
                   "guardduty:UpdateOrganizationConfiguration"),
                  ("guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com")),
    "macie": (("macie2:EnableMacie", "macie2:GetMacieSession", "macie2:UpdateMacieSession",
               "macie2:UpdateOrganizationConfiguration"), ("macie.amazonaws.com",)),
    "inspector": (("inspector2:Enable", "inspector2:UpdateOrganizationConfiguration"),
                  ("agentless.inspector2.amazonaws.com", "inspector2.amazonaws.com")),
    "detective": (("detective:ListGraphs", "detective:UpdateOrganizationConfiguration"), ()),
}


class OrganizationAutoEnable(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, services: tuple[AutoEnable, ...]) -> None:
        super().__init__(scope, id_)
        actions = sorted(a for s in services for a in SERVICE_ACTIONS[s.service][0])
        linked = sorted(r for s in services for r in SERVICE_ACTIONS[s.service][1])
        statements = [iam.PolicyStatement(actions=actions, resources=["*"])]
        if linked:
            statements.append(iam.PolicyStatement(actions=["iam:CreateServiceLinkedRole"], resources=["*"],
                                                  conditions={"StringEquals": {"iam:AWSServiceName": linked}}))
        provider = HandlerProvider(self, "Handler", module="organization_auto_enable",
                                   function_name=f"{prefix}-security-auto-enable", statements=statements, waits=False)
        for service in services:
            provider.resource(scope, service.logical_id, resource_type="Custom::OrganizationAutoEnable",
                              properties={"Service": service.service,
                                          **{key: list(values) for key, values in service.settings}},
                              # the services stay on for the organization (the handler's Delete does nothing anyway)
                              retain=True)
