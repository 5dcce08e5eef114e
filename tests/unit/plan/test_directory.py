"""Directory planner: one stack in the identity account, network imports by export name, trusts,
replicas, shares, the other directory types; pure Python."""
from __future__ import annotations

import copy

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.directory import DirectoryPayload, count_resources
from tests.helpers import minimal, write

IDENTITY = "666666666666"


def base(**directory) -> dict:
    data = minimal()
    data["organization"]["units"][1]["id"] = "ou-a1b2-22222222"
    data["organization"]["accounts"][2]["id"] = "777777777777"
    data["organization"]["accounts"] += [
        {"name": "identity", "email": "aws+identity@example.com", "unit": "Security", "role": "identity",
         "id": IDENTITY},
        {"name": "app2", "email": "aws+app2@example.com", "unit": "Workloads"}]
    data["network"] = {"vpcs": [
        {"name": "ids", "account": "identity", "region": "us-east-1", "cidr": "10.1.0.0/16", "subnets": [
            {"name": "a", "cidr": "10.1.0.0/24", "az_id": "use1-az1"},
            {"name": "b", "cidr": "10.1.1.0/24", "az_id": "use1-az2"}]},
        {"name": "ids-eu", "account": "identity", "region": "eu-west-1", "cidr": "10.2.0.0/16", "subnets": [
            {"name": "x", "cidr": "10.2.0.0/24", "az_id": "euw1-az1"},
            {"name": "y", "cidr": "10.2.1.0/24", "az_id": "euw1-az2"}]}],
        # The trusts' forwarders are on-premises: the directory's VPC routes them to a gateway with a VPN.
        "transit_gateways": [{"name": "core", "account": "identity", "region": "us-east-1", "vpn_connections": [
            {"name": "onprem", "customer_gateway_ip": "203.0.113.10", "advertised_routes": ["192.168.0.0/16"]}]}]}
    data["network"]["vpcs"][0]["transit_gateway"] = {"name": "core", "subnets": ["a", "b"],
                                                     "routes": ["192.168.0.0/16"]}
    data["identity"] = {"directory": {
        "account": "identity", "region": "us-east-1", "vpc": "ids", "subnets": ["a", "b"],
        "domain": "corp.example.com", "edition": "Enterprise",
        "trusts": [{"remote_domain": "onprem.example.com", "conditional_forwarder_ips": ["192.168.1.10"],
                    "password_secret": "lz/ad/onprem"},
                   {"remote_domain": "branch.example.com", "direction": "One-Way: Outgoing",
                    "conditional_forwarder_ips": ["192.168.2.10"], "password_secret": "lz/ad/branch",
                    "selective_authentication": True}],
        "replicate_to": ["eu-west-1"], "share_with": {"units": ["Workloads"]}, **directory}}
    return data


def directory_stack(tmp_path, data):
    plan = build_plan(load_blueprint(write(tmp_path, data)))
    stacks = [s for s in plan.stacks if s.component == "directory"]
    return plan, (stacks[0] if stacks else None)


def test_managed_ad_stack_imports_the_network_stack_exports_and_depends_on_it(tmp_path):
    _, stack = directory_stack(tmp_path, base())
    payload: DirectoryPayload = stack.payload
    assert (stack.name, stack.account_id, stack.region) == ("acme-directory-us-east-1", IDENTITY, "us-east-1")
    assert stack.depends_on == ("acme-network-identity-eu-west-1", "acme-network-identity-us-east-1",
                                "acme-sharing")   # the resolver rule's RAM share
    assert payload.network.vpc_export == "acme-vpc-ids-id"
    assert payload.network.subnet_exports == ("acme-vpc-ids-subnet-a-id", "acme-vpc-ids-subnet-b-id")
    assert (payload.kind, payload.short_name, payload.edition) == ("microsoft-ad", "CORP", "Enterprise")
    assert payload.admin_secret_name == "acme/directory/corp.example.com/admin"
    assert stack.resources == count_resources(payload)


def test_network_stack_exports_every_vpc_and_subnet(tmp_path):
    plan, _ = directory_stack(tmp_path, base())
    network = next(s for s in plan.stacks if s.name == "acme-network-identity-us-east-1")
    vpc = network.payload.vpcs[0]
    assert vpc.export_name == "acme-vpc-ids-id"
    assert [s.export_name for s in vpc.subnets] == ["acme-vpc-ids-subnet-a-id", "acme-vpc-ids-subnet-b-id"]


def test_trusts_carry_the_secret_name_and_arn_never_a_password(tmp_path):
    _, stack = directory_stack(tmp_path, base())
    trusts = {t.remote_domain: t for t in stack.payload.trusts}
    onprem = trusts["onprem.example.com"]
    assert onprem.secret_arn == f"arn:aws:secretsmanager:us-east-1:{IDENTITY}:secret:lz/ad/onprem"
    assert onprem.secret_arn_pattern == onprem.secret_arn + "-??????"
    assert (onprem.direction, onprem.trust_type, onprem.selective_auth) == ("Two-Way", "Forest", "Disabled")
    assert trusts["branch.example.com"].selective_auth == "Enabled"
    assert stack.payload.trust_peers == ("192.168.1.10/32", "192.168.2.10/32")
    assert ("tcp", 49152, 65535) in stack.payload.trust_ports and ("icmp", -1, -1) in stack.payload.trust_ports


def test_logical_ids_do_not_depend_on_list_order(tmp_path):
    data = base()
    reordered = copy.deepcopy(data)
    reordered["identity"]["directory"]["trusts"].reverse()
    _, one = directory_stack(tmp_path, data)
    _, two = directory_stack(tmp_path, reordered)
    assert one.payload == two.payload


def test_replica_defaults_to_the_accounts_vpc_in_that_region(tmp_path):
    _, stack = directory_stack(tmp_path, base())
    (replica,) = stack.payload.replicas
    assert replica.region == "eu-west-1"
    assert replica.network.vpc_export == "acme-vpc-ids-eu-id"
    assert replica.network.subnet_exports == ("acme-vpc-ids-eu-subnet-x-id", "acme-vpc-ids-eu-subnet-y-id")


def test_share_expands_units_to_accounts_with_ids_and_reports_the_rest(tmp_path):
    plan, stack = directory_stack(tmp_path, base())
    assert stack.payload.share.account_ids == ("777777777777",)
    assert any(p.subject == "directory sharing with account app2" for p in plan.pending)


def test_simple_ad(tmp_path):
    data = base(type="simple", size="Large", edition="Standard")
    for key in ("trusts", "replicate_to", "share_with"):
        data["identity"]["directory"].pop(key)
    _, stack = directory_stack(tmp_path, data)
    p = stack.payload
    assert (p.kind, p.size, p.trusts, p.replicas, p.share) == ("simple", "Large", (), (), None)
    assert stack.depends_on == ("acme-network-identity-us-east-1",)
    assert stack.resources == 2


def test_ad_connector_names_the_service_account_secret(tmp_path):
    data = base(type="connector", dns_ips=["192.168.1.10"], service_account_secret="lz/ad/connector",
                edition="Standard")
    for key in ("trusts", "replicate_to", "share_with"):
        data["identity"]["directory"].pop(key)
    _, stack = directory_stack(tmp_path, data)
    p = stack.payload
    assert (p.kind, p.dns_ips, p.admin_secret_name) == ("connector", ("192.168.1.10",), None)
    assert p.connector_secret_arn == f"arn:aws:secretsmanager:us-east-1:{IDENTITY}:secret:lz/ad/connector"


def test_identity_account_without_id_makes_the_stack_pending(tmp_path):
    data = base()
    data["organization"]["accounts"][3].pop("id")
    plan, stack = directory_stack(tmp_path, data)
    assert stack is None
    assert any(p.subject == "stack acme-directory-us-east-1" for p in plan.pending)


def test_no_directory_no_stack(tmp_path):
    data = base()
    data.pop("identity")
    assert directory_stack(tmp_path, data)[1] is None


def test_resolver_rule_for_the_domain_is_shared_through_ram_with_the_targets(tmp_path):
    plan, stack = directory_stack(tmp_path, base())
    dns = stack.payload.dns
    assert dns.endpoint.subnets == ("a", "b") and dns.endpoint.egress == ("10.1.0.0/16",)
    assert dns.share.kind == "resolver-rule"
    assert dns.share.principals == ("arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-22222222",)
    # The network shares nothing here: build_plan adds the stack that enables RAM sharing.
    assert any(s.name == "acme-sharing" for s in plan.stacks)
    assert stack.resources == count_resources(stack.payload)


def test_resolver_rule_share_with_accounts_without_ids_is_pending(tmp_path):
    plan, stack = directory_stack(tmp_path, base(share_with={"accounts": ["app2"]}))
    assert stack.payload.dns is not None and stack.payload.dns.share is None
    assert "acme-sharing" not in stack.depends_on
    assert any(p.subject == "RAM share acme-directory-resolver-rule with account app2" for p in plan.pending)


def test_no_resolver_rule_without_share_targets(tmp_path):
    data = base()
    del data["identity"]["directory"]["share_with"]
    _, stack = directory_stack(tmp_path, data)
    assert stack.payload.dns is None


def _reversed_lists(data: dict, *paths: tuple) -> dict:
    data = copy.deepcopy(data)
    for path in paths:
        node = data
        for key in path:
            node = node[key]
        node.reverse()
    return data


@pytest.mark.parametrize("paths", [
    [("identity", "directory", "subnets")],
    [("network", "vpcs", 0, "subnets"), ("network", "vpcs", 1, "subnets")],
    [("network", "vpcs")],
], ids=["directory-subnets", "vpc-subnets", "vpcs"])
def test_reordering_subnets_or_vpcs_changes_nothing(tmp_path, paths):
    data = base()
    # A second VPC of the identity account in the replica region, and a third subnet in the replica's
    # default VPC: the defaults must not depend on which comes first.
    data["network"]["vpcs"].append({"name": "ids-eu-z", "account": "identity", "region": "eu-west-1",
                                    "cidr": "10.3.0.0/16", "subnets": [
                                        {"name": "x", "cidr": "10.3.0.0/24", "az_id": "euw1-az1"},
                                        {"name": "y", "cidr": "10.3.1.0/24", "az_id": "euw1-az2"}]})
    data["network"]["vpcs"][1]["subnets"].append({"name": "z", "cidr": "10.2.2.0/24", "az_id": "euw1-az3"})
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    _, one = directory_stack(tmp_path / "one", data)
    _, two = directory_stack(tmp_path / "two", _reversed_lists(data, *paths))
    assert two.payload == one.payload
    assert one.payload.network.subnet_exports == ("acme-vpc-ids-subnet-a-id", "acme-vpc-ids-subnet-b-id")
    (replica,) = one.payload.replicas
    assert (replica.network.vpc, replica.network.subnet_exports) == (
        "ids-eu", ("acme-vpc-ids-eu-subnet-x-id", "acme-vpc-ids-eu-subnet-y-id"))


def test_explicit_replica_subnets_are_sorted(tmp_path):
    data = base(replicate_to=[{"region": "eu-west-1", "vpc": "ids-eu", "subnets": ["y", "x"]}])
    _, stack = directory_stack(tmp_path, data)
    (replica,) = stack.payload.replicas
    assert replica.network.subnet_exports == ("acme-vpc-ids-eu-subnet-x-id", "acme-vpc-ids-eu-subnet-y-id")


def test_roster_lists_trusts_regions_and_shared_accounts(tmp_path):
    _, stack = directory_stack(tmp_path, base())
    roster = stack.payload.roster
    assert (roster.logical_id.startswith("RosterCorpExampleCom"), roster.trusts, roster.regions, roster.accounts) == (
        True, ("branch.example.com", "onprem.example.com"), ("eu-west-1",), ("777777777777",))


def test_roster_stays_when_everything_left_the_blueprint(tmp_path):
    # Removing the last trust, region and share must still be an Update of the roster.
    data = base()
    for key in ("trusts", "replicate_to", "share_with"):
        data["identity"]["directory"].pop(key)
    _, stack = directory_stack(tmp_path, data)
    assert (stack.payload.roster.trusts, stack.payload.roster.regions, stack.payload.roster.accounts) == ((), (), ())
    # the secret and the directory, the roster's provider (two functions, each with a role, a policy
    # and a log group), the roster
    assert stack.resources == count_resources(stack.payload) == 2 + 8 + 1


@pytest.mark.parametrize("kind", ["simple", "connector"])
def test_no_roster_without_managed_ad(tmp_path, kind):
    extra = {"dns_ips": ["192.168.1.10"], "service_account_secret": "lz/ad/c"} if kind == "connector" else {}
    data = base(type=kind, edition="Standard", **extra)
    for key in ("trusts", "replicate_to", "share_with"):
        data["identity"]["directory"].pop(key)
    _, stack = directory_stack(tmp_path, data)
    assert stack.payload.roster is None
