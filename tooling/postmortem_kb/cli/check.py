"""`postmortem check`: validate postmortems against the schema, taxonomy and rules."""

from __future__ import annotations

from pathlib import Path

import click

from postmortem_kb.authoring.starter import upgrade_notice
from postmortem_kb.cli.options import format_option, project_from
from postmortem_kb.cli.output import emit_annotations
from postmortem_kb.errors import UsageError
from postmortem_kb.processes import default_jobs
from postmortem_kb.reports import formats, renderer
from postmortem_kb.validation.checker import Checker
from postmortem_kb.vcs.changes import changed_postmortems


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    *formats("check"),
    help="text for people, json for scripts, github for GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option(
    "--changed",
    is_flag=True,
    help="Only postmortems changed since the merge base with --base (and files a rename breaks).",
)
@click.option(
    "--base",
    metavar="REF",
    help="With --changed: the branch to compare with (default origin/main, else main).",
)
@click.pass_context
def check_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    changed: bool,
    base: str | None,
) -> None:
    """Check postmortems against the schema, the taxonomy and the cross-record rules.

    PATHS are files or folders (default: the postmortems/ folder). A single file is
    still checked against the whole collection (for example its `related` ids).
    Exit status: 0 clean, 1 findings, 2 usage or environment error.

    \b
    Examples:
      postmortem check
      postmortem check postmortems/2025-03-14-payments-502.md --strict
      postmortem check --format json | jq '.findings[].message'
      postmortem check --changed --base origin/main --format github
    """
    project = project_from(ctx)
    if base is not None and not changed:
        raise UsageError("--base only applies with --changed")
    if changed and paths:
        raise UsageError("give PATHS or --changed, not both")
    targets = project.expand(paths) if paths else None
    if changed:
        change_set = changed_postmortems(project, base)
        targets = change_set.targets
        if (why := change_set.reason()) is not None:
            click.echo(f"postmortem: note: {why}", err=True)
    result = Checker(project).check(targets, jobs=default_jobs(), keep_records=False)
    report = renderer("check", output_format)(result)
    if output_format == "github":
        emit_annotations(report)
    else:
        click.echo(report, nl=False)
    if (notice := upgrade_notice(project.root)) is not None:
        click.echo(f"postmortem: note: {notice}", err=True)
    ctx.exit(result.exit_code(strict))
