"""The patterns report: what recurs across incidents, assembled from the analyses.

Recurring causes with their trend, cause pairs above chance, the lucky-breaks
ledger, services by incident count and severity, and durations per severity.
What a figure cannot place is left out of it and counted: incidents not yet
analysed (no causes), not assessed (severity unknown), and with ``since``, those
whose start is known only to a month that the date cuts through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from postmortem_kb.analysis.durations import DurationStats, duration_stats
from postmortem_kb.analysis.ledger import LedgerEntry, lucky_break_ledger
from postmortem_kb.analysis.recurrence import TermPair, TermStats, cause_pairs, term_stats
from postmortem_kb.analysis.timeline import quarters_between
from postmortem_kb.collection.index import Collection, split_by_start
from postmortem_kb.model.kinds import Kind

SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class ServiceStats:
    """A service, how many incidents involved it, and how many of each severity."""

    service: str
    count: int
    by_severity: dict[str, int]  # every severity, zero included
    not_assessed: int = 0  # incidents with severity unknown


@dataclass(frozen=True)
class PatternsReport:
    """Everything `postmortem patterns` shows, computed once for every renderer."""

    incidents: int  # second write-ups count once
    since: date | None
    first: str | None  # the earliest start in the report, as lists show it (2017-02-28, 2017-02)
    last: str | None
    quarters: tuple[str, ...]  # every quarter from first to last, for trends
    causes: list[TermStats]
    pairs: list[TermPair]
    ledger: list[LedgerEntry]
    services: list[ServiceStats]
    durations: list[DurationStats]
    not_analysed: int = 0  # incidents without causes: left out of causes and pairs
    not_assessed: int = 0  # incidents with severity unknown: left out of per-severity figures
    unplaced: int = 0  # left out by ``since``: known only to a month it cuts through
    left_out: dict[str, int] = field(default_factory=dict)  # all of the above, by name
    limit: int | None = None  # rows per table (None: every row)
    # Rows each table has before the limit: "causes", "cause_pairs", "lucky_breaks", "services".
    totals: dict[str, int] = field(default_factory=dict)

    def more(self, table: str, shown: int) -> int:
        """How many rows of ``table`` the limit left out."""
        return self.totals.get(table, shown) - shown


# Each table shows this many rows unless every row is asked for (`patterns --all`).
TOP_ROWS = 10


def patterns_report(
    collection: Collection,
    today: date,
    since: date | None = None,
    limit: int | None = TOP_ROWS,
) -> PatternsReport:
    """The report over incidents that started on or after ``since`` (default: all), each
    table cut to its first ``limit`` rows (None: all of them)."""
    unplaced = 0
    if since is not None:
        kept, unplaced = split_by_start(collection.records, since, None)
        collection = collection.subset(kept)
    records = collection.records  # newest first
    first = records[-1] if records else None
    last = records[0] if records else None
    incidents = collection.one_per_incident(records)
    not_analysed = collection.not_analysed_count
    not_assessed = sum(1 for r in incidents if not r.severity_assessed)
    causes = term_stats(collection, Kind.CAUSE, today)
    pairs = cause_pairs(collection)
    ledger = lucky_break_ledger(collection)
    services = service_stats(collection)
    totals = {
        "causes": len(causes),
        "cause_pairs": len(pairs),
        "lucky_breaks": len(ledger),
        "services": len(services),
    }
    return PatternsReport(
        incidents=collection.incident_count,
        since=since,
        first=first.date_label if first else None,
        last=last.date_label if last else None,
        quarters=quarters_between(first.month_start, last.month_start) if first and last else (),
        causes=causes[:limit],
        pairs=pairs[:limit],
        ledger=ledger[:limit],
        services=services[:limit],
        durations=duration_stats(collection),
        not_analysed=not_analysed,
        not_assessed=not_assessed,
        unplaced=unplaced,
        left_out={
            "not_analysed": not_analysed,
            "not_assessed": not_assessed,
            "unplaced": unplaced,
        },
        limit=limit,
        totals=totals,
    )


def service_stats(collection: Collection) -> list[ServiceStats]:
    """Services ranked by incident count, then by how many were severe."""
    stats = []
    for service, count in collection.term_counts(Kind.SERVICE).items():
        incidents = collection.one_per_incident(collection.with_term(Kind.SERVICE, service))
        severities = Counter(r.severity for r in incidents if r.severity_assessed)
        by_severity = {sev: severities.get(sev, 0) for sev in collection.shape.severities}
        by_severity |= {sev: n for sev, n in severities.items() if sev not in by_severity}
        not_assessed = sum(1 for r in incidents if not r.severity_assessed)
        stats.append(ServiceStats(service, count, by_severity, not_assessed))

    def rank(s: ServiceStats) -> tuple[int, tuple[int, ...], str]:
        worst_first = collection.shape.severities
        return (-s.count, tuple(-s.by_severity.get(sev, 0) for sev in worst_first), s.service)

    return sorted(stats, key=rank)


def sparkline(counts: list[int]) -> str:
    """One character per value, scaled to the largest; ``·`` for zero."""
    top = max(counts, default=0)
    if top == 0:
        return "·" * len(counts)
    return "".join(
        "·" if n == 0 else SPARK[min(len(SPARK) - 1, (n * len(SPARK) - 1) // top)] for n in counts
    )
