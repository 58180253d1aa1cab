"""Full-text search over postmortems: an SQLite FTS5 index kept in a cache folder."""

from postmortem_kb.search.index import (
    MARK_END,
    MARK_START,
    RefreshReport,
    SearchHit,
    SearchIndex,
    SearchOutcome,
    run_search,
)
from postmortem_kb.search.query import SearchQuery, fts_expression

__all__ = [
    "MARK_END",
    "MARK_START",
    "RefreshReport",
    "SearchHit",
    "SearchIndex",
    "SearchOutcome",
    "SearchQuery",
    "fts_expression",
    "run_search",
]
