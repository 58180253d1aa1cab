"""The patterns report as text (aligned tables with sparkline trends) or JSON."""

from __future__ import annotations

import json
from typing import Any

from postmortem_kb.analysis.durations import MEASURES, format_duration
from postmortem_kb.analysis.patterns import PatternsReport, sparkline
from postmortem_kb.reports.workflow_commands import neutral_json

# A trend drawn per quarter fits a line up to this many quarters; longer ones are per year.
TREND_QUARTERS = 16
MEASURE_NAMES = {
    "time_to_detect": "detect",
    "time_to_mitigate": "mitigate",
    "time_to_resolve": "resolve",
}


def json_report(report: PatternsReport) -> str:
    """The report as JSON for scripts: ids, dates as ISO strings, durations in seconds."""
    return neutral_json(json.dumps(report_data(report), indent=2, ensure_ascii=False)) + "\n"


def report_data(report: PatternsReport) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "incidents": report.incidents,
        "since": report.since.isoformat() if report.since else None,
        "left_out": dict(report.left_out),
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
                "median_seconds": d.median.total_seconds() if d.median is not None else None,
                "p90_seconds": d.p90.total_seconds() if d.p90 is not None else None,
                "left_out": d.left_out,
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


def _table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    """Columns padded to their widest cell; ``right`` columns (numbers) aligned right."""
    right = right or set()
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  " + "  ".join(padded).rstrip()

    return [line(header), *(line(row) for row in rows)]


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
    return lines + _table(["cause", "count", "first", "last", "trend"], rows, right={1})


def _pairs(report: PatternsReport) -> list[str]:
    lines = ["Causes that occur together more often than chance"]
    if not report.pairs:
        return [*lines, "  none (a pair needs at least 2 incidents together)"]
    rows = [
        [f"{p.first} + {p.second}", str(p.together), f"{p.expected:.2f}", f"{p.lift:.2f}"]
        for p in report.pairs
    ]
    return lines + _table(["causes", "together", "expected", "lift"], rows, right={1, 2, 3})


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
    return lines + _table(header, rows, right={1})


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
    return lines + _table(header, rows, right=set(range(1, len(header))))


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
    return lines + _table(["severity", *(MEASURE_NAMES[m] for m in MEASURES)], rows) + notes
