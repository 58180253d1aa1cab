"""Whether the index is still in step with the files: what to recheck, add and remove.

Every search starts here, so this is the hot path of a warm search: one stat()
per file in postmortems/ compared with what the index stored, in whole dicts
and sets. A file whose size, modification time, change time or inode changed is
hashed again (and re-indexed only if its content changed): an edit that keeps
the size and then resets the mtime (``touch -r``, an archive tool) still moves
the ctime, which no one can set back. So are "racily clean" files: modified
so close to the moment the index looked at them that a later edit within the
same timestamp tick, keeping the size, would go unseen (git has the same rule).

The rules (the schema, the taxonomy, the configuration) decide which files are
valid and how terms are spelled canonically, so they get a fingerprint of their
own: when one of them changes, the whole index is built again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postmortem_kb import __version__

# What decides whether a file is valid and how its terms are spelled canonically:
# when one of these changes, every file is checked and indexed again.
RULE_FILES = ("postmortem.schema.json", "taxonomy.yml", "config.yml")
# A file modified this close to the moment we looked at it may be modified again
# within the same timestamp tick without changing its size, so it is hashed again
# at the next search.
RACY_NS = 2_000_000_000
# The rules changed: build the index again from scratch.
REBUILD = "rebuild"

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
UNREADABLE: Stat = (-1, 0, 0, 0)  # a file that cannot be stat()ed


@dataclass
class Plan:
    """What one refresh must do to bring the files table in step with postmortems/."""

    scanned_ns: int  # when the folder was scanned: the files' new checked_ns
    current: dict[str, Stat]  # every *.md in postmortems/ now
    recheck: set[str] = field(default_factory=set)  # stat changed or racy: hash, maybe re-index
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.recheck or self.removed)


def plan(
    scanned_ns: int, current: dict[str, Stat], stored: Mapping[str, Stat], racy: Set[str]
) -> Plan:
    """What changed between ``stored`` (the index's stats) and ``current`` (the folder's).

    ``racy`` names the stored files that were racily clean when last checked.
    """
    result = Plan(scanned_ns, current)
    if stored == current and not racy:
        return result
    result.removed = set(stored.keys() - current.keys())
    result.added = set(current.keys() - stored.keys())
    changed = {name for name, stat in current.items() if stored.get(name, stat) != stat}
    result.recheck = result.added | changed | (racy & current.keys())
    return result


def scan(folder: Path) -> dict[str, Stat]:
    """The Stat of every *.md in ``folder`` (as `postmortem check` sees it)."""
    found: dict[str, Stat] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".md") and not _storable(name):
                    # Not valid UTF-8 (SQLite stores only text that is): never a valid id,
                    # so it is kept under a readable stand-in name as a file with errors.
                    found[_stand_in(name)] = UNREADABLE
                elif name.endswith(".md"):
                    try:
                        stat = entry.stat()
                    except OSError:  # a dangling symbolic link: indexed as a file with an error
                        found[name] = UNREADABLE
                    else:
                        found[name] = _stat(stat)
    except OSError:
        pass  # no postmortems/ yet: nothing to search
    return found


def _storable(name: str) -> bool:
    """Whether a file name is text SQLite can store (no undecodable bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _stand_in(name: str) -> str:
    """A storable name for a file name with bytes that are not UTF-8: ``\\xff`` for each."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def rules_change(stored: str | None, schema_dir: Path) -> str | None:
    """How the rule files compare with the fingerprint ``stored`` in the index.

    None: as the index was built with them. REBUILD: one changed (or this is
    another version of the tooling), so the index must be built again. Else a new
    fingerprint to store: only modification times changed, not the content.
    """
    fingerprint: dict[str, Any] = json.loads(stored) if stored else {}
    if fingerprint.get("version") != __version__:
        return REBUILD
    scanned_ns = time.time_ns()
    files: dict[str, list[int | str]] = fingerprint.get("files", {})
    touched = False
    for name in RULE_FILES:
        known = files.get(name)
        if known is None:
            return REBUILD
        *stored_stat, digest, checked_ns = known
        stat = stat_of(schema_dir / name)
        if list(stat) == stored_stat and not is_racy(stat, int(checked_ns)):
            continue
        if sha256_of(schema_dir / name) != digest:
            return REBUILD
        files[name] = [*stat, digest, scanned_ns]
        touched = True
    return _dumps(files) if touched else None


def rules_fingerprint(schema_dir: Path) -> str:
    """The fingerprint of the rule files as they are now, to store with a new index."""
    scanned_ns = time.time_ns()
    files: dict[str, list[int | str]] = {}
    for name in RULE_FILES:
        path = schema_dir / name
        files[name] = [*stat_of(path), sha256_of(path), scanned_ns]
    return _dumps(files)


def is_racy(stat: Stat, checked_ns: int) -> bool:
    """Whether a file checked at ``checked_ns`` may have changed since without a new stat."""
    return max(stat[1], stat[2]) >= checked_ns - RACY_NS


def stat_of(path: Path) -> Stat:
    """The Stat of ``path``; UNREADABLE when it cannot be stat()ed."""
    try:
        return _stat(path.stat())
    except OSError:
        return UNREADABLE


def _stat(result: os.stat_result) -> Stat:
    return (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino)


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of the file's bytes; "" when it cannot be read."""
    import hashlib  # only when a file changed: keeps the warm path's imports small

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def stem(name: str) -> str:
    """The postmortem id of a file name in postmortems/."""
    return name[:-3] if name.endswith(".md") else name


def _dumps(files: dict[str, list[int | str]]) -> str:
    return json.dumps({"version": __version__, "files": files})
