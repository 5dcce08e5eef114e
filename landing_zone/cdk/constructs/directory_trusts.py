"""DirectoryTrusts: one retained custom resource per trust (handlers/ad_trust.py); the password stays in Secrets Manager."""
from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from landing_zone.cdk.constructs.handler_provider import HandlerProvider
from landing_zone.plan.directory import TrustPlan


class DirectoryTrusts(Construct):
    def __init__(self, scope: Construct, id_: str, *, prefix: str, directory_id: str, vpc_id: str,
                 trusts: tuple[TrustPlan, ...], ports: tuple[tuple[str, int, int], ...]) -> None:
        super().__init__(scope, id_)
        directory_arn = (f"arn:{cdk.Aws.PARTITION}:ds:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
                         f"directory/{directory_id}")
        vpc_arn = f"arn:{cdk.Aws.PARTITION}:ec2:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:vpc/{vpc_id}"
        groups = f"arn:{cdk.Aws.PARTITION}:ec2:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:security-group/*"
        provider = HandlerProvider(self, "Handler", module="ad_trust", function_name=f"{prefix}-ad-trust",
                                   waits=True, statements=[
            # Deleting is the roster's job (directory_roster.py), never this handler's.
            iam.PolicyStatement(actions=["ds:CreateTrust", "ds:UpdateTrust", "ds:UpdateConditionalForwarder"],
                                resources=[directory_arn]),
            iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"],
                                resources=sorted({t.secret_arn_pattern for t in trusts})),
            # The directory's own security group (AWS creates it; CloudFormation does not expose its id):
            # only groups of the directory's VPC.
            iam.PolicyStatement(actions=["ec2:AuthorizeSecurityGroupIngress",
                                         "ec2:AuthorizeSecurityGroupEgress"],
                                resources=[groups], conditions={"ArnEquals": {"ec2:Vpc": vpc_arn}}),
            # No resource-level permissions for these reads (Service Authorization Reference).
            iam.PolicyStatement(actions=["ds:DescribeDirectories", "ds:DescribeTrusts",
                                         "ec2:DescribeSecurityGroups"], resources=["*"])])
        port_names = ["icmp" if protocol == "icmp" else f"{protocol}:{low}" + (f"-{high}" if high != low else "")
                      for protocol, low, high in ports]
        self.trusts: dict[str, cdk.CustomResource] = {}
        for trust in trusts:
            resource = provider.resource(
                self, trust.logical_id, resource_type="Custom::DirectoryTrust", retain=True,
                properties={"DirectoryId": directory_id, "RemoteDomainName": trust.remote_domain,
                            "TrustDirection": trust.direction, "TrustType": trust.trust_type,
                            "ConditionalForwarderIpAddrs": list(trust.forwarders),
                            "SelectiveAuth": trust.selective_auth,
                            "TrustPorts": port_names,
                            # The secret's ARN, never its value: the handler reads it.
                            "PasswordSecretArn": trust.secret_arn})
            self.trusts[trust.remote_domain] = resource
