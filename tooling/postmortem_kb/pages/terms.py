"""Pages for causes, lucky breaks, went-well terms, services and tags, and their indexes."""

from __future__ import annotations

from collections import Counter

from postmortem_kb.analysis.recurrence import MIN_SUPPORT, TermStats, co_occurring
from postmortem_kb.analysis.timeline import quarters_between
from postmortem_kb.model.kinds import KINDS, Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.pages import urls
from postmortem_kb.pages.chart_specs import quarter_bars
from postmortem_kb.pages.charts import figure
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import (
    a,
    badge,
    esc,
    folded_numbers,
    plural,
    section,
    severity_badge,
    table,
    tr,
    when,
)
from postmortem_kb.pages.incident import action_items_table
from postmortem_kb.pages.record_facts import not_analysed_note

# A term named in fewer incidents gets no trend chart: its incidents are listed instead.
TREND_MIN_INCIDENTS = 3


def term_page_title(ctx: SiteContext, kind: Kind, term_id: str) -> str:
    """A term page's title, plain text: "Cause: DNS failure (dns)", or "Cause: dns"
    when the term has no title of its own."""
    title = ctx.term_title(kind, term_id)
    label = KINDS[kind].title
    return f"{label}: {title}" if title == term_id else f"{label}: {title} ({term_id})"


def render_term(ctx: SiteContext, kind: Kind, term_id: str) -> str:
    """A term's page: its description and figures, its trend, its incidents and the terms
    that often occur with it; for a lucky break, its status and safeguards too."""
    here = urls.term(kind, term_id)
    stats = ctx.stats_for(kind, term_id)
    incidents = list(stats.incidents) if stats else []
    parts = [f"<h1>{esc(term_page_title(ctx, kind, term_id))}</h1>"]
    description = ctx.term_description(kind, term_id)
    if description:
        parts.append(f'<p class="pmkb-description">{esc(description)}</p>')
    if stats is not None:
        parts.append(
            '<p class="pmkb-stats">'
            f'<strong class="pmkb-count">{esc(plural(stats.count, "incident"))}</strong> · '
            f"first seen {esc(stats.first_seen.label)} · "
            f"last seen {esc(stats.last_seen.label)} · "
            f"{esc(stats.last_12_months)} in the last 12 months{_unplaced(stats.last_12_months_unplaced)}</p>"
        )
    if stats is not None:
        parts.append(section("Trend", "trend", term_trend(ctx, kind, stats)))
    if kind is Kind.LUCKY_BREAK:
        parts.append(_ledger_status(ctx, term_id, here))
    parts.append(
        section("Incidents", "incidents", _incident_table(ctx, kind, term_id, here, incidents))
    )
    co = _co_occurring(ctx, kind, term_id, here)
    if co:
        parts.append(section("Often occurs with", "occurs-with", co))
    parts.append(
        f'<p class="pmkb-back">{a(ctx.href(here, urls.term_index(kind)), "All: " + KINDS[kind].index_title)}</p>'
    )
    return "\n".join(parts)


def _unplaced(count: int) -> str:
    """What a "last 12 months" figure left out: starts known only to a month it cuts."""
    if not count:
        return ""
    return f" ({esc(plural(count, 'more'))} known only to a month the 12 months cut through)"


def _incident_table(
    ctx: SiteContext, kind: Kind, term_id: str, here: str, incidents: list[Postmortem]
) -> str:
    # Only kinds whose terms carry a detail get a Detail column (an empty header is
    # announced as nothing by screen readers).
    with_detail = KINDS[kind].has_detail
    rows = []
    for record in incidents:
        cells = [
            when(record.date_label),
            severity_badge(record.severity),
            ctx.incident_link(here, record),
        ]
        if with_detail:
            ref = ctx.collection.detail_for(record, kind, term_id)
            cells.append(esc(ref.detail) if ref is not None and ref.detail else "")
        rows.append(tr(cells))
    if not rows:
        return "<p>No incident uses this term yet.</p>"
    headers = ["Date", "Severity", "Incident"] + (["Detail"] if with_detail else [])
    return table(headers, rows)


def term_trend(ctx: SiteContext, kind: Kind, stats: TermStats) -> str:
    """A small chart of the term's incidents per quarter, up to today's quarter, followed
    by its numbers; a term with fewer than TREND_MIN_INCIDENTS incidents gets none."""
    if stats.count < TREND_MIN_INCIDENTS:
        return (
            f"<p>Too few incidents for a trend (fewer than {TREND_MIN_INCIDENTS}); "
            "they are listed below.</p>"
        )
    first = ctx.collection.records[-1].month_start
    last = max(ctx.today, ctx.collection.records[0].month_start)
    counts = [(q, stats.per_quarter.get(q, 0)) for q in quarters_between(first, last)]
    title = ctx.term_title(kind, stats.term)
    chart = figure(
        quarter_bars(counts),
        f"Bar chart of incidents naming {title} per quarter, {counts[0][0]} to "
        f"{counts[-1][0]}; the table gives the quarters with incidents.",
        f"Incidents per quarter, {counts[0][0]} to {counts[-1][0]}.",
    )
    rows = [tr([esc(q), esc(n)]) for q, n in reversed(counts) if n]
    numbers = table(
        ["Quarter", "Incidents"],
        rows,
        caption="Incidents per quarter (quarters without any left out)",
    )
    return chart + folded_numbers(numbers)


def _co_occurring(ctx: SiteContext, kind: Kind, term_id: str, here: str) -> str:
    tables = []
    for other in KINDS[kind].co_kinds:
        found = co_occurring(ctx.collection, kind, term_id, other)
        if not found:
            continue
        rows = [
            tr(
                [
                    ctx.term_link(here, other, c.term),  # its title, the id small
                    esc(c.together),
                    esc(f"{c.lift:.2f}") if c.lift is not None else "-",
                ]
            )
            for c in found
        ]
        tables.append(
            table(
                [KINDS[other].heading, "Incidents together", "Lift"],
                rows,
                caption=f"{KINDS[other].heading} named in the same incidents",
            )
        )
    if not tables:
        return ""
    note = (
        "<p>Lift: how many times more often the two occur together than if they were "
        f"independent; shown from {MIN_SUPPORT} incidents together, as fewer say nothing.</p>"
    )
    return note + "\n".join(tables)


def _ledger_status(ctx: SiteContext, term_id: str, here: str) -> str:
    entry = ctx.ledger_by_term.get(term_id)
    if entry is None:
        return ""
    status = badge(entry.status, "pmkb-ledger pmkb-ledger-" + entry.status.replace(" ", "-"))
    text = f'<p class="pmkb-ledger-line">Safeguard: {status}</p>'
    if entry.safeguards:
        text += action_items_table(ctx, list(entry.safeguards), here)
    else:
        text += (
            "<p>No action item names this lucky break in <code>addresses</code> yet: "
            "the luck has not been replaced by a deliberate safeguard.</p>"
        )
    return text


def render_term_index(ctx: SiteContext, kind: Kind) -> str:
    """A kind's index page: every used term, most incidents first (services with their
    open action items); lucky breaks get the ledger instead."""
    if kind is Kind.LUCKY_BREAK:
        return _ledger_index(ctx)
    here = urls.term_index(kind)
    stats = ctx.stats(kind)
    intro = KINDS[kind].index_intro
    open_by_service: Counter[str] = Counter()
    if kind is Kind.SERVICE:
        for ref in ctx.collection.open_action_items():
            for service in ref.postmortem.services:
                open_by_service[service] += 1
    rows = []
    for rank, s in enumerate(stats, start=1):
        cells = [
            esc(rank),
            ctx.term_link(here, kind, s.term),
            f'<span class="pmkb-count">{esc(s.count)}</span>',
            esc(s.last_12_months) + ("*" if s.last_12_months_unplaced else ""),
            when(s.first_seen.label),
            when(s.last_seen.label),
        ]
        if kind is Kind.SERVICE:
            cells.append(esc(open_by_service.get(s.term, 0)))
        rows.append(tr(cells, f'data-term="{esc(s.term)}"'))
    headers = ["#", KINDS[kind].title, "Incidents", "Last 12 months", "First seen", "Last seen"]
    if kind is Kind.SERVICE:
        headers.append("Open action items")
    body = table(headers, rows) if rows else "<p>None yet.</p>"
    if any(s.last_12_months_unplaced for s in stats):
        body += (
            "<p>* and more that started in a month the 12 months cut through (known only to "
            "the month): not counted.</p>"
        )
    if kind is Kind.CAUSE:
        body += not_analysed_note(ctx)
    return f"<h1>{esc(KINDS[kind].index_title)}</h1>\n<p>{esc(intro)}</p>\n{body}"


def _ledger_index(ctx: SiteContext) -> str:
    here = urls.term_index(Kind.LUCKY_BREAK)
    rows = []
    for entry in ctx.ledger:
        status = badge(entry.status, "pmkb-ledger pmkb-ledger-" + entry.status.replace(" ", "-"))
        safeguards = "<br>".join(
            a(
                ctx.href(here, urls.incident(ref.postmortem.id), "action-items-table"),
                f"{ref.item.id}: {ref.item.title}",
            )
            + f" ({esc(ref.item.status)})"
            for ref in entry.safeguards
        )
        rows.append(
            tr(
                [
                    ctx.term_link(here, Kind.LUCKY_BREAK, entry.term),
                    f'<span class="pmkb-count">{esc(entry.count)}</span>',
                    _last_seen(ctx, here, entry.last_seen),
                    status,
                    safeguards or "-",
                ]
            )
        )
    counts = Counter(entry.status for entry in ctx.ledger)
    summary = ", ".join(
        f"{counts.get(s, 0)} {s}" for s in ("unaddressed", "safeguard planned", "safeguarded")
    )
    body = (
        table(["Lucky break", "Incidents", "Last seen", "Status", "Safeguards"], rows)
        if rows
        else "<p>No lucky breaks recorded yet.</p>"
    )
    return (
        f"<h1>{esc(KINDS[Kind.LUCKY_BREAK].index_title)}</h1>\n"
        "<p>Each near miss: luck that limited the damage. Luck is not a plan: an action item "
        "that lists the lucky break in <code>addresses</code> turns it into a deliberate safeguard. "
        "<em>safeguarded</em>: such an item is done; <em>safeguard planned</em>: one is open; "
        "<em>unaddressed</em>: none yet.</p>\n"
        f'<p class="pmkb-stats">{esc(summary)}</p>\n{body}'
    )


def _last_seen(ctx: SiteContext, here: str, record: Postmortem) -> str:
    """The date of the latest incident, linked to it; its title shows on hover."""
    href = esc(ctx.href(here, urls.incident(record.id)))
    return f'<a href="{href}" title="{esc(record.title)}">{when(record.date_label)}</a>'


def tag_stats(ctx: SiteContext) -> list[tuple[str, list[Postmortem]]]:
    """Every tag used with its records (newest first): the most used first, then by name."""
    tags = [(tag, ctx.collection.with_tag(tag)) for tag in ctx.collection.tags_used()]
    count = ctx.collection.count_incidents
    return sorted(tags, key=lambda t: (-count(t[1]), t[0]))


def render_tag(ctx: SiteContext, tag: str) -> str:
    """A tag's page: its incidents, when first and last seen, and the causes most often
    named with it."""
    here = urls.tag(tag)
    incidents = ctx.collection.with_tag(tag)
    rows = [
        tr([when(r.date_label), severity_badge(r.severity), ctx.incident_link(here, r)])
        for r in incidents
    ]
    causes: Counter[str] = Counter(ref.term for r in incidents for ref in r.causes)
    parts = [f"<h1>Tag: {esc(tag)}</h1>"]
    if incidents:
        count = ctx.collection.count_incidents(incidents)
        parts.append(
            '<p class="pmkb-stats">'
            f'<strong class="pmkb-count">{esc(plural(count, "incident"))}</strong> · '
            f"first seen {esc(incidents[-1].date_label)} · "
            f"last seen {esc(incidents[0].date_label)}</p>"
        )
    parts.append(section("Incidents", "incidents", table(["Date", "Severity", "Incident"], rows)))
    if causes:
        top = sorted(causes.items(), key=lambda item: (-item[1], item[0]))[:5]
        links = ", ".join(f"{ctx.term_link(here, Kind.CAUSE, t)} ({n})" for t, n in top)
        label = esc(KINDS[Kind.CAUSE].heading)
        parts.append(section("Often occurs with", "occurs-with", f"<p>{label}: {links}</p>"))
    parts.append(f'<p class="pmkb-back">{a(ctx.href(here, urls.TAGS), "All tags")}</p>')
    return "\n".join(parts)


def render_tag_index(ctx: SiteContext) -> str:
    """The tags page: every tag with how many incidents have it (two write-ups of one
    incident count once, as on the tag's own page) and when last seen, the most used first."""
    here = urls.TAGS
    rows = [
        tr(
            [
                ctx.tag_link(here, tag),
                f'<span class="pmkb-count">{esc(ctx.collection.count_incidents(records))}</span>',
                when(records[0].date_label),
            ]
        )
        for tag, records in tag_stats(ctx)
    ]
    body = table(["Tag", "Incidents", "Last seen"], rows) if rows else "<p>No tags yet.</p>"
    spec = KINDS[Kind.TAG]
    return f"<h1>{esc(spec.index_title)}</h1>\n<p>{esc(spec.index_intro)}</p>\n{body}"
