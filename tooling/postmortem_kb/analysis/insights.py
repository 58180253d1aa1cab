"""Every figure of the site's Insights page, computed once from the collection.

The page draws a chart of each and follows it with its numbers in a table; the
numbers come from the same functions as `postmortem stats` (durations,
completeness), so the site and the command line never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from postmortem_kb.analysis.completeness import Completeness, completeness
from postmortem_kb.analysis.durations import DurationStats, duration_stats
from postmortem_kb.analysis.ledger import LedgerEntry, lucky_break_ledger
from postmortem_kb.analysis.timeline import (
    ActionItemMonth,
    MonthCounts,
    OwnerOverdue,
    QuarterTerms,
    action_items_per_month,
    incidents_per_month,
    overdue_by_owner,
    terms_per_quarter,
)
from postmortem_kb.analysis.writing_time import WritingTime, writing_time
from postmortem_kb.collection.index import Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.vcs.history import GitHistory

# The Insights page shows each quarter's most named causes.
TOP_CAUSES_PER_QUARTER = 3


@dataclass(frozen=True)
class Insights:
    """What the Insights page shows, as of ``today``."""

    today: date
    incidents: int
    first: date | None
    last: date | None
    severities: tuple[str, ...]
    per_month: list[MonthCounts]
    durations: list[DurationStats]  # per severity and measure
    causes_per_quarter: list[QuarterTerms]
    action_items: list[ActionItemMonth]
    overdue_by_owner: list[OwnerOverdue]
    lucky_breaks: list[LedgerEntry]
    writing: WritingTime
    completeness: Completeness


def insights(collection: Collection, today: date, history: GitHistory) -> Insights:
    """The Insights page's figures for every incident of ``collection``."""
    # One record per incident: a second write-up is not a second incident. Months and
    # quarters place a record at every precision (a month is known even without a day).
    records = collection.one_per_incident(collection.records)
    months = [r.month_start for r in records]
    first, last = (min(months), max(months)) if months else (None, None)
    severities = collection.shape.severities
    return Insights(
        today=today,
        incidents=len(records),
        first=first,
        last=last,
        severities=severities,
        per_month=incidents_per_month(records, severities, first, last) if first and last else [],
        durations=duration_stats(collection),
        causes_per_quarter=terms_per_quarter(records, Kind.CAUSE, first, last)
        if first and last
        else [],
        action_items=action_items_per_month(collection, first, last) if first and last else [],
        overdue_by_owner=overdue_by_owner(collection, today),
        lucky_breaks=lucky_break_ledger(collection),
        writing=writing_time(records, history),
        completeness=completeness(records),
    )
