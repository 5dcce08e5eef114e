"""Variables every catalog template may use besides its declared parameters (resolved by the plan)."""
from __future__ import annotations

# name → what it holds. Values come from the blueprint and the naming rules in plan/names.py.
CONTEXT_VARIABLES: dict[str, str] = {
    "name": "the blueprint name, prefix of every landing zone resource (roles, functions, topics, rules)",
    "org_id": "the organization id (o-...)",
    "management_account_id": "the management account id",
    "home_region": "the home region",
    "governed_regions": "list of governed regions",
    "partition": "the AWS partition of the landing zone's regions (aws, aws-us-gov): every ARN starts arn:<partition>:",
    "log_bucket_arn": "ARN of the central log bucket (arn:aws:s3:::<name>-logs-<account>-<region>)",
    "access_log_bucket_arn": "ARN of the log bucket's access-log bucket",
    "trail_arn": "ARN of the organization trail in the management account",
    "landing_zone_principals": "list of principal ARN patterns that deploy and run the landing zone "
                               "(exempt from the mandatory protections)",
    "guardrail_exemptions": "list of every principal ARN pattern a guardrail exempts: the landing zone's "
                         "principals and the region deny's exempt principals",
    "log_reader_role_arn": "ARN pattern (any account) of the log archive's read-only role, which the audit "
                          "account's readers assume: outside the landing zone's own role names, so not exempt",
    "cdk_qualifier": "the CDK bootstrap qualifier the landing zone deploys with (deploy.qualifier)",
    "security_services": "list of the security services the blueprint enables (guardduty, securityhub, "
                         "access-analyzer, macie, detective, inspector)",
    "security_service_actions": "list of the actions that switch an enabled security service off in an account "
                                "(catalog/security.py)",
    "account_baseline_settings": "list of the settings `account_baseline` manages (ebs_default_encryption, "
                                 "s3_block_public_access, iam_password_policy, imdsv2_default)",
    "account_baseline_actions": "list of the actions that change a setting `account_baseline` manages",
    "blueprint_tags": "list of the blueprint's `tags` as Key=Value strings, sorted",
}
