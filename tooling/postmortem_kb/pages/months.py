"""Incidents per month by severity, as a stacked chart and as its table: the home page and
the Insights page show the same figure.

Incidents whose severity nobody assessed are in no level's count; they get a grey
"not assessed" part of each bar and a column of their own, so that the month's total
is every incident it had. Both appear only when some month has one.
"""

from __future__ import annotations

from collections.abc import Sequence

from postmortem_kb.analysis.timeline import MonthCounts
from postmortem_kb.model.shape import NOT_ASSESSED
from postmortem_kb.pages.chart_specs import stacked_months
from postmortem_kb.pages.charts import figure
from postmortem_kb.pages.html import esc, table, tr


def _any_not_assessed(months: Sequence[MonthCounts]) -> bool:
    return any(m.not_assessed for m in months)


def per_month_chart(
    months: Sequence[MonthCounts], severities: tuple[str, ...], caption: str, height: int = 180
) -> str:
    """The stacked bar chart of ``months`` (oldest first) with its text alternative."""
    unassessed = _any_not_assessed(months)
    rows = [
        (m.month, m.by_severity | ({NOT_ASSESSED: m.not_assessed} if unassessed else {}))
        for m in months
    ]
    stacked = "severity (grey: not assessed)" if unassessed else "severity"
    spec = stacked_months(rows, severities, height, NOT_ASSESSED if unassessed else None)
    return figure(
        spec,
        f"Bar chart of incidents per month from {months[0].month} to {months[-1].month}, "
        f"stacked by {stacked}; the table below gives every month's counts.",
        caption,
    )


def per_month_table(months: Sequence[MonthCounts], severities: tuple[str, ...]) -> str:
    """Every month's counts, newest first: one column per level, then "Not assessed"
    (when some month has one) and "All"."""
    unassessed = _any_not_assessed(months)
    extra = ["Not assessed"] if unassessed else []
    rows = [
        tr(
            [
                esc(m.month),
                *(esc(n) for n in m.by_severity.values()),
                *([esc(m.not_assessed)] if unassessed else []),
                esc(m.total),
            ]
        )
        for m in reversed(months)
    ]
    return table(
        ["Month", *severities, *extra, "All"],
        rows,
        caption="Incidents per month by severity, newest first",
    )
