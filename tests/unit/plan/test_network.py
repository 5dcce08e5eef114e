"""Network planner: stacks per (owner, region), shares per (type, target set), principals, pending items."""
from __future__ import annotations

import copy
import random

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import build_plan
from landing_zone.plan.network import NetworkPayload, count_resources, share_name
from tests.helpers import minimal, write

ORG = "arn:aws:organizations::111111111111"


def base() -> dict:
    data = minimal()
    data["organization"]["units"] = [{"name": "Security", "id": "ou-a1b2-11111111"},
                                     {"name": "Workloads", "id": "ou-a1b2-22222222",
                                      "units": [{"name": "Prod", "id": "ou-a1b2-33333333"}]}]
    data["organization"]["accounts"] += [
        {"name": "network", "email": "aws+network@example.com", "unit": "Security", "role": "network",
         "id": "444444444444"},
        {"name": "shared-services", "email": "aws+ss@example.com", "unit": "Security", "id": "555555555555"}]
    data["network"] = {
        "vpcs": [
            {"name": "shared", "account": "network", "region": "us-east-1", "cidr": "10.0.0.0/16",
             "internet_gateway": True, "nat_gateway": True, "nat_gateways": "single", "subnets": [
                 {"name": "pub-a", "cidr": "10.0.0.0/24", "az_id": "use1-az1", "public": True},
                 {"name": "app-a", "cidr": "10.0.16.0/20", "az_id": "use1-az1",
                  "share_with": {"units": ["Workloads"]}},
                 {"name": "app-b", "cidr": "10.0.32.0/20", "az_id": "use1-az2",
                  "share_with": {"units": ["Workloads"]}},
                 {"name": "db-a", "cidr": "10.0.48.0/20", "az_id": "use1-az1",
                  "share_with": {"units": ["Workloads/Prod", "Root"], "accounts": ["app1"]}}]},
            {"name": "tools", "account": "shared-services", "region": "eu-west-1", "cidr": "10.9.0.0/16",
             "subnets": [{"name": "a", "cidr": "10.9.0.0/24", "az_id": "euw1-az1"}]}],
        "prefix_lists": [{"name": "corp", "account": "network", "region": "us-east-1", "max_entries": 5,
                          "entries": [{"cidr": "10.20.0.0/16", "description": "b"},
                                      {"cidr": "10.10.0.0/16", "description": "a"}],
                          "share_with": {"units": ["Workloads"]}},
                         {"name": "v6", "account": "network", "region": "eu-west-1", "max_entries": 2,
                          "entries": [{"cidr": "2001:db8::/32"}]}],
        "resolver_rules": [{"name": "onprem", "domain": "onprem.example.com", "vpc": "shared",
                            "target_ips": ["192.168.1.10"], "share_with": {"units": ["Workloads"]}}],
        "transit_gateways": [{"name": "core", "account": "network", "region": "us-east-1",
                              "share_with": {"accounts": ["app1"], "units": ["Workloads"]}}],
    }
    return data


def plan_of(tmp_path, data):
    return build_plan(load_blueprint(write(tmp_path, data)))


def network_stacks(plan):
    return {s.name: s for s in plan.stacks if s.component == "network"}


def test_one_stack_per_owner_and_region(tmp_path):
    plan = plan_of(tmp_path, base())
    stacks = network_stacks(plan)
    assert {n: (s.account_id, s.region) for n, s in stacks.items()} == {
        "acme-network-us-east-1": ("444444444444", "us-east-1"),
        "acme-network-eu-west-1": ("444444444444", "eu-west-1"),
        "acme-network-shared-services-eu-west-1": ("555555555555", "eu-west-1"),
    }
    sharing = plan.stack("acme-sharing")
    assert (sharing.component, sharing.account_id, sharing.region) == ("sharing", "111111111111", "us-east-1")
    # Only stacks that hold a share wait for RAM sharing with the organization.
    assert stacks["acme-network-us-east-1"].depends_on == ("acme-sharing",)
    assert stacks["acme-network-eu-west-1"].depends_on == ()


def test_shares_group_resources_by_type_and_target_set(tmp_path):
    payload: NetworkPayload = plan_of(tmp_path, base()).stack("acme-network-us-east-1").payload
    shares = {(s.kind, s.name): ([r.key for r in s.resources], s.principals) for s in payload.shares}
    workloads = f"{ORG}:ou/o-a1b2c3d4e5/ou-a1b2-22222222"
    assert shares == {
        ("subnet", "acme-subnet-to-workloads"): (["shared/app-a", "shared/app-b"], (workloads,)),
        # app1 has no id yet (pending, see below); Root is the whole organization.
        ("subnet", "acme-subnet-to-root_workloads-prod_app1"): (
            ["shared/db-a"], (f"{ORG}:organization/o-a1b2c3d4e5", f"{ORG}:ou/o-a1b2c3d4e5/ou-a1b2-33333333")),
        ("prefix-list", "acme-prefix-list-to-workloads"): (["corp"], (workloads,)),
        ("resolver-rule", "acme-resolver-rule-to-workloads"): (["onprem"], (workloads,)),
        ("transit-gateway", "acme-transit-gateway-to-workloads_app1"): (["core"], (workloads,)),
        # Other accounts read the gateway's and the prefix list's ids from shared SSM parameters.
        ("parameter", "acme-parameter-to-workloads"): (["prefix-list/corp"], (workloads,)),
        ("parameter", "acme-parameter-to-workloads_app1"): (["transit-gateway/core"], (workloads,)),
    }


def test_account_targets_without_id_are_pending_not_dropped_silently(tmp_path):
    plan = plan_of(tmp_path, base())
    pending = {p.subject for p in plan.pending}
    # app1 has no id in the minimal blueprint: named in two shares, reported for both.
    for share in ("acme-subnet-to-root_workloads-prod_app1", "acme-transit-gateway-to-workloads_app1"):
        assert f"RAM share {share} (network, us-east-1) with account app1" in pending


def test_account_targets_with_id_become_account_ids(tmp_path):
    data = base()
    data["organization"]["accounts"][2]["id"] = "666666666666"
    payload = plan_of(tmp_path, data).stack("acme-network-us-east-1").payload
    gateway = next(s for s in payload.shares if s.kind == "transit-gateway")
    assert gateway.principals == ("666666666666", f"{ORG}:ou/o-a1b2c3d4e5/ou-a1b2-22222222")


def test_share_whose_only_target_has_no_id_is_pending(tmp_path):
    data = base()
    data["organization"]["units"][1].pop("id")
    plan = plan_of(tmp_path, data)
    payload = plan.stack("acme-network-us-east-1").payload
    # The transit gateway's targets (Workloads, app1) both lack ids: no share at all, only pending items.
    assert [s.name for s in payload.shares] == ["acme-subnet-to-root_workloads-prod_app1"]
    subjects = {p.subject for p in plan.pending}
    for name in ("acme-subnet-to-workloads", "acme-prefix-list-to-workloads",
                 "acme-resolver-rule-to-workloads", "acme-transit-gateway-to-workloads_app1"):
        assert f"RAM share {name} (network, us-east-1) with OU Workloads" in subjects


def test_vpc_account_without_id_makes_the_stack_pending(tmp_path):
    data = base()
    data["organization"]["accounts"][4].pop("id")
    plan = plan_of(tmp_path, data)
    assert "acme-network-shared-services-eu-west-1" not in network_stacks(plan)
    assert any(p.subject == "stack acme-network-shared-services-eu-west-1" for p in plan.pending)


def test_flow_logs_go_to_the_log_bucket_or_are_pending(tmp_path):
    plan = plan_of(tmp_path, base())
    [vpc] = plan.stack("acme-network-us-east-1").payload.vpcs
    assert vpc.flow_logs_destination == "arn:aws:s3:::acme-logs-222222222222-us-east-1"
    data = base()
    data["organization"]["accounts"][0].pop("id")
    plan = plan_of(tmp_path, data)
    assert "acme-network-us-east-1" not in network_stacks(plan)
    assert "stack acme-network-us-east-1" in {p.subject for p in plan.pending}


def test_flow_logs_off_when_asked(tmp_path):
    data = base()
    data["network"]["vpcs"][0]["flow_logs"] = False
    [vpc] = plan_of(tmp_path, data).stack("acme-network-us-east-1").payload.vpcs
    assert vpc.flow_logs_destination is None


def test_routes_are_private_by_default(tmp_path):
    [vpc] = plan_of(tmp_path, base()).stack("acme-network-us-east-1").payload.vpcs
    assert {s.name: s.route for s in vpc.subnets} == {
        "app-a": "nat", "app-b": "nat", "db-a": "nat", "pub-a": "internet"}
    assert vpc.nat_gateway.subnet == "pub-a"
    data = base()
    data["network"]["vpcs"][0].update(nat_gateway=False)
    data["network"]["vpcs"][0].pop("nat_gateways")
    [vpc] = plan_of(tmp_path, data).stack("acme-network-us-east-1").payload.vpcs
    assert {s.name: s.route for s in vpc.subnets}["app-a"] == "none"
    assert vpc.nat_gateway is None


def test_resolver_endpoint_uses_two_private_subnets_in_two_azs(tmp_path):
    [vpc] = plan_of(tmp_path, base()).stack("acme-network-us-east-1").payload.vpcs
    assert vpc.resolver_endpoint.subnets == ("app-a", "app-b")
    assert vpc.resolver_endpoint.egress == ("192.168.1.10/32",)
    [tools] = plan_of(tmp_path, base()).stack("acme-network-shared-services-eu-west-1").payload.vpcs
    assert tools.resolver_endpoint is None


def test_prefix_lists(tmp_path):
    plan = plan_of(tmp_path, base())
    [corp] = plan.stack("acme-network-us-east-1").payload.prefix_lists
    assert corp.entries == (("10.10.0.0/16", "a"), ("10.20.0.0/16", "b"))
    assert (corp.address_family, corp.example_vpc, corp.resource_name) == ("IPv4", "shared", "acme-corp")
    [v6] = plan.stack("acme-network-eu-west-1").payload.prefix_lists
    assert (v6.address_family, v6.example_vpc) == ("IPv6", None)     # no VPC there: no example group


def test_resource_count(tmp_path):
    stacks = network_stacks(plan_of(tmp_path, base()))
    # VPC 1, 4 subnets x 3, 4 default routes, IGW 2, NAT 2, flow log 1, endpoint 2, prefix list + SG 2,
    # rule + association 2, transit gateway 1, shares 5, shared parameters 2 (gateway, prefix list) and
    # their shares 2.
    assert stacks["acme-network-us-east-1"].resources == 1 + 12 + 4 + 2 + 2 + 1 + 2 + 2 + 2 + 1 + 5 + 2 + 2
    assert stacks["acme-network-eu-west-1"].resources == 1
    for stack in stacks.values():
        assert stack.resources == count_resources(stack.payload)


def test_reordering_every_list_leaves_the_plan_unchanged(tmp_path):
    before = network_stacks(plan_of(tmp_path, base()))
    data = base()
    rng = random.Random(3)
    network = data["network"]
    for key in ("vpcs", "prefix_lists", "resolver_rules", "transit_gateways"):
        rng.shuffle(network[key])
    for vpc in network["vpcs"]:
        rng.shuffle(vpc["subnets"])
        for subnet in vpc["subnets"]:
            if "share_with" in subnet:
                for targets in subnet["share_with"].values():
                    targets.reverse()
    for prefix_list in network["prefix_lists"]:
        rng.shuffle(prefix_list["entries"])
    rng.shuffle(data["organization"]["accounts"])
    assert network_stacks(plan_of(tmp_path, copy.deepcopy(data))) == before


def test_no_network_no_stacks(tmp_path):
    plan = plan_of(tmp_path, minimal())
    assert not network_stacks(plan)
    assert all(s.component != "sharing" for s in plan.stacks)


def test_share_names_are_readable_and_bounded():
    assert share_name("acme", "subnet", ("Root",)) == "acme-subnet-to-root"
    long = share_name("acme", "subnet", tuple(f"Unit{i:03d}/Team" for i in range(40)))
    assert len(long) <= 128
    assert long != share_name("acme", "subnet", tuple(f"Unit{i:03d}/Team" for i in range(41)))
