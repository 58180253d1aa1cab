"""Answering a query from an up-to-date index: filters, ranking, snippets and the count.

Names given for a filter are first folded to their canonical terms (the index's
vocabulary holds every alias), so an alias finds what its term finds. Hits are
ranked by bm25 over the weighted full-text columns, newest first without text;
each hit reports its record as stored at indexing time (``model.serialize``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import FACET_KINDS, Kind
from postmortem_kb.model.serialize import BRIEF_FIELDS
from postmortem_kb.model.taxonomy import did_you_mean
from postmortem_kb.search.query import SearchQuery, fts_expression
from postmortem_kb.search.tables import WEIGHTS

if TYPE_CHECKING:
    from postmortem_kb.search.session import SearchIndex

# A snippet's matches are marked with these; each front end renders them its own way.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 16

_Row = tuple[int, float, str]  # files.rowid, score, summary (for a snippet without text)


@dataclass(frozen=True)
class SearchHit:
    """One postmortem a search found: its brief record, how well it matched, and where.

    ``brief`` is the record's BRIEF_FIELDS as ``model.serialize.brief_dict`` gives them
    (id, path, date, severity, status, title); ``terms`` the canonical names of each
    facet kind, in the order written.
    """

    brief: Mapping[str, Any]
    score: float  # higher is better; 0 when listing without a query
    snippet: str  # matches between MARK_START and MARK_END
    terms: Mapping[Kind, tuple[str, ...]]

    @property
    def id(self) -> str:
        """The postmortem's id: its file name without .md."""
        return str(self.brief["id"])

    @property
    def path(self) -> str:
        """Its file, relative to the repository root."""
        return str(self.brief["path"])

    @property
    def date(self) -> str:
        """The UTC date it started: YYYY-MM-DD."""
        return str(self.brief["date"])

    @property
    def severity(self) -> str:
        """Its severity, as the schema spells it."""
        return str(self.brief["severity"])

    @property
    def status(self) -> str:
        """Its status (draft, review, published)."""
        return str(self.brief["status"])

    @property
    def title(self) -> str:
        """Its title."""
        return str(self.brief["title"])


def canonical(index: SearchIndex, kind: Kind, name: str) -> str:
    """The canonical term for a name or alias; unknown names are a usage error."""
    group = kind.value
    row = index.db.execute(
        "SELECT canonical FROM vocabulary WHERE kind = ? AND name = ?", (group, name)
    ).fetchone()
    if row is not None and name:
        return str(row[0])
    has_group = index.db.execute(
        "SELECT 1 FROM vocabulary WHERE kind = ? AND name = ''", (group,)
    ).fetchone()
    if not has_group:
        return name  # no controlled list for this kind (services often): take it as written
    project = index.project
    suggestions = project.taxonomy.suggest(kind, name)
    hint = did_you_mean(suggestions)
    raise UsageError(
        f"'{name}' is not a known {kind.singular}{hint} "
        f"(the terms are listed in {project.display_path(project.schema_dir)}/taxonomy.yml)"
    )


def resolve(index: SearchIndex, query: SearchQuery) -> SearchQuery:
    """``query`` with every taxonomy name replaced by its canonical term."""
    terms = {
        kind: tuple(dict.fromkeys(canonical(index, kind, name) for name in query.names(kind)))
        for kind in FACET_KINDS
    }
    return replace(query, terms=terms)


def search(index: SearchIndex, query: SearchQuery) -> tuple[list[SearchHit], int]:
    """The best ``query.limit`` hits (best first; newest first without text) and the total."""
    db = index.db
    where, params = _filters(query)
    expression = fts_expression(query.text)
    if not expression:
        rows: list[_Row] = db.execute(
            f"SELECT f.rowid, 0.0, f.summary FROM files f WHERE {where} "
            "ORDER BY f.started DESC, f.id DESC LIMIT ?",
            (*params, query.limit),
        ).fetchall()
        snippets = {doc: _shorten(summary) for doc, _, summary in rows}
        total = _count(index, f"FROM files f WHERE {where}", params, rows, query.limit)
        return _hits(index, rows, snippets), total
    weights = ", ".join(str(w) for w in WEIGHTS.values())
    matching = f"FROM fts JOIN files f ON f.rowid = fts.rowid WHERE fts MATCH ? AND {where}"
    rows = db.execute(
        f"SELECT f.rowid, -bm25(fts, {weights}) AS score, '' {matching} "
        "ORDER BY score DESC, f.started DESC, f.id DESC LIMIT ?",
        (expression, *params, query.limit),
    ).fetchall()
    total = _count(index, matching, [expression, *params], rows, query.limit)
    # Snippets only for the hits shown, not for every match the ranking looked at.
    snippets = {
        doc: db.execute(
            "SELECT snippet(fts, -1, ?, ?, '…', ?) FROM fts WHERE fts MATCH ? AND rowid = ?",
            (MARK_START, MARK_END, SNIPPET_TOKENS, expression, doc),
        ).fetchone()[0]
        for doc, _, _ in rows
    }
    return _hits(index, rows, snippets), total


def imprecise(index: SearchIndex, query: SearchQuery) -> int:
    """How many postmortems match every other filter but were left out by --since or
    --until because their start is known only to a month that straddles the bound."""
    if query.since is None and query.until is None:
        return 0
    where, params = _filters(replace(query, since=None, until=None))
    since = (query.since or date.min).isoformat()
    until = (query.until or date.max).isoformat()
    # Not certainly inside the range, and not certainly outside it.
    straddles = "NOT (f.day_from >= ? AND f.day_to <= ?) AND NOT (f.day_to < ? OR f.day_from > ?)"
    row = index.db.execute(
        f"SELECT count(*) FROM files f WHERE {where} AND {straddles}",
        (*params, since, until, since, until),
    ).fetchone()
    return int(row[0])


def _filters(query: SearchQuery) -> tuple[str, list[str | int]]:
    clauses = ["f.valid"]
    params: list[str | int] = []

    def any_of(column: str, values: tuple[str, ...]) -> None:
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)

    for kind in FACET_KINDS:
        names = query.names(kind)
        if names:
            clauses.append(
                "f.rowid IN (SELECT doc FROM terms WHERE kind = ? "
                f"AND term IN ({', '.join('?' * len(names))}))"
            )
            params.extend((kind.value, *names))
    if query.severities:
        any_of("f.severity", query.severities)
    if query.statuses:
        any_of("f.status", query.statuses)
    # A start known only to the month matches when the whole month is in the range;
    # one that straddles a bound is left out and counted (imprecise).
    if query.since:
        clauses.append("f.day_from >= ?")
        params.append(query.since.isoformat())
    if query.until:
        clauses.append("f.day_to <= ?")
        params.append(query.until.isoformat())
    if query.customer_facing is not None:
        clauses.append("f.customer_facing = ?")
        params.append(int(query.customer_facing))
    return " AND ".join(clauses), params


def _count(
    index: SearchIndex, matching: str, params: list[str | int], rows: list[_Row], limit: int
) -> int:
    # Counting runs the query again, so only when the limit cut the list short.
    if len(rows) < limit:
        return len(rows)
    return int(index.db.execute(f"SELECT count(*) {matching}", params).fetchone()[0])


def _hits(index: SearchIndex, rows: list[_Row], snippets: dict[int, str]) -> list[SearchHit]:
    hits = []
    for doc, score, _ in rows:
        (stored,) = index.db.execute("SELECT record FROM records WHERE doc = ?", (doc,)).fetchone()
        record = json.loads(stored)  # search.tables.record_row
        hits.append(
            SearchHit(
                brief={name: record[name] for name in BRIEF_FIELDS},
                score=round(score, 3),
                snippet=" ".join(snippets.get(doc, "").split()),
                terms={kind: tuple(record["terms"][kind.value]) for kind in FACET_KINDS},
            )
        )
    return hits


def _shorten(text: str | None, limit: int = 160) -> str:
    words = " ".join((text or "").split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + " …"
