"""Session-scoped synthesis: every shipped blueprint is synthesized once per test session."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from landing_zone.blueprint.load import load_blueprint
from landing_zone.plan import Plan, build_plan

ROOT = Path(__file__).resolve().parents[2]
# name → (blueprint path, Jinja2 variables)
SHIPPED: dict[str, tuple[str, dict[str, Any]]] = {
    "standard": ("blueprints/standard.yaml", {}),
    "enterprise": ("blueprints/enterprise.yaml", {}),
    "many-accounts": ("blueprints/examples/many-accounts.yaml", {"accounts": 40, "units": 4}),
    # The standard and enterprise shapes under guardrails.engine control-tower.
    "control-tower": ("blueprints/examples/control-tower.yaml", {}),
    "control-tower-enterprise": ("blueprints/examples/control-tower.yaml", {"shape": "enterprise"}),
    # AWS GovCloud (US): the aws-us-gov partition.
    "govcloud": ("blueprints/examples/govcloud.yaml", {}),
}


@dataclass(frozen=True)
class Synthesized:
    plan: Plan
    outdir: Path

    def templates(self) -> dict[str, dict]:
        return {p.name.removesuffix(".template.json"): json.loads(p.read_text())
                for p in sorted(self.outdir.glob("*.template.json"))}


def plan_for(name: str) -> Plan:
    path, variables = SHIPPED[name]
    return build_plan(load_blueprint(ROOT / path, variables))


def synth_plan(plan: Plan, outdir: Path) -> Synthesized:
    from landing_zone.cdk.app import synthesize

    synthesize(plan, str(outdir))
    return Synthesized(plan, outdir)


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> Callable[[str], Synthesized]:
    cache: dict[str, Synthesized] = {}

    def get(name: str) -> Synthesized:
        if name not in cache:
            cache[name] = synth_plan(plan_for(name), tmp_path_factory.mktemp(f"cdk-{name}"))
        return cache[name]
    return get


CUSTOM_STORE_BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
keys:
  - {alias: alias/lz/hsm, account: audit, primary_region: us-east-1, services: [sns],
     custom_key_store_id: cks-1234567890abcdef0}
  - {alias: alias/lz/plain, account: audit, primary_region: us-east-1}
"""


@pytest.fixture(scope="session")
def custom_store_keys(tmp_path_factory) -> Synthesized:
    """The keys stack of a small blueprint with a custom key store key (no shipped blueprint has one)."""
    import dataclasses

    path = tmp_path_factory.mktemp("bp-custom-store") / "bp.yaml"
    path.write_text(CUSTOM_STORE_BLUEPRINT)
    plan = build_plan(load_blueprint(path))
    plan = dataclasses.replace(plan, stacks=tuple(s for s in plan.stacks if s.component == "keys"))
    return synth_plan(plan, tmp_path_factory.mktemp("cdk-custom-store"))


def synth_subset(plan: Plan, components: Callable[[str], bool], outdir: Path) -> Synthesized:
    """Synthesize only the stacks whose component `components` accepts; dependencies on the others are
    dropped (a test of one stack need not build the whole landing zone)."""
    import dataclasses

    kept = [s for s in plan.stacks if components(s.component)]
    names = {s.name for s in kept}
    trimmed = [dataclasses.replace(s, **{f: tuple(d for d in getattr(s, f) if d in names)
                                         for f in ("depends_on", "after") if hasattr(s, f)}) for s in kept]
    return synth_plan(dataclasses.replace(plan, stacks=tuple(trimmed)), outdir)


CONNECTOR_BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: identity, email: a+id@example.com, unit: Security, role: identity, id: "666666666666"}
network:
  vpcs:
    - {name: ids, account: identity, region: us-east-1, cidr: 10.1.0.0/16, subnets: [
        {name: a, cidr: 10.1.0.0/24, az_id: use1-az1}, {name: b, cidr: 10.1.1.0/24, az_id: use1-az2}]}
identity:
  directory: {type: connector, account: identity, region: us-east-1, vpc: ids, subnets: [a, b],
              domain: onprem.example.com, dns_ips: [192.168.1.10], service_account_secret: lz/ad/connector}
"""


@pytest.fixture(scope="session")
def connector_directory(tmp_path_factory) -> Synthesized:
    """The directory stack of an AD Connector (no shipped blueprint has one), with its network stack."""
    path = tmp_path_factory.mktemp("bp-connector") / "bp.yaml"
    path.write_text(CONNECTOR_BLUEPRINT)
    return synth_subset(build_plan(load_blueprint(path)), lambda c: c in ("directory", "network"),
                        tmp_path_factory.mktemp("cdk-connector"))


EDGES_BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: identity, email: a+id@example.com, unit: Security, role: identity, id: "666666666666"}
network:
  vpcs:
    - {name: quiet, account: identity, region: us-east-1, cidr: 10.1.0.0/16, flow_logs: false,
       subnets: [{name: a, cidr: 10.1.0.0/24, az_id: use1-az1}, {name: b, cidr: 10.1.1.0/24, az_id: use1-az2}]}
identity:
  directory: {type: simple, account: identity, region: us-east-1, vpc: quiet, subnets: [a, b],
              domain: corp.example.com}
  saml_providers:
    - name: corp
      metadata_file: saml/adfs.xml
      roles:
        - name: describers
          inline_policy:
            document:
              Version: "2012-10-17"
              Statement: [{Effect: Allow, Action: ["ec2:Describe*"], Resource: "*"}]
keys:
  - {alias: alias/lz/byok, account: audit, primary_region: us-east-1, origin: EXTERNAL}
  - {alias: alias/lz/directory, account: identity, primary_region: us-east-1, services: [secretsmanager, ds]}
"""


@pytest.fixture(scope="session")
def blueprint_edges(tmp_path_factory) -> Synthesized:
    """Blueprint values the synthesis accepts as the blueprint's own decision, each acknowledged in
    landing_zone/cdk/nag.py (no shipped blueprint has them): a key with imported material (cannot
    rotate), a VPC without flow logs, a federated role whose inline policy has wildcards; and a
    Simple AD (retained resources of a type no shipped blueprint has)."""
    folder = tmp_path_factory.mktemp("bp-edges")
    (folder / "saml").mkdir()
    (folder / "saml" / "adfs.xml").write_bytes((ROOT / "blueprints" / "saml" / "adfs.xml").read_bytes())
    (folder / "bp.yaml").write_text(EDGES_BLUEPRINT)
    return synth_plan(build_plan(load_blueprint(folder / "bp.yaml")), tmp_path_factory.mktemp("cdk-edges"))


PEERING_BLUEPRINT = """\
version: 1
name: acme
home_region: us-east-1
governed_regions: [us-east-1, eu-west-1]
organization:
  id: o-a1b2c3d4e5
  root_id: r-a1b2
  management_account_id: "111111111111"
  units: [{name: Security, id: ou-a1b2-11111111}, {name: Infrastructure, id: ou-a1b2-33333333}]
  accounts:
    - {name: log-archive, email: a+la@example.com, unit: Security, role: log-archive, id: "222222222222"}
    - {name: audit, email: a+au@example.com, unit: Security, role: audit, id: "333333333333"}
    - {name: network, email: a+net@example.com, unit: Infrastructure, role: network, id: "444444444444"}
guardrails:
  enable:
    - {control: AWS-GR_DISALLOW_CROSS_REGION_NETWORKING, units: [Infrastructure]}
network:
  vpcs:
    - name: east
      account: network
      region: us-east-1
      cidr: 10.0.0.0/16
      subnets:
        - {name: a, cidr: 10.0.0.0/24, az_id: use1-az1}
        - {name: b, cidr: 10.0.1.0/24, az_id: use1-az2}
      transit_gateway: {name: east, subnets: [a, b], routes: [10.128.0.0/16]}
    - name: west
      account: network
      region: eu-west-1
      cidr: 10.128.0.0/16
      subnets:
        - {name: a, cidr: 10.128.0.0/24, az_id: euw1-az1}
        - {name: b, cidr: 10.128.1.0/24, az_id: euw1-az2}
      transit_gateway: {name: west, subnets: [a, b], routes: [10.0.0.0/16]}
  transit_gateways:
    - name: east
      account: network
      region: us-east-1
      asn: 64512
      peerings: [{name: atlantic, gateway: west}]
      route_tables:
        - {name: main, associate: [east, atlantic], propagate: [east],
           routes: [{destination: "vpc:west", peering: atlantic}]}
    - name: west
      account: network
      region: eu-west-1
      asn: 64513
      route_tables:
        - {name: main, associate: [west, atlantic], propagate: [west],
           routes: [{destination: 10.0.0.0/16, peering: atlantic}, {destination: 10.0.0.0/8, blackhole: true}]}
"""


@pytest.fixture(scope="session")
def network_peering(tmp_path_factory) -> Synthesized:
    """Two transit gateways of one account in two regions, peered (no shipped blueprint peers), with the
    guardrail that denies peering outside the landing zone: the network, peering and policy stacks."""
    folder = tmp_path_factory.mktemp("bp-peering")
    (folder / "bp.yaml").write_text(PEERING_BLUEPRINT)
    plan = build_plan(load_blueprint(folder / "bp.yaml"))
    return synth_subset(plan, lambda c: c.startswith("network") or c in ("organization", "policies"),
                        tmp_path_factory.mktemp("cdk-peering"))


ASSET_HASH = re.compile(r"[0-9a-f]{64}")


def masked(template: dict) -> dict:
    """Asset hashes change with every dependency bump; the snapshot should not."""
    return json.loads(ASSET_HASH.sub("<asset-hash>", json.dumps(template)))


def stack_cases() -> list[tuple[str, str]]:
    # Planning is pure Python and fast, so the parametrization knows every stack at collection.
    return [(name, stack.name) for name in SHIPPED for stack in plan_for(name).stacks]
