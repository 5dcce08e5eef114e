"""Files a blueprint names stay inside its folder (or an --allow-dir folder), are regular files and bounded."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from landing_zone.blueprint import limits

ALLOW_HINT = ("keep the files a blueprint names inside its folder, or allow another folder with "
              "`lz validate --allow-dir DIR` (cdk: `-c allow_dir=DIR`)")


class FileProblem(Exception):
    """Why a file cannot be used; `kind` lets callers pick the issue code for their context."""

    CODES = {"outside": "file-outside-folder", "not-regular": "file-not-regular",
             "too-large": "file-too-large", "path-invalid": "file-path-invalid",
             "not-found": "file-not-found", "unreadable": "file-unreadable"}

    def __init__(self, kind: str, message: str, hint: str):
        super().__init__(message)
        self.kind, self.message, self.hint = kind, message, hint

    @property
    def code(self) -> str:
        return self.CODES[self.kind]


@dataclass(frozen=True)
class Scope:
    """Where a blueprint's files may live: its own folder first, then each allowed folder.

    The folder is the one holding the blueprint file (with its subfolders); paths the blueprint
    writes are relative to it. Every path is resolved, symlinks included, before the check, so a
    link inside the folder that points outside counts as outside.
    """

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, blueprint: str | os.PathLike[str], allow_dirs: Iterable[str | os.PathLike[str]] = ()) -> Scope:
        folders = [Path(blueprint).absolute().parent, *(Path(d).absolute() for d in allow_dirs)]
        return cls(tuple(dict.fromkeys(Path(os.path.realpath(f)) for f in folders)))

    @property
    def base(self) -> Path:
        return self.roots[0]

    def contains(self, real: Path) -> bool:
        return any(real == root or root in real.parents for root in self.roots)

    def resolve(self, written: str, shown: str | None = None) -> Path:
        """The real path of a file the blueprint names; FileProblem when it is outside the scope."""
        shown = written if shown is None else shown
        if "\x00" in written:
            raise FileProblem("path-invalid", f"{shown!r} contains a NUL character",
                              "write the path without control characters")
        real = Path(os.path.realpath(self.base / written))
        if not self.contains(real):
            raise FileProblem("outside", f"{shown!r} resolves to {str(real)!r}, outside "
                              f"{self.describe()}", ALLOW_HINT)
        return real

    def describe(self) -> str:
        folders = ", ".join(repr(_shown(r)) for r in self.roots)
        return f"the blueprint's folder{' and the allowed folders' if len(self.roots) > 1 else ''} ({folders})"


def read_named(real: Path, written: str) -> str:
    """A file the blueprint names: a regular UTF-8 file of at most MAX_FILE_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(real, flags)   # non-blocking: opening a FIFO must not wait for a writer
    except FileNotFoundError:
        raise FileProblem("not-found", f"{written!r} does not exist",
                          "the path is relative to the blueprint's folder") from None
    except OSError as exc:
        raise FileProblem("unreadable", f"{written!r} cannot be read: {exc.strerror or exc}",
                          "it must be a readable file") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileProblem("not-regular", f"{written!r} is {_kind(mode)}, not a regular file",
                              "name a regular file (not a device, pipe, socket or folder)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = _bounded(handle, written)
    finally:
        os.close(fd)
    return _decode(data, written)


def read_operator_file(path: Path, written: str) -> str:
    """A file the operator names on the command line: any readable file, still bounded in size."""
    try:
        with open(path, "rb") as handle:
            if stat.S_ISDIR(os.fstat(handle.fileno()).st_mode):
                raise FileProblem("not-regular", f"{written!r} is a folder, not a file", "name a file")
            data = _bounded(handle, written)
    except FileNotFoundError:
        raise FileProblem("not-found", f"file {written!r} does not exist",
                          "check the path; it is relative to the current directory") from None
    except IsADirectoryError:
        raise FileProblem("not-regular", f"{written!r} is a folder, not a file", "name a file") from None
    except OSError as exc:
        raise FileProblem("unreadable", f"{written!r} cannot be read: {exc.strerror or exc}",
                          "it must be a readable UTF-8 text file") from None
    return _decode(data, written)


def _bounded(handle: BinaryIO, written: str) -> bytes:
    cap = limits.MAX_FILE_BYTES
    data = handle.read(cap + 1)   # never more, whatever size the file claims
    if len(data) > cap:
        raise FileProblem("too-large", f"{written!r} is larger than {cap:,} bytes",
                          f"files a blueprint reads are limited to {cap:,} bytes (10 MiB, the size IAM "
                          "allows SAML metadata)")
    return data


def _decode(data: bytes, written: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem("unreadable", f"{written!r} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                          "save it as UTF-8") from None


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a pipe"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)
