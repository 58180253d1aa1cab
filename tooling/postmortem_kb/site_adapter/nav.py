"""The site's navigation in mkdocs.yml's ``nav`` format.

Index pages and the guide only. Postmortems are reached through the index pages,
never listed in the nav, so that no page grows with the collection: MkDocs and
Zensical render the whole nav into every page.
"""

from __future__ import annotations

from typing import Any

from postmortem_kb.model.kinds import KINDS, TERM_PAGE_KINDS
from postmortem_kb.pages import urls

# The plugin sets it when mkdocs.yml has no nav; Zensical, which runs no plugins,
# needs it written into mkdocs.yml (`postmortem site generate` says so).
DEFAULT_NAV: list[Any] = [
    {"Home": urls.HOME},
    {"Search": urls.SEARCH},
    {"Insights": urls.INSIGHTS},
    *({KINDS[kind].index_title: urls.term_index(kind)} for kind in TERM_PAGE_KINDS),
    {"Action items": urls.ACTION_ITEMS},
    {"Archive": urls.ARCHIVE},
    {"Tags": urls.TAGS},
    {
        "Writing guide": [
            {"How to write a postmortem": urls.GUIDE},
            {"Field reference": urls.GUIDE_FIELDS},
            {"Taxonomy": urls.GUIDE_TAXONOMY},
        ]
    },
]
