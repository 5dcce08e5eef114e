"""control_tower_baseline against botocore's Stubber (moto has no AWS Control Tower): the Identity
Center baseline lookup, OU enrollment (nothing to do, re-apply, wait, failure) and bad input."""
from __future__ import annotations

import pytest

from landing_zone.handlers.control_tower_baseline import BaselineError, is_complete, on_event
from tests.unit.handlers.support import cfn_event, is_complete_event

IC_BASELINE = "arn:aws:controltower:us-east-1::baseline/LN25R72TTG6IGPTQ"
CT_BASELINE = "arn:aws:controltower:us-east-1::baseline/17BSJV3IGJ2QSGA2"
OU = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-33333333"
ENABLED = "arn:aws:controltower:us-east-1:111111111111:enabledbaseline/XAHCR4CJTSI4W07MZ"
OPERATION = "58f12232-26be-4735-a3e9-dd30d90f021f"


def _account(account_id: str, status: str = "SUCCEEDED") -> dict:
    return {"arn": f"arn:aws:controltower:us-east-1:111111111111:enabledbaseline/X{account_id}",
            "baselineIdentifier": CT_BASELINE, "statusSummary": {"status": status},
            "targetIdentifier": f"arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/{account_id}"}


def _ou_baseline(stubs) -> None:
    stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": [
        {"arn": ENABLED, "baselineIdentifier": CT_BASELINE, "targetIdentifier": OU,
         "statusSummary": {"status": "SUCCEEDED"}}]},
        {"filter": {"baselineIdentifiers": [CT_BASELINE], "targetIdentifiers": [OU]}})


def _children(stubs, *accounts: dict) -> None:
    stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": list(accounts)},
                   {"filter": {"parentIdentifiers": [ENABLED]}, "includeChildren": True})


def _enroll(request: str = "Create", accounts=("222222222222", "333333333333")) -> dict:
    props = {"Purpose": "enroll", "BaselineIdentifier": CT_BASELINE, "TargetIdentifier": OU,
             "AccountIds": list(accounts)}
    return cfn_event(request, props, physical_id=None if request == "Create" else f"{OU}/enrollment",
                     old=props if request == "Update" else None)


def test_lookup_returns_the_enabled_identity_center_baseline(stubs):
    stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": [
        {"arn": ENABLED, "baselineIdentifier": IC_BASELINE, "statusSummary": {"status": "SUCCEEDED"},
         "targetIdentifier": "arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/111111111111"}]},
        {"filter": {"baselineIdentifiers": [IC_BASELINE]}})

    result = on_event(cfn_event("Create", {"Purpose": "lookup", "BaselineIdentifier": IC_BASELINE}))

    assert result == {"PhysicalResourceId": ENABLED, "Data": {"Arn": ENABLED}}


def test_lookup_without_the_baseline_says_the_landing_zone_is_missing(stubs):
    stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": []})

    with pytest.raises(BaselineError, match="no enabled baseline .*LN25R72TTG6IGPTQ.*access management"):
        on_event(cfn_event("Create", {"Purpose": "lookup", "BaselineIdentifier": IC_BASELINE}))


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_enrolled_accounts_start_no_operation(stubs, request_type):
    _ou_baseline(stubs)
    _children(stubs, _account("222222222222"), _account("333333333333"))
    event = _enroll(request_type)

    result = on_event(event)

    assert result == {"PhysicalResourceId": f"{OU}/enrollment", "Data": {"OperationIdentifier": ""}}
    assert is_complete(is_complete_event(event, result)) == {"IsComplete": True}


@pytest.mark.parametrize("children", [
    pytest.param([_account("222222222222")], id="new-account"),
    pytest.param([_account("222222222222"), _account("333333333333", "FAILED")], id="failed-enrollment"),
])
def test_an_account_not_enrolled_re_applies_the_baseline_and_waits(stubs, children):
    _ou_baseline(stubs)
    _children(stubs, *children)
    stubs.response("controltower", "reset_enabled_baseline", {"operationIdentifier": OPERATION},
                   {"enabledBaselineIdentifier": ENABLED})
    event = _enroll("Update")

    result = on_event(event)

    assert result["Data"] == {"OperationIdentifier": OPERATION}
    for status, complete in (("IN_PROGRESS", False), ("SUCCEEDED", True)):
        # Each poll is a new invocation with its own client.
        stubs.response("controltower", "get_baseline_operation", {"baselineOperation": {
            "operationIdentifier": OPERATION, "operationType": "RESET_ENABLED_BASELINE", "status": status}},
            {"operationIdentifier": OPERATION})
        assert is_complete(is_complete_event(event, result)) == {"IsComplete": complete}


def test_a_failed_operation_fails_with_its_message(stubs):
    stubs.response("controltower", "get_baseline_operation", {"baselineOperation": {
        "operationIdentifier": OPERATION, "status": "FAILED", "statusMessage": "account 333333333333 has a recorder"}})
    event = {**_enroll("Update"), "PhysicalResourceId": f"{OU}/enrollment",
             "Data": {"OperationIdentifier": OPERATION}}

    with pytest.raises(BaselineError, match="account 333333333333 has a recorder"):
        is_complete(event)


def test_an_unregistered_ou_fails_clearly(stubs):
    stubs.response("controltower", "list_enabled_baselines", {"enabledBaselines": []})

    with pytest.raises(BaselineError, match=f"no enabled baseline {CT_BASELINE} on {OU}"):
        on_event(_enroll())


def test_a_refused_call_names_the_call(stubs):
    stubs.error("controltower", "list_enabled_baselines", "AccessDeniedException", "not authorized")

    with pytest.raises(BaselineError, match="listing enabled baselines failed: AccessDeniedException"):
        on_event(_enroll())


def test_delete_leaves_the_accounts_enrolled(aws):
    event = cfn_event("Delete", {"Purpose": "enroll", "BaselineIdentifier": CT_BASELINE, "TargetIdentifier": OU},
                      physical_id=f"{OU}/enrollment")

    assert on_event(event) == {"PhysicalResourceId": f"{OU}/enrollment"}
    assert is_complete(event) == {"IsComplete": True}


@pytest.mark.parametrize(("props", "message"), [
    ({"Purpose": "adopt", "BaselineIdentifier": CT_BASELINE}, "Purpose 'adopt' is not supported"),
    ({"Purpose": "lookup", "BaselineIdentifier": "LN25R72TTG6IGPTQ"}, "is not an ARN"),
], ids=["purpose", "baseline-not-an-arn"])
def test_bad_properties(aws, props, message):
    with pytest.raises(BaselineError, match=message):
        on_event(cfn_event("Create", props))
