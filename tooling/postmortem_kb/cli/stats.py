"""`postmortem stats`: incident counts, durations, completeness and action items, by group."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from postmortem_kb.cli.options import date_option, format_option, project_from, warn_left_out
from postmortem_kb.reports import formats, renderer

GROUP_CHOICES = ("severity", "service", "cause", "quarter")


@click.command("stats")
@click.option(
    "--since", metavar="DATE", callback=date_option, help="Only incidents started on or after."
)
@click.option(
    "--until", metavar="DATE", callback=date_option, help="Only incidents started on or before."
)
@click.option("--by", type=click.Choice(GROUP_CHOICES), default=None, help="Group the figures.")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=date_option,
    help="Count overdue action items as of this date (default: today, UTC).",
)
@format_option(*formats("stats"), help="text for people, json for scripts, csv for spreadsheets.")
@click.pass_context
def stats_command(
    ctx: click.Context,
    since: date | None,
    until: date | None,
    by: str | None,
    as_of: date | None,
    output_format: str,
) -> None:
    """Show how many incidents, how long they took, and what the postmortems leave out.

    For the incidents that started between --since and --until (the UTC date,
    inclusive), overall and per group: time to detect, mitigate and resolve as
    median and 90th percentile with n and how many incidents did not give the
    time (never a mean); the share of postmortems without detected, mitigated,
    resolved, causes or impact; and action items (open, overdue). A group of
    fewer than 20 incidents is marked "too few to compare" and gets no trend.
    The site's Insights page shows the same figures. Files with errors are left out.

    \b
    Examples:
      postmortem stats
      postmortem stats --since 2025-01-01 --by severity
      postmortem stats --by service --format csv > services.csv
      postmortem stats --format json | jq '.overall.durations.time_to_resolve'
    """
    from postmortem_kb.analysis.stats import stats_report
    from postmortem_kb.collection.load import load_knowledge_base

    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    kb = load_knowledge_base(project_from(ctx))
    warn_left_out(kb.files_with_errors, "")
    today = as_of or datetime.now(UTC).date()
    report = stats_report(kb.collection, today, since=since, until=until, by=by)
    click.echo(renderer("stats", output_format)(report), nl=False)
