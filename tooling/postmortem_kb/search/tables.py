"""The index's tables, and the rows one postmortem becomes.

``files`` has a row per file in postmortems/, valid or not (so that an unchanged
file with errors is not checked again at every search); a valid one also has the
columns it is filtered and ordered by. ``records`` has each valid file's record
as ``model.serialize`` writes it, which is what a hit reports. ``terms`` has the
canonical names of each search facet kind (model.kinds.FACET_KINDS), ``fts`` the
searchable text and ``vocabulary`` every taxonomy name and alias with its
canonical term.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_kb.model.kinds import FACET_KINDS, KINDS
from postmortem_kb.model.serialize import brief_dict

if TYPE_CHECKING:
    from postmortem_kb.model.records import Postmortem
    from postmortem_kb.model.taxonomy import Taxonomy

# Bump when the tables change; an index of another version is rebuilt from scratch.
SCHEMA_VERSION = 7
# The full-text columns with their bm25 weights: a match in the title counts most,
# in the body least.
WEIGHTS = {"title": 10.0, "summary": 5.0, "details": 3.0, "body": 1.0}
# What a refresh empties when the rules change (meta keeps the rules' fingerprint).
CONTENT_TABLES = ("files", "records", "terms", "vocabulary", "fts")
# The columns of a valid file's row that come from its record.
RECORD_COLUMNS = (
    "id",
    "date",
    "day_from",
    "day_to",
    "started",
    "severity",
    "status",
    "summary",
    "customer_facing",
)

_DDL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    rowid INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- file name in postmortems/
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,          -- an edit that resets mtime still moves ctime
    inode INTEGER NOT NULL,             -- a file replaced by another (a rename over it)
    sha256 TEXT NOT NULL,
    checked_ns INTEGER NOT NULL,        -- when the stat was read
    valid INTEGER NOT NULL,             -- 0: the file has errors and is not searchable
    related TEXT NOT NULL DEFAULT '',   -- ids it names in `related`, space separated
    id TEXT,
    date TEXT,                          -- the start as lists show it: 2017-02-28 or 2017-02
    day_from TEXT, day_to TEXT,         -- the first and last UTC date it can be (a month spans)
    started INTEGER,                    -- chronological order at every precision
    severity TEXT, status TEXT, summary TEXT,
    customer_facing INTEGER             -- impact.customer_facing: 1, 0, or NULL (not given)
);
CREATE INDEX files_started ON files (started);
-- Covers the stat comparison of every search, which then never reads the wide rows.
CREATE INDEX files_stat ON files (name, size, mtime_ns, ctime_ns, inode, checked_ns);
-- A table of its own, not a column of files: ranking reads the files row of every
-- match, and with the record in it (a few KB a row) a search for a common word over
-- 2,000 postmortems took 1.6 times as long.
CREATE TABLE records (
    doc INTEGER PRIMARY KEY,            -- files.rowid
    record TEXT NOT NULL                -- what a hit shows: brief_dict plus facet names, JSON
);
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


def create_tables(db: sqlite3.Connection) -> None:
    """Drop whatever ``db`` holds and create the tables of SCHEMA_VERSION (in a transaction)."""
    objects = db.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%'"
    ).fetchall()
    for kind, name in objects:
        db.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for statement in _DDL.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def record_columns(record: Postmortem | None) -> dict[str, str | int | None]:
    """The RECORD_COLUMNS of a file's row: all None for a file with errors."""
    if record is None:
        return dict.fromkeys(RECORD_COLUMNS)
    day, moment = record.started.sort_key
    customer_facing = record.impact.customer_facing if record.impact is not None else None
    return {
        "id": record.id,
        "date": record.date_label,
        "day_from": record.started.earliest_day.isoformat(),
        "day_to": record.started.latest_day.isoformat(),
        # One integer in the order of IncidentTime.sort_key (moment is -2 at the least).
        "started": day * 10**11 + moment + 2,
        "severity": record.severity,
        "status": record.status,
        "summary": record.summary,
        "customer_facing": None if customer_facing is None else int(customer_facing),
    }


def record_row(doc: int, record: Postmortem, root: Path) -> tuple[int, str]:
    """The ``records`` row of ``record``: what a search hit says about it, the fields of
    model.serialize.brief_dict and, under ``terms``, its canonical names of each facet
    kind (a hit's terms), so that a search builds no record."""
    stored = brief_dict(record, root) | {
        "terms": {kind.value: [ref.term for ref in record.terms(kind)] for kind in FACET_KINDS}
    }
    return (doc, json.dumps(stored, ensure_ascii=False))


def term_rows(doc: int, record: Postmortem) -> Iterator[tuple[int, str, str]]:
    """(doc, kind, term) for each distinct canonical name of every facet kind."""
    for kind in FACET_KINDS:
        for term in dict.fromkeys(record.names(kind)):
            yield (doc, kind.value, term)


def fts_row(doc: int, record: Postmortem) -> tuple[int, str, str, str, str]:
    """The searchable text of ``record``, in the order of WEIGHTS."""
    return (doc, record.title, record.summary, details(record), record.body)


def details(record: Postmortem) -> str:
    """The detail prose of every term that may carry one (causes, lucky breaks, ...)."""
    refs = (ref for spec in KINDS.values() if spec.has_detail for ref in record.terms(spec.kind))
    return "\n".join(ref.detail for ref in refs if ref.detail)


def vocabulary_rows(taxonomy: Taxonomy) -> Iterator[tuple[str, str, str]]:
    """(kind, name, canonical) for every term and alias in the taxonomy.

    Each group present in the taxonomy also gets a row with the empty name, so that a
    lookup can tell "not a known term" from "no controlled list for this kind".
    """
    for kind, group in taxonomy.terms.items():
        for term in group.values():
            yield (kind.value, term.id, term.id)
            for alias in term.aliases:
                yield (kind.value, alias, term.id)
        yield (kind.value, "", "")


def read_meta(db: sqlite3.Connection, key: str) -> str | None:
    """The value stored under ``key`` in meta, if any."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def write_meta(db: sqlite3.Connection, key: str, value: str) -> None:
    """Store ``value`` under ``key`` in meta."""
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
