"""Writing files so that a reader never sees half of one and nothing is overwritten by accident.

Every file the tooling writes goes through here: the content is written to a
temporary file in the same folder, flushed to disk, and then moved into place in
one step, so an interrupted run leaves the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def temporary_prefix(path: Path) -> str:
    """How the temporary copies of ``path`` begin (``.name.``; they end in ``.tmp``)."""
    return f".{path.name}."


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Replace ``path`` (or create it) with ``data`` in one step; str is written as UTF-8.

    The file keeps its permission bits when it exists; a new file gets the umask's.
    ``durable=False`` skips the fsync: for files that can be made again (the thousands of
    pages `site generate` writes), where a crash may lose the new content but never
    leaves a half-written file.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_new(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically if ``path`` does not exist yet.

    Returns False (and writes nothing) when the name is taken, even by a file
    created a moment ago by someone else: the finished temporary file is
    hard-linked to the name, which fails rather than replaces.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # No hard links on this file system: claim the name exclusively, then
            # move the finished file over the (empty) claim.
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                return False
            os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
