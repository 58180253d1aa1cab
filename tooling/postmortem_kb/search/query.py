"""What a search asks for, and turning what a person typed into a safe FTS5 query.

People type words, "exact phrases" and prefix* words. Each becomes a quoted
FTS5 string, so nothing they type (a stray quote, AND, a colon, a parenthesis)
can be read as FTS5 syntax and fail the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import FACET_KINDS, Kind

# Words and phrases one query may hold. FTS5 intersects a doclist per part and
# snippet() weighs every part against every token of a hit, so a pasted page
# (2,000 words took 158 s) costs far more than it tells; `similar` is for that.
MAX_QUERY_PARTS = 64
# SQLite's LIMIT is a 64-bit integer; any larger limit means "all of them".
MAX_LIMIT = 2**63 - 1

# "a phrase" (an unclosed quote runs to the end), or a run of anything else.
_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchQuery:
    """A full-text query combined with filters: filters AND together, values of one filter OR.

    ``terms`` filters by the kinds that are search facets (model.kinds.FACET_KINDS):
    a postmortem matches when it names at least one of the names given for each kind.
    """

    text: str = ""
    terms: Mapping[Kind, tuple[str, ...]] = field(default_factory=dict, hash=False)
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: date | None = None  # started on or after (a month counts only if wholly inside)
    until: date | None = None
    customer_facing: bool | None = None  # impact.customer_facing; None: either, or not given
    limit: int = 20

    def __post_init__(self) -> None:
        unknown = [kind for kind in self.terms if kind not in FACET_KINDS]
        if unknown:
            raise ValueError(f"not search filters: {', '.join(map(str, unknown))}")
        # One entry per facet kind, in the kind table's order, so that two queries
        # asking for the same thing compare equal however they were built.
        object.__setattr__(
            self, "terms", {kind: tuple(self.terms.get(kind, ())) for kind in FACET_KINDS}
        )
        object.__setattr__(self, "limit", min(self.limit, MAX_LIMIT))

    def names(self, kind: Kind) -> tuple[str, ...]:
        """The names given for the filter of ``kind`` (none: that filter is off)."""
        return self.terms.get(kind, ())


def fts_expression(text: str) -> str:
    """An FTS5 MATCH expression that finds documents with every word, phrase and prefix.

    ``config push`` -> ``"config" "push"``; ``"exact phrase"`` stays a phrase;
    ``time*`` -> ``"time"*``. Parts without a letter or digit are dropped, so the
    result may be empty (then there is nothing to match on), and a part given twice
    counts once. More than MAX_QUERY_PARTS distinct parts is a UsageError.
    """
    parts = []
    for match in _PART.finditer(text):
        phrase, bare = match.group(1), match.group(2)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                parts.append(_quoted(" ".join(words)))
            continue
        prefix = bare.endswith("*")
        words = _WORD.findall(bare)
        if not words:
            continue
        parts.append(_quoted(" ".join(words)) + ("*" if prefix else ""))
    distinct = list(dict.fromkeys(parts))  # every part must match: a repeat adds nothing
    if len(distinct) > MAX_QUERY_PARTS:
        raise UsageError(
            f"the query has {len(distinct):,} different words and phrases; at most "
            f"{MAX_QUERY_PARTS} are searched at once (to find incidents like a whole "
            "text, use `postmortem similar FILE`)"
        )
    return " ".join(distinct)


def _quoted(words: str) -> str:
    # Only word characters remain, but double any quote for safety all the same.
    return '"' + words.replace('"', '""') + '"'
