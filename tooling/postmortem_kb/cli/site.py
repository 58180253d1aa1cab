"""`postmortem site`: the site's pages as files, and site search over a built site,
for generators that run no plugins (Zensical)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from postmortem_kb.cli.options import EXIT_FINDINGS, project_from
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.project.repository import Project
from postmortem_kb.reports.check import text_report
from postmortem_kb.site_adapter.config import CONFIG_FILE, DocsConfig, read_docs_config

_CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"The site's {CONFIG_FILE} (default: the one in the repository root).",
)


@click.group("site")
def site_command() -> None:
    """Write the site's pages into the docs folder, and index a built site.

    The MkDocs plugin does both within `mkdocs build`. Zensical builds from the
    same mkdocs.yml but runs no plugins, so the pages are written as files first
    and the built site is indexed after.

    \b
    Examples:
      postmortem site generate              pages into the docs_dir of mkdocs.yml
      zensical build
      postmortem site index build/site      Pagefind search over the built site
    """


@site_command.command("generate")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to write into (default: the docs_dir of mkdocs.yml).",
)
@_CONFIG_OPTION
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) on check warnings too, not only errors."
)
@click.pass_context
def generate_command(
    ctx: click.Context, out: Path | None, config_file: Path | None, strict: bool
) -> None:
    """Write every generated page and static file into the docs folder.

    The postmortems are checked first, as `postmortem check` does; with errors
    (or warnings, with --strict) nothing is written and the exit status is 1.
    Only files this command wrote before, as listed in the folder's
    .postmortem-generated manifest, are ever replaced or removed; a hand-written
    file in the way stops the run (exit 2) before anything is written.

    \b
    Examples:
      postmortem site generate
      postmortem site generate --out build/docs --strict
      postmortem site generate -f docs/mkdocs.yml
    """
    from postmortem_kb.site_adapter.build import site_pages, start_history
    from postmortem_kb.site_adapter.generate import config_notes, generate_site
    from postmortem_kb.site_adapter.urls import SiteLinker, SourceLinker

    config = _config(ctx, config_file)
    project = Project(config.root)
    history = start_history(project, config.options)  # git log runs during the check
    knowledge_base = load_knowledge_base(project)
    result = knowledge_base.check
    if result.findings:
        click.echo(text_report(result), err=True, nl=False)
    if result.exit_code(strict):
        click.echo("postmortem site generate: nothing written; fix the findings above", err=True)
        ctx.exit(EXIT_FINDINGS)
    site = site_pages(
        knowledge_base,
        config.options,
        linker=SourceLinker(),
        edit_url_template=config.edit_url_template(),
        file_linker=SiteLinker(config.use_directory_urls),
        history=history,
    )
    folder = out if out is not None else config.docs_dir
    done = generate_site(site, out=folder, docs_dir=config.docs_dir, schema_dir=project.schema_dir)
    for note in [*config_notes(config), *done.notes()]:
        click.echo(f"note: {note}", err=True)
    where = _shown(done.folder)
    click.echo(
        f"{where}: {len(done.written)} written, {len(done.unchanged)} unchanged, "
        f"{len(done.removed)} removed; listed in {where}/{done.manifest_name}"
    )


@site_command.command("index")
@click.argument("site_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@_CONFIG_OPTION
@click.pass_context
def index_command(ctx: click.Context, site_dir: Path | None, config_file: Path | None) -> None:
    """Index a built site for site search (Pagefind).

    What the MkDocs plugin does after each build, for a site Zensical built.
    SITE_DIR is the built site (default: the site_dir of mkdocs.yml). The
    generator's own search index (Material's search/search_index.json,
    Zensical's search.json), which every visitor would download whole, is removed.

    \b
    Examples:
      postmortem site index build/site
      postmortem site index
    """
    from postmortem_kb.site_adapter.index import index_built_site

    folder = site_dir if site_dir is not None else _config(ctx, config_file).site_dir
    index = index_built_site(folder)
    click.echo(f"{_shown(index.site_dir)}: Pagefind indexed {index.page_count} pages")


def _config(ctx: click.Context, config_file: Path | None) -> DocsConfig:
    path = config_file if config_file is not None else project_from(ctx).root / CONFIG_FILE
    return read_docs_config(path)


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, as people type it."""
    try:
        return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)
