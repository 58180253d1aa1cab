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

# The package's own files, served from the site: every site built with postmortem-kb
# gets them from the installed package, none from the team's docs folder.
_ASSETS = {
    urls.CSS: "postmortem-kb.css",
    urls.JS: "table-filter.js",
    urls.SEARCH_CSS: "postmortem-search.css",
    urls.SEARCH_JS: "postmortem-search.js",
}
_SEARCH_PAGE = "search-page.html"  # the search page's form and result list


def package_asset(name: str) -> bytes:
    """A file of ``postmortem_kb/pages/assets/`` as shipped in the package."""
    return (resources.files("postmortem_kb.pages") / "assets" / name).read_bytes()


@dataclass(frozen=True)
class GeneratedPage:
    """One page: a Markdown document for the site generator to render, and ``render``,
    which turns that document as rendered (HTML) into the page's final HTML.

    ``render`` places the HTML it is given as it is, at most once, and looks at it no
    further than whether it is blank: so a page can be rendered around a placeholder
    before its Markdown is (site_adapter.files.BODY_SLOT), and the HTML put in after.
    """

    src_uri: str  # its path in the docs folder: "causes/dns.md"
    title: str  # plain text; escaped when placed in the metadata
    render: Callable[[str], str]  # the Markdown as rendered (HTML) -> the page's final HTML
    body: str = ""  # the Markdown the page shows (a postmortem's body); most pages have none
    record: Postmortem | None = None  # the postmortem a page shows, if any
    hide: tuple[str, ...] = ()  # parts of the theme the page leaves out (Material's `hide`)
    # A listing: its tables get the whole width, with no table-of-contents column
    # (Material's and Zensical's ``hide: [toc]``), which would be empty or nearly so.
    wide: bool = False
    # Atom feeds its head links besides the site's own: (title, path in the site).
    feeds: tuple[tuple[str, str], ...] = ()

    @property
    def markdown(self) -> str:
        """The Markdown document handed to the site generator."""
        hide = (*self.hide, "toc") if self.wide and "toc" not in self.hide else self.hide
        return markdown_document(self.title, self.body, hide, self.feeds)


def markdown_document(
    title: str,
    body: str = "",
    hide: tuple[str, ...] = (),
    feeds: tuple[tuple[str, str], ...] = (),
) -> str:
    """A Markdown document with ``title``, the theme's ``hide`` list and ``feeds`` (as
    ``pmkb_feeds`` for the theme's head) in its front matter, then ``body``."""
    # JSON strings are valid YAML; the title is HTML-escaped because themes
    # place page titles into the HTML unescaped.
    meta = f"title: {json.dumps(esc(title))}\n"
    if hide:
        meta += f"hide: {json.dumps(list(hide))}\n"
    if feeds:
        listed = [{"title": esc(name), "path": path} for name, path in feeds]
        meta += f"pmkb_feeds: {json.dumps(listed)}\n"
    return f"---\n{meta}---\n\n{body}"


def _page(
    src_uri: str,
    title: str,
    build: Callable[[], str],
    wide: bool = True,
    feeds: tuple[tuple[str, str], ...] = (),
) -> GeneratedPage:
    """A generated listing (``wide``: no table-of-contents column) or guide page, with the
    Atom ``feeds`` its head links to."""
    return GeneratedPage(src_uri, title, lambda _html: build(), wide=wide, feeds=feeds)


class SitePages:
    """Every page and static file of the site, built lazily from one SiteContext."""

    def __init__(self, ctx: SiteContext) -> None:
        self.ctx = ctx

    def incident(self, record: Postmortem) -> GeneratedPage:
        """The page of one postmortem: its Markdown body, which the site generator renders,
        placed inside the generated card and sections (``render_incident``)."""
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

    def search(self) -> GeneratedPage:
        """The search page: the query, filters and results the search script fills in."""
        html = package_asset(_SEARCH_PAGE).decode("utf-8")
        return GeneratedPage(
            urls.SEARCH, "Search incidents", lambda _html: html, hide=("navigation", "toc")
        )

    def pages(self) -> Iterator[GeneratedPage]:
        """Every generated page except the home page, the guide and the search page, which
        a docs folder may hold hand-written."""
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
                    feeds=page_feeds(ctx, kind, stats.term),
                )
        yield _page(urls.TAGS, "Tags", lambda: render_tag_index(ctx))
        for tag in ctx.collection.tags_used():
            yield _page(urls.tag(tag), f"Tag: {tag}", partial(render_tag, ctx, tag))
        yield _page(urls.ACTION_ITEMS, "Action items", lambda: render_action_items(ctx))
        yield _page(urls.ARCHIVE, "Archive", lambda: render_archive_index(ctx))
        for year in archive_years(ctx):
            yield _page(urls.archive_year(year), str(year), partial(render_archive_year, ctx, year))
        yield _page(urls.GUIDE_FIELDS, "Field reference", lambda: render_fields(ctx))
        # The taxonomy's sections (causes, lucky breaks...) are worth a table of contents.
        yield _page(urls.GUIDE_TAXONOMY, "Taxonomy", lambda: render_taxonomy(ctx), wide=False)

    def static_files(self, schema_dir: Path) -> dict[str, bytes]:
        """Files copied as they are: the JSON Schema at a stable URL, the taxonomy, assets,
        the search facets as data (data_files() has the feeds and the API)."""
        files = {
            urls.SCHEMA_JSON: (schema_dir / "postmortem.schema.json").read_bytes(),
        }
        taxonomy = schema_dir / "taxonomy.yml"
        if taxonomy.is_file():
            files[urls.TAXONOMY_YAML] = taxonomy.read_bytes()
        for target, name in _ASSETS.items():
            files[target] = package_asset(name)
        files[urls.SEARCH_FACETS] = self.search_facets_json()
        return files

    def data_files(self) -> dict[str, bytes]:
        """The Atom feeds and the JSON API: files written from every postmortem, which
        cost as much as a hundred pages to build."""
        return feeds(self.ctx) | api_files(self.ctx)

    def search_facets_json(self) -> bytes:
        """The facet list the search page draws its filters from (model.facets), and the
        readable title of each taxonomy term among the values, so that the filters show
        "Configuration change" rather than ``config-change``."""
        ctx = self.ctx
        titles: dict[str, dict[str, str]] = {}
        for facet in ctx.facets:
            if facet.kind is None:
                continue
            named = {
                term: ctx.term_title(facet.kind, term)
                for term in ctx.collection.terms_used(facet.kind)
            }
            titles[facet.name] = {term: title for term, title in named.items() if title != term}
        data = {"facets": [facet.as_data() for facet in ctx.facets], "titles": titles}
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")
