"""Full-text search over postmortems: an SQLite FTS5 index kept in a cache folder.

query       SearchQuery (what is asked) and the safe FTS5 expression of its text
freshness   what changed in postmortems/ and schema/ since the index looked
tables      the index's tables, and the rows one postmortem becomes
refresh     bringing the index up to date (checks files lazily)
lookup      answering a query: filters, ranking, snippets, count; SearchHit
session     opening the index (disk, memory, rebuild) and run_search
"""

from postmortem_kb.search.lookup import MARK_END, MARK_START, SearchHit
from postmortem_kb.search.query import SearchQuery, fts_expression
from postmortem_kb.search.refresh import RefreshReport
from postmortem_kb.search.session import SearchIndex, SearchOutcome, run_search

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
