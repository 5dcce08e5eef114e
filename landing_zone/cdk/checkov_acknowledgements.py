"""checkov findings on the synthesized templates that are acknowledged, in ONE table, each with its reason.

tests/synth/test_checkov.py runs checkov with all its CloudFormation checks over every template of
every shipped blueprint (and the small blueprints of tests/synth/conftest.py), StackSet bodies
included, and fails on a finding no entry covers and on an entry that covers no finding. Fix a
finding where that is simple; acknowledge it here otherwise. Templates carry no checkov metadata:
this table is the only place a finding is let through.

`resource` is a glob (fnmatch, case-sensitive) over `<template>/<Type>.<LogicalId>`, where
`<template>` is the stack name, or `<stack>/<StackSetName>` for the body of a StackSet.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class Acknowledgement:
    check: str          # checkov check id, e.g. CKV_AWS_18
    resource: str       # glob over <template>/<Type>.<LogicalId>
    reason: str

    def matches(self, check: str, resource: str) -> bool:
        return check == self.check and fnmatchcase(resource, self.resource)


def _each(checks: str, resource: str, reason: str) -> tuple[Acknowledgement, ...]:
    return tuple(Acknowledgement(check, resource, reason) for check in checks.split())


# --- custom-resource functions: ours (landing_zone/handlers/) and aws-cdk-lib's -------------------
# Every one of them runs only while CloudFormation deploys its stack.
CONCURRENCY = ("invoked only by CloudFormation while it deploys this stack, a handful of times per "
               "deployment; reserved concurrency would take capacity from the account's pool for an "
               "idle function")
DEAD_LETTERS = ("a failed invocation fails the CloudFormation operation (the Provider framework "
                "answers FAILED, or the resource's ServiceTimeout ends it) and the next deployment "
                "retries it; an event parked in a dead-letter queue would be a deployment nobody can resume")
NO_VPC = ("calls only AWS APIs and CloudFormation's pre-signed response URL; nothing it talks to is in a "
          "VPC, and a VPC would need NAT or interface endpoints to reach them")
PROVIDER_ENVIRONMENT = ("its environment holds only the ARNs of the functions it calls "
                        "(USER_ON_EVENT_FUNCTION_ARN, ...), no secret; Lambda encrypts environment "
                        "variables at rest with its AWS managed key")

FUNCTION = "*/AWS::Lambda::Function."


def _functions(resource: str, who: str, *, no_vpc: str = NO_VPC,
               environment: str | None = None) -> tuple[Acknowledgement, ...]:
    """Concurrency, dead-letter queue and VPC (and environment encryption when given) of the
    custom-resource functions `resource` matches."""
    entries = [Acknowledgement("CKV_AWS_115", FUNCTION + resource, f"{who}: {CONCURRENCY}"),
               Acknowledgement("CKV_AWS_116", FUNCTION + resource, f"{who}: {DEAD_LETTERS}"),
               Acknowledgement("CKV_AWS_117", FUNCTION + resource, f"{who}: {no_vpc}")]
    if environment:
        entries.append(Acknowledgement("CKV_AWS_173", FUNCTION + resource, f"{who}: {environment}"))
    return tuple(entries)


LAMBDA: tuple[Acknowledgement, ...] = (
    # aws-cdk-lib's custom_resources.Provider: framework onEvent / isComplete / onTimeout functions
    *_functions("*Providerframework*", "CDK Provider framework function", environment=PROVIDER_ENVIRONMENT),
    # our handlers behind it (OnEvent, IsComplete; the framework's own are lower-case onEvent, isComplete)
    *_functions("*OnEvent*", "Landing zone custom-resource handler"),
    *_functions("*IsComplete*", "Landing zone custom-resource status handler"),
    # the account baseline's handler, inline in the baseline StackSet body (handlers/account_baseline.py)
    *_functions("AccountBaselineFunction", "Account baseline handler (answers CloudFormation itself)"),
    # CDK gives every function its own log group under the pinned feature flags (retained, 731 days)
    Acknowledgement("CKV_AWS_158", "*/AWS::Logs::LogGroup.*LogGroup*",
                    "A custom-resource function's own log group: it holds only the handler's progress lines "
                    "(the handlers log no property, secret or SDK payload: tests/unit/handlers/"
                    "test_sdk_logging.py) and CloudWatch Logs encrypts every log group at rest; a customer "
                    "managed key would add a key, its policy and its monthly cost to every stack and region "
                    "with a handler"),
)

# --- security services and remediation roles ---------------------------------------------------------
SECURITY: tuple[Acknowledgement, ...] = (
    Acknowledgement("CKV_AWS_111", "*-security-services-*/AWS::IAM::Policy.AutoEnableHandlerOnEvent*",
                    "Security services' organization configuration (handlers/organization_auto_enable.py): "
                    "guardduty:CreateDetector, macie2:EnableMacie, inspector2:Enable and the UpdateOrganization"
                    "Configuration calls have no resource-level permissions, or act on a detector or graph whose "
                    "id exists only once the service made it"),
    Acknowledgement("CKV_AWS_111", "*/AWS::IAM::Role.RemediationRoleLZTAG004*",
                    "LZ-TAG-004's runbook tags the resource AWS Config found through tag:TagResources, which has "
                    "no resource-level permissions; the EC2 and S3 tagging it leads to is limited to the account's "
                    "own resources, and the role is assumable only by Systems Manager in this account"),
)

# --- buckets and keys of the landing zone ----------------------------------------------------------
END_OF_CHAIN = ("the access-log bucket is the end of the chain: S3 cannot deliver a bucket's server "
                "access logs into itself, and logging it elsewhere would need yet another bucket; "
                "versioned, TLS-only, Block Public Access, retained")
ORG_CONDITIONED = ("checkov's CKV_AWS_33 ignores conditions: the only statements with Principal '*' are "
                   "conditioned on the organization (aws:PrincipalOrgID with the baseline's Config recorder "
                   "role name in aws:PrincipalArn, for the log bucket's writers in every member account; "
                   "aws:PrincipalOrgPaths for OU grants), which no principal list can express")
LANDING_ZONE: tuple[Acknowledgement, ...] = (
    Acknowledgement("CKV_AWS_18", "*-log-archive/AWS::S3::Bucket.LogArchiveAccessLogs*",
                    "Log archive: " + END_OF_CHAIN),
    Acknowledgement("CKV_AWS_18", "*-guard-rules-*/AWS::S3::Bucket.GuardRulesAccessLogs*",
                    "Guard rules buckets: " + END_OF_CHAIN),
    Acknowledgement("CKV_AWS_33", "*-log-archive/AWS::KMS::Key.LogsKey*",
                    "Log archive's logs key: " + ORG_CONDITIONED),
    Acknowledgement("CKV_AWS_33", "*-keys-*/AWS::KMS::Key.Key*", "Blueprint keys: " + ORG_CONDITIONED),
    Acknowledgement("CKV_AWS_7", "*-keys-*/AWS::KMS::Key.KeyLzByok*",
                    "The edge-case blueprint's key with imported material (keys[].origin: EXTERNAL, "
                    "tests/synth/conftest.py): KMS cannot rotate imported material, and the blueprint "
                    "checks refuse rotation: false on every AWS_KMS key"),
)

# --- the CDK bootstrap StackSet's body: the pinned CLI's own template, verbatim --------------------
# plan/data/cdk-bootstrap.yaml is kept equal to `cdk bootstrap --show-template` of the pinned CLI, so
# that the StackSet bootstraps exactly as the CLI would; changing it would fork CDK's bootstrap.
BOOTSTRAP = "*-bootstrap/*-bootstrap/"
VERBATIM = "CDK bootstrap template, verbatim from the pinned CLI: "
CDK_BOOTSTRAP: tuple[Acknowledgement, ...] = (
    *_each("CKV_AWS_53 CKV_AWS_54 CKV_AWS_55 CKV_AWS_56", BOOTSTRAP + "AWS::S3::Bucket.StagingBucket",
           VERBATIM + "the staging bucket's PublicAccessBlockConfiguration is an Fn::If on the template's "
           "PublicAccessBlockConfiguration parameter (true by default, and the StackSet keeps the default), "
           "which checkov does not resolve"),
    Acknowledgement("CKV_AWS_18", BOOTSTRAP + "AWS::S3::Bucket.StagingBucket",
                    VERBATIM + "the template has no access logging for its asset staging bucket; every "
                    "deployment that uses an asset is recorded by CloudFormation and the organization trail"),
    *_each("CKV_AWS_7 CKV_AWS_33", BOOTSTRAP + "AWS::KMS::Key.FileAssetsBucketEncryptionKey",
           VERBATIM + "the key exists only under the CreateNewKey condition, and the StackSet passes "
           "FileAssetsBucketKmsKeyId AWS_MANAGED_KEY, so it is never created"),
    *_each("CKV_AWS_136 CKV_AWS_163", BOOTSTRAP + "AWS::ECR::Repository.ContainerAssetsRepository",
           VERBATIM + "the container asset repository (AES-256 encrypted, immutable tags); the landing zone "
           "publishes no container image"),
    *_each("CKV_AWS_107 CKV_AWS_108 CKV_AWS_109 CKV_AWS_110 CKV_AWS_111",
           BOOTSTRAP + "AWS::IAM::ManagedPolicy.CdkBoostrapPermissionsBoundaryPolicy",
           VERBATIM + "CDK's example permissions boundary exists only under the "
           "ShouldCreatePermissionsBoundary condition (UseExamplePermissionsBoundary, false by default and "
           "in the StackSet): never created"),
    Acknowledgement("CKV_AWS_111", BOOTSTRAP + "AWS::IAM::Role.DeploymentActionRole",
                    VERBATIM + "the CDK deploy role starts change sets and passes the execution role, which "
                    "needs unconstrained CloudFormation writes; the guardrails protect it (LZ-CDK-001, "
                    "LZ-IAM-003) and the deploy proofs check what it may do"),
)

# --- the control-tower engine's enrollment handler (handlers/control_tower_baseline.py) ----------------
CONTROL_TOWER: tuple[Acknowledgement, ...] = (
    Acknowledgement("CKV_AWS_111", "*-control-tower-enrollment/AWS::IAM::Policy.EnrollmentHandler*",
                    "Re-applying an OU baseline (controltower:ResetEnabledBaseline) makes AWS Control Tower check "
                    "the caller's Organizations and Service Catalog permissions (the handler permissions of "
                    "AWS::ControlTower::EnabledBaseline): it creates and attaches SCPs and a portfolio whose ids "
                    "it generates; the Control Tower calls are limited to this account's enabled baselines"),
)

ACKNOWLEDGEMENTS: tuple[Acknowledgement, ...] = CONTROL_TOWER + LAMBDA + LANDING_ZONE + CDK_BOOTSTRAP + SECURITY

__all__ = ["ACKNOWLEDGEMENTS", "Acknowledgement"]
