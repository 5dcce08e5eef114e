"""What the security controls protect: per enabled service (LZ-SEC-001) and per account baseline setting
(LZ-SEC-002), the actions a member account must not call. The plan puts the lists of what the blueprint
enables into the context (security_service_actions, account_baseline_actions)."""
from __future__ import annotations

# Catalog names of the services (the `security` section's keys, as IAM-ish names) → actions that switch
# the service off in an account, take the account out of the administrator's view, or stop its scans.
SERVICE_ACTIONS: dict[str, tuple[str, ...]] = {
    "guardduty": ("guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount",
                  "guardduty:DisassociateFromMasterAccount", "guardduty:UpdateDetector"),
    "securityhub": ("securityhub:BatchDisableStandards", "securityhub:DisableSecurityHub",
                    "securityhub:DisassociateFromAdministratorAccount", "securityhub:DisassociateFromMasterAccount"),
    "access-analyzer": ("access-analyzer:DeleteAnalyzer",),
    "macie": ("macie2:DisableMacie", "macie2:DisassociateFromAdministratorAccount",
              "macie2:DisassociateFromMasterAccount", "macie2:UpdateMacieSession"),
    "detective": ("detective:DisassociateMembership",),
    "inspector": ("inspector2:Disable",),
}
# The blueprint's `security` keys → the names above.
BLUEPRINT_SERVICES = {"guardduty": "guardduty", "security_hub": "securityhub", "access_analyzer": "access-analyzer",
                      "macie": "macie", "detective": "detective", "inspector": "inspector"}

# `account_baseline` settings → actions that change them (deleting the S3 account public access block
# needs s3:PutAccountPublicAccessBlock too).
BASELINE_ACTIONS: dict[str, tuple[str, ...]] = {
    "ebs_default_encryption": ("ec2:DisableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId",
                               "ec2:ResetEbsDefaultKmsKeyId"),
    "s3_block_public_access": ("s3:PutAccountPublicAccessBlock",),
    "iam_password_policy": ("iam:DeleteAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy"),
    "imdsv2_default": ("ec2:ModifyInstanceMetadataDefaults",),
}


def protected_actions(names: list[str] | tuple[str, ...], table: dict[str, tuple[str, ...]]) -> list[str]:
    """The sorted union of the actions of `names` (names the table does not know protect nothing)."""
    return sorted({action for name in names for action in table.get(name, ())})
