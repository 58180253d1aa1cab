"""``plugins: [postmortems]``: check the postmortems exactly as ``postmortem check`` does,
then add one page per postmortem, term, tag and index to the MkDocs build.

Errors fail the build with the same ``file:line:col: error: ...`` lines as the
check; warnings go to the MkDocs logger, so ``mkdocs build --strict`` fails on them.
The pages come from the core (``postmortem_kb.pages``), built for this site by the
site adapter (``postmortem_kb.site_adapter``), which `postmortem site generate`
shares; this module only translates between them and MkDocs' events.
"""

from __future__ import annotations

import copy
import gc
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.errors import PostmortemKbError, exception_line
from postmortem_kb.mkdocs_plugin.config import PostmortemsConfig
from postmortem_kb.mkdocs_plugin.github_log import guard_mkdocs_log
from postmortem_kb.pages import GeneratedPage, SitePages, urls
from postmortem_kb.project.repository import Project
from postmortem_kb.reports.check import text_report
from postmortem_kb.site_adapter.build import site_pages, start_history
from postmortem_kb.site_adapter.config import edit_url_template
from postmortem_kb.site_adapter.manifest import Manifest
from postmortem_kb.site_adapter.nav import DEFAULT_NAV
from postmortem_kb.site_adapter.prerender import PageRenderer
from postmortem_kb.site_adapter.urls import SiteLinker

log = get_plugin_logger(__name__)


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):  # type: ignore[no-untyped-call]
    """The MkDocs front end of the site: the core's pages as MkDocs files."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.site: SitePages | None = None
        self.renderers: dict[str, GeneratedPage] = {}
        self.page_renderer: PageRenderer | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check the postmortems and build the site's pages; fill in nav and assets."""
        guard_mkdocs_log()  # before anything from a postmortem is logged
        options = self.config.site_options()
        project = Project(self._root(config))
        reading = start_history(project, options)  # git log runs during the check
        try:
            knowledge_base = load_knowledge_base(project)
        except PostmortemKbError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        except Exception as exc:  # a bug, not bad input: one line, as `postmortem` says it
            raise _internal_error(exc, "", "postmortem --debug check") from None
        result = knowledge_base.check
        for finding in result.warnings:
            log.warning(finding.render())
        if result.errors:
            report = text_report(result).rstrip("\n")
            errors = "\n".join(f.render() for f in result.errors)
            raise PluginError(f"{errors}\npostmortems: {report.splitlines()[-1]}")
        edit_template = edit_url_template(
            options.edit_url_template,
            repo_url=config.repo_url,
            edit_uri=config.edit_uri,
            docs_dir=Path(config.docs_dir),
            root=project.root,
        )
        try:
            site = site_pages(
                knowledge_base,
                options,
                linker=SiteLinker(bool(config.use_directory_urls)),
                edit_url_template=edit_template,
                history=reading,
            )
        except PostmortemKbError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        history = site.ctx.history
        if not history.available:
            log.info("first written / last changed dates are unknown: %s", history.reason)
        self.project = project
        self.site = site
        if config.nav is None:
            # MkDocs would otherwise list every page, every postmortem included, in the nav.
            config.nav = copy.deepcopy(DEFAULT_NAV)
        _use_assets(config, search=options.search)
        _add_theme_templates(config)
        # The records, collection and indexes built above live for the whole build;
        # moving them out of the garbage collector's reach spares it re-scanning
        # hundreds of thousands of objects on every collection while pages render.
        gc.freeze()
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and static files to the docs folder's files."""
        site = self._site()
        self._drop_generated_files(files, Path(config.docs_dir))
        self.renderers = {}
        for optional in (site.home(), site.guide(), site.search()):
            if files.get_file_from_path(optional.src_uri) is None:
                files.append(File.generated(config, optional.src_uri, content=optional.markdown))
            self.renderers[optional.src_uri] = optional
        # The author's guide text (or search page) stays as written; only a missing one
        # is generated.
        for own in (urls.GUIDE, urls.SEARCH):
            if files.get_file_from_path(own) is not None and not _generated(files, own):
                del self.renderers[own]
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
        self._stop_rendering()
        # Forked once the pages are known, in the order MkDocs will ask for them: the
        # workers render them while MkDocs reads and renders the Markdown, then build
        # the feeds and the API, which on_env adds.
        self.page_renderer = PageRenderer(
            list(self.renderers.values()),
            self.config.site_options().render_workers(),
            data_files=site.data_files,
        )
        for src_uri, content in site.static_files(self._project().schema_dir).items():
            _put_file(files, config, src_uri, content)
        return files

    @event_priority(100)  # before search plugins read the page, in this same event
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        """A generated page's final HTML, around its Markdown as MkDocs rendered it.

        Put in here, as the page is about to be written, rather than in
        on_page_content: MkDocs renders every page's Markdown first and writes the
        pages after, and the workers that render the pages ahead (site_adapter.
        prerender) have the whole build to keep ahead of it, not only its first half.
        """
        generated = self.renderers.get(page.file.src_uri)
        if generated is None:
            return context
        if generated.record is not None:
            # Material's edit button then opens the postmortem's source, too.
            page.edit_url = self._site().ctx.edit_url(generated.record)
        html = page.content or ""
        renderer = self.page_renderer
        try:
            page.content = (
                generated.render(html) if renderer is None else renderer.render(generated, html)
            )
        except Exception as exc:  # a bug, not bad input (the check has passed): one line
            raise _internal_error(
                exc, f"rendering {generated.src_uri}", "postmortem --debug site generate"
            ) from None
        return context

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Add the feeds and the API, which MkDocs copies after this with the other
        static files: built by a page-rendering worker while MkDocs read the pages."""
        renderer = self.page_renderer
        try:
            data = renderer.data_files() if renderer is not None else self._site().data_files()
        except Exception as exc:  # a bug, not bad input (the check has passed): one line
            raise _internal_error(
                exc, "writing the feeds and the API", "postmortem --debug site generate"
            ) from None
        for src_uri, content in data.items():
            _put_file(files, config, src_uri, content)
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site for site search, unless ``search`` is off."""
        self._stop_rendering()
        gc.unfreeze()  # so that `mkdocs serve` can collect this build's objects before the next
        if self.config.search:
            _index_site_search(Path(config.site_dir))

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on changes to postmortems/ and schema/, outside the docs folder."""
        project = self._project()
        for folder in (project.postmortems_dir, project.schema_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        """Stop the page-rendering workers of a build that failed."""
        self._stop_rendering()

    # -- helpers ---------------------------------------------------------------

    def _stop_rendering(self) -> None:
        if self.page_renderer is not None:
            self.page_renderer.close()
            log.debug("%s", self.page_renderer.stats.describe())
            self.page_renderer = None

    def _root(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path or ".").absolute().parent
        return (base / self.config.root).resolve()

    @staticmethod
    def _drop_generated_files(files: Files, docs_dir: Path) -> None:
        """Leave out what `postmortem site generate` wrote into the docs folder: this
        build generates those pages itself, from the postmortems as they are now."""
        try:
            written = Manifest.read(docs_dir)
        except PostmortemKbError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        for src_uri in written.entries:
            file = files.get_file_from_path(src_uri)
            if file is not None and file.generated_by is None:
                files.remove(file)

    def _site(self) -> SitePages:
        if self.site is None:
            raise PluginError("postmortems: on_config did not run")
        return self.site

    def _project(self) -> Project:
        if self.project is None:
            raise PluginError("postmortems: on_config did not run")
        return self.project


def _internal_error(exc: Exception, doing: str, rerun: str) -> PluginError:
    """An unexpected exception as one line, as `postmortem` reports one; ``doing`` says
    what failed, ``rerun`` the command that shows the traceback."""
    where = f" while {doing}" if doing else ""
    return PluginError(
        f"postmortems: internal error{where}: {exception_line(exc)}; "
        f"run `{rerun}` for the traceback"
    )


def _put_file(files: Files, config: MkDocsConfig, src_uri: str, content: bytes) -> None:
    """Add a generated static file, in place of a docs-folder file at the same path."""
    existing = files.get_file_from_path(src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, src_uri, content=content))


def _use_assets(config: MkDocsConfig, *, search: bool) -> None:
    """List the package's stylesheets and scripts in extra_css and extra_javascript.

    mkdocs.yml may list them already, for Zensical, which runs no plugins; with
    ``search: false`` the search box's script and stylesheet are left out even then.
    """
    wanted = {urls.CSS: True, urls.SEARCH_CSS: search}
    scripts = {urls.JS: True, urls.SEARCH_JS: search}
    for listing, paths in ((config.extra_css, wanted), (config.extra_javascript, scripts)):
        present = [str(item) for item in listing]
        for path, use in paths.items():
            if use and path not in present:
                listing.append(path)
            elif not use and path in present:
                del listing[present.index(path)]
                present.remove(path)


def _add_theme_templates(config: MkDocsConfig) -> None:
    """Put the package's theme templates (the header's search box, the feed links in every
    page's head) before the theme's own, after mkdocs.yml's custom_dir, so that a team's
    own overrides (a main.html of its own) still win."""
    folder = str(resources.files("postmortem_kb.pages") / "theme")
    dirs = config.theme.dirs
    if folder in dirs:
        return
    custom = config.theme.custom_dir
    dirs.insert(1 if custom and dirs and Path(dirs[0]) == Path(custom) else 0, folder)


def _index_site_search(site_dir: Path) -> None:
    # Imported here so that loading the plugin costs nothing when search is off.
    from postmortem_kb.site_adapter.index import index_built_site
    from postmortem_kb.site_search import SiteSearchError

    try:
        index = index_built_site(site_dir)
    except SiteSearchError as exc:
        raise PluginError(f"postmortems: site search: {exc}") from None
    if index.retried:
        log.info("site search: %s", index.retried)
    log.info("site search: Pagefind indexed %d pages", index.page_count)


def _generated(files: Files, src_uri: str) -> bool:
    file = files.get_file_from_path(src_uri)
    return file is not None and file.generated_by is not None
