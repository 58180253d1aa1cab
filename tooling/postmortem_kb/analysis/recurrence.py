"""How often each term recurs, when, and what it occurs with.

Counts are of incidents (two write-ups of one incident count once, as the
collection decides). A start known only to the month is placed in its quarter,
but cannot be placed on either side of a "last 12 months" boundary inside its
month: such records are left out of that count and counted on their own.

Co-occurrence is shown with its support (incidents with both terms) and its lift
(support / support expected if the two were independent). Lift from a handful of
incidents is noise, so it is given only from MIN_SUPPORT incidents together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from postmortem_kb.collection.index import Collection, split_by_start
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.timestamps import IncidentTime

# Fewer incidents together than this and a lift says nothing: it is not shown.
MIN_SUPPORT = 5


def quarter_of(day: date) -> str:
    """``2025-Q1`` for a day in January to March 2025."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_12_months(records: list[Postmortem], today: date) -> tuple[list[Postmortem], int]:
    """The records that started in the 12 months up to ``today`` (inclusive), and how
    many could not be placed (known only to a month that the boundary cuts)."""
    return split_by_start(records, today - timedelta(days=364), today)


@dataclass(frozen=True)
class TermStats:
    """How often one term was named, first and last, in the last 12 months and per quarter."""

    kind: Kind
    term: str
    count: int  # incidents (second write-ups count once)
    first_seen: IncidentTime  # the earliest start (``.label`` to show it)
    last_seen: IncidentTime
    last_12_months: int
    per_quarter: dict[str, int]  # "2025-Q1" -> count, only quarters with incidents
    incidents: tuple[Postmortem, ...]  # the postmortems, newest first
    last_12_months_unplaced: int = 0  # known only to a month the 12-month boundary cuts


def term_stats(collection: Collection, kind: Kind, today: date) -> list[TermStats]:
    """Every term used, ranked by count (then most recent, then name)."""
    stats = []
    for term in collection.terms_used(kind):
        incidents = collection.with_term(kind, term)  # newest first
        once = collection.one_per_incident(incidents)
        recent, unplaced = last_12_months(once, today)
        stats.append(
            TermStats(
                kind=kind,
                term=term,
                count=len(once),
                first_seen=incidents[-1].started,
                last_seen=incidents[0].started,
                last_12_months=len(recent),
                per_quarter=dict(sorted(Counter(quarter_of(r.month_start) for r in once).items())),
                incidents=tuple(incidents),
                last_12_months_unplaced=unplaced,
            )
        )
    return sorted(stats, key=lambda s: (-s.count, s.incidents[0].recency, s.term))


def lift(together: int, first: int, second: int, total: int) -> float | None:
    """How many times more often two terms occur together than if they were independent;
    None below MIN_SUPPORT incidents together (too few to say)."""
    if together < MIN_SUPPORT or not first or not second:
        return None
    return round(together * total / (first * second), 2)


@dataclass(frozen=True)
class CoOccurrence:
    """A term named in the same incidents as another: in how many (its support), and the
    lift (None below MIN_SUPPORT)."""

    kind: Kind
    term: str
    together: int  # incidents that have both: the support
    lift: float | None = None


def co_occurring(
    collection: Collection, kind: Kind, term: str, other_kind: Kind, limit: int = 5
) -> list[CoOccurrence]:
    """Terms of ``other_kind`` that most often appear in the same incidents as ``term``."""
    counts: Counter[str] = Counter()
    incidents = collection.one_per_incident(collection.with_term(kind, term))
    for record in incidents:
        for other in dict.fromkeys(record.names(other_kind)):
            if not (other_kind is kind and other == term):
                counts[other] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    total = collection.incident_count
    return [
        CoOccurrence(
            other_kind,
            other,
            together,
            lift(together, len(incidents), collection.count(other_kind, other), total),
        )
        for other, together in ranked
    ]


@dataclass(frozen=True)
class TermPair:
    """Two causes that occur together, how often, and how much more than chance."""

    first: str
    second: str
    together: int
    expected: float  # incidents with both if the two were independent
    lift: float  # together / expected; above 1 means more often than chance


def cause_pairs(collection: Collection, min_together: int = MIN_SUPPORT) -> list[TermPair]:
    """Pairs of causes that occur together more often than chance (lift > 1), seen
    together in at least ``min_together`` incidents.

    Chance is reckoned over the analysed incidents only: one not yet analysed names
    no cause, and counting it would make every pair look likelier than it is. The
    causes of an incident are those of all its write-ups.
    """
    by_incident: dict[str, set[str]] = {}
    for record in collection.records:
        if record.analysed:
            main = collection.incident_of(record).id
            by_incident.setdefault(main, set()).update(ref.term for ref in record.causes)
    total = len(by_incident)
    if total == 0:
        return []
    singles = collection.term_counts(Kind.CAUSE)
    pairs: Counter[tuple[str, str]] = Counter()
    for causes in by_incident.values():
        terms = sorted(causes)
        for i, first in enumerate(terms):
            for second in terms[i + 1 :]:
                pairs[(first, second)] += 1
    found = []
    for (first, second), together in pairs.items():
        expected = singles[first] * singles[second] / total
        lift = together / expected if expected else 0.0
        if together >= min_together and lift > 1.0:
            found.append(TermPair(first, second, together, round(expected, 2), round(lift, 2)))
    return sorted(found, key=lambda p: (-p.lift, -p.together, p.first, p.second))
