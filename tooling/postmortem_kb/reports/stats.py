"""`postmortem stats` as text (aligned tables), JSON or CSV.

Durations are medians and 90th percentiles with n and the number of incidents
that did not give the time; JSON and CSV give them in seconds, empty (null) when
no incident gave them. There is no mean anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from postmortem_kb.analysis.completeness import CHECKS
from postmortem_kb.analysis.durations import (
    MEASURE_SHORT,
    MEASURES,
    MIN_GROUP,
    DurationSummary,
    format_duration,
    seconds_or_none,
)
from postmortem_kb.analysis.patterns import sparkline
from postmortem_kb.analysis.stats import StatsGroup, StatsReport
from postmortem_kb.reports.tables import text_table


def summary_data(summary: DurationSummary) -> dict[str, Any]:
    """One duration summary as JSON data: n, missing, median and p90 in seconds."""
    return {
        "n": summary.n,
        "missing": summary.missing,
        "median_seconds": seconds_or_none(summary.median),
        "p90_seconds": seconds_or_none(summary.p90),
    }


def group_data(group: StatsGroup) -> dict[str, Any]:
    """One group as JSON data."""
    done = group.completeness
    return {
        "key": group.key,
        "incidents": group.incidents,
        "too_few_to_compare": group.too_few,
        "by_severity": group.by_severity,
        "not_assessed": group.not_assessed,
        "durations": {m: summary_data(s) for m, s in group.durations.items()},
        "completeness": {
            "total": done.total,
            "missing": done.missing,
            "share_missing": {name: _share(done.share_missing(name)) for name in CHECKS},
        },
        "action_items": {
            "total": group.action_items.total,
            "open": group.action_items.open,
            "overdue": group.action_items.overdue,
            "done": group.action_items.done,
            "wont_do": group.action_items.wont_do,
        },
        "trend": group.trend,
    }


def report_data(report: StatsReport) -> dict[str, Any]:
    """The whole report as plain data."""
    return {
        "as_of": report.as_of.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "until": report.until.isoformat() if report.until else None,
        "by": report.by,
        "first": report.first,
        "last": report.last,
        "unplaced": report.unplaced,
        "min_group": MIN_GROUP,
        "overall": group_data(report.overall),
        "groups": [group_data(g) for g in report.groups],
    }


def json_report(report: StatsReport) -> str:
    """The report as JSON for scripts."""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    ["group", "incidents", "too_few_to_compare"]
    + [
        f"{m}_{part}"
        for m in MEASURES
        for part in ("n", "missing", "median_seconds", "p90_seconds")
    ]
    + [f"missing_{name}" for name in CHECKS]
    + ["action_items", "action_items_open", "action_items_overdue"]
)


def csv_report(report: StatsReport) -> str:
    """One row per group (the first row: every incident of the range), for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in [report.overall, *report.groups]:
        row: list[Any] = [group.key, group.incidents, str(group.too_few).lower()]
        for measure in MEASURES:
            data = summary_data(group.durations[measure])
            row += [data["n"], data["missing"], _blank(data["median_seconds"])]
            row.append(_blank(data["p90_seconds"]))
        row += [group.completeness.missing[name] for name in CHECKS]
        items = group.action_items
        row += [items.total, items.open, items.overdue]
        writer.writerow(row)
    return out.getvalue()


def text_report(report: StatsReport) -> str:
    """The report for people: the range, then one table of groups."""
    overall = report.overall
    span = _span(report)
    if overall.incidents == 0:
        return f"no postmortems{span}\n"
    lines = [
        f"{overall.incidents} postmortems, {report.first} to {report.last}{span}; "
        f"action items as of {report.as_of}",
        *_left_out(report),
        "",
        "Time from start to detect, mitigate and resolve: median / p90 (n, missing)",
    ]
    groups = [overall, *report.groups]
    header = [report.by or "group", "incidents", *(MEASURE_SHORT[m] for m in MEASURES)]
    rows = [
        [g.key, str(g.incidents), *(_duration_cell(g.durations[m]) for m in MEASURES)]
        for g in groups
    ]
    lines += text_table(header, rows, right={1})
    lines += ["", "Missing from the postmortems (share of incidents)"]
    header = [report.by or "group", *CHECKS]
    rows = [[g.key, *(_missing_cell(g, name) for name in CHECKS)] for g in groups]
    lines += text_table(header, rows, right=set(range(1, len(CHECKS) + 1)))
    lines += ["", f"Action items (overdue as of {report.as_of}) and trend per quarter"]
    header = [report.by or "group", "items", "open", "overdue", "trend"]
    rows = [
        [
            g.key,
            str(g.action_items.total),
            str(g.action_items.open),
            str(g.action_items.overdue),
            _trend_cell(g, report.by),
        ]
        for g in groups
    ]
    lines += text_table(header, rows, right={1, 2, 3})
    few = [g.key for g in report.groups if g.too_few]
    if few:
        lines += [
            "",
            f"too few to compare (fewer than {MIN_GROUP} incidents, no trend): {', '.join(few)}",
        ]
    if report.by in ("service", "cause"):
        lines += ["", f"an incident with several {report.by}s counts in each of them"]
    return "\n".join(lines) + "\n"


def _left_out(report: StatsReport) -> list[str]:
    """What the figures could not place, one line each."""
    lines = []
    if report.unplaced:
        lines.append(
            f"  left out: {report.unplaced} known only to a month that the date range cuts through"
        )
    if report.overall.not_assessed:
        lines.append(
            f"  {report.overall.not_assessed} not assessed (severity unknown): in no "
            "severity's figures"
        )
    return lines


def _span(report: StatsReport) -> str:
    parts = []
    if report.since:
        parts.append(f"since {report.since}")
    if report.until:
        parts.append(f"until {report.until}")
    return f" ({', '.join(parts)})" if parts else ""


def _duration_cell(summary: DurationSummary) -> str:
    if not summary.n:
        return f"- (n=0, {summary.missing} missing)"
    return (
        f"{format_duration(summary.median)} / {format_duration(summary.p90)} "
        f"(n={summary.n}, {summary.missing} missing)"
    )


def _missing_cell(group: StatsGroup, name: str) -> str:
    share = group.completeness.share_missing(name)
    count = group.completeness.missing[name]
    return f"{count} ({share:.0%})" if share is not None else "-"


def _trend_cell(group: StatsGroup, by: str | None) -> str:
    if by == "quarter":
        return ""
    if group.trend is None:
        return "too few to compare"
    return sparkline(list(group.trend.values()))


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _blank(value: float | None) -> Any:
    return "" if value is None else value
