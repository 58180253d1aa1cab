"""`postmortem patterns`: what recurs across incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from postmortem_kb.cli.options import date_option, format_option, project_from, warn_left_out
from postmortem_kb.reports import formats, renderer


@click.command("patterns")
@click.option(
    "--since", metavar="DATE", callback=date_option, help="Only incidents started on or after."
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Every row of every table (default: the top 10 of each).",
)
@format_option(*formats("patterns"), help="text for people, json for scripts.")
@click.pass_context
def patterns_command(
    ctx: click.Context, since: date | None, show_all: bool, output_format: str
) -> None:
    """Show what recurs across incidents.

    The top 10 rows of each table (--all for every row): recurring causes
    (count, first and last seen, trend per quarter or year, years labelled),
    pairs of causes that occur together more often than chance (lift =
    together / expected if independent, shown only for pairs seen together in
    at least 5 incidents), the lucky-breaks ledger (each near miss and
    whether an action item turned it into a safeguard), services by incident
    count and severity, and time to detect, mitigate and resolve per severity
    as median, 90th percentile and n. Files with errors are left out.

    \b
    Examples:
      postmortem patterns
      postmortem patterns --since 2024-01-01
      postmortem patterns --all
      postmortem patterns --format json | jq '.causes[:3]'
    """
    from postmortem_kb.analysis.patterns import TOP_ROWS, patterns_report
    from postmortem_kb.collection.load import load_knowledge_base

    kb = load_knowledge_base(project_from(ctx))
    warn_left_out(kb.files_with_errors, "")
    limit = None if show_all else TOP_ROWS
    report = patterns_report(kb.collection, datetime.now(UTC).date(), since, limit)
    click.echo(renderer("patterns", output_format)(report), nl=False)
