"""What every page generator needs: the collection, the date, links and git history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from postmortem_kb.analysis.ledger import LedgerEntry, lucky_break_ledger
from postmortem_kb.analysis.recurrence import TermStats, term_stats
from postmortem_kb.analysis.related import RelatedIncident
from postmortem_kb.collection.index import Collection
from postmortem_kb.model.facets import Facet, search_facets
from postmortem_kb.model.kinds import TERM_PAGE_KINDS, Kind
from postmortem_kb.model.records import Postmortem
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.pages import urls
from postmortem_kb.pages.html import a, esc, when
from postmortem_kb.pages.related import RelatedIndex
from postmortem_kb.pages.urls import Linker
from postmortem_kb.vcs.history import FileHistory, GitHistory


@dataclass
class SiteContext:
    """What every page needs: the records, the taxonomy, the date and how to link pages."""

    collection: Collection
    taxonomy: Taxonomy
    schema: dict[str, Any]
    root: Path  # the repository root, for source paths shown and edit links
    today: date
    # The site generator's URL rule lives in its adapter; pages only ask for hrefs.
    linker: Linker
    history: GitHistory = field(default_factory=GitHistory)
    # "https://github.com/org/repo/edit/main/{path}": {path} is relative to the repository root.
    edit_url_template: str | None = None
    related_limit: int = 10
    recent_limit: int = 10
    # Links inside files the generator copies as they are (feeds): by the site's real URL
    # rule even when ``linker`` names docs-folder files for a generator to rewrite.
    file_linker: Linker | None = None

    def href(self, from_src: str, to_src: str, fragment: str = "") -> str:
        """A relative link from the page built from ``from_src`` to the one built from
        ``to_src`` (with ``#fragment`` when given); not escaped, as ``a`` escapes it."""
        return self.linker.href(from_src, to_src, fragment)

    def site_path(self, src: str) -> str:
        """The site-relative URL of the page or file built from ``src`` (``incidents/x/``)."""
        return (self.file_linker or self.linker).url(src)

    def file_href(self, from_file: str, to_src: str) -> str:
        """A link inside a static file (a feed) at ``from_file`` to the page or file ``to_src``."""
        return (self.file_linker or self.linker).href(from_file, to_src)

    def as_of(self) -> str:
        """ "as of 2025-06-01" for beside an overdue figure: the date it is counted from
        (the build date, or the plugin's ``today``)."""
        return f'<span class="pmkb-as-of">as of {when(self.today)}</span>'

    def source_path(self, record: Postmortem) -> str:
        """The record's file relative to the repository root, POSIX style (shown on the page
        and filled into edit links); ``postmortems/<name>`` for a file outside the root."""
        try:
            return record.path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return f"postmortems/{record.path.name}"

    def edit_url(self, record: Postmortem) -> str | None:
        """The link that edits the record's file on the forge, or ``None`` when no
        ``edit_url_template`` is set."""
        if not self.edit_url_template:
            return None
        return self.edit_url_template.replace("{path}", self.source_path(record))

    def git(self, record: Postmortem) -> FileHistory:
        """The record's file history; its fields are ``None`` when unknown (outside a git work
        tree, or not committed yet)."""
        return self.history.for_path(record.path)

    def term_title(self, kind: Kind, term_id: str) -> str:
        """The term's title in the taxonomy, or ``term_id`` itself for a term the taxonomy
        does not hold; plain text, to be escaped."""
        term = self.taxonomy.get(kind, term_id)
        return term.title if term is not None else term_id

    def term_description(self, kind: Kind, term_id: str) -> str:
        """The term's description in the taxonomy; empty when it has none or the taxonomy
        does not hold the term (plain text, to be escaped)."""
        term = self.taxonomy.get(kind, term_id)
        return term.description if term is not None else ""

    # Links: the text is escaped by ``a``; ids appear as written in the front matter.
    def incident_link(self, from_src: str, record: Postmortem, fragment: str = "") -> str:
        """A link to the record's page, with its title as the (escaped) text."""
        return a(self.href(from_src, urls.incident(record.id), fragment), record.title)

    def term_link(self, from_src: str, kind: Kind, term_id: str) -> str:
        """A term as readers know it: its title, linked, then its id in small type (the id
        is what authors write in the front matter, so it stays visible)."""
        title = self.term_title(kind, term_id)
        href = esc(self.href(from_src, urls.term(kind, term_id)))
        link = f'<a class="pmkb-term" href="{href}">{esc(title)}</a>'
        if title == term_id:
            return link
        return f'{link} <small class="pmkb-id">{esc(term_id)}</small>'

    def term_label(self, kind: Kind, term_id: str) -> str:
        """A term as ``term_link`` shows it, without the link: its title, the id small."""
        title = self.term_title(kind, term_id)
        if title == term_id:
            return esc(term_id)
        return f'{esc(title)} <small class="pmkb-id">{esc(term_id)}</small>'

    def tag_link(self, from_src: str, tag: str) -> str:
        """A link to the tag's page, with the tag as the (escaped) text."""
        return a(self.href(from_src, urls.tag(tag)), tag, "pmkb-term")

    @cached_property
    def facets(self) -> list[Facet]:
        """The search facets: the incident pages' filters and the search page's list."""
        return search_facets(self.collection.shape)

    @cached_property
    def _stats(self) -> dict[Kind, list[TermStats]]:
        return {kind: term_stats(self.collection, kind, self.today) for kind in TERM_PAGE_KINDS}

    def stats(self, kind: Kind) -> list[TermStats]:
        """Every used term of ``kind``, most frequent first."""
        return self._stats[kind]

    @cached_property
    def _stats_by_term(self) -> dict[Kind, dict[str, TermStats]]:
        return {kind: {s.term: s for s in stats} for kind, stats in self._stats.items()}

    def stats_for(self, kind: Kind, term_id: str) -> TermStats | None:
        """The figures of one term of ``kind``, or ``None`` when no incident names it."""
        return self._stats_by_term[kind].get(term_id)

    @cached_property
    def ledger(self) -> list[LedgerEntry]:
        """Every lucky break named, most frequent first, with the action items that
        safeguard it; worked out once per site."""
        return lucky_break_ledger(self.collection)

    @cached_property
    def ledger_by_term(self) -> dict[str, LedgerEntry]:
        """``ledger`` by lucky-break term id."""
        return {entry.term: entry for entry in self.ledger}

    @cached_property
    def _related_index(self) -> RelatedIndex:
        return RelatedIndex(self.collection)

    def related(self, record: Postmortem) -> list[RelatedIncident]:
        """The same answer as analysis.related.related_incidents, for a whole site at once."""
        return self._related_index.related(record, self.related_limit)
