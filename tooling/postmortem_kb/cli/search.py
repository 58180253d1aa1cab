"""`postmortem search`: ranked full-text search over postmortems, with filters.

This module stays light on purpose: on a warm index a search imports only
click, sqlite3 and the index module, so it answers about as fast as grep.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import click

from postmortem_kb.cli.options import date_option, project_from, text_or_json_format
from postmortem_kb.errors import UsageError


def _enum(project: Any, field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Values of a schema enum field (severity, status), matched case-insensitively."""
    allowed = project.schema.get("properties", {}).get(field, {}).get("enum") or []
    by_folded = {str(a).casefold(): str(a) for a in allowed}
    found = []
    for value in values:
        match = by_folded.get(value.casefold()) if by_folded else value
        if match is None:
            raise UsageError(f"'{value}' is not a {field}; expected one of {', '.join(allowed)}")
        found.append(match)
    return tuple(dict.fromkeys(found))


def _mark(snippet: str, color: bool) -> str:
    from postmortem_kb.search import MARK_END, MARK_START

    start, end = ("\x1b[1m", "\x1b[0m") if color else ("[", "]")
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--cause", "causes", multiple=True, metavar="TERM", help="Has this cause.")
@click.option(
    "--lucky-break", "lucky_breaks", multiple=True, metavar="TERM", help="Has this lucky break."
)
@click.option(
    "--went-well", "went_well", multiple=True, metavar="TERM", help="Has this went-well term."
)
@click.option("--service", "services", multiple=True, metavar="NAME", help="Involved this service.")
@click.option("--severity", "severities", multiple=True, metavar="SEV", help="SEV1 .. SEV4.")
@click.option("--status", "statuses", multiple=True, metavar="STATUS", help="draft, review, ...")
@click.option(
    "--since", metavar="DATE", callback=date_option, help="Started on or after this date."
)
@click.option(
    "--until", metavar="DATE", callback=date_option, help="Started on or before this date."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Show at most this many.",
)
@text_or_json_format
@click.option("--no-cache", is_flag=True, help="Build a throw-away index in memory.")
@click.pass_context
def search_command(
    ctx: click.Context,
    query: tuple[str, ...],
    causes: tuple[str, ...],
    lucky_breaks: tuple[str, ...],
    went_well: tuple[str, ...],
    services: tuple[str, ...],
    severities: tuple[str, ...],
    statuses: tuple[str, ...],
    since: date | None,
    until: date | None,
    limit: int,
    output_format: str,
    no_cache: bool,
) -> None:
    """Search postmortems: ranked full text combined with filters.

    QUERY words must all occur (in the title, summary, cause details or body;
    a match in the title ranks highest). Write "an exact phrase" in quotes and
    a prefix with a star: time*. Filters combine with AND; the same filter given
    twice means either value. Taxonomy aliases are accepted. Without QUERY,
    matches are listed newest first.

    The index lives in .postmortem-cache/ (or $POSTMORTEM_CACHE_DIR) and is
    brought up to date before each search, so results are never stale. Files
    with errors are left out; `postmortem check` shows why.

    \b
    Examples:
      postmortem search "load balancer" timeout
      postmortem search --cause config-change --severity SEV1 --since 2024-01-01
      postmortem search 'backtrack*' --service cloudflare-waf --format json | jq '.[].id'
      postmortem search --lucky-break off-peak-timing --lucky-break engineer-already-online
    """
    from postmortem_kb.search import SearchQuery, run_search

    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}; nothing can match")
    project = project_from(ctx)
    request = SearchQuery(
        text=" ".join(query),
        causes=causes,
        lucky_breaks=lucky_breaks,
        went_well=went_well,
        services=services,
        severities=_enum(project, "severity", severities) if severities else (),
        statuses=_enum(project, "status", statuses) if statuses else (),
        since=since,
        until=until,
        limit=limit,
    )
    outcome = run_search(project, request, cache=not no_cache)
    if outcome.report.skipped:
        count = outcome.report.skipped
        click.echo(
            f"postmortem: {count} file{'s' if count != 1 else ''} with errors left out of the "
            "search; run `postmortem check` to see them",
            err=True,
        )
    if output_format == "json":
        payload = [
            {
                "id": hit.id,
                "path": hit.path,
                "date": hit.date,
                "severity": hit.severity,
                "status": hit.status,
                "title": hit.title,
                "score": hit.score,
                "snippet": _mark(hit.snippet, color=False),
                "causes": list(hit.causes),
                "services": list(hit.services),
            }
            for hit in outcome.hits
        ]
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    color = sys.stdout.isatty()
    for hit in outcome.hits:
        click.echo(f"{hit.id}  {hit.severity}  {hit.date}  {hit.status}")
        click.echo(f"  {hit.title}")
        if hit.snippet:
            click.echo(f"  {_mark(hit.snippet, color)}")
    shown = len(outcome.hits)
    if shown == 0:
        click.echo("no matches")
    elif shown < outcome.total:
        click.echo(f"showing {shown} of {outcome.total} matches; use --limit to see more")
    else:
        click.echo(f"{shown} match{'es' if shown != 1 else ''}")
