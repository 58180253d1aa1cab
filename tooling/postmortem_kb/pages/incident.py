"""One postmortem's page: a header card from the front matter, the author's body,
and the related incidents.

The body is the author's Markdown and is rendered as Markdown (raw HTML in it
is the author's own, as in any Markdown file in the repository). Everything
taken from the front matter - the title included - is escaped.

The header card and the body sit inside one ``data-pagefind-body`` element with
hidden Pagefind filters and metadata (the site-search contract); related
incidents come after it so that they are not indexed as part of this page.
The card itself is left out of the index (``data-pagefind-ignore``): search
excerpts then come from the author's prose, not from a run of labels and table
headers. What the card says that the body may not (the summary, the terms with
their details, action items) is indexed from a hidden block of sentences after
the body, so it is still found, and an excerpt from it reads as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta

from postmortem_kb.analysis.durations import format_duration
from postmortem_kb.analysis.related import RelatedIncident
from postmortem_kb.collection.index import ActionItemRef
from postmortem_kb.loading.markdown import body_sections
from postmortem_kb.model.facets import Facet
from postmortem_kb.model.kinds import KINDS, Kind
from postmortem_kb.model.records import Postmortem, TermRef
from postmortem_kb.model.shape import severity_label
from postmortem_kb.model.timestamps import IncidentTime
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import (
    badge,
    day,
    esc,
    is_web_url,
    plural,
    section,
    severity_badge,
    status_badge,
    table,
    tr,
    when,
)
from postmortem_kb.pages.record_facts import (
    NOT_YET_ANALYSED,
    impact_html,
    roles_items,
    source_html,
    write_ups_item,
)

# The card lists services first (what broke), then what set it off, then every kind whose
# terms carry the author's detail, in the kind table's order: a kind added to
# model.kinds shows on the card without a change here.
_CARD_TERMS = (
    Kind.TRIGGER,
    *(spec.kind for spec in KINDS.values() if spec.has_detail and spec.kind is not Kind.TRIGGER),
)


def render_incident(ctx: SiteContext, record: Postmortem, body_html: str) -> str:
    """A postmortem's page: its title, a banner while it is not final, the header card,
    ``body_html`` (the body as the site generator rendered it), the hidden text and
    filters site search reads, and related incidents."""
    here = urls.incident(record.id)
    return "\n".join(
        [
            '<div class="pmkb-incident" data-pagefind-body>',
            # Its text is indexed from search_text(), after the body, so that an excerpt
            # does not open with the title the result already shows; Pagefind still
            # takes the result's title from it. ("index" is Pagefind's default, written
            # out, and the attributes in name order, so that every generator writes
            # this element alike.)
            '<h1 data-pagefind-ignore="index" data-pagefind-meta="title" '
            f'id="{esc(record.id)}">{esc(record.title)}</h1>',
            status_banner(ctx, record),
            header_card(ctx, record, here),
            search_filters(record, ctx.facets),
            '<div class="pmkb-body">',
            body_html,
            "</div>",
            search_text(ctx, record),
            "</div>",
            related_section(ctx, record, here),
        ]
    )


def status_banner(ctx: SiteContext, record: Postmortem) -> str:
    """A banner on a postmortem that is not final yet (any status before the schema's last,
    ``published`` by default), so that nobody takes a draft's findings as settled."""
    statuses = ctx.collection.shape.statuses
    if not statuses or record.status == statuses[-1]:
        return ""
    return (
        f'<div class="admonition warning pmkb-status-banner" data-pmkb-status="{esc(record.status)}" role="note">'
        f'<p class="admonition-title">Not final: {esc(record.status)}</p>'
        f"<p>This postmortem's status is <strong>{esc(record.status)}</strong>, not "
        f"{esc(statuses[-1])}: what it says, its causes and its action items may still change.</p>"
        "</div>"
    )


def body_has_summary(record: Postmortem) -> bool:
    """Whether the author's body has a Summary section of its own."""
    return any(title.strip().lower() == "summary" for title, _line in body_sections(record.body))


def search_text(ctx: SiteContext, record: Postmortem) -> str:
    """What the header card says, as hidden sentences that site search indexes (the card
    itself is not indexed): the title, summary, terms with titles and details, action items."""
    lines = [record.title]
    if record.summary:
        lines.append(f"Summary: {record.summary}")
    for kind in (Kind.SERVICE, *_CARD_TERMS):
        refs = record.terms(kind)
        if refs:
            terms = "; ".join(
                f"{ctx.term_title(kind, ref.term)} ({ref.term})"
                + (f": {ref.detail}" if ref.detail else "")
                for ref in refs
            )
            lines.append(f"{KINDS[kind].card_label}: {terms}")
    if record.detection:
        lines.append(
            f"{KINDS[Kind.DETECTION].card_label}: {ctx.term_title(Kind.DETECTION, record.detection)}"
        )
    if record.tags:
        lines.append(f"{KINDS[Kind.TAG].card_label}: {', '.join(record.tags)}")
    for item in record.action_items:
        lines.append(f"Action item {item.id}: {item.title} ({item.owner})")
    paragraphs = "".join(f"<p>{esc(_sentence(line))}</p>" for line in lines)
    # hidden="hidden", not a bare attribute: Zensical writes it so, and pages must match.
    return f'<div class="pmkb-search-text" hidden="hidden">{paragraphs}</div>'


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?")) else text + "."


def search_filters(record: Postmortem, facets: Sequence[Facet]) -> str:
    """Hidden Pagefind filters and metadata (the contract with site search): one filter
    per value of each facet, from the same facet list the search page reads."""
    spans = [
        _hidden("data-pagefind-filter", facet.name, value)
        for facet in facets
        for value in facet.values(record)
    ]
    spans.append(_hidden("data-pagefind-meta", "date", record.date_label))
    spans.append(_hidden("data-pagefind-meta", "severity", severity_label(record.severity)))
    return '<div class="pmkb-filters">' + "".join(spans) + "</div>"


def _hidden(attribute: str, name: str, value: str) -> str:
    return f'<span {attribute}="{esc(name)}" hidden>{esc(value)}</span>'


def header_card(ctx: SiteContext, record: Postmortem, here: str) -> str:
    """The card above the body: severity, status and date, the summary (unless the body
    has its own), the times, services and terms, action items and git history. Site
    search does not index it: ``search_text`` holds its words."""
    parts = [
        # Not indexed: search_text() holds its words, as sentences.
        '<div class="pmkb-card" data-pagefind-ignore="index">',
        '<p class="pmkb-badges">'
        + severity_badge(record.severity)
        + " "
        + status_badge(record.status)
        + f' <span class="pmkb-date">{esc(record.date_label)}</span></p>',
    ]
    # Shown once: the body's own Summary section, when it has one, is the fuller text.
    if record.summary and not body_has_summary(record):
        parts.append(f'<p class="pmkb-summary">{esc(record.summary)}</p>')
    parts.append(_times(record))
    parts.append(_facts(ctx, record, here))
    if record.action_items:
        parts.append(
            section(
                "Action items",
                "action-items-table",
                action_items_table(ctx, [ActionItemRef(record, i) for i in record.action_items]),
            )
        )
    parts.append(_history(ctx, record))
    parts.append("</div>")
    return "\n".join(parts)


def _times(record: Postmortem) -> str:
    """Each time as precisely as the author gave it ("28 Feb 2017, time unknown"), and a
    duration only between two full times."""
    moments: list[tuple[str, IncidentTime | None, timedelta | None, str]] = [
        ("Started", record.started, None, ""),
        ("Detected", record.detected, record.time_to_detect, "time to detect"),
        ("Mitigated", record.mitigated, record.time_to_mitigate, "time to mitigate"),
        ("Resolved", record.resolved, record.time_to_resolve, "time to resolve"),
    ]
    rows = []
    for label, moment, since, measure in moments:
        shown = moment.describe() if moment is not None else "-"
        if not measure:
            elapsed = ""
        elif since is None and moment is not None:
            elapsed = f"{esc(measure)}: unknown (needs both times of day)"
        else:
            elapsed = f"{esc(measure)}: {esc(format_duration(since))}"
        css = "" if moment is None or moment.is_full else ' class="pmkb-imprecise"'
        rows.append(tr([esc(label), f"<span{css}>{esc(shown)}</span>", elapsed]))
    return (
        '<div class="pmkb-times">' + table(["Moment", "Time (UTC)", "Since start"], rows) + "</div>"
    )


def _facts(ctx: SiteContext, record: Postmortem, here: str) -> str:
    services = ", ".join(ctx.term_link(here, Kind.SERVICE, s) for s in record.services)
    items = [(KINDS[Kind.SERVICE].card_label, services)]
    for kind in _CARD_TERMS:
        refs = record.terms(kind)
        if refs:
            items.append((KINDS[kind].card_label, _term_list(ctx, kind, refs, here)))
        elif kind is Kind.CAUSE:  # said, not hidden: recurrence leaves the incident out
            items.append(
                (KINDS[kind].card_label, f'<span class="pmkb-unknown">{NOT_YET_ANALYSED}</span>')
            )
    if record.detection:
        detection = esc(ctx.term_title(Kind.DETECTION, record.detection))
        items.append((KINDS[Kind.DETECTION].card_label, detection))
    if record.impact is not None and (impact := impact_html(record.impact)):
        items.append(("Impact", impact))
    items += roles_items(record.roles, record.responders)
    items.append(("Authors", ", ".join(esc(author) for author in record.authors)))
    if record.source is not None:
        items.append(("Original write-up", source_html(record.source)))
    write_ups = write_ups_item(ctx, record, here)
    if write_ups is not None:
        items.append(write_ups)
    if record.tags:
        tags = ", ".join(ctx.tag_link(here, t) for t in record.tags)
        items.append((KINDS[Kind.TAG].card_label, tags))
    body = "\n".join(f"<dt>{esc(label)}</dt>\n<dd>{value}</dd>" for label, value in items)
    return f'<dl class="pmkb-facts">\n{body}\n</dl>'


def _term_list(ctx: SiteContext, kind: Kind, refs: tuple[TermRef, ...], here: str) -> str:
    items = []
    for ref in refs:
        detail = f' <span class="pmkb-detail">{esc(ref.detail)}</span>' if ref.detail else ""
        items.append(f"<li>{ctx.term_link(here, kind, ref.term)}{detail}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _history(ctx: SiteContext, record: Postmortem) -> str:
    history = ctx.git(record)
    revisions = "unknown" if history.revisions is None else str(history.revisions)
    first = day(history.first_written.date() if history.first_written else None)
    last = day(history.last_changed.date() if history.last_changed else None)
    edit = ctx.edit_url(record)
    source = esc(ctx.source_path(record))
    if edit:
        link = f'<a class="pmkb-edit" href="{esc(edit)}">Edit this postmortem</a> (<code>{source}</code>)'
    else:
        link = f"Edit this postmortem: <code>{source}</code>"
    return (
        '<p class="pmkb-history">'
        f'First written <span class="pmkb-first-written">{esc(first)}</span> · '
        f'last changed <span class="pmkb-last-changed">{esc(last)}</span> · '
        f'revisions: <span class="pmkb-revisions">{esc(revisions)}</span> · {link}</p>'
    )


def action_items_table(
    ctx: SiteContext, refs: list[ActionItemRef], here: str | None = None, filterable: bool = False
) -> str:
    """Action items, overdue ones marked; with ``here``, each row links to its incident."""
    headers = ["Due", "Status", "Action", "Owner", "Type", "Priority"]
    if here is not None:
        headers.append("Incident")
    rows = []
    for ref in refs:
        item = ref.item
        overdue = item.is_overdue(ctx.today)
        status = status_badge(item.status)
        if overdue:
            status += " " + badge("overdue", "pmkb-overdue-badge")
        title = esc(f"{item.id}: {item.title}")
        if item.link and is_web_url(item.link):
            title = f'<a href="{esc(item.link)}">{title}</a>'
        if item.reason:
            title += f' <span class="pmkb-detail">({esc(item.reason)})</span>'
        cells = [
            when(item.due),
            status,
            title,
            esc(item.owner),
            esc(item.type),
            esc(item.priority),
        ]
        if here is not None:
            cells.append(ctx.incident_link(here, ref.postmortem))
        attrs = 'class="pmkb-overdue"' if overdue else ""
        if filterable:
            # The filter form matches these (pages/assets/table-filter.js); a row may
            # have several services, hence a JSON list.
            services = json.dumps(list(ref.postmortem.services))
            attrs += (
                f' data-status="{esc(item.status)}" data-owner="{esc(item.owner)}"'
                f' data-type="{esc(item.type)}" data-priority="{esc(item.priority)}"'
                f' data-service="{esc(services)}"'
                f' data-active="{"true" if item.is_open else "false"}"'
                f' data-overdue="{"true" if overdue else "false"}"'
            )
        rows.append(tr(cells, attrs.strip()))
    table_id = 'id="action-items-list"' if filterable else ""
    return f'<div class="pmkb-actions">{table(headers, rows, table_id)}</div>'


def related_section(ctx: SiteContext, record: Postmortem, here: str) -> str:
    """The "Related incidents" section, each with why it is related, or a line saying
    there are none."""
    related = ctx.related(record)
    if not related:
        content = "<p>No other incident names this one or shares its causes or services.</p>"
    else:
        items = []
        for entry in related:
            other = entry.record
            items.append(
                f'<li data-related="{esc(other.id)}">{ctx.incident_link(here, other)} '
                f"{severity_badge(other.severity)} "
                f'<span class="pmkb-date">{esc(other.date_label)}</span>'
                f'<br><span class="pmkb-reason">{related_reason(ctx, entry)}</span></li>'
            )
        content = '<ul class="pmkb-related-list">' + "\n".join(items) + "</ul>"
    note = (
        f"<p>{plural(len(related), 'incident')}: the ones this postmortem names, the ones "
        "that name it, then those sharing the most causes and services.</p>"
        if related
        else ""
    )
    return (
        '<section class="pmkb-related">\n'
        + section("Related incidents", "related-incidents", note + content)
        + "\n</section>"
    )


def related_reason(ctx: SiteContext, entry: RelatedIncident) -> str:
    """Why another incident is related, with the shared terms by title (HTML)."""
    parts = []
    if entry.named:
        parts.append("linked from this postmortem")
    if entry.backlink:
        parts.append("links to this postmortem")
    # Titles, not links: the incident's own card already links each of its terms, and
    # ten related incidents with a few links each would double an incident page's links.
    shared = [ctx.term_label(Kind.CAUSE, term) for term in entry.shared_causes]
    shared += [ctx.term_label(Kind.SERVICE, service) for service in entry.shared_services]
    if shared:
        parts.append("shares: " + ", ".join(shared))
    return "; ".join(parts)


def incident_row(ctx: SiteContext, record: Postmortem, here: str, extra: str = "") -> str:
    """A list row used by index pages: date, severity, linked title."""
    cells = [
        when(record.date_label),
        severity_badge(record.severity),
        ctx.incident_link(here, record),
    ]
    if extra:
        cells.append(extra)
    return tr(cells)
