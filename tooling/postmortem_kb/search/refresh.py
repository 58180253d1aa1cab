"""Bringing the index up to date: checking what changed and writing its rows.

Files are checked exactly as `postmortem check` checks them; a file with errors
keeps a row (so it is not checked again while unchanged) but is not searchable.
The validator, YAML and the JSON Schema library are imported only here and only
when a file has to be (re)checked, so a warm search never loads them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_kb.processes import default_jobs
from postmortem_kb.search import freshness, tables
from postmortem_kb.search.freshness import Plan, Stat, stem

if TYPE_CHECKING:
    from postmortem_kb.model.records import Postmortem
    from postmortem_kb.search.session import SearchIndex


MAX_BYTES = "max_file_bytes"  # meta key: the size limit of config.yml, read without YAML
# What a file's row points to, dropped before the file is stored again or removed.
_DELETE_CONTENT = (
    "DELETE FROM fts WHERE rowid = ?",
    "DELETE FROM records WHERE doc = ?",
    "DELETE FROM terms WHERE doc = ?",
)


@dataclass
class RefreshReport:
    """What one refresh did, for the command to tell the user (files left out, say)."""

    indexed: int = 0  # files (re)checked and indexed
    removed: int = 0  # rows dropped for deleted or renamed files
    skipped: int = 0  # files with errors, not searchable
    rebuilt: bool = False


def refresh(index: SearchIndex) -> RefreshReport:
    """Bring ``index`` up to date with postmortems/ and schema/."""
    report = RefreshReport()
    db = index.db
    schema_dir = index.project.schema_dir
    if freshness.rules_change(tables.read_meta(db, "rules"), schema_dir) is not None:
        with index.transaction():
            # Asked again: another process may have rebuilt while this one waited.
            rules = freshness.rules_change(tables.read_meta(db, "rules"), schema_dir)
            if rules == freshness.REBUILD:
                _clear(index)
                report.rebuilt = True
            elif rules is not None:
                tables.write_meta(db, "rules", rules)
    if _plan(index):
        with index.transaction():
            _apply(index, _plan(index), report)  # planned again, now that no one else writes
    report.skipped = db.execute("SELECT count(*) FROM files WHERE NOT valid").fetchone()[0]
    return report


def _clear(index: SearchIndex) -> None:
    for table in tables.CONTENT_TABLES:
        index.db.execute(f"DELETE FROM {table}")
    index.db.executemany(
        "INSERT OR REPLACE INTO vocabulary VALUES (?, ?, ?)",
        tables.vocabulary_rows(index.project.taxonomy),
    )
    tables.write_meta(index.db, "rules", freshness.rules_fingerprint(index.project.schema_dir))
    # config.yml is a rule file, so this is rewritten whenever it changes.
    tables.write_meta(index.db, MAX_BYTES, str(index.project.config.max_file_bytes))


def _plan(index: SearchIndex) -> Plan:
    # The hot path of every search: two narrow queries, served by the files_stat index.
    scanned_ns = time.time_ns()
    current = freshness.scan(index.project.postmortems_dir)
    stored: dict[str, Stat] = {
        name: (size, mtime_ns, ctime_ns, inode)
        for name, size, mtime_ns, ctime_ns, inode in index.db.execute(
            "SELECT name, size, mtime_ns, ctime_ns, inode FROM files"
        )
    }
    racy = {  # freshness.is_racy, asked of every row at once
        name
        for (name,) in index.db.execute(
            "SELECT name FROM files WHERE max(mtime_ns, ctime_ns) >= checked_ns - ?",
            (freshness.RACY_NS,),
        )
    }
    return freshness.plan(scanned_ns, current, stored, racy)


def _apply(index: SearchIndex, plan: Plan, report: RefreshReport) -> None:
    for name in plan.removed:
        _delete(index, name)
        report.removed += 1
    known_ids = {stem(name) for name in plan.current}
    changed: dict[str, str] = {}  # name -> sha256 of the new content
    for name in sorted(plan.recheck):
        digest = _changed_digest(index, name, plan.current[name], plan.scanned_ns)
        if digest is not None:
            changed[name] = digest
    if changed:  # else only stats were noted: no need to load the checker
        _check_and_store(index, plan, changed, known_ids)
    indexed = set(changed)
    report.indexed += len(indexed)
    changed_ids = {stem(name) for name in plan.removed | plan.added}
    if not changed_ids:
        return
    # Whether the ids in `related` exist decides validity: check again the files
    # that name an id that appeared or went away, and every file that had errors.
    for name, valid, related in index.db.execute(
        "SELECT name, valid, related FROM files WHERE NOT valid OR related != ''"
    ).fetchall():
        if name not in indexed and (not valid or changed_ids & set(related.split())):
            _index(index, name, plan.current[name], plan.scanned_ns, known_ids)
            report.indexed += 1


def _check_and_store(
    index: SearchIndex, plan: Plan, changed: dict[str, str], known_ids: set[str]
) -> None:
    # Checked in one batch, so that a cold build of a large collection uses every CPU
    # (as `postmortem check` does); each file is still checked against all ids.
    paths = [index.project.postmortems_dir / name for name in changed]
    checked = index.checker.check_paths(paths, known_ids, jobs=default_jobs())
    for (name, digest), (_findings, record) in zip(changed.items(), checked, strict=True):
        _store(index, name, plan.current[name], plan.scanned_ns, digest, record)


def _changed_digest(index: SearchIndex, name: str, stat: Stat, scanned_ns: int) -> str | None:
    """The new sha256 of ``name`` if its content changed; else only note its new stat."""
    digest = _digest(index, index.project.postmortems_dir / name)
    row = index.db.execute("SELECT sha256 FROM files WHERE name = ?", (name,)).fetchone()
    if row is not None and row[0] == digest:
        index.db.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, checked_ns = ? "
            "WHERE name = ?",
            (*stat, scanned_ns, name),
        )
        return None
    return digest


def _index(index: SearchIndex, name: str, stat: Stat, scanned_ns: int, known_ids: set[str]) -> None:
    path = index.project.postmortems_dir / name
    _findings, record = index.checker.check_file(path, known_ids)
    _store(index, name, stat, scanned_ns, _digest(index, path), record)


def _digest(index: SearchIndex, path: Path) -> str:
    """The sha256 of the file's bytes, read with every guard of `postmortem check`
    (a link to /dev/zero or a FIFO is refused, not read forever); a refused file
    gets the digest of why, so it is checked again when that changes."""
    import hashlib  # only when a file changed: keeps the warm path's imports small

    known = tables.read_meta(index.db, MAX_BYTES)
    raw = index.project.read(path, int(known) if known else None)
    if isinstance(raw, bytes):
        return hashlib.sha256(raw).hexdigest()
    return "refused:" + hashlib.sha256(raw.message.encode()).hexdigest()


def _store(
    index: SearchIndex,
    name: str,
    stat: Stat,
    scanned_ns: int,
    digest: str,
    record: Postmortem | None,
) -> None:
    db = index.db
    related = " ".join(record.related) if record else _related_of(index, name)
    row = db.execute("SELECT rowid FROM files WHERE name = ?", (name,)).fetchone()
    values = {
        "name": name,
        "size": stat[0],
        "mtime_ns": stat[1],
        "ctime_ns": stat[2],
        "inode": stat[3],
        "sha256": digest,
        "checked_ns": scanned_ns,
        "valid": int(record is not None),
        "related": related,
        **tables.record_columns(record),
    }
    if row is None:
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cursor = db.execute(
            f"INSERT INTO files ({columns}) VALUES ({marks})", tuple(values.values())
        )
        doc = cursor.lastrowid
        assert doc is not None
    else:
        doc = row[0]
        assignments = ", ".join(f"{column} = ?" for column in values)
        db.execute(f"UPDATE files SET {assignments} WHERE rowid = ?", (*values.values(), doc))
        for statement in _DELETE_CONTENT:
            db.execute(statement, (doc,))
    if record is None:
        return
    db.execute(
        "INSERT INTO fts (rowid, title, summary, details, body) VALUES (?, ?, ?, ?, ?)",
        tables.fts_row(doc, record),
    )
    db.execute(
        "INSERT INTO records VALUES (?, ?)", tables.record_row(doc, record, index.project.root)
    )
    db.executemany(
        "INSERT INTO terms (doc, kind, term) VALUES (?, ?, ?)", tables.term_rows(doc, record)
    )


def _delete(index: SearchIndex, name: str) -> None:
    row = index.db.execute("SELECT rowid FROM files WHERE name = ?", (name,)).fetchone()
    if row is None:
        return
    for statement in (*_DELETE_CONTENT, "DELETE FROM files WHERE rowid = ?"):
        index.db.execute(statement, row)


def _related_of(index: SearchIndex, name: str) -> str:
    """`related` ids of a file with errors, as far as it can be read."""
    from postmortem_kb.loading.files import LoadedFile

    loaded = index.project.load(index.project.postmortems_dir / name)
    if not isinstance(loaded, LoadedFile):
        return ""
    related = loaded.front_matter.data.get("related")
    if not isinstance(related, list):
        return ""
    return " ".join(item for item in related if isinstance(item, str) and " " not in item)
