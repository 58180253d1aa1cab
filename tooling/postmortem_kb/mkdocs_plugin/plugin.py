"""``plugins: [postmortems]``: check the postmortems exactly as ``postmortem check`` does,
then add one page per postmortem, term, tag and index to the MkDocs build.

Errors fail the build with the same ``file:line:col: error: ...`` lines as the
check; warnings go to the MkDocs logger, so ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import copy
import gc
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from postmortem_kb.collection.index import Collection
from postmortem_kb.errors import PostmortemKbError
from postmortem_kb.mkdocs_plugin.config import PostmortemsConfig
from postmortem_kb.pages import DEFAULT_NAV, GeneratedPage, SiteContext, SitePages, urls
from postmortem_kb.pages.urls import Linker
from postmortem_kb.project.repository import Project
from postmortem_kb.reports.check import text_report
from postmortem_kb.validation.checker import Checker, default_jobs
from postmortem_kb.vcs.history import GitHistory, read_history

log = get_plugin_logger(__name__)


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.site: SitePages | None = None
        self.renderers: dict[str, GeneratedPage] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Project(self._root(config))
        try:
            result = Checker(project).check(jobs=default_jobs())
            taxonomy, schema = project.taxonomy, project.schema
        except PostmortemKbError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        except Exception as exc:  # a bug, not bad input: one line, as `postmortem` says it
            message = " ".join(str(exc).split())[:500] or "(no message)"
            raise PluginError(
                f"postmortems: internal error: {type(exc).__name__}: {message}; "
                "run `postmortem --debug check` for the traceback"
            ) from None
        for finding in result.warnings:
            log.warning(finding.render())
        if result.errors:
            report = text_report(result).rstrip("\n")
            errors = "\n".join(f.render() for f in result.errors)
            raise PluginError(f"{errors}\npostmortems: {report.splitlines()[-1]}")
        history = (
            read_history(project.postmortems_dir)
            if self.config.git_dates
            else GitHistory(reason="git_dates is off")
        )
        if not history.available:
            log.info("first written / last changed dates are unknown: %s", history.reason)
        ctx = SiteContext(
            collection=Collection(result.records, taxonomy),
            taxonomy=taxonomy,
            schema=schema,
            root=project.root,
            today=self._today(),
            history=history,
            linker=Linker(bool(config.use_directory_urls)),
            edit_url_template=self._edit_url_template(config, project.root),
            related_limit=self.config.related_limit,
            recent_limit=self.config.recent_limit,
        )
        self.project = project
        self.site = SitePages(ctx)
        if config.nav is None:
            # MkDocs would otherwise list every page, every postmortem included, in the nav.
            config.nav = copy.deepcopy(DEFAULT_NAV)
        config.extra_css.append(urls.CSS)
        config.extra_javascript.append(urls.JS)
        # The records, collection and indexes built above live for the whole build;
        # moving them out of the garbage collector's reach spares it re-scanning
        # hundreds of thousands of objects on every collection while pages render.
        gc.freeze()
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self._site()
        self.renderers = {}
        for optional in (site.home(), site.guide()):
            if files.get_file_from_path(optional.src_uri) is None:
                files.append(File.generated(config, optional.src_uri, content=optional.markdown))
            self.renderers[optional.src_uri] = optional
        # The author's guide text stays as written; only a missing one is generated.
        if files.get_file_from_path(urls.GUIDE) is not None and not _generated(files, urls.GUIDE):
            del self.renderers[urls.GUIDE]
        for page in site.pages():
            if files.get_file_from_path(page.src_uri) is not None:
                log.warning(
                    "%s in the docs folder hides the page the postmortems plugin generates "
                    "there; rename or remove it",
                    page.src_uri,
                )
                continue
            files.append(
                File.generated(
                    config,
                    page.src_uri,
                    content=page.markdown,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
            self.renderers[page.src_uri] = page
        project = self._project()
        for src_uri, content in site.static_files(project.schema_dir).items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, src_uri, content=content))
        return files

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.renderers.get(page.file.src_uri)
        if generated is None:
            return html
        if generated.record is not None:
            # Material's edit button then opens the postmortem's source, too.
            page.edit_url = self._site().ctx.edit_url(generated.record)
        return generated.render(html)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()  # so that `mkdocs serve` can collect this build's objects before the next
        if self.config.search:
            _index_site_search(Path(config.site_dir))

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        project = self._project()
        for folder in (project.postmortems_dir, project.schema_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    # -- helpers ---------------------------------------------------------------

    def _root(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path or ".").absolute().parent
        return (base / self.config.root).resolve()

    def _today(self) -> date:
        value = self.config.today
        if value is None:
            return datetime.now(UTC).date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise PluginError(
                f"postmortems: today: '{value}' is not a date; write it as YYYY-MM-DD"
            ) from None

    def _edit_url_template(self, config: MkDocsConfig, root: Path) -> str | None:
        if self.config.edit_url_template:
            return str(self.config.edit_url_template)
        repo_url, edit_uri = config.repo_url, config.edit_uri
        if not repo_url or not edit_uri or "://" in edit_uri:
            return None
        # edit_uri points at the docs folder ("edit/main/site/"); postmortems live beside it.
        docs = os.path.relpath(config.docs_dir, root).replace(os.sep, "/").strip("/")
        edit = edit_uri.strip("/")
        if edit != docs and not edit.endswith("/" + docs):
            return None
        prefix = edit[: len(edit) - len(docs)].strip("/")
        return f"{repo_url.rstrip('/')}/{prefix}/{{path}}" if prefix else None

    def _site(self) -> SitePages:
        if self.site is None:
            raise PluginError("postmortems: on_config did not run")
        return self.site

    def _project(self) -> Project:
        if self.project is None:
            raise PluginError("postmortems: on_config did not run")
        return self.project


def _index_site_search(site_dir: Path) -> None:
    from postmortem_kb.site_search import SiteSearchError, index_site

    try:
        index = index_site(site_dir)
    except SiteSearchError as exc:
        raise PluginError(f"postmortems: site search: {exc}") from None
    if index.retried:
        log.info("site search: %s", index.retried)
    log.info("site search: Pagefind indexed %d pages", index.page_count)


def _generated(files: Files, src_uri: str) -> bool:
    file = files.get_file_from_path(src_uri)
    return file is not None and file.generated_by is not None
