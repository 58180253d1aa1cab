"""Opening the search index and running one search: refresh, resolve, query.

The index is an SQLite file in the project's cache folder. A file that is not a
usable index (damaged, foreign, of another SCHEMA_VERSION) is replaced; a cache
folder that cannot be written falls back to an index in memory, so a read-only
checkout still searches. Every search refreshes the index first, so a result is
never stale.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.search import lookup, refresh, tables
from postmortem_kb.search.lookup import SearchHit
from postmortem_kb.search.query import SearchQuery
from postmortem_kb.search.refresh import RefreshReport

if TYPE_CHECKING:
    from postmortem_kb.model.kinds import Kind
    from postmortem_kb.project.repository import Project
    from postmortem_kb.validation.checker import Checker

CACHE_ENV = "POSTMORTEM_CACHE_DIR"
# How long a search waits for another one that is writing the index before it
# searches an index of its own in memory instead (correct, only slower): under a
# stream of edits, searches queued for the write lock once waited 30 s and failed.
BUSY_TIMEOUT_S = 5.0
CACHE_DIR = ".postmortem-cache"


def default_cache_dir(project: Project) -> Path:
    """Where the index file lives: $POSTMORTEM_CACHE_DIR, else .postmortem-cache/."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else project.root / CACHE_DIR


class SearchIndex:
    """One open index for one project: ``in_memory`` or ``on_disk``, then refresh and search."""

    def __init__(self, project: Project, connection: sqlite3.Connection, path: Path | None) -> None:
        self.project = project
        self.db = connection
        self.path = path  # None: in memory
        self._checker: Checker | None = None

    @classmethod
    def in_memory(cls, project: Project) -> SearchIndex:
        """A throw-away index that lives as long as this process."""
        index = cls(project, sqlite3.connect(":memory:", isolation_level=None), None)
        index._create()
        return index

    @classmethod
    def on_disk(cls, project: Project, cache_dir: Path) -> SearchIndex:
        """The index file in ``cache_dir``; a file that is not a usable index is replaced."""
        cache_dir.mkdir(parents=True, exist_ok=True)
        path = cache_dir / _file_name(project, cache_dir)
        try:
            return cls._connect(project, path)
        except sqlite3.DatabaseError:
            _unlink_database(path)
            return cls._connect(project, path)

    @classmethod
    def _connect(cls, project: Project, path: Path) -> SearchIndex:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        index = cls(project, connection, path)
        try:
            connection.execute("PRAGMA synchronous = NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != tables.SCHEMA_VERSION:
                index._create()
            else:
                # A file of the right version may still be damaged: fail here, not mid-search.
                connection.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return index

    def _create(self) -> None:
        with self.transaction():
            if self.db.execute("PRAGMA user_version").fetchone()[0] == tables.SCHEMA_VERSION:
                return  # another search created it while this one waited for the lock
            tables.create_tables(self.db)
        if self.path is not None:
            self.db.execute("PRAGMA journal_mode = WAL")

    def close(self) -> None:
        """Close the connection (the file stays for the next search)."""
        self.db.close()

    def discard(self) -> None:
        """Close and delete the index file (it will be rebuilt on next use)."""
        self.close()
        if self.path is not None:
            _unlink_database(self.path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        # IMMEDIATE: two searches updating at once take turns instead of failing.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite has already rolled back after some errors (a full disk): a ROLLBACK
            # then fails with "no transaction is active" and hides the real error.
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @property
    def checker(self) -> Checker:
        """The project's checker, made on first use: only when a file must be checked."""
        if self._checker is None:
            from postmortem_kb.validation.checker import Checker  # heavy: YAML, JSON Schema

            self._checker = Checker(self.project)
        return self._checker

    def refresh(self) -> RefreshReport:
        """Bring the index up to date with postmortems/ and schema/."""
        return refresh.refresh(self)

    def canonical(self, kind: Kind, name: str) -> str:
        """The canonical term for a name or alias; unknown names are a usage error."""
        return lookup.canonical(self, kind, name)

    def resolve(self, query: SearchQuery) -> SearchQuery:
        """``query`` with every taxonomy name replaced by its canonical term."""
        return lookup.resolve(self, query)

    def search(self, query: SearchQuery) -> tuple[list[SearchHit], int]:
        """The best ``query.limit`` hits (best first; newest first without text) and the total."""
        return lookup.search(self, query)

    def imprecise(self, query: SearchQuery) -> int:
        """Matches left out by --since/--until because a month straddles the bound."""
        return lookup.imprecise(self, query)


@dataclass
class SearchOutcome:
    """What one search found, and what bringing the index up to date did."""

    hits: list[SearchHit]
    total: int  # every match, of which ``hits`` are the first ``query.limit``
    report: RefreshReport
    query: SearchQuery  # as resolved: canonical terms
    imprecise: int = 0  # left out by --since/--until: started in a month straddling a bound


def run_search(project: Project, query: SearchQuery, cache: bool = True) -> SearchOutcome:
    """Refresh the index (on disk, or in memory without ``cache``) and search it.

    A cache file that turns out to be damaged is deleted and built again; a cache
    folder that cannot be written falls back to an index in memory.
    """
    for attempt in (1, 2, 3):
        index = _open(project, cache)
        try:
            report = index.refresh()
            resolved = index.resolve(query)
            hits, total = index.search(resolved)
            imprecise = index.imprecise(resolved)
            index.close()
            return SearchOutcome(hits, total, report, resolved, imprecise)
        except sqlite3.DatabaseError as exc:
            if index.path is None:
                index.close()
                raise ConfigurationError(f"the search index failed: {exc}") from None
            if _busy(exc) or _cannot_write(exc):
                # Another search is writing, or the cache's disk is full or read-only:
                # this one builds its index in memory, like a read-only checkout.
                index.close()
                cache = False
                continue
            index.discard()  # a damaged or foreign file: build it again
            if attempt >= 2:
                raise ConfigurationError(f"the search index failed: {exc}") from None
        except BaseException:
            index.close()
            raise
    raise AssertionError("unreachable")  # the last attempt is in memory, and returns or raises


# SQLite's primary result codes for a file it cannot write (sqlite3 names none of them).
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14


def _cannot_write(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (
        _SQLITE_READONLY,
        _SQLITE_IOERR,
        _SQLITE_FULL,
        _SQLITE_CANTOPEN,
    )


def _busy(exc: sqlite3.DatabaseError) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc) for word in ("locked", "busy")
    )


def _open(project: Project, cache: bool) -> SearchIndex:
    if not cache:
        return SearchIndex.in_memory(project)
    try:
        return SearchIndex.on_disk(project, default_cache_dir(project))
    except (OSError, sqlite3.Error):
        # A read-only checkout still searches, only without keeping the index.
        return SearchIndex.in_memory(project)


def _file_name(project: Project, cache_dir: Path) -> str:
    if cache_dir == project.root / CACHE_DIR:
        return "search.sqlite"
    # A shared cache folder (POSTMORTEM_CACHE_DIR) may serve several repositories.
    import hashlib

    root = hashlib.sha256(str(project.root).encode()).hexdigest()[:12]
    return f"search-{root}.sqlite"


def _unlink_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
