"""Tables of the deploy guide (docs/deploy.md), generated from the plan so that a test keeps them current."""
from __future__ import annotations

from landing_zone.plan.phases import PHASES


def phase_table() -> str:
    """Markdown table of the deploy phases, in order."""
    rows = ["| # | phase | what | stack components | stacks at once |", "|---:|---|---|---|---:|"]
    for index, (name, title, action, components, concurrency) in enumerate(PHASES, start=1):
        what = title.replace("|", "\\|")
        stacks = ", ".join(f"`{c}`" for c in components) if components else f"({action}, no stack)"
        rows.append(f"| {index} | `{name}` | {what} | {stacks} | {concurrency if components else ''} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(phase_table())
