"""delegated_admin against moto (GuardDuty, Macie, Inspector, Organizations): register, idempotency, another
administrator already there, delete does nothing, bad properties; Stubber for a refused call."""
from __future__ import annotations

import boto3
import pytest

from landing_zone.handlers.delegated_admin import DelegatedAdminError, on_event
from tests.unit.handlers.support import cfn_event

ADMIN, OTHER = "333333333333", "444444444444"


def admins(service: str) -> list[str]:
    if service == "guardduty":
        return [a["AdminAccountId"] for a in boto3.client("guardduty").list_organization_admin_accounts()["AdminAccounts"]]
    if service == "macie":
        return [a["accountId"] for a in boto3.client("macie2").list_organization_admin_accounts()["adminAccounts"]]
    if service == "inspector":
        return [a["accountId"] for a in boto3.client("inspector2").list_delegated_admin_accounts()["delegatedAdminAccounts"]]
    return [a["Id"] for a in boto3.client("organizations").list_delegated_administrators(
        ServicePrincipal="access-analyzer.amazonaws.com")["DelegatedAdministrators"]]


@pytest.fixture
def organization(aws) -> str:
    """An organization with one member account (Organizations registers only members); its id."""
    client = boto3.client("organizations")
    client.create_organization(FeatureSet="ALL")
    return client.create_account(AccountName="audit", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]


SERVICES = ["guardduty", "macie", "inspector", "access-analyzer"]


@pytest.mark.parametrize("service", SERVICES)
def test_create_registers_the_account(organization, service):
    account = organization if service == "access-analyzer" else ADMIN

    result = on_event(cfn_event("Create", {"Service": service, "AccountId": account}))

    assert result == {"PhysicalResourceId": f"{service}/{account}",
                      "Data": {"AdminAccountId": account, "Result": "registered"}}
    assert admins(service) == [account]


@pytest.mark.parametrize("service", SERVICES)
def test_a_second_create_or_update_is_idempotent(organization, service):
    account = organization if service == "access-analyzer" else ADMIN
    on_event(cfn_event("Create", {"Service": service, "AccountId": account}))

    again = on_event(cfn_event("Update", {"Service": service, "AccountId": account},
                               old={"Service": service, "AccountId": account}, physical_id=f"{service}/{account}"))

    assert again["Data"]["Result"] == "already registered"
    assert admins(service) == [account]


@pytest.mark.parametrize("service", ["guardduty", "macie", "inspector"])
def test_another_administrator_is_never_replaced(aws, service):
    on_event(cfn_event("Create", {"Service": service, "AccountId": OTHER}))

    with pytest.raises(DelegatedAdminError) as raised:
        on_event(cfn_event("Update", {"Service": service, "AccountId": ADMIN}, old={"Service": service,
                                                                                  "AccountId": OTHER}))

    assert str(raised.value).startswith(f"{OTHER} is the {service} delegated administrator, not {ADMIN}: the landing "
                                        "zone never deregisters a delegated administrator")
    assert admins(service) == [OTHER]


def test_delete_calls_nothing(aws, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("Delete must not call AWS")

    monkeypatch.setattr(boto3, "client", no_client)

    assert on_event(cfn_event("Delete", {"Service": "guardduty", "AccountId": ADMIN},
                              physical_id=f"guardduty/{ADMIN}")) == {"PhysicalResourceId": f"guardduty/{ADMIN}"}


@pytest.mark.parametrize("props, message", [
    ({"Service": "shield", "AccountId": ADMIN}, "unknown Service 'shield'; expected one of access-analyzer, "
                                                "guardduty, inspector, macie"),
    ({"Service": "guardduty", "AccountId": "3333"}, "AccountId '3333' is not a 12-digit account id"),
], ids=["unknown-service", "bad-account"])
def test_bad_properties_fail_before_any_call(aws, props, message):
    with pytest.raises(DelegatedAdminError, match=f"^{message}$"):
        on_event(cfn_event("Create", props))


def test_a_refused_call_names_the_management_account(stubs):
    # moto lets any account register; the real service refuses a caller outside the management account.
    stubs.response("guardduty", "list_organization_admin_accounts", {"AdminAccounts": []})
    stubs.error("guardduty", "enable_organization_admin_account", "BadRequestException",
                "The request is rejected because the current account is not the management account.")

    with pytest.raises(DelegatedAdminError) as raised:
        on_event(cfn_event("Create", {"Service": "guardduty", "AccountId": ADMIN}))

    assert str(raised.value) == (
        f"registering {ADMIN} as the guardduty delegated administrator failed: BadRequestException: The request is "
        "rejected because the current account is not the management account.; this must run in the organization's "
        "management account, with all features enabled")


def test_unknown_request_type_fails(aws):
    with pytest.raises(DelegatedAdminError, match="unknown RequestType None"):
        on_event({"ResourceProperties": {}})
