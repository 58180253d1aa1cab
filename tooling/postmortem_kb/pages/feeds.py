"""Atom feeds (RFC 4287): every postmortem, and one per term of the kinds with feeds
(causes and services, model.kinds.FEED_KINDS).

Each feed holds the FEED_LIMIT newest postmortems, so no feed grows with the
collection. Documents are built with ElementTree, which escapes every value taken
from front matter. Ids are ``urn:uuid:`` names derived from the postmortem id, so
they stay the same wherever the site is served; links are relative to the feed's
own location, which works under any sub-path.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime, time

from postmortem_kb.model.kinds import FEED_KINDS, KINDS, Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
_NAMESPACE = uuid.UUID("6f1d3b1e-2f5c-4b8e-9a51-7d0c3c6a1f42")  # postmortem-kb's own

ET.register_namespace("", ATOM)


def feed_id(name: str) -> str:
    """A permanent id for the feed or entry named ``name``."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def updated(ctx: SiteContext, record: Postmortem) -> datetime:
    """When the entry last changed: its file's last commit, else its latest time."""
    changed = ctx.git(record).last_changed
    if changed is not None:
        return changed
    times = [t for t in (record.started, record.detected, record.mitigated, record.resolved) if t]
    full = [t.utc for t in times if t.utc is not None]
    if full:
        return max(full)
    # Only dates or months: the start of the latest one (Atom needs an instant).
    latest = max(t.earliest_day for t in times)
    return datetime(latest.year, latest.month, latest.day, tzinfo=UTC)


def atom_feed(
    ctx: SiteContext, src: str, title: str, page_src: str, records: Sequence[Postmortem]
) -> bytes:
    """The feed at ``src`` (a path in the site) of ``records`` (newest first), whose
    page is ``page_src``."""
    entries = list(records[:FEED_LIMIT])
    stamps = [updated(ctx, record) for record in entries]
    newest = (
        max(stamps, key=lambda t: t.astimezone(UTC))
        if stamps
        else datetime.combine(ctx.today, time(0), UTC)
    )
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "id", feed_id(src))
    _el(feed, "title", title)
    _el(feed, "updated", _stamp(newest))
    _el(feed, "link", rel="self", type="application/atom+xml", href=ctx.file_href(src, src))
    _el(feed, "link", rel="alternate", type="text/html", href=ctx.file_href(src, page_src))
    author = _el(feed, "author")
    _el(author, "name", "Postmortem authors")
    _el(feed, "generator", "postmortem-kb")
    for record, stamp in zip(entries, stamps, strict=True):
        _entry(ctx, feed, src, record, stamp)
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _entry(
    ctx: SiteContext, feed: ET.Element, src: str, record: Postmortem, stamp: datetime
) -> None:
    entry = _el(feed, "entry")
    _el(entry, "id", feed_id(f"incidents/{record.id}"))
    _el(entry, "title", record.title)
    _el(entry, "updated", _stamp(stamp))
    first = ctx.git(record).first_written
    if first is not None:
        _el(entry, "published", _stamp(first))
    page = urls.incident(record.id)
    _el(entry, "link", rel="alternate", type="text/html", href=ctx.file_href(src, page))
    for name in record.authors:
        author = _el(entry, "author")
        _el(author, "name", name)
    _el(entry, "category", term=record.severity, label=f"Severity {record.severity}")
    for kind in FEED_KINDS:
        for term in dict.fromkeys(record.names(kind)):
            label = f"{KINDS[kind].title}: {ctx.term_title(kind, term)}"
            _el(entry, "category", term=term, scheme=kind.field, label=label)
    _el(entry, "summary", f"{record.severity} · {record.started.describe()} · {record.summary}")


def feeds(ctx: SiteContext) -> dict[str, bytes]:
    """Every feed of the site: path in the site -> the Atom document."""
    found = {
        urls.FEED_ALL: atom_feed(
            ctx, urls.FEED_ALL, "All postmortems", urls.HOME, ctx.collection.records
        )
    }
    for kind in FEED_KINDS:
        for term in ctx.collection.terms_used(kind):
            src = urls.feed(kind, term)
            title = f"Postmortems: {KINDS[kind].title.lower()} {ctx.term_title(kind, term)}"
            found[src] = atom_feed(
                ctx, src, title, urls.term(kind, term), ctx.collection.with_term(kind, term)
            )
    return found


def page_feeds(ctx: SiteContext, kind: Kind, term: str) -> tuple[tuple[str, str], ...]:
    """The feeds a term's page links in its head, besides the site's: ``(title, path)``."""
    if kind not in FEED_KINDS:
        return ()
    return ((f"Postmortems: {ctx.term_title(kind, term)}", urls.feed(kind, term)),)
