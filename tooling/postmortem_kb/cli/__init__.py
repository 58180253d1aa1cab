"""The `postmortem` command line: one module per command, each returning an exit code.

Only this package imports click. Domain errors become messages and exit code 2
here, in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from postmortem_kb import __version__
from postmortem_kb.cli.check import check_command
from postmortem_kb.errors import PostmortemKbError

EXIT_USAGE = 2


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PostmortemKbError as exc:
            click.echo(f"postmortem: error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postmortem")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The postmortem repository (default: the nearest folder above here with schema/).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Check, search and publish incident postmortems kept as Markdown in git.

    \b
    Examples:
      postmortem check                      check every file in postmortems/
      postmortem check postmortems/2025-03-14-payments-502.md
      postmortem check --format github      annotations for GitHub Actions
    """
    ctx.obj = root


cli.add_command(check_command)


def main() -> None:
    # standalone_mode turns click's usage errors into exit code 2 with a message.
    sys.exit(cli.main(prog_name="postmortem"))
