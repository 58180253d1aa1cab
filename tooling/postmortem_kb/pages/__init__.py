"""Page generation for the site: records in, pages (Markdown documents and HTML) out.

No site generator is imported here, and no generator's URL rules or navigation
format are known here: the site adapter (``postmortem_kb.site_adapter``) supplies
those, and the MkDocs plugin and ``postmortem site generate`` are thin front ends.
"""

from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.site import GeneratedPage, SitePages, markdown_document

__all__ = ["GeneratedPage", "SiteContext", "SitePages", "markdown_document"]
