"""The home page as a dashboard: tiles with the state of things, incidents per month by
severity, recent incidents, "on this day", and what recurs.

The figures come from analysis.dashboard. Every overdue figure says the date it is
counted from ("as of 2025-06-01": the build date, or the plugin's ``today``).
"""

from __future__ import annotations

from postmortem_kb.analysis.dashboard import MONTHS_SHOWN, WINDOW_DAYS, Dashboard, dashboard
from postmortem_kb.analysis.durations import DurationSummary, format_duration
from postmortem_kb.model.kinds import Kind
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import a, badge, esc, folded_numbers, plural, section, table, tr
from postmortem_kb.pages.incident import action_items_table, incident_row
from postmortem_kb.pages.months import per_month_chart, per_month_table
from postmortem_kb.pages.record_facts import not_analysed_note

TOP_TERMS = 5
OVERDUE_SHOWN = 10


def render_home(ctx: SiteContext, hand_written: str) -> str:
    """``hand_written`` is site/index.md rendered (empty when there is none)."""
    here = urls.HOME
    data = dashboard(ctx.collection, ctx.today)
    parts = [hand_written] if hand_written.strip() else ["<h1>Postmortems</h1>"]
    parts.append('<div class="pmkb-home">')
    parts.append(section("At a glance", "at-a-glance", _tiles(ctx, data)))
    parts.append(section("Incidents per month", "per-month", _per_month(ctx, data)))
    recent = ctx.collection.records[: ctx.recent_limit]
    recent_rows = [incident_row(ctx, r, here) for r in recent]
    parts.append(
        section(
            "Recent incidents",
            "recent-incidents",
            (
                table(["Date", "Severity", "Incident"], recent_rows)
                if recent_rows
                else "<p>None yet.</p>"
            )
            + f"<p>{a(ctx.href(here, urls.ARCHIVE), 'All incidents by year and month')}</p>",
        )
    )
    parts.append(section("On this day", "on-this-day", _on_this_day(ctx, data)))
    parts.append(section("Most recurring causes", "recurring-causes", _top_causes(ctx)))
    parts.append(section("Lucky breaks", "lucky-breaks", _top_lucky_breaks(ctx)))
    parts.append(section("Overdue action items", "open-action-items", _overdue(ctx)))
    parts.append("</div>")
    return "\n".join(parts)


def _tile(label: str, value: str, note: str = "", href: str = "") -> str:
    shown = f'<a href="{esc(href)}">{value}</a>' if href else value
    extra = f'<span class="pmkb-tile-note">{note}</span>' if note else ""
    return f'<div class="pmkb-tile"><dt>{esc(label)}</dt><dd><strong>{shown}</strong>{extra}</dd></div>'


def _median(summary: DurationSummary, incidents: int) -> tuple[str, str]:
    if not summary.n:
        return "unknown", f"no incident of the {incidents} gives the time"
    note = f"n={summary.n}"
    if summary.missing:
        note += f"; {summary.missing} without the time"
    return format_duration(summary.median), note


def _tiles(ctx: SiteContext, data: Dashboard) -> str:
    here = urls.HOME
    change = data.last_90_days - data.previous_90_days
    trend = "the same as" if change == 0 else ("more than" if change > 0 else "fewer than")
    detect, detect_note = _median(data.time_to_detect, data.last_12_months)
    resolve, resolve_note = _median(data.time_to_resolve, data.last_12_months)
    tiles = [
        _tile(
            f"Incidents in the last {WINDOW_DAYS} days",
            esc(data.last_90_days),
            esc(f"{trend} the {data.previous_90_days} of the {WINDOW_DAYS} days before"),
        ),
        _tile(
            "Open action items",
            esc(data.open_action_items),
            f'<span class="pmkb-overdue-count">{esc(data.overdue_action_items)} overdue</span> '
            + ctx.as_of(),
            ctx.href(here, urls.ACTION_ITEMS),
        ),
        _tile("Median time to detect, last 12 months", esc(detect), esc(detect_note)),
        _tile("Median time to resolve, last 12 months", esc(resolve), esc(resolve_note)),
        _tile(
            "Lucky breaks without a safeguard",
            esc(f"{data.lucky_without_safeguard} of {data.lucky_breaks}"),
            esc(f"{data.lucky_unaddressed} unaddressed, {data.lucky_planned} planned"),
            ctx.href(here, urls.term_index(Kind.LUCKY_BREAK)),
        ),
    ]
    return '<dl class="pmkb-tiles">' + "".join(tiles) + "</dl>"


def _per_month(ctx: SiteContext, data: Dashboard) -> str:
    here = urls.HOME
    severities = ctx.collection.shape.severities
    chart = per_month_chart(
        data.months,
        severities,
        f"Incidents per month in the last {MONTHS_SHOWN} months, by severity.",
        height=140,
    )
    more = a(ctx.href(here, urls.INSIGHTS), "More charts: Insights")
    return chart + folded_numbers(per_month_table(data.months, severities)) + f"<p>{more}</p>"


def _on_this_day(ctx: SiteContext, data: Dashboard) -> str:
    here = urls.HOME
    day = ctx.today.strftime("%d %B").lstrip("0")
    if not data.on_this_day:
        return f"<p>No incident started on {esc(day)} in an earlier year.</p>"
    rows = [incident_row(ctx, r, here) for r in data.on_this_day]
    return f"<p>Incidents that started on {esc(day)} in earlier years.</p>" + table(
        ["Date", "Severity", "Incident"], rows
    )


def _top_causes(ctx: SiteContext) -> str:
    here = urls.HOME
    rows = [
        tr(
            [
                ctx.term_link(here, Kind.CAUSE, s.term),
                esc(s.count),
                esc(s.last_12_months),
                esc(s.last_seen.label),
            ]
        )
        for s in ctx.stats(Kind.CAUSE)[:TOP_TERMS]
    ]
    if not rows:
        return "<p>None yet.</p>" + not_analysed_note(ctx)
    more = a(ctx.href(here, urls.term_index(Kind.CAUSE)), "All recurring causes")
    return (
        table(["Cause", "Incidents", "Last 12 months", "Last seen"], rows)
        + not_analysed_note(ctx)
        + f"<p>{more}</p>"
    )


def _top_lucky_breaks(ctx: SiteContext) -> str:
    here = urls.HOME
    rows = [
        tr(
            [
                ctx.term_link(here, Kind.LUCKY_BREAK, e.term),
                esc(e.count),
                badge(e.status, "pmkb-ledger pmkb-ledger-" + e.status.replace(" ", "-")),
            ]
        )
        for e in ctx.ledger[:TOP_TERMS]
    ]
    if not rows:
        return "<p>None yet.</p>"
    more = a(ctx.href(here, urls.term_index(Kind.LUCKY_BREAK)), "The lucky breaks ledger")
    return table(["Lucky break", "Incidents", "Safeguard"], rows) + f"<p>{more}</p>"


def _overdue(ctx: SiteContext) -> str:
    here = urls.HOME
    open_items = ctx.collection.open_action_items()
    overdue = [ref for ref in open_items if ref.item.is_overdue(ctx.today)]
    text = (
        f'<p class="pmkb-stats"><strong>{esc(plural(len(open_items), "open action item"))}</strong>, '
        f'<strong class="pmkb-overdue-count">{len(overdue)} overdue</strong> {ctx.as_of()}. '
        f"{a(ctx.href(here, urls.ACTION_ITEMS), 'All action items')} · "
        f"{a(ctx.href(here, urls.ACTION_ITEMS) + '?overdue=1', 'only overdue')}</p>"
    )
    if overdue:
        text += action_items_table(ctx, overdue[:OVERDUE_SHOWN], here)
        if len(overdue) > OVERDUE_SHOWN:
            text += f"<p>The {OVERDUE_SHOWN} longest overdue of {len(overdue)}.</p>"
    return text
