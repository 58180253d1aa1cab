"""The Insights page: charts of what the postmortems say, each followed by its numbers.

Every chart is an SVG rendered at build time (pages.charts) with a text
alternative, and the table after it holds every number it draws, so that the
page reads without the picture. Durations are medians and 90th percentiles with
n; incidents that did not give a time are counted as missing; a group of fewer
than MIN_GROUP incidents is marked too few to compare.
"""

from __future__ import annotations

from postmortem_kb.analysis.completeness import CHECK_LABELS, CHECKS
from postmortem_kb.analysis.durations import MEASURE_LABELS, MEASURES, MIN_GROUP, format_duration
from postmortem_kb.analysis.insights import TOP_CAUSES_PER_QUARTER, Insights, insights
from postmortem_kb.model.kinds import Kind
from postmortem_kb.pages import urls
from postmortem_kb.pages.chart_specs import (
    distribution,
    heatmap,
    horizontal_bars,
    month_lines,
)
from postmortem_kb.pages.charts import figure
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import a, esc, folded_numbers, plural, section, table, tr
from postmortem_kb.pages.months import per_month_chart, per_month_table

# The causes chart shows the most recent quarters; the table lists the same ones.
QUARTERS_SHOWN = 16
OWNERS_SHOWN = 15


def render_insights(ctx: SiteContext) -> str:
    """The whole Insights page."""
    data = insights(ctx.collection, ctx.today, ctx.history)
    parts = ["<h1>Insights</h1>", _intro(ctx, data)]
    if data.incidents == 0:
        parts.append("<p>No postmortems yet.</p>")
        return "\n".join(parts)
    parts += [
        section("Incidents per month", "incidents-per-month", _per_month(data)),
        section("Time to detect, mitigate and resolve", "durations", _durations(data)),
        section("Top recurring causes per quarter", "causes-per-quarter", _causes(ctx, data)),
        section("Action items", "action-items", _action_items(ctx, data)),
        section("Lucky breaks and their safeguards", "lucky-breaks", _lucky_breaks(ctx, data)),
        section("Time to write the postmortem", "time-to-write", _writing(ctx, data)),
        section("Data completeness", "completeness", _completeness(data)),
    ]
    return "\n".join(parts)


def _intro(ctx: SiteContext, data: Insights) -> str:
    span = f", {data.first} to {data.last}" if data.first and data.last else ""
    return (
        f'<p class="pmkb-stats">{esc(plural(data.incidents, "postmortem"))}{esc(span)}; '
        f"action items {ctx.as_of()}.</p>\n"
        "<p>Durations are medians and 90th percentiles with the number of incidents behind "
        "them (n), never a mean: a few long incidents would hide what is typical. Incidents "
        "that do not give a time are counted as missing, never guessed. A group of fewer than "
        f"{MIN_GROUP} incidents is marked <em>too few to compare</em>. The numbers of each "
        "chart are in the table after it. "
        f"{a(ctx.href(urls.INSIGHTS, urls.API_POSTMORTEMS), 'The data as JSON')}.</p>"
    )


def _per_month(data: Insights) -> str:
    chart = per_month_chart(
        data.per_month,
        data.severities,
        "Incidents per month, stacked by severity (the UTC month each started).",
    )
    return chart + folded_numbers(per_month_table(data.per_month, data.severities))


def _durations(data: Insights) -> str:
    parts = []
    by_measure = {m: [d for d in data.durations if d.measure == m] for m in MEASURES}
    for measure in MEASURES:
        label = MEASURE_LABELS[measure]
        groups = [(d.severity, d.summary) for d in by_measure[measure]]
        if not any(summary.n for _name, summary in groups):
            parts.append(f"<p>{esc(label)}: no incident gives this time yet.</p>")
            continue
        parts.append(
            figure(
                distribution(groups, label),
                f"{label} per severity on a log scale: a box from the first to the third "
                f"quartile with a tick at the median for groups of {MIN_GROUP} or more, each "
                "incident as a point for smaller groups; the table gives median, p90 and n.",
                f"{label} from the start of the incident, per severity (log scale; the "
                "diamond marks the 90th percentile).",
            )
        )
    rows = []
    for measure in MEASURES:
        for d in by_measure[measure]:
            note = "too few to compare" if d.summary.too_few else ""
            rows.append(
                tr(
                    [
                        esc(MEASURE_LABELS[measure]),
                        esc(d.severity),
                        esc(d.n),
                        esc(d.missing),
                        esc(format_duration(d.median)),
                        esc(format_duration(d.p90)),
                        esc(note),
                    ],
                    f'data-measure="{esc(measure)}" data-severity="{esc(d.severity)}"',
                )
            )
    numbers = table(
        ["Measure", "Severity", "n", "Missing", "Median", "p90", ""],
        rows,
        caption="Median and 90th percentile per severity, with n and the incidents without the time",
    )
    return "\n".join(parts) + folded_numbers(numbers)


def _causes(ctx: SiteContext, data: Insights) -> str:
    quarters = data.causes_per_quarter[-QUARTERS_SHOWN:]
    rows: list[str] = []
    cells = []
    for quarter in quarters:
        top = quarter.top(TOP_CAUSES_PER_QUARTER)
        rows.extend(term for term, _n in top if term not in rows)
        cells += [(quarter.quarter, term, n) for term, n in top]
    if not cells:
        return "<p>No causes recorded yet.</p>"
    # Every shown cause's count in every shown quarter, not only where it was in the top.
    cells = [
        (quarter.quarter, term, quarter.counts[term])
        for quarter in quarters
        for term in rows
        if quarter.counts.get(term)
    ]
    chart = figure(
        heatmap(cells, rows, [q.quarter for q in quarters]),
        f"Grid of the causes among the {TOP_CAUSES_PER_QUARTER} most named in any of the last "
        f"{len(quarters)} quarters, shaded by how many incidents named them each quarter; the "
        "table lists each quarter's top causes.",
        f"Causes among the {TOP_CAUSES_PER_QUARTER} most named of a quarter: incidents "
        "naming them per quarter.",
    )
    here = urls.INSIGHTS
    body = [
        tr(
            [
                esc(q.quarter),
                esc(q.incidents),
                ", ".join(
                    f"{ctx.term_link(here, Kind.CAUSE, term)} ({esc(n)})"
                    for term, n in q.top(TOP_CAUSES_PER_QUARTER)
                )
                or "-",
            ]
        )
        for q in reversed(quarters)
    ]
    numbers = table(
        ["Quarter", "Incidents", "Top causes (incidents)"],
        body,
        caption="The most named causes of each quarter, newest first",
    )
    return chart + folded_numbers(numbers)


def _action_items(ctx: SiteContext, data: Insights) -> str:
    series = ("opened", "done now")
    rows = [(m.month, {"opened": m.opened, "done now": m.done}) for m in data.action_items]
    parts = [
        figure(
            month_lines(rows, series),
            "Line chart of action items per month of their incident: how many were opened "
            "and how many of those are done now; the table gives every month.",
            "Action items by the month of their incident: opened, and done now. The record "
            "has no completion date, so 'done' counts items whose status is done today.",
        )
    ]
    body = [
        tr([esc(m.month), esc(m.opened), esc(m.done), esc(m.wont_do)])
        for m in reversed(data.action_items)
        if m.opened
    ]
    parts.append(
        folded_numbers(
            table(
                ["Month", "Opened", "Done now", "Won't do"],
                body,
                caption="Action items per month of their incident (months without any left out)",
            )
        )
    )
    owners = data.overdue_by_owner
    overdue_heading = f'<h3 id="overdue-by-owner">Overdue by owner, {ctx.as_of()}</h3>'
    if not owners:
        parts += [overdue_heading, f"<p>No action item is overdue {ctx.as_of()}.</p>"]
        return "\n".join(parts)
    shown = owners[:OWNERS_SHOWN]
    parts += [
        overdue_heading,
        figure(
            horizontal_bars([(o.owner, o.overdue) for o in shown], "Overdue action items"),
            f"Bar chart of overdue action items per owner as of {ctx.today}, most first; the "
            "table gives each owner's open and overdue items.",
            f"Overdue action items by owner as of {ctx.today}"
            + (f" (the {OWNERS_SHOWN} with most)" if len(owners) > OWNERS_SHOWN else ""),
        ),
    ]
    link = ctx.href(urls.INSIGHTS, urls.ACTION_ITEMS)
    body = [
        tr([a(f"{link}?owner={o.owner}", o.owner), esc(o.open), esc(o.overdue)]) for o in owners
    ]
    parts.append(
        folded_numbers(
            table(
                ["Owner", "Open", "Overdue"],
                body,
                caption=f"Open and overdue action items per owner as of {ctx.today}",
            )
        )
    )
    return "\n".join(parts)


def _lucky_breaks(ctx: SiteContext, data: Insights) -> str:
    entries = data.lucky_breaks
    if not entries:
        return "<p>No lucky breaks recorded yet.</p>"
    chart = figure(
        horizontal_bars(
            [(e.term, e.count) for e in entries],
            "Incidents",
            colour_by=[e.status for e in entries],
        ),
        "Bar chart of incidents per lucky break, coloured by whether an action item turned "
        "it into a safeguard (done), plans one (open) or none does; the table gives each.",
        "Lucky breaks by how often they happened, coloured by safeguard status.",
    )
    here = urls.INSIGHTS
    rows = [
        tr(
            [
                ctx.term_link(here, Kind.LUCKY_BREAK, e.term),
                esc(e.count),
                esc(e.status),
                esc(sum(1 for ref in e.safeguards if ref.item.status == "done")),
                esc(sum(1 for ref in e.safeguards if ref.item.is_open)),
            ]
        )
        for e in entries
    ]
    summary = sum(1 for e in entries if e.status == "safeguarded")
    numbers = table(
        ["Lucky break", "Incidents", "Status", "Safeguards done", "Safeguards open"],
        rows,
        caption=f"{summary} of {len(entries)} lucky breaks are safeguarded",
    )
    return chart + folded_numbers(numbers)


def _writing(ctx: SiteContext, data: Insights) -> str:
    w = data.writing
    summary = w.summary
    intro = (
        "<p>From the incident's resolution to the first commit of its postmortem, from git. "
        f"{esc(plural(w.no_resolved, 'postmortem'))} without a full <code>resolved</code> "
        "time (none, or only a date or a month) and "
        f"{esc(plural(w.no_git_date, 'file'))} without a known first commit are left out"
        + (
            f"; {esc(plural(w.before_resolved, 'postmortem'))} committed before the incident "
            "was resolved count as written at once"
            if w.before_resolved
            else ""
        )
        + ".</p>"
    )
    if not summary.n:
        reason = "" if ctx.history.available else f" ({esc(ctx.history.reason)})"
        return intro + f"<p>No postmortem has both yet{reason}.</p>"
    chart = figure(
        distribution([("All postmortems", summary)], "Time to write"),
        "Time from resolution to the first commit of the postmortem on a log scale; the table "
        "gives median, p90 and n.",
        "Time to write the postmortem (log scale).",
    )
    numbers = table(
        ["n", "Missing", "Median", "p90", ""],
        [
            tr(
                [
                    esc(summary.n),
                    esc(summary.missing),
                    esc(format_duration(summary.median)),
                    esc(format_duration(summary.p90)),
                    esc("too few to compare" if summary.too_few else ""),
                ]
            )
        ],
        caption="Time to write: median and 90th percentile",
    )
    return intro + chart + folded_numbers(numbers)


def _completeness(data: Insights) -> str:
    done = data.completeness
    shares = [(CHECK_LABELS[name], done.share_missing(name) or 0.0) for name in CHECKS]
    chart = figure(
        horizontal_bars(shares, "Share of postmortems without it", percent=True),
        "Bar chart of the share of postmortems that do not give each field; the table gives "
        "the counts.",
        f"What the {done.total} postmortems leave out.",
    )
    rows = [
        tr(
            [
                esc(CHECK_LABELS[name]),
                esc(done.missing[name]),
                esc(f"{(done.share_missing(name) or 0.0):.0%}"),
            ],
            f'data-field="{esc(name)}"',
        )
        for name in CHECKS
    ]
    numbers = table(
        ["Field", "Postmortems without it", "Share"],
        rows,
        caption=f"Postmortems without each field, of {done.total}",
    )
    return chart + folded_numbers(numbers)
