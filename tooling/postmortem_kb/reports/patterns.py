"""The patterns report as text (aligned tables with sparkline trends) or JSON."""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.analysis.durations import MEASURE_SHORT, MEASURES, format_duration
from postmortem_kb.analysis.patterns import PatternsReport, sparkline
from postmortem_kb.analysis.recurrence import MIN_SUPPORT
from postmortem_kb.reports.tables import text_table
from postmortem_kb.reports.workflow_commands import neutral_json

# A trend drawn per quarter fits a line up to this many quarters; longer ones are per year.
TREND_QUARTERS = 16


def json_report(report: PatternsReport) -> str:
    """The report as JSON for scripts: ids, dates as ISO strings, durations in seconds."""
    return neutral_json(json.dumps(report_data(report), indent=2, ensure_ascii=False)) + "\n"


def report_data(report: PatternsReport) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "incidents": report.incidents,
        "since": report.since.isoformat() if report.since else None,
        "left_out": dict(report.left_out),
        "limit": report.limit,
        "totals": report.totals,
        "min_support": MIN_SUPPORT,
        "causes": [
            {
                "term": s.term,
                "count": s.count,
                "first_seen": s.first_seen.label,
                "last_seen": s.last_seen.label,
                "last_12_months": s.last_12_months,
                "last_12_months_unplaced": s.last_12_months_unplaced,
                "per_quarter": s.per_quarter,
                "incidents": [r.id for r in s.incidents],
            }
            for s in report.causes
        ],
        "cause_pairs": [
            {
                "causes": [p.first, p.second],
                "together": p.together,
                "expected": p.expected,
                "lift": p.lift,
            }
            for p in report.pairs
        ],
        "lucky_breaks": [
            {
                "term": e.term,
                "count": e.count,
                "last_seen": e.last_seen.id,
                "status": e.status,
                "incidents": [r.id for r in e.incidents],
                "safeguards": [
                    {
                        "postmortem": ref.postmortem.id,
                        "action_item": ref.item.id,
                        "title": ref.item.title,
                        "status": ref.item.status,
                    }
                    for ref in e.safeguards
                ],
            }
            for e in report.ledger
        ],
        "services": [
            {
                "service": s.service,
                "count": s.count,
                "by_severity": s.by_severity,
                "not_assessed": s.not_assessed,
            }
            for s in report.services
        ],
        "durations": [
            {
                "severity": d.severity,
                "measure": d.measure,
                "n": d.n,
                "missing": d.missing,
                "median_seconds": d.median.total_seconds() if d.median is not None else None,
                "p90_seconds": d.p90.total_seconds() if d.p90 is not None else None,
                "imprecise": d.imprecise,
            }
            for d in report.durations
        ],
    }


def text_report(report: PatternsReport) -> str:
    """The report for people: one aligned table per section."""
    if report.incidents == 0:
        since = f" since {report.since}" if report.since else ""
        return f"no postmortems{since}\n"
    lines = [
        f"{report.incidents} incident{'s' if report.incidents != 1 else ''}, {report.first} to {report.last}"
        + (f" (since {report.since})" if report.since else ""),
        *_left_out(report),
        "",
    ]
    for section in (_causes, _pairs, _ledger, _services, _durations):
        lines += [*section(report), ""]
    return "\n".join(lines[:-1]) + "\n"


def _left_out(report: PatternsReport) -> list[str]:
    """What the figures below could not place, one line each (nothing when all could)."""
    lines = []
    if report.unplaced:
        lines.append(
            f"  left out: {report.unplaced} started in a month that {report.since} cuts through "
            "(known only to the month)"
        )
    if report.not_analysed:
        lines.append(
            f"  {report.not_analysed} not yet analysed (no causes): left out of causes and pairs"
        )
    if report.not_assessed:
        lines.append(
            f"  {report.not_assessed} not assessed (severity unknown): left out of the figures "
            "per severity"
        )
    return lines


def _causes(report: PatternsReport) -> list[str]:
    # One character per quarter while that fits a line; per year for longer histories.
    if len(report.quarters) <= TREND_QUARTERS:
        buckets, unit = list(report.quarters), "quarter"
    else:
        buckets, unit = sorted({q[:4] for q in report.quarters}), "year"
    span = f", {buckets[0]} .. {buckets[-1]}" if buckets else ""
    lines = [f"Recurring causes (trend per {unit}{span})"]
    rows = []
    for s in report.causes:
        counts = dict.fromkeys(buckets, 0)
        for quarter, n in s.per_quarter.items():
            counts[quarter if unit == "quarter" else quarter[:4]] += n
        rows.append(
            [
                s.term,
                str(s.count),
                s.first_seen.label,
                s.last_seen.label,
                sparkline(list(counts.values())),
            ]
        )
    if not rows:
        return [*lines, "  none recorded"]
    ruler = ["", "", "", "", year_ruler(buckets, unit)]
    table = text_table(["cause", "count", "first", "last", "trend"], [ruler, *rows], right={1})
    return lines + table + _more(report, "causes", len(rows))


def _pairs(report: PatternsReport) -> list[str]:
    lines = [
        "Causes that occur together more often than chance "
        f"(lift, from {MIN_SUPPORT} incidents together)"
    ]
    if not report.pairs:
        return [*lines, f"  none seen together in {MIN_SUPPORT} incidents or more"]
    rows = [
        [f"{p.first} + {p.second}", str(p.together), f"{p.expected:.2f}", f"{p.lift:.2f}"]
        for p in report.pairs
    ]
    header = ["causes", "together (support)", "expected", "lift"]
    table = text_table(header, rows, right={1, 2, 3})
    return lines + table + _more(report, "cause_pairs", len(rows))


def _ledger(report: PatternsReport) -> list[str]:
    lines = ["Lucky breaks (near misses) and whether they are safeguarded"]
    if not report.ledger:
        return [*lines, "  none recorded"]
    rows = [
        [
            e.term,
            str(e.count),
            e.last_seen.date_label,
            e.status,
            # The date part of the id is enough to tell postmortems apart here; JSON has it all.
            ", ".join(f"{ref.postmortem.id[:10]} {ref.item.id}" for ref in e.safeguards) or "-",
        ]
        for e in report.ledger
    ]
    header = ["lucky break", "count", "last", "status", "safeguards"]
    return lines + text_table(header, rows, right={1}) + _more(report, "lucky_breaks", len(rows))


def _services(report: PatternsReport) -> list[str]:
    lines = ["Services by incident count"]
    if not report.services:
        return [*lines, "  none recorded"]
    severities = list(report.services[0].by_severity)
    unknown = any(s.not_assessed for s in report.services)
    rows = [
        [
            s.service,
            str(s.count),
            *(str(s.by_severity.get(sev, 0)) for sev in severities),
            *([str(s.not_assessed)] if unknown else []),
        ]
        for s in report.services
    ]
    header = ["service", "incidents", *severities, *(["not assessed"] if unknown else [])]
    table = text_table(header, rows, right=set(range(1, len(header))))
    return lines + table + _more(report, "services", len(rows))


def _durations(report: PatternsReport) -> list[str]:
    lines = [
        "Time from start to detect, mitigate and resolve: median / p90 (n); only between two "
        "full times"
    ]
    by_key = {(d.severity, d.measure): d for d in report.durations}
    severities = list(dict.fromkeys(d.severity for d in report.durations))
    rows = []
    for severity in severities:
        cells = [severity]
        for measure in MEASURES:
            d = by_key[(severity, measure)]
            cells.append(
                f"{format_duration(d.median)} / {format_duration(d.p90)} (n={d.n})" if d.n else "-"
            )
        rows.append(cells)
    imprecise = sum(d.imprecise for d in report.durations)
    notes = []
    if imprecise:
        notes.append(
            f"  {imprecise} duration{'s' if imprecise != 1 else ''} left out: a time given "
            "only as a date or a month"
        )
    return lines + text_table(["severity", *(MEASURE_SHORT[m] for m in MEASURES)], rows) + notes


def _more(report: PatternsReport, table: str, shown: int) -> list[str]:
    left_out = report.more(table, shown)
    return [f"  ... and {left_out} more (--all shows every row)"] if left_out > 0 else []


def year_ruler(buckets: list[str], unit: str) -> str:
    """A line as wide as a trend of ``buckets`` with the years written where they start:
    ``'24 '25`` above quarters, the first and last year above a trend per year."""
    width = len(buckets)
    if unit == "year":
        if width < 9:
            return buckets[0] if width >= 4 else ""
        return buckets[0] + " " * (width - 8) + buckets[-1]
    line = [" "] * width
    free = 0  # the first column a label may start at
    first_q1 = next((i for i, b in enumerate(buckets) if b.endswith("-Q1")), width)
    for index, bucket in enumerate(buckets):
        label = "'" + bucket[2:4]
        # A year that starts before the trend is labelled only if it has room before the next.
        starts_year = bucket.endswith("-Q1") or (index == 0 and first_q1 >= 4)
        if starts_year and index >= free and index + len(label) <= width:
            line[index : index + len(label)] = label
            free = index + len(label) + 1
    return "".join(line).rstrip()
