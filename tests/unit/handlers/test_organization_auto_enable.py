"""organization_auto_enable against moto (GuardDuty detectors, Macie sessions, Inspector), with Stubber for
the organization configuration calls moto lacks (GuardDuty, Macie, Detective): what each service is told,
idempotency, delete does nothing, errors."""
from __future__ import annotations

import boto3
import pytest
from botocore.stub import ANY

from landing_zone.handlers.organization_auto_enable import AutoEnableError, on_event
from tests.unit.handlers.support import cfn_event

GRAPH = "arn:aws:detective:us-east-1:123456789012:graph:0123456789abcdef0123456789abcdef"
RUNTIME_ADDONS = ["EC2_AGENT_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EKS_ADDON_MANAGEMENT"]


def guardduty_props(*features: str, additional: tuple[str, ...] = ()) -> dict:
    return {"Service": "guardduty", "Features": list(features), "AdditionalConfiguration": list(additional)}


def test_guardduty_creates_the_detector_and_auto_enables_every_account(stubs):
    # moto has no UpdateOrganizationConfiguration for GuardDuty: the stub checks what the handler asks for.
    stubs.response("guardduty", "update_organization_configuration", {}, {
        "DetectorId": ANY, "AutoEnableOrganizationMembers": "ALL",
        "Features": [{"Name": "RUNTIME_MONITORING", "AutoEnable": "ALL", "AdditionalConfiguration": [
            {"Name": name, "AutoEnable": "ALL"} for name in RUNTIME_ADDONS]},
            {"Name": "S3_DATA_EVENTS", "AutoEnable": "ALL"}]})

    result = on_event(cfn_event("Create", guardduty_props("S3_DATA_EVENTS", "RUNTIME_MONITORING",
                                                          additional=tuple(RUNTIME_ADDONS))))

    (detector,) = boto3.client("guardduty").list_detectors()["DetectorIds"]
    assert result == {"PhysicalResourceId": "guardduty-organization",
                      "Data": {"DetectorId": detector, "Features": "RUNTIME_MONITORING,S3_DATA_EVENTS"}}


def test_guardduty_reuses_the_detector_the_registration_created(stubs):
    existing = boto3.client("guardduty").create_detector(Enable=True)["DetectorId"]
    stubs.response("guardduty", "update_organization_configuration", {},
                   {"DetectorId": existing, "AutoEnableOrganizationMembers": "ALL", "Features": []})

    result = on_event(cfn_event("Update", guardduty_props(), old=guardduty_props("S3_DATA_EVENTS"),
                                physical_id="guardduty-organization"))

    assert result["Data"]["DetectorId"] == existing
    assert boto3.client("guardduty").list_detectors()["DetectorIds"] == [existing]


def test_macie_is_enabled_here_then_for_new_accounts(stubs):
    stubs.response("macie2", "update_organization_configuration", {}, {"autoEnable": True})

    assert on_event(cfn_event("Create", {"Service": "macie"})) == {
        "PhysicalResourceId": "macie-organization", "Data": {"Status": "ENABLED"}}
    assert boto3.client("macie2").get_macie_session()["status"] == "ENABLED"


def test_inspector_scans_this_account_and_new_ones(aws):
    result = on_event(cfn_event("Create", {"Service": "inspector", "Scans": ["ecr", "ec2"]}))

    inspector = boto3.client("inspector2")
    assert result == {"PhysicalResourceId": "inspector-organization", "Data": {"Scans": "ec2,ecr"}}
    assert inspector.describe_organization_configuration()["autoEnable"] == {
        "ec2": True, "ecr": True, "lambda": False, "lambdaCode": False}
    account = boto3.client("sts").get_caller_identity()["Account"]
    status = inspector.batch_get_account_status(accountIds=[account])["accounts"][0]["resourceState"]
    assert (status["ec2"]["status"], status["ecr"]["status"]) == ("ENABLED", "ENABLED")


def test_inspector_refuses_an_unknown_scan(aws):
    with pytest.raises(AutoEnableError, match="^unknown Scans lambda_code; expected ec2, ecr, lambda, lambdaCode$"):
        on_event(cfn_event("Create", {"Service": "inspector", "Scans": ["lambda_code"]}))


def test_detective_auto_enables_new_accounts_in_the_graph(stubs):
    # moto has no Detective at all.
    stubs.response("detective", "list_graphs", {"GraphList": [{"Arn": GRAPH}]})
    stubs.response("detective", "update_organization_configuration", {}, {"GraphArn": GRAPH, "AutoEnable": True})

    assert on_event(cfn_event("Create", {"Service": "detective"})) == {
        "PhysicalResourceId": "detective-organization", "Data": {"GraphArn": GRAPH}}


def test_detective_without_a_graph_says_to_deploy_the_registration_first(stubs):
    stubs.response("detective", "list_graphs", {"GraphList": []})

    with pytest.raises(AutoEnableError, match="AWS::Detective::OrganizationAdmin \\(security-admin stack\\) creates it"):
        on_event(cfn_event("Create", {"Service": "detective"}))


def test_a_refused_call_says_where_it_must_run(stubs):
    stubs.error("macie2", "get_macie_session", "AccessDeniedException", "Macie is not enabled")
    stubs.error("macie2", "enable_macie", "ValidationException", "The account is not the delegated administrator")

    with pytest.raises(AutoEnableError) as raised:
        on_event(cfn_event("Create", {"Service": "macie"}))

    assert str(raised.value) == (
        "configuring macie for the organization failed: ValidationException: The account is not the delegated "
        "administrator; this must run in the delegated administrator account, after the management account "
        "registered it (security-admin stack)")


def test_delete_calls_nothing(aws, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)

    assert on_event(cfn_event("Delete", {"Service": "guardduty"}, physical_id="guardduty-organization")) == {
        "PhysicalResourceId": "guardduty-organization"}


def test_unknown_service_and_request_type_fail(aws):
    with pytest.raises(AutoEnableError, match="^unknown Service 'shield'; expected one of detective, guardduty, "
                                              "inspector, macie$"):
        on_event(cfn_event("Create", {"Service": "shield"}))
    with pytest.raises(AutoEnableError, match="unknown RequestType None"):
        on_event({"ResourceProperties": {"Service": "macie"}})
