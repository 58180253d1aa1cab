"""Counts over time: incidents per month by severity, action items per month, top causes
per quarter, and overdue action items by owner.

Every month (or quarter) between the first and the last is listed, with zeros, so a
chart or a table never hides a quiet month by leaving it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from postmortem_kb.analysis.recurrence import quarter_of
from postmortem_kb.collection.index import Collection
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem


def month_of(day: date) -> str:
    """``2025-03`` for a day in March 2025."""
    return f"{day.year}-{day.month:02d}"


def months_between(first: date, last: date) -> tuple[str, ...]:
    """``("2024-11", "2024-12", "2025-01")``: every month from ``first``'s to ``last``'s."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def quarters_between(first: date, last: date) -> tuple[str, ...]:
    """``("2024-Q4", "2025-Q1", ...)`` from the quarter of ``first`` to that of ``last``."""
    quarters = []
    year, quarter = first.year, (first.month - 1) // 3
    while (year, quarter) <= (last.year, (last.month - 1) // 3):
        quarters.append(f"{year}-Q{quarter + 1}")
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return tuple(quarters)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before, when negative) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthCounts:
    """Incidents that started in one month, per severity (every severity, zeros included),
    and those whose severity nobody assessed: in no severity's count, but in the total."""

    month: str
    by_severity: dict[str, int]
    not_assessed: int = 0

    @property
    def total(self) -> int:
        """Every incident of the month, assessed or not."""
        return sum(self.by_severity.values()) + self.not_assessed


def incidents_per_month(
    records: Iterable[Postmortem], severities: tuple[str, ...], first: date, last: date
) -> list[MonthCounts]:
    """Incidents per month from ``first``'s month to ``last``'s, by severity."""
    months = months_between(first, last)
    counts: dict[str, Counter[str]] = {month: Counter() for month in months}
    not_assessed: Counter[str] = Counter()
    for record in records:
        month = month_of(record.month_start)
        if month in counts:
            if record.severity_assessed:
                counts[month][record.severity] += 1
            else:
                not_assessed[month] += 1
    return [
        MonthCounts(
            month, {sev: counts[month].get(sev, 0) for sev in severities}, not_assessed[month]
        )
        for month in months
    ]


@dataclass(frozen=True)
class ActionItemMonth:
    """Action items from the incidents of one month: how many, and how many are done now.

    The record has no completion date, so "done" counts the items of that month's
    incidents whose status is done today, not the items finished that month."""

    month: str
    opened: int
    done: int
    wont_do: int


def action_items_per_month(
    collection: Collection, first: date, last: date
) -> list[ActionItemMonth]:
    """Action items by the month their incident started, from ``first``'s to ``last``'s."""
    months = months_between(first, last)
    opened: Counter[str] = Counter()
    done: Counter[str] = Counter()
    wont: Counter[str] = Counter()
    for ref in collection.action_items():
        month = month_of(ref.postmortem.month_start)
        opened[month] += 1
        if ref.item.status == "done":
            done[month] += 1
        elif ref.item.status == "wont-do":
            wont[month] += 1
    return [ActionItemMonth(m, opened[m], done[m], wont[m]) for m in months]


@dataclass(frozen=True)
class OwnerOverdue:
    """An owner, how many of their action items are open, and how many overdue."""

    owner: str
    open: int
    overdue: int


def overdue_by_owner(collection: Collection, today: date) -> list[OwnerOverdue]:
    """Owners with overdue action items as of ``today``, most overdue first."""
    open_items: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for ref in collection.open_action_items():
        open_items[ref.item.owner] += 1
        if ref.item.is_overdue(today):
            overdue[ref.item.owner] += 1
    owners = [OwnerOverdue(o, open_items[o], n) for o, n in overdue.items()]
    return sorted(owners, key=lambda o: (-o.overdue, -o.open, o.owner))


@dataclass(frozen=True)
class QuarterTerms:
    """How many incidents of one quarter named each term of a kind."""

    quarter: str
    incidents: int  # incidents that started in the quarter
    counts: dict[str, int]  # term -> incidents naming it

    def top(self, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most named terms, most first (then by name)."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def terms_per_quarter(
    records: Iterable[Postmortem], kind: Kind, first: date, last: date
) -> list[QuarterTerms]:
    """Terms of ``kind`` named in each quarter from ``first``'s to ``last``'s."""
    quarters = quarters_between(first, last)
    incidents: Counter[str] = Counter()
    terms: dict[str, Counter[str]] = {quarter: Counter() for quarter in quarters}
    for record in records:
        quarter = quarter_of(record.month_start)
        if quarter not in terms:
            continue
        incidents[quarter] += 1
        for term in dict.fromkeys(record.names(kind)):
            terms[quarter][term] += 1
    return [QuarterTerms(q, incidents[q], dict(terms[q])) for q in quarters]
