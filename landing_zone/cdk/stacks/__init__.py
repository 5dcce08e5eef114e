"""The landing zone's stack classes; importing the package registers each with its plan payload type."""
from landing_zone.cdk.stacks import (  # noqa: F401 - imported for the registration
    accounts,
    audit,
    control_tower,
    directory,
    federation,
    guard_rules,
    guardrails,
    identity_center,
    keys,
    log_archive,
    management_baseline,
    network,
    organization,
    organization_trail,
    policies,
    sharing,
)
