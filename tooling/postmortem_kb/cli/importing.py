"""`postmortem import FORMAT PATH...`: postmortems from other tools, with nothing invented."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_kb.authoring.importing import FORMATS, import_postmortems, shipped_mappings
from postmortem_kb.cli.options import project_from


@click.command("import")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=Path)
@click.option(
    "--map",
    "mapping",
    metavar="FILE|NAME",
    help="Which source key is which field, and how values map: a YAML file, or a mapping "
    f"that ships ({', '.join(shipped_mappings())}).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be imported; write nothing.")
@click.option(
    "--status",
    default="draft",
    show_default=True,
    help="The status the new postmortems get (review or published add every required "
    "section, each saying when the original write-up has none).",
)
@click.option(
    "--add-terms",
    is_flag=True,
    help="Add services, causes and triggers the taxonomy lacks to schema/taxonomy.yml "
    "(as slugs) instead of leaving them out.",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    format_name: str,
    paths: tuple[Path, ...],
    mapping: str | None,
    dry_run: bool,
    status: str,
    add_terms: bool,
) -> None:
    """Import postmortems kept in another format: one line per input.

    FORMAT is frontmatter (Markdown files with YAML, TOML or JSON front matter
    in another layout), csv (one incident per row, with a header) or markdown
    (one Markdown or HTML document per incident, as a wiki exports it). A PATH
    may be a folder. Each input becomes postmortems/YYYY-MM-DD-slug.md, written
    atomically and never over an existing file, after the same check as
    `postmortem check`. Nothing is invented: a time without a zone keeps its
    date, severity is unknown unless mapped, causes stay empty (not yet
    analysed) unless a value maps to one. The source's words are quoted in the
    body. A record imported before (the same source.url, or source.id from the
    same publisher) is skipped, so running it again changes nothing.

    Exit status: 0 when every input was imported or skipped, 1 when any failed.

    \b
    Examples:
      postmortem import frontmatter data/ --map icco-postmortems --dry-run
      postmortem import frontmatter data/ --map icco-postmortems --add-terms
      postmortem import csv incidents.csv --map incident-tool.yml
      postmortem import markdown wiki-export/ --map wiki.yml --status review
    """
    run = import_postmortems(
        project_from(ctx),
        format_name,
        list(paths),
        mapping=mapping,
        dry_run=dry_run,
        status=status,
        add_terms=add_terms,
    )
    for outcome in run.outcomes:
        click.echo(outcome.line(dry_run))
    for line in run.report():
        click.echo(line)
    ctx.exit(run.exit_code)
