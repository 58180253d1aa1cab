"""`postmortem review`: the Markdown summary for a postmortem pull request."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_kb.cli.options import project_from
from postmortem_kb.reports import renderer


@click.command("review")
@click.option(
    "--base",
    metavar="REF",
    help="The branch the pull request goes into (default origin/main, else main).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the Markdown to this file instead of standard output.",
)
@click.pass_context
def review_command(ctx: click.Context, base: str | None, output: Path | None) -> None:
    """Summarise the changed postmortems as Markdown for a pull-request comment.

    Check results for the postmortems changed since the merge base with REF, and for
    each one: its causes with how often each recurred before and when last, action
    items still open from earlier incidents with the same causes, lucky breaks seen
    before, and similar incidents not yet linked in `related`. Exit status 0 (the
    check itself fails the build), 2 on usage or environment errors.

    \b
    Examples:
      postmortem review
      postmortem review --base origin/main --output review.md
      gh pr comment "$PR" --body-file review.md
    """
    from postmortem_kb.analysis.review import review_changes
    from postmortem_kb.vcs.changes import changed_postmortems
    from postmortem_kb.writing import write_atomic

    project = project_from(ctx)
    review = review_changes(project, changed_postmortems(project, base))
    markdown = renderer("review", "markdown")(review)
    if output is None:
        click.echo(markdown, nl=False)
    else:
        try:
            write_atomic(output, markdown)
        except OSError as exc:
            raise click.FileError(str(output), exc.strerror) from None
        n = len(review.subjects)
        click.echo(f"wrote {output} ({n} postmortem{'s' if n != 1 else ''} reviewed)")
    ctx.exit(0)
