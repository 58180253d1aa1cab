"""The core's pages for one project, as both front ends build them.

The MkDocs plugin and ``postmortem site generate`` load and check the
postmortems exactly as ``postmortem check`` does (collection.load), report the
findings in their own way, then call :func:`site_pages` with the settings from
mkdocs.yml, so that the two sites are built from the same pages.
"""

from __future__ import annotations

from postmortem_kb.collection.load import KnowledgeBase
from postmortem_kb.pages import SiteContext, SitePages
from postmortem_kb.pages.urls import Linker
from postmortem_kb.project.repository import Project
from postmortem_kb.site_adapter.config import SiteOptions
from postmortem_kb.vcs.history import GitHistory, HistoryReading, start_reading_history


def start_history(project: Project, options: SiteOptions) -> HistoryReading:
    """Start reading the postmortems' git history (unless ``git_dates`` is off): started
    before the check, the log runs while the postmortems are checked."""
    if not options.git_dates:
        return HistoryReading(GitHistory(reason="git_dates is off"))
    return start_reading_history(project.postmortems_dir)


def site_pages(
    knowledge_base: KnowledgeBase,
    options: SiteOptions,
    *,
    linker: Linker,
    edit_url_template: str | None,
    file_linker: Linker | None = None,
    history: HistoryReading | None = None,
) -> SitePages:
    """Every page of the site for a checked knowledge base (its errors already reported:
    pages show only the valid postmortems). ``file_linker``: the site's own URL rule for
    links inside copied files (feeds), when ``linker`` names docs-folder files;
    ``history``: the git history start_history() began reading, else read now."""
    project = knowledge_base.project
    reading = history if history is not None else start_history(project, options)
    ctx = SiteContext(
        collection=knowledge_base.collection,
        taxonomy=project.taxonomy,
        schema=project.schema,
        root=project.root,
        today=options.today_date(),
        linker=linker,
        file_linker=file_linker,
        history=reading.result(),
        edit_url_template=edit_url_template,
        related_limit=options.related_limit,
        recent_limit=options.recent_limit,
    )
    return SitePages(ctx)
