"""`postmortem search`: ranked full-text search over postmortems, with filters.

This module stays light on purpose: on a warm index a search imports only
click, sqlite3 and the search package, so it answers about as fast as grep.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from postmortem_kb.cli.options import (
    date_option,
    format_option,
    project_from,
    warn_left_out,
)
from postmortem_kb.errors import UsageError
from postmortem_kb.model.kinds import FACET_KINDS, KINDS, Control
from postmortem_kb.reports import formats, renderer

F = TypeVar("F", bound=Callable[..., Any])


def facet_options(command: F) -> F:
    """One repeatable option per search facet kind (``--cause``, ``--lucky-break``, ...),
    in the kind table's order; each passes its names under the kind's field name."""
    # click lists options in the order the decorators are written, top to bottom,
    # which is the reverse of the order they are applied in.
    for kind in reversed(FACET_KINDS):
        spec = KINDS[kind]
        command = click.option(
            str(spec.cli_option),
            spec.field,
            multiple=True,
            # A term from a controlled list, or a name that may be free (services).
            metavar="TERM" if spec.control is Control.ALWAYS else "NAME",
            help=spec.cli_help,
        )(command)
    return command


def _one_of(name: str, allowed: tuple[str, ...], values: tuple[str, ...]) -> tuple[str, ...]:
    """``values`` as the schema spells them (severity, status), matched case-insensitively."""
    by_folded = {a.casefold(): a for a in allowed}
    found = []
    for value in values:
        match = by_folded.get(value.casefold())
        if match is None:
            raise UsageError(f"'{value}' is not a {name}; expected one of {', '.join(allowed)}")
        found.append(match)
    return tuple(dict.fromkeys(found))


@click.command("search")
@click.argument("query", nargs=-1)
@facet_options
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="SEV",
    help="SEV1 .. SEV4, or unknown (not assessed).",
)
@click.option("--status", "statuses", multiple=True, metavar="STATUS", help="draft, review, ...")
@click.option(
    "--since", metavar="DATE", callback=date_option, help="Started on or after this date."
)
@click.option(
    "--until", metavar="DATE", callback=date_option, help="Started on or before this date."
)
@click.option(
    "--customer-facing",
    type=click.Choice(["yes", "no"]),
    default=None,
    help="Whether customers could see it (impact.customer_facing; records that do not say "
    "match neither).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Show at most this many.",
)
@format_option(*formats("search"), help="text for people, json for scripts.")
@click.option("--no-cache", is_flag=True, help="Build a throw-away index in memory.")
@click.pass_context
def search_command(
    ctx: click.Context,
    /,  # the facet options arrive as **facets, so click's context is passed by position
    query: tuple[str, ...],
    severities: tuple[str, ...],
    statuses: tuple[str, ...],
    since: date | None,
    until: date | None,
    customer_facing: str | None,
    limit: int,
    output_format: str,
    no_cache: bool,
    **facets: tuple[str, ...],
) -> None:
    """Search postmortems: ranked full text combined with filters.

    QUERY words must all occur (in the title, summary, cause details or body;
    a match in the title ranks highest). Write "an exact phrase" in quotes and
    a prefix with a star: time*. Filters combine with AND; the same filter given
    twice means either value. Taxonomy aliases are accepted. Without QUERY,
    matches are listed newest first. --since and --until take a postmortem whose
    start is known only to the month when the whole month is in range, and say
    on stderr how many straddling ones they left out.

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
    # project.shape reads the schema: only when there is something to check against it.
    request = SearchQuery(
        text=" ".join(query),
        terms={kind: facets[kind.field] for kind in FACET_KINDS},
        severities=_one_of("severity", project.shape.severity_values, severities)
        if severities
        else (),
        statuses=_one_of("status", project.shape.statuses, statuses) if statuses else (),
        since=since,
        until=until,
        customer_facing=None if customer_facing is None else customer_facing == "yes",
        limit=limit,
    )
    outcome = run_search(project, request, cache=not no_cache)
    warn_left_out(outcome.report.skipped, " of the search")
    if outcome.imprecise:
        many = outcome.imprecise != 1
        click.echo(
            f"postmortem: {outcome.imprecise} postmortem{'s' if many else ''} left out: "
            f"{'their starts are' if many else 'its start is'} known only to a month that "
            "--since/--until cuts through",
            err=True,
        )
    render = renderer("search", output_format)
    click.echo(render(outcome, color=sys.stdout.isatty()), nl=False)
