"""Every generated page of the site, as records in and pages out.

A page is a small Markdown document (its title in the metadata, and for a
postmortem the author's body) plus a ``render`` function that turns the
Markdown as rendered into the page's final HTML. Generated listings are built
directly as HTML, which keeps them fast to build and escaped in one place; the
site generator only contributes the theme around them. Rendering is lazy, so
only one page's HTML is built at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

from postmortem_kb.model.kinds import KINDS, TERM_PAGE_KINDS
from postmortem_kb.model.records import Postmortem
from postmortem_kb.pages import urls
from postmortem_kb.pages.api import api_files
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.dashboard import render_home
from postmortem_kb.pages.feeds import feeds, page_feeds
from postmortem_kb.pages.guide import render_fields, render_taxonomy
from postmortem_kb.pages.html import a, esc
from postmortem_kb.pages.incident import render_incident
from postmortem_kb.pages.insights import render_insights
from postmortem_kb.pages.listings import (
    archive_years,
    render_action_items,
    render_archive_index,
    render_archive_year,
    render_incidents_index,
)
from postmortem_kb.pages.terms import (
    render_tag,
    render_tag_index,
    render_term,
    render_term_index,
    term_page_title,
)

_ASSETS = {urls.CSS: "postmortem-kb.css", urls.JS: "table-filter.js"}


@dataclass(frozen=True)
class GeneratedPage:
    """One page: a Markdown document for the site generator to render, and ``render``,
    which turns that document as rendered (HTML) into the page's final HTML."""

    src_uri: str  # its path in the docs folder: "causes/dns.md"
    title: str  # plain text; escaped when placed in the metadata
    render: Callable[[str], str]  # the Markdown as rendered (HTML) -> the page's final HTML
    body: str = ""  # the Markdown the page shows (a postmortem's body); most pages have none
    record: Postmortem | None = None  # the postmortem a page shows, if any
    # Atom feeds its head links besides the site's own: (title, path in the site).
    feeds: tuple[tuple[str, str], ...] = ()

    @property
    def markdown(self) -> str:
        """The Markdown document handed to the site generator."""
        return markdown_document(self.title, self.body, self.feeds)


def markdown_document(title: str, body: str = "", feeds: tuple[tuple[str, str], ...] = ()) -> str:
    """A Markdown document with ``title`` (and ``feeds``, as ``pmkb_feeds`` for the theme's
    head) in its front matter, then ``body``."""
    # JSON strings are valid YAML; the title is HTML-escaped because themes
    # place page titles into the HTML unescaped.
    meta = f"title: {json.dumps(esc(title))}\n"
    if feeds:
        listed = [{"title": esc(name), "path": path} for name, path in feeds]
        meta += f"pmkb_feeds: {json.dumps(listed)}\n"
    return f"---\n{meta}---\n\n{body}"


def _page(
    src_uri: str,
    title: str,
    build: Callable[[], str],
    feeds: tuple[tuple[str, str], ...] = (),
) -> GeneratedPage:
    return GeneratedPage(src_uri, title, lambda _html: build(), feeds=feeds)


class SitePages:
    """Every page and static file of the site, built lazily from one SiteContext."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    def incident(self, record: Postmortem) -> GeneratedPage:
        ctx = self.ctx
        return GeneratedPage(
            urls.incident(record.id),
            record.title,
            lambda html: render_incident(ctx, record, html),
            body=record.body,
            record=record,
        )

    def home(self) -> GeneratedPage:
        """Generated sections after the text of site/index.md (or alone, without it)."""
        ctx = self.ctx
        return GeneratedPage(urls.HOME, "Home", lambda html: render_home(ctx, html))

    def guide(self) -> GeneratedPage:
        """Used only when site/guide/index.md does not exist."""
        ctx = self.ctx

        def build(_html: str) -> str:
            here = urls.GUIDE
            return (
                "<h1>Writing guide</h1>\n<ul>"
                f"<li>{a(ctx.href(here, urls.GUIDE_FIELDS), 'Field reference')}</li>"
                f"<li>{a(ctx.href(here, urls.GUIDE_TAXONOMY), 'Taxonomy')}</li></ul>"
            )

        return GeneratedPage(urls.GUIDE, "Writing guide", build)

    def pages(self) -> Iterator[GeneratedPage]:
        """Every generated page except the home page and the guide's hand-written text."""
        ctx = self.ctx
        for record in ctx.collection.records:
            yield self.incident(record)
        yield _page(urls.INCIDENTS, "Incidents", lambda: render_incidents_index(ctx))
        yield _page(urls.INSIGHTS, "Insights", lambda: render_insights(ctx))
        for kind in TERM_PAGE_KINDS:
            yield _page(
                urls.term_index(kind),
                KINDS[kind].index_title,
                partial(render_term_index, ctx, kind),
            )
            for stats in ctx.stats(kind):
                yield _page(
                    urls.term(kind, stats.term),
                    term_page_title(ctx, kind, stats.term),
                    partial(render_term, ctx, kind, stats.term),
                    page_feeds(ctx, kind, stats.term),
                )
        yield _page(urls.TAGS, "Tags", lambda: render_tag_index(ctx))
        for tag in ctx.collection.tags_used():
            yield _page(urls.tag(tag), f"Tag: {tag}", partial(render_tag, ctx, tag))
        yield _page(urls.ACTION_ITEMS, "Action items", lambda: render_action_items(ctx))
        yield _page(urls.ARCHIVE, "Archive", lambda: render_archive_index(ctx))
        for year in archive_years(ctx):
            yield _page(urls.archive_year(year), str(year), partial(render_archive_year, ctx, year))
        yield _page(urls.GUIDE_FIELDS, "Field reference", lambda: render_fields(ctx))
        yield _page(urls.GUIDE_TAXONOMY, "Taxonomy", lambda: render_taxonomy(ctx))

    def static_files(self, schema_dir: Path) -> dict[str, bytes]:
        """Files copied as they are: the JSON Schema at a stable URL, the taxonomy, assets,
        the search facets as data, the Atom feeds and the JSON API."""
        files = {
            urls.SCHEMA_JSON: (schema_dir / "postmortem.schema.json").read_bytes(),
        }
        taxonomy = schema_dir / "taxonomy.yml"
        if taxonomy.is_file():
            files[urls.TAXONOMY_YAML] = taxonomy.read_bytes()
        assets = resources.files("postmortem_kb.pages") / "assets"
        for target, name in _ASSETS.items():
            files[target] = (assets / name).read_bytes()
        files[urls.SEARCH_FACETS] = self.search_facets_json()
        files |= feeds(self.ctx)
        files |= api_files(self.ctx)
        return files

    def search_facets_json(self) -> bytes:
        """The facet list the search page draws its filters from (model.facets)."""
        data = {"facets": [facet.as_data() for facet in self.ctx.facets]}
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")
