"""The incident and archive listings and the action items page (the home page: dashboard)."""

from __future__ import annotations

from collections import Counter, defaultdict

from postmortem_kb.collection.index import ActionItemRef
from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.shape import UNKNOWN_SEVERITY, severity_label
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import a, esc, plural, section, table, tr
from postmortem_kb.pages.incident import action_items_table, incident_row

# The status filter's choice for "not finished yet" (open or in progress).
_ACTIVE = "active"

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def render_incidents_index(ctx: SiteContext) -> str:
    """The incidents page: how many postmortems there are, and the most recent
    (``recent_limit``, at least 20) with a link to the archive for every one."""
    here = urls.INCIDENTS
    recent = ctx.collection.records[: max(ctx.recent_limit, 20)]
    rows = [incident_row(ctx, r, here) for r in recent]
    body = table(["Date", "Severity", "Incident"], rows) if rows else "<p>None yet.</p>"
    return (
        "<h1>Incidents</h1>\n"
        f"<p>{esc(plural(len(ctx.collection), 'postmortem'))}. The most recent are below; "
        f"{a(ctx.href(here, urls.ARCHIVE), 'the archive')} lists every one by year and month.</p>\n"
        + body
    )


def _by_year(records: list[Postmortem]) -> dict[int, list[Postmortem]]:
    years: dict[int, list[Postmortem]] = defaultdict(list)
    for record in records:
        years[record.year].append(record)
    return dict(sorted(years.items(), reverse=True))


def archive_years(ctx: SiteContext) -> list[int]:
    """The years some postmortem started in, newest first: one archive page each."""
    return list(_by_year(ctx.collection.records))


def render_archive_index(ctx: SiteContext) -> str:
    """The archive page: a row per year with its incidents (a second write-up counted
    once), their severities, and links to its months."""
    here = urls.ARCHIVE
    rows = []
    for year, records in _by_year(ctx.collection.records).items():
        months = Counter(r.month for r in records)
        month_links = " · ".join(
            a(ctx.href(here, urls.archive_year(year), f"{year}-{m:02d}"), _MONTHS[m - 1][:3])
            + f" ({months[m]})"
            for m in sorted(months, reverse=True)
        )
        incidents = ctx.collection.one_per_incident(records)
        severities = Counter(r.severity for r in incidents)
        levels = [*ctx.collection.shape.severities, UNKNOWN_SEVERITY]
        by_sev = ", ".join(f"{severities[s]} {severity_label(s)}" for s in levels if severities[s])
        rows.append(
            tr(
                [
                    a(ctx.href(here, urls.archive_year(year)), str(year)),
                    f'<span class="pmkb-count">{len(incidents)}</span>',
                    esc(by_sev),
                    month_links,
                ]
            )
        )
    body = (
        table(["Year", "Incidents", "By severity", "Months"], rows) if rows else "<p>None yet.</p>"
    )
    return (
        "<h1>Archive</h1>\n<p>Every postmortem, by the UTC year and month it started (a "
        "postmortem known only to the month is listed in its month). Incidents count a second "
        f"write-up of the same incident once.</p>\n{body}"
    )


def render_archive_year(ctx: SiteContext, year: int) -> str:
    """One year's archive page: its postmortems by month, newest first, with their
    services."""
    here = urls.archive_year(year)
    records = _by_year(ctx.collection.records).get(year, [])
    by_month: dict[int, list[Postmortem]] = defaultdict(list)
    for record in records:
        by_month[record.month].append(record)
    parts = [
        f"<h1>{year}</h1>",
        f'<p class="pmkb-stats">{esc(plural(len(records), "incident"))} · '
        f"{a(ctx.href(here, urls.ARCHIVE), 'all years')}</p>",
    ]
    for month in sorted(by_month, reverse=True):
        rows = [
            incident_row(
                ctx,
                r,
                here,
                ", ".join(ctx.term_link(here, Kind.SERVICE, s) for s in r.services),
            )
            for r in by_month[month]
        ]
        parts.append(
            section(
                f"{_MONTHS[month - 1]} {year}",
                f"{year}-{month:02d}",
                table(["Date", "Severity", "Incident", "Services"], rows),
            )
        )
    return "\n".join(parts)


def render_action_items(ctx: SiteContext) -> str:
    """The action items page: how many are open and overdue (as of ``ctx.today``), the
    filter form, and every action item by due date."""
    here = urls.ACTION_ITEMS
    refs = ctx.collection.action_items()
    overdue = sum(1 for ref in refs if ref.item.is_overdue(ctx.today))
    open_count = sum(1 for ref in refs if ref.item.is_open)
    return "\n".join(
        [
            "<h1>Action items</h1>",
            f'<p class="pmkb-stats">{esc(plural(len(refs), "action item"))}: {open_count} open or in '
            f'progress, <strong class="pmkb-overdue-count">{overdue} overdue</strong> {ctx.as_of()}. '
            "Sorted by due date; an item is overdue when it is still open after its due date.</p>",
            _action_filter_form(ctx, refs),
            action_items_table(ctx, refs, here, filterable=True)
            if refs
            else "<p>No action items yet.</p>",
        ]
    )


def _action_filter_form(ctx: SiteContext, refs: list[ActionItemRef]) -> str:
    """The filters above the action items table. Each select is named after the rows'
    data attribute it matches (pages/assets/table-filter.js), and the script keeps the
    choices in the page's URL, so a filtered list can be shared and survives a reload.
    Hidden until the script wires it up: without JavaScript every row simply shows."""
    statuses = ctx.collection.shape.action_item_statuses
    status_options = [("", "any"), (_ACTIVE, "open or in progress")]
    status_options += [(status, status.replace("-", " ")) for status in statuses]
    services = sorted({s for ref in refs for s in ref.postmortem.services})
    selects = [
        ("status", "Status", status_options),
        ("priority", "Priority", _choices(sorted({ref.item.priority for ref in refs}))),
        ("type", "Type", _choices(sorted({ref.item.type for ref in refs}))),
        (
            "owner",
            "Owner",
            [("", "anyone")] + [(o, o) for o in sorted({r.item.owner for r in refs})],
        ),
        (
            "service",
            "Service",
            [("", "any")] + [(s, ctx.term_title(Kind.SERVICE, s)) for s in services],
        ),
    ]
    fields = [
        f'<label>{esc(label)} <select name="{esc(name)}">'
        + "".join(f'<option value="{esc(value)}">{esc(text)}</option>' for value, text in options)
        + "</select></label>"
        for name, label, options in selects
    ]
    fields.append('<label><input type="checkbox" name="overdue" value="1"> overdue only</label>')
    fields.append('<output class="pmkb-filter-count" aria-live="polite"></output>')
    return (
        '<form class="pmkb-filter" data-filter-table="action-items-list" '
        'aria-label="Filter action items" hidden>' + " ".join(fields) + "</form>"
    )


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [("", "any")] + [(value, value) for value in values]
