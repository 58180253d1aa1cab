"""The incident card's facts beyond terms: impact as data, roles, the original write-up
and other write-ups of the same incident.

A part the record does not give is not shown (never "no" for "not said"). Every
value comes from front matter, so every value is escaped, and a link is made only
of an http or https address.
"""

from __future__ import annotations

from postmortem_kb.model.facts import Impact, Roles, Source
from postmortem_kb.model.records import Postmortem
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import esc, is_web_url, plural

# The card's label for a trigger when the record names none, and for empty causes.
NOT_YET_ANALYSED = "not yet analysed"


def not_analysed_note(ctx: SiteContext) -> str:
    """A paragraph saying how many incidents name no cause yet, which every count of
    causes leaves out; empty when every incident names one."""
    left = ctx.collection.not_analysed_count
    if not left:
        return ""
    return (
        f'<p class="pmkb-unknown">{esc(plural(left, "incident"))} {NOT_YET_ANALYSED} (no '
        "causes named): not counted here.</p>"
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def impact_items(impact: Impact) -> list[str]:
    """The impact's parts as short escaped phrases, in the schema's order."""
    parts: list[str] = []
    if impact.customer_facing is not None:
        parts.append("customer-facing" if impact.customer_facing else "not customer-facing")
    if impact.customers_affected is not None:
        parts.append(f"customers affected: {impact.customers_affected:,}")
    if impact.customers_affected_percent is not None:
        parts.append(f"customers affected: {_number(impact.customers_affected_percent)}%")
    if impact.regions:
        parts.append("regions: " + ", ".join(impact.regions))
    if impact.failed_requests_percent is not None:
        parts.append(f"failed requests: {_number(impact.failed_requests_percent)}%")
    if impact.slo_budget_spent_percent is not None:
        parts.append(f"SLO budget spent: {_number(impact.slo_budget_spent_percent)}%")
    if impact.support_tickets is not None:
        parts.append(f"support tickets: {impact.support_tickets:,}")
    if impact.data_loss is not None:
        parts.append("data lost" if impact.data_loss else "no data lost")
    return [esc(part) for part in parts]


def impact_html(impact: Impact) -> str:
    """The impact figures on one line, its summary below."""
    items = impact_items(impact)
    line = f'<span class="pmkb-impact">{" · ".join(items)}</span>' if items else ""
    summary = f'<span class="pmkb-detail">{esc(impact.summary)}</span>' if impact.summary else ""
    return "<br>".join(part for part in (line, summary) if part)


def roles_items(roles: Roles | None, responders: int | None) -> list[tuple[str, str]]:
    """(label, escaped value) for each role someone held, and the number of responders."""
    items = [(label, esc(", ".join(names))) for label, names in (roles.held() if roles else [])]
    if responders is not None:
        items.append(("Responders", esc(plural(responders, "person", "people"))))
    return items


def source_html(source: Source) -> str:
    """ "Original write-up": the link (http or https only), who published it and when,
    an archived copy, and what it was imported from."""
    name = source.publisher or source.url or source.id or "the original"
    if source.url and is_web_url(source.url):
        shown = f'<a class="pmkb-source" href="{esc(source.url)}" rel="nofollow noopener">{esc(name)}</a>'
    else:
        shown = esc(name)
    details = []
    if source.published is not None:
        details.append(f"published {esc(source.published.isoformat())}")
    if source.archived_url and is_web_url(source.archived_url):
        details.append(
            f'<a href="{esc(source.archived_url)}" rel="nofollow noopener">archived copy</a>'
        )
    if source.id and source.url:
        details.append(f"id {esc(source.id)}")
    text = shown + (f" ({', '.join(details)})" if details else "")
    if source.imported_from:
        text += f'<br><span class="pmkb-detail">imported from {esc(source.imported_from)}</span>'
    return text


def write_ups_item(ctx: SiteContext, record: Postmortem, here: str) -> tuple[str, str] | None:
    """ "Same incident as" on a second write-up; "Also written up as" on the main one."""
    others = ctx.collection.write_ups(record)
    if not others:
        return None
    main = ctx.collection.incident_of(record)
    if main.id != record.id:
        return ("Same incident as", ctx.incident_link(here, main) + _rest(ctx, others, main, here))
    return ("Also written up as", ", ".join(ctx.incident_link(here, other) for other in others))


def _rest(ctx: SiteContext, others: list[Postmortem], main: Postmortem, here: str) -> str:
    rest = [ctx.incident_link(here, other) for other in others if other.id != main.id]
    return f" (also written up as {', '.join(rest)})" if rest else ""
