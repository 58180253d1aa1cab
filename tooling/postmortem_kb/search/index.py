"""The search index: an SQLite FTS5 database kept in step with postmortems/.

Every search first brings the index up to date, so a result is never stale:
it stats every file, and re-reads only those whose size or modification time
changed (and then re-indexes only if the content hash changed too). Deleted
and renamed files lose their rows. Files are checked exactly as `postmortem
check` checks them; files with errors are remembered but not searchable.

The warm path (nothing changed) imports nothing heavier than sqlite3: loading
the validator, YAML and the JSON Schema library happens only when a file has
to be (re)checked, which keeps a warm search close to process start-up time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_kb import __version__
from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.search.query import SearchQuery, fts_expression

if TYPE_CHECKING:
    from postmortem_kb.model.kinds import Kind
    from postmortem_kb.model.records import Postmortem
    from postmortem_kb.project.repository import Project
    from postmortem_kb.validation.checker import Checker

# Bump when the tables change; an index of another version is rebuilt from scratch.
SCHEMA_VERSION = 2
CACHE_ENV = "POSTMORTEM_CACHE_DIR"
CACHE_DIR = ".postmortem-cache"
# What decides whether a file is valid and how its terms are spelled canonically:
# when one of these changes, every file is checked and indexed again.
RULE_FILES = ("postmortem.schema.json", "taxonomy.yml", "config.yml")
# A file modified this close to the moment we looked at it may be modified again
# within the same timestamp tick without changing its size ("racily clean", as
# git calls it), so it is hashed again at the next search.
RACY_NS = 2_000_000_000
# Column weights for bm25: a match in the title counts most, in the body least.
WEIGHTS = {"title": 10.0, "summary": 5.0, "details": 3.0, "body": 1.0}
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 16
TERM_GROUPS = ("causes", "lucky_breaks", "went_well", "services")

_TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    rowid INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- file name in postmortems/
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    checked_ns INTEGER NOT NULL,        -- when size and mtime were read
    valid INTEGER NOT NULL,             -- 0: the file has errors and is not searchable
    related TEXT NOT NULL DEFAULT '',   -- ids it names in `related`, space separated
    id TEXT, date TEXT, started TEXT, severity TEXT, status TEXT, title TEXT,
    summary TEXT, causes TEXT, services TEXT
);
CREATE INDEX files_started ON files (started);
-- Covers the stat comparison of every search, which then never reads the wide rows.
CREATE INDEX files_stat ON files (name, size, mtime_ns, checked_ns);
CREATE TABLE terms (doc INTEGER NOT NULL, kind TEXT NOT NULL, term TEXT NOT NULL);
CREATE INDEX terms_lookup ON terms (kind, term, doc);
CREATE INDEX terms_doc ON terms (doc);
CREATE TABLE vocabulary (
    kind TEXT NOT NULL, name TEXT NOT NULL, canonical TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
CREATE VIRTUAL TABLE fts USING fts5 (
    {", ".join(WEIGHTS)}, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class SearchHit:
    id: str
    path: str  # relative to the repository root
    date: str
    severity: str
    status: str
    title: str
    score: float  # higher is better; 0 when listing without a query
    snippet: str  # matches between MARK_START and MARK_END
    causes: tuple[str, ...]
    services: tuple[str, ...]


@dataclass
class RefreshReport:
    indexed: int = 0  # files (re)checked and indexed
    removed: int = 0  # rows dropped for deleted or renamed files
    skipped: int = 0  # files with errors, not searchable
    rebuilt: bool = False


_Stat = tuple[int, int]  # size, mtime_ns


@dataclass
class _Plan:
    scanned_ns: int
    current: dict[str, _Stat]
    recheck: set[str] = field(default_factory=set)  # stat changed or racy: hash, maybe re-index
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.recheck or self.removed)


def default_cache_dir(project: Project) -> Path:
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else project.root / CACHE_DIR


class SearchIndex:
    """One open index for one project. Use ``open_index`` to get one."""

    def __init__(self, project: Project, connection: sqlite3.Connection, path: Path | None) -> None:
        self.project = project
        self.db = connection
        self.path = path  # None: in memory
        self._checker: Checker | None = None

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def in_memory(cls, project: Project) -> SearchIndex:
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
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        index = cls(project, connection, path)
        try:
            connection.execute("PRAGMA synchronous = NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                index._create()
            else:
                connection.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return index

    def _create(self) -> None:
        with self._transaction():
            if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                return  # another search created it while this one waited for the lock
            objects = self.db.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'"
            ).fetchall()
            for kind, name in objects:
                self.db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
            for statement in _TABLES.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if self.path is not None:
            self.db.execute("PRAGMA journal_mode = WAL")

    def close(self) -> None:
        self.db.close()

    def discard(self) -> None:
        """Close and delete the index file (it will be rebuilt on next use)."""
        self.close()
        if self.path is not None:
            _unlink_database(self.path)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE: two searches updating at once take turns instead of failing.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- keeping up to date ----------------------------------------------------------

    def refresh(self) -> RefreshReport:
        """Bring the index up to date with postmortems/ and schema/."""
        report = RefreshReport()
        if self._rules() is not None:
            with self._transaction():
                rules = self._rules()  # again: another process may have rebuilt meanwhile
                if rules == "changed":
                    self._clear()
                    report.rebuilt = True
                elif rules is not None:
                    self._set_meta("rules", rules)
        plan = self._plan()
        if plan:
            with self._transaction():
                self._apply(self._plan(), report)  # planned again, now that no one else writes
        report.skipped = self.db.execute("SELECT count(*) FROM files WHERE NOT valid").fetchone()[0]
        return report

    def _rules(self) -> str | None:
        """None when schema/ is as the index was built with it; "changed" when the index
        must be rebuilt; else a new fingerprint (only modification times changed)."""
        stored = self._meta("rules")
        fingerprint = json.loads(stored) if stored else {}
        if fingerprint.get("version") != __version__:
            return "changed"
        scanned_ns = time.time_ns()
        files: dict[str, list[int | str]] = fingerprint.get("files", {})
        touched = False
        for name in RULE_FILES:
            known = files.get(name)
            if known is None:
                return "changed"
            size, mtime_ns, digest, checked_ns = known
            stat = _stat(self.project.schema_dir / name)
            if stat == (size, mtime_ns) and not _racy(int(mtime_ns), int(checked_ns)):
                continue
            if _sha256(self.project.schema_dir / name) != digest:
                return "changed"
            files[name] = [*stat, digest, scanned_ns]
            touched = True
        return json.dumps({"version": __version__, "files": files}) if touched else None

    def _clear(self) -> None:
        for table in ("files", "terms", "vocabulary", "fts"):
            self.db.execute(f"DELETE FROM {table}")
        scanned_ns = time.time_ns()
        files = {}
        for name in RULE_FILES:
            path = self.project.schema_dir / name
            stat = _stat(path)
            files[name] = [*stat, _sha256(path), scanned_ns]
        self._store_vocabulary()
        self._set_meta("rules", json.dumps({"version": __version__, "files": files}))

    def _store_vocabulary(self) -> None:
        taxonomy = self.project.taxonomy
        rows = []
        for kind, group in taxonomy.terms.items():
            for term in group.values():
                rows.append((kind.value, term.id, term.id))
                rows.extend((kind.value, alias, term.id) for alias in term.aliases)
            rows.append((kind.value, "", ""))  # marks the group as present in the taxonomy
        self.db.executemany("INSERT OR REPLACE INTO vocabulary VALUES (?, ?, ?)", rows)

    def _plan(self) -> _Plan:
        # The hot path of every search, so it works on whole dicts and sets:
        # on 10,000 files it is mostly the stat() calls.
        scanned_ns = time.time_ns()
        current = _scan(self.project.postmortems_dir)
        stored = {
            name: (size, mtime_ns)
            for name, size, mtime_ns in self.db.execute("SELECT name, size, mtime_ns FROM files")
        }
        racy = {
            name
            for (name,) in self.db.execute(
                "SELECT name FROM files WHERE mtime_ns >= checked_ns - ?", (RACY_NS,)
            )
        }
        plan = _Plan(scanned_ns, current)
        if stored == current and not racy:
            return plan
        plan.removed = stored.keys() - current.keys()
        plan.added = current.keys() - stored.keys()
        changed = {name for name, stat in current.items() if stored.get(name, stat) != stat}
        plan.recheck = plan.added | changed | (racy & current.keys())
        return plan

    def _apply(self, plan: _Plan, report: RefreshReport) -> None:
        for name in plan.removed:
            self._delete(name)
            report.removed += 1
        known_ids = {_stem(name) for name in plan.current}
        changed: dict[str, str] = {}  # name -> sha256 of the new content
        for name in sorted(plan.recheck):
            digest = self._changed_digest(name, plan.current[name], plan.scanned_ns)
            if digest is not None:
                changed[name] = digest
        # Checked in one batch, so that a cold build of a large collection uses every CPU
        # (as `postmortem check` does); each file is still checked against all ids.
        paths = [self.project.postmortems_dir / name for name in changed]
        from postmortem_kb.validation.checker import default_jobs

        checked = self.checker.check_paths(paths, known_ids, jobs=default_jobs())
        for (name, digest), (_findings, record) in zip(changed.items(), checked, strict=True):
            self._store(name, plan.current[name], plan.scanned_ns, digest, record)
        indexed = set(changed)
        report.indexed += len(indexed)
        changed_ids = {_stem(name) for name in plan.removed | plan.added}
        if not changed_ids:
            return
        # Whether the ids in `related` exist decides validity: check again the files
        # that name an id that appeared or went away, and every file that had errors.
        for name, valid, related in self.db.execute(
            "SELECT name, valid, related FROM files WHERE NOT valid OR related != ''"
        ).fetchall():
            if name not in indexed and (not valid or changed_ids & set(related.split())):
                self._index(name, plan.current[name], plan.scanned_ns, known_ids)
                report.indexed += 1

    def _changed_digest(self, name: str, stat: _Stat, scanned_ns: int) -> str | None:
        """The new sha256 of ``name`` if its content changed; else only note its new stat."""
        path = self.project.postmortems_dir / name
        digest = _sha256(path)
        row = self.db.execute("SELECT sha256 FROM files WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] == digest:
            self.db.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, checked_ns = ? WHERE name = ?",
                (*stat, scanned_ns, name),
            )
            return None
        return digest

    def _index(self, name: str, stat: _Stat, scanned_ns: int, known_ids: set[str]) -> None:
        path = self.project.postmortems_dir / name
        _findings, record = self.checker.check_file(path, known_ids)
        self._store(name, stat, scanned_ns, _sha256(path), record)

    def _store(
        self, name: str, stat: _Stat, scanned_ns: int, digest: str, record: Postmortem | None
    ) -> None:
        path = self.project.postmortems_dir / name
        related = " ".join(record.related) if record else _related_of(self, path)
        row = self.db.execute("SELECT rowid FROM files WHERE name = ?", (name,)).fetchone()
        values = {
            "name": name,
            "size": stat[0],
            "mtime_ns": stat[1],
            "sha256": digest,
            "checked_ns": scanned_ns,
            "valid": int(record is not None),
            "related": related,
            **_record_columns(record),
        }
        if row is None:
            columns = ", ".join(values)
            marks = ", ".join("?" * len(values))
            cursor = self.db.execute(
                f"INSERT INTO files ({columns}) VALUES ({marks})", tuple(values.values())
            )
            doc = cursor.lastrowid
        else:
            doc = row[0]
            assignments = ", ".join(f"{column} = ?" for column in values)
            self.db.execute(
                f"UPDATE files SET {assignments} WHERE rowid = ?", (*values.values(), doc)
            )
            self.db.execute("DELETE FROM fts WHERE rowid = ?", (doc,))
            self.db.execute("DELETE FROM terms WHERE doc = ?", (doc,))
        if record is None:
            return
        self.db.execute(
            "INSERT INTO fts (rowid, title, summary, details, body) VALUES (?, ?, ?, ?, ?)",
            (doc, record.title, record.summary, _details(record), record.body),
        )
        self.db.executemany(
            "INSERT INTO terms (doc, kind, term) VALUES (?, ?, ?)",
            [
                (doc, kind, term)
                for kind, terms in _record_terms(record).items()
                for term in dict.fromkeys(terms)
            ],
        )

    def _delete(self, name: str) -> None:
        row = self.db.execute("SELECT rowid FROM files WHERE name = ?", (name,)).fetchone()
        if row is None:
            return
        self.db.execute("DELETE FROM fts WHERE rowid = ?", row)
        self.db.execute("DELETE FROM terms WHERE doc = ?", row)
        self.db.execute("DELETE FROM files WHERE rowid = ?", row)

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            from postmortem_kb.validation.checker import Checker  # only when a file must be checked

            self._checker = Checker(self.project)
        return self._checker

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- asking ----------------------------------------------------------------------

    def canonical(self, kind: Kind, name: str) -> str:
        """The canonical term for a name or alias; unknown names are a usage error."""
        group = kind.value
        row = self.db.execute(
            "SELECT canonical FROM vocabulary WHERE kind = ? AND name = ?", (group, name)
        ).fetchone()
        if row is not None and name:
            return str(row[0])
        has_group = self.db.execute(
            "SELECT 1 FROM vocabulary WHERE kind = ? AND name = ''", (group,)
        ).fetchone()
        if not has_group:
            return name  # no controlled list for this group (services often): take it as written
        suggestions = self.project.taxonomy.suggest(kind, name)
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise UsageError(
            f"'{name}' is not a known {kind.singular}{hint} "
            f"(the terms are listed in {self.project.display_path(self.project.schema_dir)}"
            "/taxonomy.yml)"
        )

    def resolve(self, query: SearchQuery) -> SearchQuery:
        """``query`` with every taxonomy name replaced by its canonical term."""
        from postmortem_kb.model.kinds import Kind

        def canonical(kind: Kind, names: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(self.canonical(kind, name) for name in names))

        return replace(
            query,
            causes=canonical(Kind.CAUSE, query.causes),
            lucky_breaks=canonical(Kind.LUCKY_BREAK, query.lucky_breaks),
            went_well=canonical(Kind.WENT_WELL, query.went_well),
            services=canonical(Kind.SERVICE, query.services),
        )

    def search(self, query: SearchQuery) -> tuple[list[SearchHit], int]:
        """The best ``query.limit`` hits (best first; newest first without text) and the total."""
        where, params = _filters(query)
        expression = fts_expression(query.text)
        if not expression:
            rows = self.db.execute(
                f"SELECT f.rowid, 0.0, f.summary FROM files f WHERE {where} "
                "ORDER BY f.started DESC, f.id DESC LIMIT ?",
                (*params, query.limit),
            ).fetchall()
            snippets = {doc: _shorten(summary) for doc, _, summary in rows}
            total = self._count(f"FROM files f WHERE {where}", params, rows, query.limit)
            return self._hits(rows, snippets), total
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        matching = f"FROM fts JOIN files f ON f.rowid = fts.rowid WHERE fts MATCH ? AND {where}"
        rows = self.db.execute(
            f"SELECT f.rowid, -bm25(fts, {weights}) AS score, '' {matching} "
            "ORDER BY score DESC, f.started DESC, f.id DESC LIMIT ?",
            (expression, *params, query.limit),
        ).fetchall()
        total = self._count(matching, [expression, *params], rows, query.limit)
        # Snippets only for the hits shown, not for every match the ranking looked at.
        snippets = {
            doc: self.db.execute(
                "SELECT snippet(fts, -1, ?, ?, '…', ?) FROM fts WHERE fts MATCH ? AND rowid = ?",
                (MARK_START, MARK_END, SNIPPET_TOKENS, expression, doc),
            ).fetchone()[0]
            for doc, _, _ in rows
        }
        return self._hits(rows, snippets), total

    def _count(
        self, matching: str, params: list[str], rows: list[tuple[int, float, str]], limit: int
    ) -> int:
        # Counting runs the query again, so only when the limit cut the list short.
        if len(rows) < limit:
            return len(rows)
        return int(self.db.execute(f"SELECT count(*) {matching}", params).fetchone()[0])

    def _hits(
        self, rows: list[tuple[int, float, str]], snippets: dict[int, str]
    ) -> list[SearchHit]:
        hits = []
        postmortems = self.project.display_path(self.project.postmortems_dir)
        for doc, score, _ in rows:
            name, id_, day, severity, status, title, causes, services = self.db.execute(
                "SELECT name, id, date, severity, status, title, causes, services "
                "FROM files WHERE rowid = ?",
                (doc,),
            ).fetchone()
            hits.append(
                SearchHit(
                    id=id_,
                    path=f"{postmortems}/{name}",
                    date=day,
                    severity=severity,
                    status=status,
                    title=title,
                    score=round(score, 3),
                    snippet=" ".join(snippets.get(doc, "").split()),
                    causes=tuple(causes.split()),
                    services=tuple(services.split()),
                )
            )
        return hits


@dataclass
class SearchOutcome:
    hits: list[SearchHit]
    total: int
    report: RefreshReport
    query: SearchQuery  # as resolved: canonical terms


def run_search(project: Project, query: SearchQuery, cache: bool = True) -> SearchOutcome:
    """Refresh the index (on disk, or in memory without ``cache``) and search it.

    A cache file that turns out to be damaged is deleted and built again; a cache
    folder that cannot be written falls back to an index in memory.
    """
    for attempt in (1, 2):
        index = _open(project, cache)
        try:
            report = index.refresh()
            resolved = index.resolve(query)
            hits, total = index.search(resolved)
            index.close()
            return SearchOutcome(hits, total, report, resolved)
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                index.close()
                raise ConfigurationError(
                    "another `postmortem search` has held the search index for 30 s; "
                    "try again, or pass --no-cache"
                ) from None
            index.discard()  # a damaged or foreign file: build it again
            if attempt == 2 or index.path is None:
                raise ConfigurationError(f"the search index failed: {exc}") from None
        except BaseException:
            index.close()
            raise
    raise AssertionError("unreachable")


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


def _filters(query: SearchQuery) -> tuple[str, list[str]]:
    clauses = ["f.valid"]
    params: list[str] = []

    def any_of(column: str, values: tuple[str, ...]) -> None:
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)

    for group, terms in query.terms.items():
        if terms:
            clauses.append(
                "f.rowid IN (SELECT doc FROM terms WHERE kind = ? "
                f"AND term IN ({', '.join('?' * len(terms))}))"
            )
            params.extend((group, *terms))
    if query.severities:
        any_of("f.severity", query.severities)
    if query.statuses:
        any_of("f.status", query.statuses)
    if query.since:
        clauses.append("f.date >= ?")
        params.append(query.since.isoformat())
    if query.until:
        clauses.append("f.date <= ?")
        params.append(query.until.isoformat())
    return " AND ".join(clauses), params


def _record_terms(record: Postmortem) -> dict[str, tuple[str, ...]]:
    return {
        "causes": tuple(ref.term for ref in record.causes),
        "lucky_breaks": tuple(ref.term for ref in record.lucky_breaks),
        "went_well": tuple(ref.term for ref in record.went_well),
        "services": record.services,
    }


def _record_columns(record: Postmortem | None) -> dict[str, str | None]:
    if record is None:
        return dict.fromkeys(
            ("id", "date", "started", "severity", "status", "title", "summary", "causes"), None
        ) | {"services": None}
    return {
        "id": record.id,
        "date": record.date.isoformat(),
        "started": record.started_utc.isoformat(),
        "severity": record.severity,
        "status": record.status,
        "title": record.title,
        "summary": record.summary,
        "causes": " ".join(dict.fromkeys(ref.term for ref in record.causes)),
        "services": " ".join(record.services),
    }


def _details(record: Postmortem) -> str:
    refs = (*record.causes, *record.lucky_breaks, *record.went_well)
    return "\n".join(ref.detail for ref in refs if ref.detail)


def _related_of(index: SearchIndex, path: Path) -> str:
    """`related` ids of a file with errors, as far as it can be read."""
    from postmortem_kb.loading.files import LoadedFile, load_file

    loaded = load_file(path, index.project.root, index.project.config.max_file_bytes)
    if not isinstance(loaded, LoadedFile):
        return ""
    related = loaded.front_matter.data.get("related")
    if not isinstance(related, list):
        return ""
    return " ".join(item for item in related if isinstance(item, str) and " " not in item)


def _scan(folder: Path) -> dict[str, _Stat]:
    """Size and modification time of every *.md in ``folder`` (as `postmortem check` sees it)."""
    found: dict[str, _Stat] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".md"):
                    try:
                        stat = entry.stat()
                    except OSError:  # a dangling symbolic link: indexed as a file with an error
                        found[name] = (-1, 0)
                    else:
                        found[name] = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        pass
    return found


def _stat(path: Path) -> _Stat:
    try:
        stat = path.stat()
    except OSError:
        return (-1, 0)
    return (stat.st_size, stat.st_mtime_ns)


def _racy(mtime_ns: int, checked_ns: int) -> bool:
    return mtime_ns >= checked_ns - RACY_NS


def _sha256(path: Path) -> str:
    import hashlib  # only when a file changed: keeps the warm path's imports small

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _stem(name: str) -> str:
    return name[:-3] if name.endswith(".md") else name


def _shorten(text: str | None, limit: int = 160) -> str:
    words = " ".join((text or "").split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + " …"


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


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date given on the command line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None
