"""`postmortem similar`: past incidents most like one postmortem, to link in `related`."""

from __future__ import annotations

import click

from postmortem_kb.cli.options import format_option, project_from
from postmortem_kb.reports import formats, renderer


@click.command("similar")
@click.argument("target", metavar="ID|FILE")
@click.option(
    "--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Show at most."
)
@format_option(*formats("similar"), help="text for people, json for scripts.")
@click.pass_context
def similar_command(ctx: click.Context, target: str, limit: int, output_format: str) -> None:
    """Find past incidents most similar to a postmortem, to link in its `related`.

    ID|FILE is a postmortem id or a file, which may be uncommitted and may not
    pass `postmortem check` yet: what can be read from it is used. Similarity
    counts shared causes, services and lucky breaks, and how alike the title,
    summary and text are (TF-IDF cosine, shown as "text"). The incident itself
    is never listed.

    \b
    Examples:
      postmortem similar 2019-07-02-cloudflare-waf-regex-cpu-exhaustion
      postmortem similar postmortems/2025-03-14-payments-502.md --limit 10
      postmortem similar draft.md --format json | jq -r '.[].id'
    """
    from postmortem_kb.analysis.similarity import find_similar
    from postmortem_kb.collection.load import load_knowledge_base

    project = project_from(ctx)
    kb = load_knowledge_base(project)
    result = find_similar(project, kb.collection, target, limit)
    click.echo(renderer("similar", output_format)(result), nl=False)
