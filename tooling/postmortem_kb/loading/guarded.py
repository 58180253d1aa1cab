"""The one guarded read of a postmortem's bytes: every command reads through it.

Kept apart from the parser (and free of heavy imports) so that hashing a file
for the search index goes through the same guards without loading YAML.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoadError:
    """Why a file could not be read as a postmortem, and where."""

    path: Path
    message: str
    line: int = 1
    column: int = 1


def read_guarded(path: Path, root: Path, max_bytes: int) -> bytes | LoadError:
    """The bytes of ``path``, or why it must not be read.

    Refused: a file in ``root`` whose real location (through any symbolic link, of
    the file or of a folder above it) is outside ``root``; a symbolic link loop; anything but a
    regular file (a FIFO would block forever, /dev/zero never ends); a file over
    ``max_bytes``. The file is opened once and checked on the open descriptor, so
    it cannot be swapped between the check and the read, and never more than
    ``max_bytes`` + 1 bytes are read even if it grows meanwhile.
    """
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LoadError(path, "symbolic link loop: the link points (in the end) to itself")
        return LoadError(path, f"cannot read file: {exc.strerror or exc}")
    if _is_inside(Path(os.path.abspath(path)), Path(os.path.abspath(root))) and not _is_inside(
        Path(real), Path(os.path.realpath(root))
    ):
        # A file in the repository that leads out of it, through a link of its own or of
        # a folder above it (a linked postmortems/). A path named outside the repository
        # on purpose (`similar ~/draft.md`) is read where it is.
        return LoadError(path, "symbolic link points outside the repository; refusing to read")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer that never comes.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return LoadError(path, f"cannot read file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return LoadError(path, f"cannot read file: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(info.st_mode):
            return LoadError(
                path, f"{_file_kind(info.st_mode)}, not a regular file; refusing to read"
            )
        if info.st_size > max_bytes:
            return LoadError(path, _too_large(info.st_size, max_bytes))
        raw = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        return LoadError(path, f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(raw) > max_bytes:  # it grew after fstat()
        return LoadError(path, _too_large(len(raw), max_bytes))
    return raw


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"file is {size:,} bytes, over the limit of {max_bytes:,} "
        "(max_file_bytes in schema/config.yml)"
    )


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _is_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
