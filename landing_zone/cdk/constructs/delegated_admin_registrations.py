"""DelegatedAdminRegistrations (management account): the delegated administrator of GuardDuty, Macie,
Inspector and Access Analyzer, which no CloudFormation resource registers (handlers/delegated_admin.py)."""
from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.names import logical_id

# Per service: its API actions, and the service principal it enables trusted access for, registers
# with Organizations and creates a service-linked role for.
SERVICE_ACTIONS = {
    "guardduty": (("guardduty:EnableOrganizationAdminAccount", "guardduty:ListOrganizationAdminAccounts"),
                  "guardduty.amazonaws.com"),
    "macie": (("macie2:EnableOrganizationAdminAccount", "macie2:ListOrganizationAdminAccounts"), "macie.amazonaws.com"),
    "inspector": (("inspector2:EnableDelegatedAdminAccount", "inspector2:ListDelegatedAdminAccounts"),
                  "inspector2.amazonaws.com"),
    "access-analyzer": ((), "access-analyzer.amazonaws.com"),
}
# What the services' enable calls read of the organization (and the handler itself for Access Analyzer).
ORGANIZATIONS_READS = ("organizations:DescribeAccount", "organizations:DescribeOrganization",
                       "organizations:DescribeOrganizationalUnit", "organizations:ListAWSServiceAccessForOrganization",
                       "organizations:ListAccounts", "organizations:ListDelegatedAdministrators")


class DelegatedAdminRegistrations(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, admin_account_id: str,
                 services: tuple[str, ...]) -> None:
        super().__init__(scope, id_)
        principals = sorted(SERVICE_ACTIONS[s][1] for s in services)
        actions = sorted(a for s in services for a in SERVICE_ACTIONS[s][0])
        statements = [iam.PolicyStatement(actions=list(ORGANIZATIONS_READS) + actions, resources=["*"]),
                      iam.PolicyStatement(
                          actions=["organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"],
                          resources=["*"], conditions={"StringEquals": {"organizations:ServicePrincipal": principals}}),
                      iam.PolicyStatement(actions=["iam:CreateServiceLinkedRole"], resources=["*"],
                                          conditions={"StringEquals": {"iam:AWSServiceName": principals}})]
        provider = HandlerProvider(self, "Handler", module="delegated_admin",
                                   function_name=f"{prefix}-security-delegated-admin",
                                   statements=statements, waits=False)
        for service in services:
            provider.resource(scope, logical_id("DelegatedAdmin", service), resource_type="Custom::DelegatedAdmin",
                              properties={"Service": service, "AccountId": admin_account_id},
                              # a registration outlives the stack (the handler's Delete does nothing anyway)
                              retain=True)
