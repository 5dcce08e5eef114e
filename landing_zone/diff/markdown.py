"""`lz diff --format markdown`: a pull-request comment, risky items first, one <details> per stack."""
from __future__ import annotations

import re

from landing_zone.diff.model import DATA_LOSS, Diff, StackDiff
from landing_zone.diff.text import blueprint_lines, resource_detail

# GitHub refuses comments over 65,536 characters; stay well under it and say what was left out.
LIMIT = 60_000
ACCOUNTS_SHOWN = 20
ROWS_PER_STACK = 100
SOURCES_SHOWN = 3


def code(text: str) -> str:
    """An inline code span that survives any backticks in the text, and table pipes."""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Plain table text: no pipes, no line breaks, no HTML (blueprint values are untrusted)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            .replace("\n", " "))


def _accounts(names: tuple[str, ...]) -> str:
    shown = ", ".join(code(n) for n in names[:ACCOUNTS_SHOWN])
    more = len(names) - ACCOUNTS_SHOWN
    return f"{shown} … and {more} more ({len(names)})" if more > 0 else shown


def _sources(sources: str) -> str:
    parts = sources.split(", ")
    more = len(parts) - SOURCES_SHOWN
    return cell(", ".join(parts[:SOURCES_SHOWN]) + (f" +{more}" if more > 0 else ""))


def _stack(stack: StackDiff) -> str:
    counts: dict[str, int] = {}
    for change in stack.resources:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    what = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no resource change"
    env = stack.head_environment or stack.base_environment or ""
    if stack.status == "moved":
        env = f"{stack.base_environment} → {stack.head_environment}"
    lines = [f"<details><summary><code>{cell(stack.name)}</code> — {stack.status}: {what} "
             f"({cell(env)})</summary>", ""]
    if stack.resources:
        lines += ["| change | logical id | type | details |", "|---|---|---|---|"]
        for change in stack.resources[:ROWS_PER_STACK]:
            lines.append(f"| {change.kind} | {code(change.logical_id)} | {cell(change.resource_type)} | "
                         f"{cell(resource_detail(change))} |")
        if len(stack.resources) > ROWS_PER_STACK:
            lines.append(f"| … | {len(stack.resources) - ROWS_PER_STACK} more | | `--format json` has them |")
    if stack.outputs:
        lines += ["", "Outputs: " + ", ".join(f"{code(name)} {kind}" for name, kind in stack.outputs)]
    if stack.sections:
        lines += ["", "Other sections changed: " + ", ".join(stack.sections)]
    return "\n".join(lines + ["", "</details>"])


def _item(line: str) -> str:
    """A text line of the blueprint summary ("+ account x") as a list item with the change in words."""
    words = {"+": "**added**", "-": "**removed**", "~": "**changed**"}
    mark, _, rest = line.partition(" ")
    return f"{words[mark]} {cell(rest)}" if mark in words else cell(line)


def _table(out: list[str], header: list[str], rows: list[str]) -> None:
    """Rows while the comment stays under LIMIT (leaving room for the stacks), then a count of the rest."""
    out += header
    used = sum(len(line) + 1 for line in out)
    for index, row in enumerate(rows):
        if used + len(row) > LIMIT * 3 // 4:
            out.append(f"| … {len(rows) - index} more rows: `lz diff --format json` lists them all |" +
                       " |" * (header[-1].count("|") - 2))
            return
        out.append(row)
        used += len(row) + 1


def _head(diff: Diff) -> list[str]:
    loss = len(diff.data_loss)
    flag = (f"**🛑 {loss} data-loss risk{'s' if loss != 1 else ''}**" if loss else "✅ no data-loss risk")
    return [f"## lz diff: {code(diff.base)} → {cell(diff.head)}", "",
            " · ".join([flag] + diff.headline()[1:]), "", f"> {cell(diff.base_note)}"]


def render_markdown(diff: Diff) -> str:
    out = _head(diff)
    if diff.empty:
        out += ["", "No changes: same templates, same guardrails, same decisions."]
        return "\n".join(out) + "\n"
    if diff.risks:
        _table(out, ["", "### Risks", "", "| | stack | resource | type | why |", "|---|---|---|---|---|"], [
            f"| {'🛑 data loss' if risk.severity == DATA_LOSS else '⚠️ warning'} | {code(risk.stack)} | "
            f"{code(risk.subject)} | {cell(risk.resource_type)} | {cell(risk.message)} |" for risk in diff.risks])
    lines = blueprint_lines(diff.summary)
    if lines:
        out += ["", "### Blueprint", ""] + [f"- {_item(line)}" for line in lines]
    if diff.guardrails:
        _table(out, ["", "### Guardrail statements", "",
                     "| policy | target | statement (Sid) | control | change |", "|---|---|---|---|---|"], [
            f"| {c.policy_type} | {cell(c.target)} | {code(c.sid)} | {cell(c.control or c.policy)} | "
            f"{cell(c.kind + (': ' + '; '.join(c.details) if c.details else ''))} |" for c in diff.guardrails])
    if diff.decisions:
        _table(out, ["", "### Decision changes", "",
                     f"{diff.requests} requests per account (the proofs of every preventive control, and "
                     "`--actions`), evaluated once per distinct policy chain.", "",
                     "| request | asked by | before → after | because | accounts |", "|---|---|---|---|---|"], [
            f"| {code(c.request)} | {_sources(c.source)} | {c.before} → **{c.after}** | {cell(c.cause)} | "
            f"{_accounts(c.accounts)} |" for c in diff.decisions])
    if diff.stacks:
        out += ["", "### Stacks", ""]
        text = "\n".join(out)
        left_out = 0
        for stack in diff.stacks:
            block = _stack(stack)
            if len(text) + len(block) > LIMIT:
                left_out += 1
                continue
            out += [block, ""]
            text += block
        if left_out:
            out.append(f"_{left_out} stack(s) left out to stay under GitHub's comment size; "
                       "`lz diff --format json` lists everything._")
    return "\n".join(out).rstrip("\n") + "\n"
