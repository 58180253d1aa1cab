"""The Vega-Lite specs of the site's charts, built from the analysis results.

One function per kind of chart; each returns a spec with its data inline, which
pages.charts renders. Counts are drawn as they are; durations on a log scale in
minutes. Nothing here computes a figure that a table does not show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from postmortem_kb.analysis.durations import MIN_GROUP, DurationSummary, percentile
from postmortem_kb.pages.charts import (
    SERIES_COLOURS,
    STATUS_COLOURS,
    WIDTH,
    minutes_axis,
    severity_colours,
)

# A log scale cannot draw zero: durations under this many minutes are drawn at it.
LOG_FLOOR_MINUTES = 0.5


def _month_date(month: str) -> str:
    return f"{month}-01"


def _quarter_date(quarter: str) -> str:
    year, q = quarter.split("-Q")
    return f"{year}-{(int(q) - 1) * 3 + 1:02d}-01"


def stacked_months(
    rows: Sequence[tuple[str, dict[str, int]]],
    severities: tuple[str, ...],
    height: int = 180,
    not_assessed: str | None = None,
) -> dict[str, Any]:
    """Incidents per month (``(month, {severity: count})``), stacked by severity; when
    ``not_assessed`` is given, it is one more key of the counts, drawn last in grey."""
    domain = [*severities, not_assessed] if not_assessed else list(severities)
    values = [
        {"month": _month_date(month), "severity": sev, "n": n, "rank": i}
        for month, counts in rows
        for i, (sev, n) in enumerate(counts.items())
        if n
    ]
    return {
        "width": WIDTH,
        "height": height,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": None,
                "axis": {"format": "%b %Y", "labelAngle": 0, "labelOverlap": "greedy"},
                "scale": {
                    "domain": [_month_date(rows[0][0]), _month_date(rows[-1][0])] if rows else None
                },
            },
            "y": {
                "field": "n",
                "type": "quantitative",
                "aggregate": "sum",
                "title": "Incidents",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "severity",
                "type": "nominal",
                "title": "Severity",
                "scale": {
                    "domain": domain,
                    "range": severity_colours(severities, not_assessed is not None),
                },
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
    }


def distribution(groups: Sequence[tuple[str, DurationSummary]], title: str) -> dict[str, Any]:
    """One duration per group on a log scale: a box (quartiles, whiskers to the least
    and greatest value, a tick at the median) for a group of MIN_GROUP or more, each
    value as a point for a smaller one."""
    boxes: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    labels = []
    for name, summary in groups:
        label = f"{name} (n={summary.n})"
        labels.append(label)
        minutes = [max(s / 60, LOG_FLOOR_MINUTES) for s in summary.seconds]
        if not minutes:
            continue
        if summary.n >= MIN_GROUP:
            boxes.append(
                {
                    "group": label,
                    "min": minutes[0],
                    "q1": percentile(minutes, 0.25),
                    "median": percentile(minutes, 0.5),
                    "q3": percentile(minutes, 0.75),
                    "p90": percentile(minutes, 0.9),
                    "max": minutes[-1],
                }
            )
        else:
            points += [{"group": label, "value": value} for value in minutes]
    x_scale = {"type": "log", "domain": [LOG_FLOOR_MINUTES, _upper(boxes, points)]}
    y = {"field": "group", "type": "nominal", "title": None, "sort": labels}
    y_domain = {"scale": {"domain": labels}}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": boxes},
            "mark": {"type": "rule", "color": "currentColor"},
            "encoding": {
                "y": {**y, **y_domain},
                "x": {"field": "min", "type": "quantitative", "scale": x_scale},
                "x2": {"field": "max"},
            },
        },
        {
            "data": {"values": boxes},
            "mark": {"type": "bar", "size": 14, "color": SERIES_COLOURS[0]},
            "encoding": {
                "y": y,
                "x": {"field": "q1", "type": "quantitative"},
                "x2": {"field": "q3"},
            },
        },
        {
            "data": {"values": boxes},
            "mark": {"type": "tick", "color": "currentColor", "thickness": 2, "size": 18},
            "encoding": {"y": y, "x": {"field": "median", "type": "quantitative"}},
        },
        {
            "data": {"values": boxes},
            "mark": {"type": "point", "shape": "diamond", "color": "currentColor", "filled": True},
            "encoding": {"y": y, "x": {"field": "p90", "type": "quantitative"}},
        },
        {
            "data": {"values": points},
            "mark": {"type": "point", "filled": True, "opacity": 0.75, "color": SERIES_COLOURS[0]},
            "encoding": {
                "y": y,
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "axis": minutes_axis(f"{title} (log scale)"),
                },
            },
        },
    ]
    return {
        "width": WIDTH - 160,
        "height": {"step": 26},
        "layer": layers,
        "resolve": {"scale": {"x": "shared", "y": "shared"}},
    }


def _upper(boxes: list[dict[str, Any]], points: list[dict[str, Any]]) -> float:
    highest = max([b["max"] for b in boxes] + [p["value"] for p in points] + [60.0])
    scale = 1.0
    while scale < highest:
        scale *= 10
    return scale


def heatmap(
    cells: Sequence[tuple[str, str, int]], rows: Sequence[str], columns: Sequence[str]
) -> dict[str, Any]:
    """Counts as shaded cells (``(column, row, count)``), each with its count written in."""
    values = [{"quarter": c, "term": r, "n": n} for c, r, n in cells]
    encoding_x = {"field": "quarter", "type": "ordinal", "title": None, "sort": list(columns)}
    encoding_y = {"field": "term", "type": "nominal", "title": None, "sort": list(rows)}
    return {
        "width": {"step": 44},
        "height": {"step": 22},
        "data": {"values": values},
        "encoding": {"x": {**encoding_x, "axis": {"labelAngle": -40}}, "y": encoding_y},
        "layer": [
            {
                "mark": {"type": "rect", "color": SERIES_COLOURS[0]},
                "encoding": {
                    "opacity": {
                        "field": "n",
                        "type": "quantitative",
                        "scale": {"range": [0.2, 0.9]},
                        "legend": None,
                    }
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11},
                "encoding": {"text": {"field": "n", "type": "quantitative"}},
            },
        ],
    }


def month_lines(
    rows: Sequence[tuple[str, dict[str, int]]], series: Sequence[str], height: int = 160
) -> dict[str, Any]:
    """Counts per month (``(month, {series: count})``), one line per series."""
    values = [
        {"month": _month_date(month), "series": name, "n": counts.get(name, 0)}
        for month, counts in rows
        for name in series
    ]
    return {
        "width": WIDTH,
        "height": height,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 18}, "strokeWidth": 1.5},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "title": None,
                "axis": {"format": "%b %Y", "labelAngle": 0, "labelOverlap": "greedy"},
            },
            "y": {
                "field": "n",
                "type": "quantitative",
                "title": "Action items",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(series), "range": list(SERIES_COLOURS[: len(series)])},
            },
        },
    }


def horizontal_bars(
    rows: Sequence[tuple[str, float]],
    title: str,
    *,
    colour_by: Sequence[str] | None = None,
    percent: bool = False,
) -> dict[str, Any]:
    """One bar per row (``(label, value)``), longest first as given; ``colour_by`` gives
    each row a lucky-break status to colour it by."""
    values: list[dict[str, Any]] = [
        {"label": label, "value": value, **({"status": colour_by[i]} if colour_by else {})}
        for i, (label, value) in enumerate(rows)
    ]
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "title": title}
    if percent:
        x |= {"axis": {"format": "%"}, "scale": {"domain": [0, 1]}}
    else:
        x |= {"axis": {"tickMinStep": 1, "format": "d"}}
    encoding: dict[str, Any] = {
        "y": {"field": "label", "type": "nominal", "title": None, "sort": [r[0] for r in rows]},
        "x": x,
    }
    mark: dict[str, Any] = {"type": "bar", "color": SERIES_COLOURS[0]}
    if colour_by:
        statuses = list(STATUS_COLOURS)
        encoding["color"] = {
            "field": "status",
            "type": "nominal",
            "title": "Safeguard",
            "scale": {"domain": statuses, "range": [STATUS_COLOURS[s] for s in statuses]},
        }
        mark = {"type": "bar"}
    return {
        "width": WIDTH - 200,
        "height": {"step": 20},
        "data": {"values": values},
        "mark": mark,
        "encoding": encoding,
    }


def quarter_bars(counts: Sequence[tuple[str, int]], height: int = 70) -> dict[str, Any]:
    """A small chart of incidents per quarter (``(quarter, count)``): a term's trend."""
    values = [{"quarter": _quarter_date(q), "n": n} for q, n in counts]
    return {
        "width": WIDTH - 240,
        "height": height,
        "data": {"values": values},
        "mark": {"type": "bar", "color": SERIES_COLOURS[0]},
        "encoding": {
            "x": {
                "field": "quarter",
                "type": "temporal",
                "timeUnit": "yearquarter",
                "title": None,
                "axis": {"format": "%Y", "labelAngle": 0, "tickCount": "year"},
            },
            "y": {
                "field": "n",
                "type": "quantitative",
                "title": "Incidents",
                "axis": {"tickMinStep": 1, "tickCount": 3, "format": "d"},
            },
        },
    }
