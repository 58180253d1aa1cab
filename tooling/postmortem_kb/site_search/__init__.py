"""Site search: a Pagefind index over the built site.

Pagefind reads the built HTML and writes a chunked index to ``<site>/pagefind/``;
a browser then loads only the chunks a query needs, unlike Material's lunr index,
which every visitor downloads whole. The site's pages mark what to index
(``data-pagefind-body``) and the facets (``data-pagefind-filter``); this package
only runs the indexer. It knows nothing of MkDocs: the plugin calls
:func:`index_site` from ``on_post_build``.
"""

from postmortem_kb.site_search.indexing import (
    BUNDLE_DIR,
    SiteIndex,
    SiteSearchError,
    index_site,
)

__all__ = ["BUNDLE_DIR", "SiteIndex", "SiteSearchError", "index_site"]
