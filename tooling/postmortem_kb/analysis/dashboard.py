"""The home page's figures: the state of the knowledge base as of one date.

Incidents in the last 90 days against the 90 before, open and overdue action
items, median time to detect and to resolve over the last 12 months with n (and
how many incidents did not give the time), lucky breaks still without a
safeguard, incidents per month by severity, and "on this day" in earlier years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from postmortem_kb.analysis.durations import DurationSummary, measure_summary
from postmortem_kb.analysis.ledger import lucky_break_ledger
from postmortem_kb.analysis.timeline import MonthCounts, add_months, incidents_per_month
from postmortem_kb.collection.index import Collection, split_by_start
from postmortem_kb.model.records import Postmortem

WINDOW_DAYS = 90
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Dashboard:
    """Every figure on the home page, as of ``today``."""

    today: date
    last_90_days: int  # incidents that started in the 90 days up to today
    previous_90_days: int  # in the 90 days before those
    open_action_items: int
    overdue_action_items: int
    time_to_detect: DurationSummary  # over the incidents of the last 12 months
    time_to_resolve: DurationSummary
    last_12_months: int  # incidents the two durations are taken from
    lucky_breaks: int  # lucky-break terms named at all
    lucky_unaddressed: int  # ... with no action item addressing them
    lucky_planned: int  # ... with one planned but none done
    months: list[MonthCounts]  # the last MONTHS_SHOWN months, this one included
    on_this_day: list[Postmortem]  # incidents on today's month and day in earlier years

    @property
    def lucky_without_safeguard(self) -> int:
        """Lucky breaks whose safeguard is not done (unaddressed or only planned)."""
        return self.lucky_unaddressed + self.lucky_planned


def window(records: list[Postmortem], start: date, end: date) -> list[Postmortem]:
    """Records that certainly started after ``start`` and on or before ``end`` (UTC
    dates): one known only to a month that a bound cuts through is left out."""
    return split_by_start(records, start + timedelta(days=1), end)[0]


def dashboard(collection: Collection, today: date) -> Dashboard:
    """The home page's figures as of ``today``."""
    records = collection.one_per_incident(collection.records)
    recent = window(records, today - timedelta(days=WINDOW_DAYS), today)
    previous = window(
        records, today - timedelta(days=2 * WINDOW_DAYS), today - timedelta(days=WINDOW_DAYS)
    )
    year = window(records, today - timedelta(days=365), today)
    open_items = collection.open_action_items()
    ledger = lucky_break_ledger(collection)
    first_month = add_months(today, -(MONTHS_SHOWN - 1))
    return Dashboard(
        today=today,
        last_90_days=len(recent),
        previous_90_days=len(previous),
        open_action_items=len(open_items),
        overdue_action_items=sum(1 for ref in open_items if ref.item.is_overdue(today)),
        time_to_detect=measure_summary(year, "time_to_detect"),
        time_to_resolve=measure_summary(year, "time_to_resolve"),
        last_12_months=len(year),
        lucky_breaks=len(ledger),
        lucky_unaddressed=sum(1 for e in ledger if e.status == "unaddressed"),
        lucky_planned=sum(1 for e in ledger if e.status == "safeguard planned"),
        months=incidents_per_month(records, collection.shape.severities, first_month, today),
        on_this_day=on_this_day(records, today),
    )


def on_this_day(records: list[Postmortem], today: date) -> list[Postmortem]:
    """Incidents that started on today's month and day in an earlier year, newest first
    (29 February counts on 28 February in other years)."""
    found = []
    for record in records:
        day = record.day
        if day is None or day.year >= today.year:  # known only to the month: no day to match
            continue
        same = (day.month, day.day) == (today.month, today.day)
        leap = (day.month, day.day) == (2, 29) and (today.month, today.day) == (2, 28)
        if same or (leap and not _is_leap(today.year)):
            found.append(record)
    return found


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
