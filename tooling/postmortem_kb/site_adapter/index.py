"""Site search over a site MkDocs or Zensical built: the Pagefind index, and no other.

Both generators ship a search index of their own that every visitor downloads
whole (Material's lunr ``search/search_index.json``, Zensical's ``search.json``);
the site's search is Pagefind, so those are removed once Pagefind has indexed
the site. Pagefind's own removal of Material's files is in site_search.
"""

from __future__ import annotations

from pathlib import Path

from postmortem_kb.site_search import SiteIndex, index_site

# Zensical's index: a JSON object that starts with its search configuration.
ZENSICAL_SEARCH_INDEX = "search.json"
_ZENSICAL_START = b'{"config":'


def index_built_site(site_dir: Path) -> SiteIndex:
    """Index ``site_dir`` with Pagefind and remove the generator's own search index."""
    index = index_site(site_dir)
    zensical = index.site_dir / ZENSICAL_SEARCH_INDEX
    if _starts_with(zensical, _ZENSICAL_START):
        zensical.unlink()
    return index


def _starts_with(path: Path, start: bytes) -> bool:
    # A file of the site's own called search.json stays: only Zensical's index goes.
    try:
        with path.open("rb") as handle:
            return handle.read(len(start)) == start
    except OSError:
        return False
