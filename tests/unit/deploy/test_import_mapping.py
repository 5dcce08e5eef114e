"""`lz import-mapping`: the `cdk import --resource-mapping` JSON from the recorded ids, offline."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from landing_zone.blueprint.load import load_blueprint
from landing_zone.cli import cli
from landing_zone.deploy.import_mapping import ACCOUNT_TYPE, OU_TYPE, primary_identifier
from landing_zone.plan import build_plan


@pytest.fixture(scope="module")
def enterprise():
    return build_plan(load_blueprint("blueprints/enterprise.yaml"))


@pytest.mark.parametrize(("resource_type", "key"), [(OU_TYPE, "Id"), (ACCOUNT_TYPE, "AccountId")],
                         ids=["ou", "account"])
def test_keys_are_the_schemas_primary_identifiers(resource_type, key):
    assert primary_identifier(resource_type) == key


def mapping(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["import-mapping", "blueprints/enterprise.yaml", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("stack", ["globex-organization", "globex-organization-d2-00", "globex-organization-d3-04"])
def test_each_ou_stack_maps_every_ou_it_holds(enterprise, stack):
    code, output = mapping("--stack", stack)
    assert code == 0
    held = [u for u in enterprise.units if u.stack == stack]
    assert held and json.loads(output) == {u.logical_id: {"Id": u.id} for u in held}
    assert all(u.id for u in enterprise.units)


def test_accounts_shard_maps_only_accounts_that_exist(enterprise):
    data_dev = enterprise.account("data-dev")   # pending: no id yet
    assert data_dev.id is None
    code, output = mapping("--stack", data_dev.stack)
    assert code == 0
    expected = {a.logical_id: {"AccountId": a.id} for a in enterprise.accounts_in(data_dev.stack) if a.id}
    assert json.loads(output) == expected
    assert data_dev.logical_id not in json.loads(output)


def test_output_file(tmp_path, enterprise):
    out = tmp_path / "organization.json"
    code, output = mapping("--stack", "globex-organization", "-o", str(out))
    assert code == 0
    top = [u for u in enterprise.units if u.parent is None]
    assert output == f"wrote {out}: {len(top)} resources of globex-organization\n"
    assert len(json.loads(out.read_text())) == len(top)


@pytest.mark.parametrize(("stack", "message"), [
    ("globex-organisation", "stack 'globex-organisation' is not a stack of this blueprint; did you mean "
                            "'globex-organization'? stacks with OUs or accounts: globex-organization, globex-organization-d2-00"),
    ("globex-log-archive", "stack 'globex-log-archive' holds no OUs or accounts; stacks with OUs or accounts: "
                           "globex-organization, globex-organization-d2-00"),
], ids=["unknown", "no-organizations-resources"])
def test_other_stacks_are_one_line_errors(stack, message):
    code, output = mapping("--stack", stack)
    assert code == 1
    assert output.startswith("lz import-mapping: " + message)
    assert output.count("\n") == 1
