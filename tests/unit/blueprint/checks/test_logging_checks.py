"""Log reader checks, table-driven: who may assume the log archive's read-only role."""
from __future__ import annotations

import pytest

from tests.helpers import assert_issues, minimal


@pytest.mark.parametrize(("readers", "expected"), [
    pytest.param(None, set(), id="default"),
    pytest.param(["role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*"], set(),
                 id="one-permission-set"),
    pytest.param(["role/SecurityAnalyst", "role/team/forensics-?"], set(), id="plain-roles-and-wildcards"),
    pytest.param([], {("log-readers-empty", "logging.readers")}, id="empty"),
    pytest.param(["arn:aws:iam::333333333333:role/SecurityAnalyst"], {"log-reader-invalid"}, id="whole-arn"),
    pytest.param(["user/alice"], {"log-reader-invalid"}, id="iam-user"),
    pytest.param(["role/"], {"log-reader-invalid"}, id="no-name"),
    pytest.param(["role/a//b"], {"log-reader-invalid"}, id="empty-path-segment"),
    pytest.param(["role/équipe"], {"log-reader-invalid"}, id="non-ascii"),
    pytest.param(["role/" + "p" * 600], {"log-reader-invalid"}, id="too-long"),
    pytest.param(["role/SecurityAnalyst", "role/SecurityAnalyst"], {"log-reader-duplicate"}, id="duplicate"),
])
def test_log_readers_are_valid(tmp_path, readers, expected):
    data = minimal()
    if readers is not None:
        data["logging"] = {"readers": readers}
    # Issues about one reader sit at that reader (its path names the item by its value); the last one
    # listed is the one reported, so a duplicate points at the repetition.
    assert_issues(tmp_path, data, {e if isinstance(e, tuple) else (e, f"logging.readers[{readers[-1]}]")
                                   for e in expected})
