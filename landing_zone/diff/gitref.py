"""The base of `lz diff --base REF`: the blueprint's folder (and the other files it may read) at a git commit."""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from landing_zone.explain.requests import UsageError


class GitRefError(UsageError):
    """A ref git does not know, a blueprint outside the repository or absent at the ref."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except OSError as exc:
        raise GitRefError(f"cannot run git: {exc.strerror}") from None


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "no output"


@dataclass(frozen=True)
class Checkout:
    """Where the ref's files were written, and how paths of the working tree map into it."""

    ref: str
    commit: str
    top: Path                   # the repository's working tree
    root: Path                  # the temporary folder holding the ref's files

    def path(self, path: str | Path) -> Path:
        """A working-tree path inside the repository → the same path in the checkout; others unchanged."""
        resolved = Path(path).resolve()
        try:
            return self.root / resolved.relative_to(self.top)
        except ValueError:
            return Path(path)

    def relabel(self, text: str) -> str:
        """Issue file names in the checkout read as REF:path, as `git show` spells them."""
        return text.replace(f"{self.root}/", f"{self.ref}:")


@contextmanager
def checkout(ref: str, blueprint: str | Path, extra: tuple[str | Path, ...] = ()) -> Iterator[Checkout]:
    """Writes the blueprint's folder at `ref` (its ids file, fragments, policy JSON and SAML metadata
    live there: the loader confines them to it) and every `extra` path inside the repository (allowed
    folders, a vars file) that exists at `ref`, with `git archive`: read-only for the repository, no
    worktree or index touched."""
    blueprint = Path(blueprint)
    folder = blueprint.resolve().parent
    if not folder.is_dir():
        raise GitRefError(f"{blueprint}: no such folder")
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode:
        raise GitRefError(f"--base {ref}: {blueprint} is not in a git repository ({_first_line(found.stderr)})")
    top = Path(found.stdout.decode().strip()).resolve()
    resolved = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if ref.startswith("-") or resolved.returncode:
        raise GitRefError(f"--base {ref!r} is not a commit of {top} (try `git fetch`, or a branch, tag or sha)")
    commit = resolved.stdout.decode().strip()
    relative = blueprint.resolve().relative_to(top)
    if _git(top, "cat-file", "-e", f"{commit}:{relative.as_posix()}").returncode:
        raise GitRefError(f"{relative.as_posix()} does not exist at {ref}: nothing to compare with "
                          "(a new blueprint has no base)")
    wanted = {PurePosixPath(relative.parent.as_posix())}
    for path in extra:
        try:
            inside = PurePosixPath(Path(path).resolve().relative_to(top).as_posix())
        except ValueError:
            continue            # outside the repository: the base reads the same file as the head
        if _git(top, "cat-file", "-e", f"{commit}:{inside}").returncode == 0:
            wanted.add(inside)
    archive = _git(top, "archive", "--format=tar", commit, "--", *sorted(str(p) for p in wanted))
    if archive.returncode:
        raise GitRefError(f"git archive {ref} failed: {_first_line(archive.stderr)}")
    with tempfile.TemporaryDirectory(prefix="lz-diff-base-") as tmp:
        root = Path(tmp).resolve()
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(root, filter="data")
        yield Checkout(ref, commit, top, root)
