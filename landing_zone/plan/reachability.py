"""Offline reachability over the planned network: from a subnet (or a VPC template's VPCs) to an address,
following the subnet's route table → its VPC's transit gateway attachment → the route table that
attachment is associated with → the attachment the longest matching route names → a VPC, a VPN or
Direct Connect network, or a template's block, or through a peering attachment into the peer gateway's
route table associated with that peering, and on from there. Static routes win over propagated ones of the same
length; a blackhole drops. Built from the plan's payloads only (no blueprint, nothing online): the
directory trust check (item 7 of the network issue), `lz`'s network report and the tests use it.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from landing_zone.blueprint.issues import Issue
from landing_zone.blueprint.model import Blueprint
from landing_zone.plan.model import Plan
from landing_zone.plan.vpcs import DEFAULT_ROUTE, VpcPlan, routes_through

if TYPE_CHECKING:
    from landing_zone.plan.network import NetworkPayload
    from landing_zone.plan.transit import TransitGatewayPlan
    from landing_zone.plan.vpc_templates import VpcTemplatePlan

Net = ipaddress.IPv4Network


def _net(text: str) -> Net:
    return ipaddress.ip_network(text, strict=False)  # type: ignore[return-value]


@dataclass(frozen=True)
class Verdict:
    """Whether traffic gets there, the hops it takes, and, when not, what is missing and what to change."""

    reachable: bool
    path: tuple[str, ...]
    missing: str = ""
    hint: str = ""
    via: tuple[str, str] | None = None          # (gateway, attachment) that delivered it

    def __str__(self) -> str:
        return " → ".join(self.path) + ("" if self.reachable else f" ✗ {self.missing}")


@dataclass(frozen=True)
class _Source:
    name: str
    kind: str                                   # vpc | template
    cidr: Net
    gateway: str | None
    subnets: dict[str, tuple[tuple[Net, str], ...]]   # subnet → (destination, target) routes


@dataclass
class Routing:
    sources: dict[str, _Source] = field(default_factory=dict)
    gateways: dict[str, TransitGatewayPlan] = field(default_factory=dict)

    # ---------- building ----------

    @classmethod
    def from_payloads(cls, payloads: Iterable[NetworkPayload],
                      templates: Iterable[VpcTemplatePlan] = ()) -> Routing:
        routing = cls()
        for payload in payloads:
            for vpc in payload.vpcs:
                routing.sources[vpc.name] = _vpc_source(vpc)
            for gateway in payload.transit_gateways:
                routing.gateways[gateway.name] = gateway
        for template in templates:
            routes = tuple((_net(c), f"gateway:{template.gateway}") for c in template.routes)
            routing.sources[template.name] = _Source(template.name, "template", _net(template.block),
                                                     template.gateway, {"vended": routes})
        return routing

    @classmethod
    def of(cls, plan: Plan) -> Routing:
        from landing_zone.plan.network import NetworkPayload
        from landing_zone.plan.vpc_templates import VpcTemplatesPayload

        payloads = [s.payload for s in plan.stacks if isinstance(s.payload, NetworkPayload)]
        templates = [t for s in plan.stacks if isinstance(s.payload, VpcTemplatesPayload) for t in s.payload.templates]
        return cls.from_payloads(payloads, templates)

    # ---------- questions ----------

    def reach(self, source: str, subnet: str | None, address: str) -> Verdict:
        """From `source` (a VPC, or a VPC template's vended VPCs) and one of its subnets (default: the
        first by name) to `address` (an address or a network, all of which must be reached)."""
        node = self.sources[source]
        subnet = subnet or sorted(node.subnets)[0]
        target = _net(address)
        path = [f"{source}/{subnet}"]
        # A vended VPC is one block of its template's pool; the others are not local to it.
        if node.kind == "vpc" and target.subnet_of(node.cidr):
            return Verdict(True, (*path, f"local ({node.cidr})"))
        route = _longest(node.subnets[subnet], target)
        if route is None or not route[1].startswith("gateway:"):
            where = f"goes to the {route[1]} gateway" if route else "has no route"
            return Verdict(False, tuple(path), f"subnet {subnet!r} of {node.kind} {source!r} {where} for {target}",
                           f"send {target} to the transit gateway: add it (or a network holding it) to the "
                           + (f"routes of vpcs[{source}].transit_gateway" if node.kind == "vpc"
                              else f"routes of vpc_templates[{source}]"))
        return self._through(route[1].removeprefix("gateway:"), source, target, path)

    def round_trip(self, source: str, subnet: str | None, address: str) -> Verdict:
        """There and back: the answer comes from the attachment that reached the address, to the
        source's network."""
        there = self.reach(source, subnet, address)
        if not there.reachable or there.via is None:
            return there
        node = self.sources[source]
        gateway, attachment = there.via
        back = self._through(gateway, attachment, node.cidr, [f"reply from {attachment}"])
        if not back.reachable:
            return Verdict(False, there.path + back.path, back.missing, back.hint)
        return Verdict(True, there.path + back.path)

    def _through(self, gateway_name: str, attachment: str, target: Net, path: list[str],
                 crossed: frozenset[str] = frozenset()) -> Verdict:
        gateway = self.gateways.get(gateway_name)
        if gateway is None:
            return Verdict(False, tuple(path), f"transit gateway {gateway_name!r} is not in the plan",
                           "deploy or declare the gateway's owner account (pending ids?)")
        tables = {t.name: t for t in gateway.tables}
        table = next((t for t in gateway.tables if attachment in t.associated), None)
        if not gateway.tables:          # AWS's default route table: everything associated and propagated
            table_routes = [(n, a.name) for a in gateway.attachments for n in a.networks]
            table_name = "default"
        elif table is None:
            return Verdict(False, tuple(path), f"attachment {attachment!r} is associated with no route table "
                           f"of gateway {gateway_name!r}",
                           f"add {attachment} to the associate list of a route table of {gateway_name}")
        else:
            table_name = table.name
            networks = {a.name: a.networks for a in gateway.attachments}
            table_routes = [(n, a) for a in table.propagated for n in networks.get(a, ())]
        path = [*path, f"{gateway_name}/{table_name}"]
        statics = [(_net(c), a) for c, a in (tables[table_name].routes if table_name in tables else ())]
        propagated = [(_net(c), a) for c, a in table_routes]
        best = _longest([(n, a or "") for n, a in statics], target, prefer=propagated)
        if best is None:
            return Verdict(False, tuple(path),
                           f"route table {table_name!r} of gateway {gateway_name!r} has no route to {target}",
                           f"in transit gateway {gateway_name}, route table {table_name}: propagate the attachment "
                           f"that reaches {target}, or add a route (routes: [{{destination: {target}, attachment: "
                           "...}])")
        network, to = best
        if not to:
            return Verdict(False, tuple(path),
                           f"route table {table_name!r} of gateway {gateway_name!r} drops {target} (blackhole "
                           f"{network})", f"in transit gateway {gateway_name}, route table {table_name}: remove "
                           f"the blackhole route to {network}, or route {target} more specifically")
        reached = next((a for a in gateway.attachments if a.name == to), None)
        if reached is not None and reached.kind == "peering":
            # Into the peer gateway, routed there by the table its side associates with the peering.
            if to in crossed:
                return Verdict(False, (*path, f"{to} (peering)"), f"{target} loops through peering {to!r}",
                               f"route {target} in one of the two gateways of peering {to} to the attachment "
                               "that holds it, not back through the peering")
            return self._through(reached.peer, to, target, [*path, f"{to} (peering)"], crossed | {to})
        if reached is None or not any(target.subnet_of(_net(n)) for n in reached.networks):
            return Verdict(False, (*path, to), f"attachment {to!r} does not reach {target}",
                           f"route {target} in route table {table_name} of {gateway_name} to the attachment "
                           "whose network holds it")
        return Verdict(True, (*path, f"{to} ({reached.kind})"), via=(gateway_name, to))

    def matrix(self) -> list[tuple[str, str, Verdict]]:
        """Every source (first subnet) against every attached network, VPN network and blackhole."""
        targets: dict[str, str] = {}
        for gateway in self.gateways.values():
            for attachment in gateway.attachments:
                for network in attachment.networks:
                    targets.setdefault(network, f"{attachment.name} ({attachment.kind})")
            for table in gateway.tables:
                for network, to in table.routes:
                    if to is None:
                        targets.setdefault(network, "blackhole")
        rows = []
        for source in sorted(self.sources):
            for network, label in sorted(targets.items(), key=lambda t: (_net(t[0]), t[1])):
                if _net(network) == self.sources[source].cidr:
                    continue
                address = str(_net(network).network_address + 1) if _net(network).num_addresses > 2 else network
                rows.append((source, f"{label} {address}", self.round_trip(source, None, address)))
        return rows


def _vpc_source(vpc: VpcPlan) -> _Source:
    subnets = {}
    for subnet in vpc.subnets:
        routes: list[tuple[Net, str]] = []
        if subnet.route != "none":
            routes.append((_net(DEFAULT_ROUTE), subnet.route))
        if vpc.attachment is not None:
            routes += [(_net(n), f"gateway:{vpc.attachment.gateway}") for d in vpc.attachment.routes
                       if routes_through(subnet, d.text) for n in d.networks]
        subnets[subnet.name] = tuple(routes)
    return _Source(vpc.name, "vpc", _net(vpc.cidr), vpc.attachment.gateway if vpc.attachment else None, subnets)


def _longest(routes: Iterable[tuple[Net, str]], target: Net,
             prefer: Iterable[tuple[Net, Any]] = ()) -> tuple[Net, str] | None:
    """The longest prefix holding `target`; among equal prefixes the first list (static) wins."""
    candidates = [(n, t, 0) for n, t in routes if target.subnet_of(n)]
    candidates += [(n, t, 1) for n, t in prefer if target.subnet_of(n)]
    if not candidates:
        return None
    network, to, _ = max(candidates, key=lambda c: (c[0].prefixlen, -c[2]))
    return network, to


def trust_issues(bp: Blueprint, payloads: list[NetworkPayload]) -> list[Issue]:
    """A Managed AD trust needs both directory subnets to reach every conditional forwarder and the
    forwarders' answers to come back (DNS, Kerberos, LDAP all run both ways)."""
    directory = bp.identity.directory
    if directory is None or directory.type != "microsoft-ad" or not directory.trusts:
        return []
    routing = Routing.from_payloads(payloads)
    if directory.vpc not in routing.sources:
        return []           # its account has no id yet (pending), or the VPC is refused by the checks
    issues = []
    for i, trust in enumerate(directory.trusts):
        for j, address in enumerate(trust.conditional_forwarder_ips):
            for subnet in sorted(set(directory.subnets[:2])):
                if subnet not in routing.sources[directory.vpc].subnets:
                    continue
                verdict = routing.round_trip(directory.vpc, subnet, address)
                if not verdict.reachable:
                    issues.append(Issue(
                        "directory-trust-unreachable", f"the trust with {trust.remote_domain} cannot reach its "
                        f"forwarder {address} from subnet {subnet!r}: {verdict.missing}",
                        hint=verdict.hint, loc=("identity", "directory", "trusts", i, "conditional_forwarder_ips", j)))
                    break
    return issues
