"""The planned network as a Mermaid flowchart and a reachability table, for docs/network.md (kept current by a test).

    python -m landing_zone.plan.network_diagram --write docs/network.md blueprints/enterprise.yaml
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from landing_zone.plan.model import Plan
from landing_zone.plan.reachability import Routing

BEGIN = "<!-- BEGIN NETWORK DIAGRAM -->"
END = "<!-- END NETWORK DIAGRAM -->"
SHAPES = {"vpc": ('["', '"]'), "template": ('[/"', '"/]'), "vpn": ('{{"', '"}}'), "direct-connect": ('{{"', '"}}'),
          "peering": ('(["', '"])')}


def _id(*parts: str) -> str:
    return "_".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def mermaid(plan: Plan) -> str:
    """Attachments (VPCs, VPC templates, VPN and Direct Connect) and the route tables of each gateway:
    `-->` an attachment uses a table, `-.->` a table learns an attachment's networks, labelled arrows
    are static routes, and blackholes end in a cross."""
    routing = Routing.of(plan)
    lines = ["flowchart LR"]
    for name in sorted(routing.gateways):
        gateway = routing.gateways[name]
        lines.append(f'  subgraph {_id("tgw", name)}["transit gateway {name} ({gateway.region})"]')
        for table in gateway.tables:
            lines.append(f'    {_id("rt", name, table.name)}(["{table.name}"])')
        lines.append("  end")
        for attachment in gateway.attachments:
            left, right = SHAPES[attachment.kind]
            label = {"vpc": "VPC", "template": "VPC template", "vpn": "VPN",
                     "direct-connect": "Direct Connect", "peering": "peering"}[attachment.kind]
            networks = (f"to {attachment.peer}" if attachment.kind == "peering"
                        else ", ".join(attachment.networks) or "BGP")
            lines.append(f'  {_id("at", name, attachment.name)}{left}{label} {attachment.name}<br/>{networks}{right}')
        attached = {a.name: a.networks for a in gateway.attachments}
        for table in gateway.tables:
            node = _id("rt", name, table.name)
            lines += [f"  {_id('at', name, a)} --> {node}" for a in table.associated]
            lines += [f"  {node} -.-> {_id('at', name, a)}" for a in table.propagated]
            for cidr, target in table.routes:
                if target is None:
                    drop = _id("drop", name, table.name, cidr)
                    lines.append(f'  {node} -- "{cidr}" --> {drop}((("blackhole")))')
                elif not (target in table.propagated and cidr in attached[target]):   # a static VPN's own
                    lines.append(f'  {node} -- "{cidr}" --> {_id("at", name, target)}')
    return "\n".join(lines)


def matrix(plan: Plan) -> str:
    """Every attached source (first subnet; a template's VPCs) to every attached network and
    blackhole, there and back."""
    routing = Routing.of(plan)
    rows = ["| from | to | reaches | path, or what is missing |", "|---|---|---|---|"]
    for source, target, verdict in routing.matrix():
        if routing.sources[source].gateway is None:
            continue
        detail = " → ".join(verdict.path) if verdict.reachable else verdict.missing
        rows.append(f"| {source} | {target} | {'yes' if verdict.reachable else 'no'} | {detail} |")
    return "\n".join(rows)


def block(plan: Plan) -> str:
    return f"{BEGIN}\n```mermaid\n{mermaid(plan)}\n```\n\n{matrix(plan)}\n{END}"


def replace_block(text: str, plan: Plan) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + block(plan) + text[end:]


def main(argv: list[str] | None = None) -> int:
    from landing_zone.blueprint.load import load_blueprint
    from landing_zone.plan.build import build_plan

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="FILE", help="replace the diagram block of this file (docs/network.md)")
    parser.add_argument("blueprint")
    args = parser.parse_args(argv)
    plan = build_plan(load_blueprint(args.blueprint))
    if args.write:
        path = Path(args.write)
        path.write_text(replace_block(path.read_text(encoding="utf-8"), plan), encoding="utf-8")
        print(f"{path}: network diagram updated")
    else:
        print(block(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
