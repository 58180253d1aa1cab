"""Page generation for the site: records in, pages (Markdown documents and HTML) out.

No site generator is imported here; the MkDocs plugin is a thin adapter over it.
"""

from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.site import DEFAULT_NAV, GeneratedPage, SitePages, markdown_document

__all__ = ["DEFAULT_NAV", "GeneratedPage", "SiteContext", "SitePages", "markdown_document"]
