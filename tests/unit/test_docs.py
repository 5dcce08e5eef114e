"""The documentation a newcomer walks: a short README, and links in it and in docs/ that all land.

README.md stays under 15 KB (the rest lives in docs/); every relative link of README.md and docs/*.md
names a file that exists and, for an `#anchor` into a Markdown file, a heading (GitHub's slugs) or an
`<a id>` of that file; and nothing in the repository cites design documents that are not in it.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
MAX_README_BYTES = 15 * 1024

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ID = re.compile(r"""<a\s+(?:[^>]*\s)?(?:id|name)=["']([^"']+)["']""")
# [text](target) and ![alt](target); the target ends at the first space (a title may follow) or ')'.
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)      # https:, mailto:, ...

# Documents that live outside this repository: citing them sends a reader nowhere. Spelled in pieces so
# this file does not cite them itself.
FOREIGN = re.compile("|".join((r"\bDESIGN\b", r"\b" + "REFERENCE" + r"\.md\b", r"\.\./" + "shared\\b")))
SCANNED = ["README.md", "docs", "landing_zone", "tests", "bench", "blueprints", "Makefile", "pyproject.toml"]
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules", "cdk.out"}


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, inline code removed."""
    out, fence = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        out.append((number, line))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text, lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)      # links keep their text
    parts = INLINE_CODE.split(text)      # [prose, fence, code, prose, ...]: code keeps its text as written,
    text = "".join(re.sub(r"<[^>]+>", "", p).replace("*", "") if i % 3 == 0 else p if i % 3 == 2 else ""
                   for i, p in enumerate(parts))                     # HTML tags and emphasis in prose vanish
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a link into `path` may name: heading slugs (with GitHub's -1, -2 for repeats) and ids."""
    text = path.read_text(encoding="utf-8")
    found: set[str] = set(HTML_ID.findall(text))
    seen: dict[str, int] = {}
    for _, line in prose_lines(text):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(INLINE_CODE.sub("", line)):
            if not EXTERNAL.match(target):
                out.append((number, target))
    return out


def test_readme_is_short():
    size = len(README.read_bytes())
    assert size < MAX_README_BYTES, (f"README.md is {size:,} bytes; keep it under {MAX_README_BYTES:,} (the pitch, "
                                     "the two commands, a quickstart and the table of contents) and move the rest "
                                     "to a page under docs/")


def test_readme_starts_with_the_two_commands_and_links_every_page():
    text = README.read_text(encoding="utf-8")
    first = text[:text.index("## ")]
    assert "make synth" in first and "make test" in first
    linked = {target.split("#", 1)[0] for _, target in links(README)}
    missing = [f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")) if f"docs/{p.name}" not in linked]
    assert missing == [], f"README.md's table of contents does not link {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_lands(page: Path):
    broken = []
    for number, target in links(page):
        file_part, _, anchor = target.partition("#")
        destination = (page.parent / unquote(file_part)).resolve() if file_part else page
        where = f"{page.relative_to(ROOT)}:{number}: {target}"
        if not destination.exists():
            broken.append(f"{where} (no such file)")
        elif ROOT not in destination.parents and destination != ROOT:
            broken.append(f"{where} (outside the repository)")
        elif anchor and destination.suffix == ".md" and unquote(anchor) not in anchors(destination):
            broken.append(f"{where} (no heading or id '{anchor}' in {destination.relative_to(ROOT)})")
    assert broken == []


def test_slugs_follow_github():
    assert slug("Is this action allowed? (`lz explain`, `lz matrix`)") == "is-this-action-allowed-lz-explain-lz-matrix"
    assert slug("Prerequisites (`lz preflight`)") == "prerequisites-lz-preflight"
    assert slug("Greenfield: a new organization") == "greenfield-a-new-organization"
    assert slug("`organization.account_templates.<name>`") == "organizationaccount_templatesname"
    assert slug("The plan ↔ CDK seam") == "the-plan--cdk-seam"


def test_the_link_checker_sees_a_broken_link(tmp_path: Path):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other\n\n## A section\n\n<a id=\"row\"></a>\n", encoding="utf-8")
    page.write_text("[ok](other.md#a-section) [id](other.md#row) [gone](other.md#nothing) "
                    "`[code](missing.md)`\n\n```\n[fenced](missing.md)\n```\n", encoding="utf-8")
    assert links(page) == [(1, "other.md#a-section"), (1, "other.md#row"), (1, "other.md#nothing")]
    assert anchors(tmp_path / "other.md") == {"other", "a-section", "row"}


def scanned_files() -> list[Path]:
    out = []
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            out.append(path)
            continue
        for child in sorted(path.rglob("*")):
            if child.is_file() and not SKIPPED_DIRS & set(child.relative_to(ROOT).parts):
                out.append(child)
    return out


def test_nothing_cites_documents_outside_the_repository():
    cited = []
    for path in scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue                                   # images, compiled files
        for number, line in enumerate(text.splitlines(), start=1):
            if FOREIGN.search(line):
                cited.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert cited == [], ("these lines cite documents that are not in the repository; cite the repository's own "
                         "docs instead (docs/architecture.md, ...):\n" + "\n".join(cited))
