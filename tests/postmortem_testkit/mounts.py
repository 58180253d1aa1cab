"""Real file systems that fail writes: a tiny tmpfs to fill up, or one mounted read-only.

Mounting needs root (CI runs as root); where mount(8) is refused the caller skips
or falls back to what a non-root user has (a folder without write permission).
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@functools.cache
def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root, in a container that lets it mount)."""
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as scratch:
        try:
            with tmpfs(Path(scratch) / "probe"):
                return True
        except PermissionError:
            return False


@contextmanager
def tmpfs(folder: Path, *, size_kib: int = 64, read_only: bool = False) -> Iterator[Path]:
    """``folder`` (created, must be empty) as a fresh tmpfs of ``size_kib``; unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size_kib}k,mode=0755" + (",ro" if read_only else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if mounted.returncode != 0:
        raise PermissionError(f"cannot mount a tmpfs on {folder}: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30, check=False)


def fill(folder: Path) -> None:
    """Write to ``folder`` until its file system has no room left (ENOSPC)."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # ENOSPC: full
    finally:
        os.close(fd)
