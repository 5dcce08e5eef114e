"""A synthesis for `lz explain` and `lz matrix`, reused while nothing it depends on changed.

The key is a digest of the plan (which holds everything the blueprint, its ids, variables and files
decide) and of the package's own files (the generator that turns the plan into templates), so a
changed blueprint or a new version of the code never reads a stale synthesis.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

from landing_zone.plan import Plan

CACHE_DIR = Path("cdk.out") / ".lz-cache"
KEEP = 5                      # newest syntheses kept; older ones are removed
_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCES = ("*.py", "*.yaml", "*.json", "*.guard", "*.j2", "*.css", "*.js")


@cache
def code_digest() -> str:
    digest = hashlib.sha256()
    for pattern in _SOURCES:
        for path in sorted(_PACKAGE.rglob(pattern)):
            if "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_key(plan: Plan) -> str:
    return hashlib.sha256((code_digest() + repr(plan)).encode()).hexdigest()[:24]


def synthesized(plan: Plan, root: Path = CACHE_DIR) -> Path:
    """The cdk.out of this plan: from the cache, or synthesized now (saying so on stderr)."""
    root = root.resolve()     # the CDK's node process keeps the working directory it started in
    target = root / plan_key(plan)
    if (target / "manifest.json").exists():
        return target
    from landing_zone.cdk.app import synthesize  # only a cache miss needs the CDK

    print(f"synthesizing {plan.name} (offline) into {target} ...", file=sys.stderr)
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="synth-", dir=root))
    try:
        synthesize(plan, str(scratch))
        scratch.rename(target)          # whole or not at all: a reader never sees half a synthesis
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _prune(root)
    return target


def _prune(root: Path) -> None:
    entries = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith("synth-")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
