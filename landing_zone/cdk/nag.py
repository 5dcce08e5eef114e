"""cdk-nag AwsSolutions checks on every synthesis, with every acknowledged finding in ONE table.

cdk-nag v3 is a CDK validation plugin: an unacknowledged finding makes `app.synth()` fail with
`ValidationFailed`. CDK's own acknowledgements (`Validations.of(scope).acknowledge(...)`) match a
finding id exactly, and ids such as `AwsSolutions-IAM5[Resource::<PolicyTypesOnEvent2159F21B.Arn>:*]`
carry logical-id hashes and account ids. `LandingZoneNag` wraps `AwsSolutionsChecks` instead and
drops the findings that match `ACKNOWLEDGEMENTS`: a rule id (or the prefix of one), a construct-path
glob, and the written reason. Fix a finding where that is simple; acknowledge it here otherwise.

Matching: in the construct path, `*` matches any run of characters (including `/`). In the rule,
whose findings are full of literal `*` (`[Resource::*]`), `*` is literal and `{*}` matches any run
of characters; a rule without `[...]` covers every `rule[...]` finding. `[`, `<`... are literal.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import aws_cdk as cdk
import jsii
from cdk_nag import AwsSolutionsChecks

# Written next to the templates: what was acknowledged, where, and why (the audit trail cdk-nag v2
# kept in its NagReport files). Only written when something was acknowledged.
REPORT_FILE = "nag-acknowledgements.json"

FIX = ("Fix the resource where that is simple; otherwise acknowledge the finding with a written, "
       "specific reason in ACKNOWLEDGEMENTS of landing_zone/cdk/nag.py (not with Validations.acknowledge)")
MANAGED = "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
LAMBDA_BASIC = MANAGED + "AWSLambdaBasicExecutionRole]"


def _glob(pattern: str, wildcard: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split(wildcard)), re.DOTALL)


@dataclass(frozen=True)
class Acknowledgement:
    rule: str     # "AwsSolutions-IAM5" covers every AwsSolutions-IAM5[...] finding; "{*}" is the wildcard
    path: str     # construct path glob, e.g. "*/PolicyTypes/*/ServiceRole/DefaultPolicy/Resource"
    reason: str

    @cached_property
    def _rule(self) -> re.Pattern[str]:
        return _glob(self.rule, "{*}")

    @cached_property
    def _path(self) -> re.Pattern[str]:
        return _glob(self.path, "*")

    def matches(self, rule_name: str, construct_path: str) -> bool:
        rule_ok = (self._rule.fullmatch(rule_name) is not None
                   or ("[" not in self.rule and rule_name.startswith(self.rule + "[")))
        return rule_ok and self._path.fullmatch(construct_path) is not None


A = Acknowledgement
ACKNOWLEDGEMENTS: tuple[Acknowledgement, ...] = (
    # --- aws-cdk-lib's custom-resource Provider framework (custom_resources.Provider) -------------
    A(LAMBDA_BASIC, "*/ServiceRole/Resource",
      "AWSLambdaBasicExecutionRole is the minimal managed policy for CloudWatch Logs of a Lambda "
      "function (custom-resource handlers, Provider framework): CreateLogGroup, "
      "CreateLogStream, PutLogEvents"),
    A("AwsSolutions-IAM5[Resource::<{*}.Arn>:*]", "*/Provider/framework-*/ServiceRole/DefaultPolicy/Resource",
      "CDK Provider framework: aws-cdk-lib grants lambda:InvokeFunction on the user handler's ARN and "
      "its versions (<arn>:*); the handler is named exactly"),
    A("AwsSolutions-IAM5[Resource::<{*}.Arn>:*]",
      "*/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",
      "CDK Provider framework: the waiter state machine invokes the framework's isComplete and "
      "onTimeout functions and their versions (<arn>:*); granted by aws-cdk-lib"),
    A("AwsSolutions-SF1", "*/Provider/waiter-state-machine/Resource",
      "CDK Provider framework waiter: it only polls isComplete, whose every call is logged by the "
      "handler's own log group; aws-cdk-lib leaves its logging off by default"),
    A("AwsSolutions-SF2", "*/Provider/waiter-state-machine/Resource",
      "CDK Provider framework waiter: aws-cdk-lib offers no X-Ray tracing setting for it"),
    # --- our custom-resource handlers (landing_zone/handlers/) -------------------------------------
    A("AwsSolutions-L1", "*/OnEvent/Resource",
      "Custom-resource handlers are pinned to python3.12 (supported by Lambda) so that an aws-cdk-lib "
      "upgrade, which moves L1's 'latest', never changes a handler's runtime unreviewed"),
    A("AwsSolutions-L1", "*/IsComplete/Resource",
      "Custom-resource handlers are pinned to python3.12 (supported by Lambda) so that an aws-cdk-lib "
      "upgrade, which moves L1's 'latest', never changes a handler's runtime unreviewed"),
    A("AwsSolutions-IAM5[Resource::*]", "*/PolicyTypes/*/ServiceRole/DefaultPolicy/Resource",
      "organizations:ListRoots and organizations:DescribeOrganization have no resource-level permissions"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::<AWS::AccountId>:root/*/r-{*}]",
      "*/PolicyTypes/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "EnablePolicyType on the organization root: the root id is exact, the organization id (o-...) in "
      "the root ARN is not known when synthesizing"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::aws:policy/*]",
      "*/PolicyTypes/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "Only AWS-owned Organizations policies (arn:<partition>:organizations::aws:policy/...), which no "
      "account can create or change; EnablePolicyType itself is scoped to the one root"),
    A("AwsSolutions-IAM5[Resource::*]", "*/RamSharing/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "ram:EnableSharingWithAwsOrganization and the Organizations calls it makes (DescribeOrganization, "
      "EnableAWSServiceAccess, ListAWSServiceAccessForOrganization) have no resource-level permissions; "
      "EnableAWSServiceAccess is conditioned on organizations:ServicePrincipal = ram.amazonaws.com and "
      "iam:CreateServiceLinkedRole on iam:AWSServiceName = ram.amazonaws.com"),
    A("AwsSolutions-IAM5[Resource::*]", "*/Share/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "organizations:DescribeOrganization (ShareMethod ORGANIZATIONS) has no resource-level permissions; "
      "the ds: share actions name the directory"),
    A("AwsSolutions-IAM5[Resource::*]", "*/Replicas/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "cloudformation:ListExports (the replica region's network exports) and ec2:DescribeNetworkInterfaces, "
      "DescribeSecurityGroups, DescribeSubnets and DescribeVpcs have no resource-level permissions; read-only"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:{*}:<AWS::AccountId>:{*}/*]",
      "*/Replicas/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "ds:AddRegion creates the domain controllers' security group, rules and network interfaces with the "
      "caller's EC2 permissions (ids unknown until created): limited to this account's security groups, "
      "network interfaces, subnets and VPCs in the replica regions named here; ec2:Vpc cannot pin the VPC "
      "because its id lives in the replica region's network export, read at deploy time"),
    # --- roles whose managed policies are the point ------------------------------------------------
    A(MANAGED + "AWSConfigRoleForOrganizations]", "*/Aggregator/Role/Resource",
      "AWSConfigRoleForOrganizations is the policy AWS Config documents for an organization "
      "aggregator's role; AWS keeps it in step with the Organizations calls Config makes"),
    # --- blueprint values the synthesis accepts as given (`lz validate` rejects the others first) ---
    A("AwsSolutions-IAM4[Policy::arn:{*}:iam::aws:policy/{*}]", "*/FederatedRole*/Resource",
      "Federated (SAML/OIDC) roles carry exactly the AWS managed policies the blueprint lists for them "
      "(saml_providers/oidc_providers roles: managed_policies), reviewed there; any partition"),
    A("AwsSolutions-IAM5", "*/FederatedRole*/Resource",
      "A federated role's inline policy is the blueprint's own document (roles[].inline_policy), linted "
      "by the plan (known actions, grammar, size) and reviewed with the blueprint like its managed "
      "policies; wildcards there are the author's decision, e.g. Describe* actions on Resource '*'"),
    A("AwsSolutions-KMS5", "*/ImportedKeyMaterial",
      "Keys with imported key material (keys[].origin: EXTERNAL) cannot rotate automatically; KMS refuses "
      "EnableKeyRotation for them and the blueprint check key_material_fits_the_origin forbids asking. "
      "AWS_KMS keys always rotate (keys.aws_kms_keys_rotate rejects rotation: false)"),
    A("AwsSolutions-VPC7", "*/VpcWithoutFlowLogs",
      "Only VPCs whose blueprint sets network.vpcs[].flow_logs: false (e.g. a VPC whose traffic another "
      "tool records), a decision the blueprint states per VPC; every other VPC logs to the log archive"),
    # --- logging: constructs owned by the logging work -------------------------------------------
    A("AwsSolutions-IAM5[Resource::<LogArchive{*}.Arn>/*]", "*/Reader/Role/Resource",
      "Read-only log-archive role for the audit account: s3:GetObject(Version) must reach every log "
      "object of the log and access-log buckets; the buckets are named exactly"),
    A("AwsSolutions-IAM5[Resource::arn:{*}:kms:{*}:key/*]", "*/Reader/Role/Resource",
      "KMS authorizes kms:Decrypt against the key ARN, but the blueprint names the logs key by alias: "
      "the statement covers the owner account's keys in one region and is narrowed to that alias by "
      "kms:ResourceAliases"),
    A("AwsSolutions-IAM5[Resource::arn:{*}:logs:{*}:log-group:{*}:log-stream:*]",
      "*/Trail/DeliveryRole/Resource",
      "CloudTrail creates one log stream per account and region of the organization in the trail's "
      "log group (names unknown when synthesizing); the log group is named exactly"),
    # --- directory ---------------------------------------------------------------------------------
    A("AwsSolutions-SMG4", "*/AdminSecret/Secret",
      "The directory's Admin password is read once, by CloudFormation, to create the directory; a "
      "Secrets Manager rotation without a function that calls ds:ResetUserPassword would only make "
      "the secret disagree with the directory"),
    # --- directory trusts: the domain controllers' security group -----------------------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/Trusts/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "ds:DescribeDirectories (to find the directory's security group, which CloudFormation does not "
      "expose), ds:DescribeTrusts and ec2:DescribeSecurityGroups have no resource-level permissions; read-only"),
    # --- the directory roster: the only remover of trusts, regions and shares ------------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/Roster/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "ds:DescribeTrusts (to find the trust of a domain that left the blueprint) has no resource-level "
      "permissions; read-only. DeleteTrust and UnshareDirectory name the directory"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ds:*:<AWS::AccountId>:directory/<{*}>]",
      "*/Roster/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "ds:RemoveRegion is called in the region it removes, through the same directory id; which region is "
      "only known once it leaves the blueprint, so the region is '*' and the directory id exact"),
    # --- AD Connector (handlers/ad_connector.py) -----------------------------------------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/Connector/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "ds:ConnectDirectory and ds:DescribeDirectories have no resource-level permissions (the directory id "
      "exists only once ConnectDirectory returns it), nor do the ec2:Describe* reads"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:{*}/*]",
      "*/Connector/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "ds:ConnectDirectory creates the connector's security group, rules and network interfaces with the "
      "caller's EC2 permissions (ids unknown until created): this account and region only, the group "
      "created in the connector's VPC (vpc resource named exactly), subnets, groups and tags pinned to "
      "that VPC by ec2:Vpc where the Service Authorization Reference has it"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group/*]",
      "*/Trusts/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "ec2:AuthorizeSecurityGroupIngress/Egress on the directory's own security group, created by AWS "
      "with an id unknown when synthesizing; limited to groups of the directory's VPC by ec2:Vpc"),
    # --- security services (handlers/delegated_admin.py, handlers/organization_auto_enable.py) -------
    A("AwsSolutions-IAM5[Resource::*]", "*/Registrations/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "Registering a delegated administrator (guardduty:EnableOrganizationAdminAccount, "
      "macie2:EnableOrganizationAdminAccount, inspector2:EnableDelegatedAdminAccount, "
      "organizations:RegisterDelegatedAdministrator) and the Organizations reads they make have no "
      "resource-level permissions; EnableAWSServiceAccess, RegisterDelegatedAdministrator and "
      "CreateServiceLinkedRole are conditioned on the enabled services' principals"),
    A("AwsSolutions-IAM5[Resource::*]", "*/AutoEnable/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "The organization configuration calls (guardduty:CreateDetector/ListDetectors, "
      "macie2:EnableMacie/UpdateOrganizationConfiguration, inspector2:Enable/UpdateOrganizationConfiguration, "
      "detective:ListGraphs) have no resource-level permissions or act on a detector or graph whose id "
      "exists only once the service made it; CreateServiceLinkedRole is conditioned on the services' names"),
    # --- keys in a custom key store (handlers/custom_store_key.py) ----------------------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/CustomStoreKeys/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "kms:CreateKey, kms:ListAliases and kms:ListKeys have no resource-level permissions; CreateKey is "
      "conditioned to symmetric ENCRYPT_DECRYPT single-Region keys with origin AWS_CLOUDHSM "
      "(kms:KeyOrigin, kms:KeySpec, kms:KeyUsage, kms:MultiRegion)"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]",
      "*/CustomStoreKeys/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "The key ids are only known once the handler creates the keys; the statements cover this account's "
      "keys in this region, and the changing ones (PutKeyPolicy, UpdateKeyDescription, TagResource) only "
      "CloudHSM keys (kms:KeyOrigin = AWS_CLOUDHSM)"),
    # --- transit gateway routing (handlers/transit_gateway_routing.py) ------------------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/TransitGatewayHandler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "ec2:DescribeTransitGatewayAttachments and DescribeTransitGateways have no resource-level "
      "permissions; read-only"),
    A("AwsSolutions-IAM5[Resource::arn:{*}:ec2:{*}:transit-gateway{*}/*]",
      "*/TransitGatewayHandler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "Gateways, route tables and attachments get ids when created, and the attachments swept into the "
      "default route tables are other accounts' (vended VPCs, unknown in advance): this account's "
      "gateways and route tables in this region, any attachment of them"),
    A("AwsSolutions-IAM5[Resource::*]", "*/AttachmentRouting/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "ec2:DescribeTransitGatewayAttachments has no resource-level permissions; read-only"),
    A("AwsSolutions-IAM5[Resource::arn:{*}:ec2:{*}:transit-gateway-{*}/*]",
      "*/AttachmentRouting/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "Other accounts' attachments (their ids reach the stack as shared parameters at deploy time) in this "
      "account's route tables (ids generated by the network stack): route tables and attachments of "
      "this account and region"),
    # --- transit gateway peering acceptance (handlers/transit_gateway_peering.py) -------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/PeeringAcceptance/*/ServiceRole/DefaultPolicy/Resource",
      "ec2:DescribeTransitGatewayPeeringAttachments has no resource-level permissions; read-only (the "
      "acceptance itself is granted on the stack's own attachments by ARN)"),
    # --- AWS Control Tower enabled baselines (handlers/control_tower_baseline.py) -------------------
    A("AwsSolutions-IAM5[Resource::*]", "*/Lookup/Handler/OnEvent/ServiceRole/DefaultPolicy/Resource",
      "controltower:ListEnabledBaselines and GetBaselineOperation have no resource-level permissions; read-only"),
    A("AwsSolutions-IAM5[Resource::*]", "*/Enrollment/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "controltower:ListEnabledBaselines and GetBaselineOperation have no resource-level permissions; the "
      "Organizations and Service Catalog calls are what AWS Control Tower checks on the caller when it "
      "re-applies an OU baseline (the handler permissions of AWS::ControlTower::EnabledBaseline), on SCPs "
      "and portfolios it creates with ids unknown when synthesizing"),
    A("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:controltower:<AWS::Region>:<AWS::AccountId>:enabledbaseline/*]",
      "*/Enrollment/Handler/*/ServiceRole/DefaultPolicy/Resource",
      "Enabled baselines get ids from AWS Control Tower; the statement covers this account's enabled "
      "baselines in the home region (GetEnabledBaseline, ResetEnabledBaseline)"),
)
del A


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str

    def format(self) -> str:
        return f"{self.rule} at {self.path}"


@jsii.implements(cdk.IPolicyValidationPlugin)
class LandingZoneNag:
    """`AwsSolutionsChecks` minus the findings that match `acknowledgements`.

    After a synthesis, `acknowledged` maps each acknowledgement to the findings it covered and
    `reported` lists what failed the synthesis."""

    def __init__(self, acknowledgements: Iterable[Acknowledgement] = ACKNOWLEDGEMENTS) -> None:
        self._inner = AwsSolutionsChecks()
        self.acknowledgements = tuple(acknowledgements)
        self.acknowledged: dict[Acknowledgement, list[Finding]] = {}
        self.reported: list[Finding] = []

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def version(self) -> str | None:
        return self._inner.version

    @property
    def rule_ids(self) -> list[str] | None:
        return self._inner.rule_ids

    def acknowledgement_for(self, rule: str, path: str) -> Acknowledgement | None:
        return next((a for a in self.acknowledgements if a.matches(rule, path)), None)

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        report = self._inner.validate(context)
        self.acknowledged, self.reported = {}, []
        violations = []
        for violation in report.violations:
            kept = []
            for resource in violation.violating_resources:
                finding = Finding(violation.rule_name, resource.construct_path or "")
                acknowledgement = self.acknowledgement_for(finding.rule, finding.path)
                if acknowledgement is None:
                    kept.append(resource)
                    self.reported.append(finding)
                else:
                    self.acknowledged.setdefault(acknowledgement, []).append(finding)
            if kept:
                violations.append(cdk.PolicyViolation(
                    rule_name=violation.rule_name, description=violation.description,
                    violating_resources=kept, severity=violation.severity,
                    fix=FIX))
        if self.acknowledged and context.template_paths:
            self._write_report(Path(context.template_paths[0]).parent)
        # As cdk-nag itself: any finding, warning or error, fails the synthesis.
        return cdk.PolicyValidationPluginReport(success=not violations, violations=violations)

    def _write_report(self, outdir: Path) -> None:
        entries = [{"rule": a.rule, "path": a.path, "reason": a.reason,
                    "findings": sorted(f.format() for f in findings)}
                   for a, findings in self.acknowledged.items()]
        entries.sort(key=lambda e: (e["rule"], e["path"]))
        (outdir / REPORT_FILE).write_text(json.dumps({"acknowledged": entries}, indent=1) + "\n")


def add_nag(app: cdk.App) -> LandingZoneNag:
    plugin = LandingZoneNag()
    cdk.Validations.of(app).add_plugins(plugin)
    return plugin


def read_report(outdir: str | Path) -> list[dict]:
    """The acknowledgements a synthesis used, from its cloud assembly (empty when none)."""
    path = Path(outdir) / REPORT_FILE
    return json.loads(path.read_text())["acknowledged"] if path.exists() else []


__all__ = ["ACKNOWLEDGEMENTS", "Acknowledgement", "Finding", "LandingZoneNag", "REPORT_FILE", "add_nag",
           "read_report"]
