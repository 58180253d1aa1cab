"""The site's URL layout, and relative links between its pages.

Pages are named by their source path in the docs folder (``causes/dns.md``).
Generated pages link to each other in raw HTML, which the site generator does not
rewrite, so every href is computed here relative to the page it appears on. That
keeps the site working under any base path and when opened from disk. Which URL a
source path becomes is the site generator's rule: its adapter hands it to
:class:`Linker` (``postmortem_kb.site_adapter.urls`` for MkDocs and Zensical).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from postmortem_kb.model.kinds import KINDS, Kind

HOME = "index.md"
INCIDENTS = "incidents/index.md"
ACTION_ITEMS = "action-items/index.md"
ARCHIVE = "archive/index.md"
TAGS = f"{KINDS[Kind.TAG].folder}/index.md"
GUIDE = "guide/index.md"
GUIDE_FIELDS = "guide/fields.md"
GUIDE_TAXONOMY = "guide/taxonomy.md"
SCHEMA_JSON = "schema/postmortem.schema.json"
TAXONOMY_YAML = "schema/taxonomy.yml"
CSS = "assets/postmortem-kb/postmortem-kb.css"
JS = "assets/postmortem-kb/table-filter.js"
# Site search (Pagefind): the header box and the search page share one script and stylesheet.
SEARCH = "search.md"
SEARCH_CSS = "assets/postmortem-kb/postmortem-search.css"
SEARCH_JS = "assets/postmortem-kb/postmortem-search.js"
# The search page's facets, as data (model.facets); the search script reads it.
SEARCH_FACETS = "assets/postmortem-kb/search-facets.json"
INSIGHTS = "insights.md"
# Every postmortem as JSON for other tools, its JSON Schema, and one file per service.
API_POSTMORTEMS = "api/postmortems.json"
API_SCHEMA = "api/postmortems.schema.json"
# Atom feeds: every postmortem, and one per term of the kinds in FEED_KINDS.
FEED_ALL = "feeds/postmortems.xml"

# A page's source path -> its site-relative URL ("causes/dns.md" -> "causes/dns/").
UrlRule = Callable[[str], str]


def _segment(name: str) -> str:
    # Term ids and postmortem ids are slugs, but the taxonomy does not enforce it.
    return quote(name, safe="-_.")


def incident(postmortem_id: str) -> str:
    """The source path of a postmortem's page: ``incidents/<id>.md``, the id
    percent-encoded where it is not a slug."""
    return f"incidents/{_segment(postmortem_id)}.md"


def _folder(kind: Kind) -> str:
    folder = KINDS[kind].folder
    if folder is None:
        raise ValueError(f"{kind.singular} terms have no pages of their own")
    return folder


def term(kind: Kind, term_id: str) -> str:
    """The page of one term (a tag included)."""
    return f"{_folder(kind)}/{_segment(term_id)}.md"


def term_index(kind: Kind) -> str:
    """The index page of a kind with pages (model.kinds.PAGED_KINDS)."""
    return f"{_folder(kind)}/index.md"


def tag(name: str) -> str:
    """The page of one tag (``tags/<tag>.md``)."""
    return term(Kind.TAG, name)


def api_service(service: str) -> str:
    """One service's incidents and open action items as JSON."""
    return f"api/services/{_segment(service)}.json"


def feed(kind: Kind, term_id: str) -> str:
    """The Atom feed of one term's postmortems (``feeds/causes/dns.xml``)."""
    return f"feeds/{_folder(kind)}/{_segment(term_id)}.xml"


def archive_year(year: int) -> str:
    """The archive page of one year (``archive/2025.md``)."""
    return f"archive/{year}.md"


def relative_url(target: str, source: str) -> str:
    """``target`` as seen from a page at ``source`` (both site-relative URLs)."""
    source_dirs = [part for part in source[: source.rfind("/") + 1].split("/") if part]
    *target_dirs, target_name = target.split("/")
    common = 0
    while (
        common < len(source_dirs)
        and common < len(target_dirs)
        and source_dirs[common] == target_dirs[common]
    ):
        common += 1
    parts = [".."] * (len(source_dirs) - common) + target_dirs[common:] + [target_name]
    return "/".join(parts) or "./"


class Linker:
    """Hrefs from one page to another, relative, by the site generator's URL rule."""

    def __init__(self, url: UrlRule) -> None:
        self.url = url

    def href(self, from_src: str, to_src: str, fragment: str = "") -> str:
        """The link from the page built from ``from_src`` to the one built from ``to_src``."""
        href = relative_url(self.url(to_src), self.url(from_src))
        return f"{href}#{fragment}" if fragment else href
