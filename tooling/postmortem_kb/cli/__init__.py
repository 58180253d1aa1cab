"""The `postmortem` command line: one module per command, each returning an exit code.

Only this package imports click. Domain errors become messages and exit code 2
here, in one place.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from postmortem_kb import __version__
from postmortem_kb.errors import PostmortemKbError

EXIT_USAGE = 2

# Each command's module is imported only when that command runs, so a quick command
# (a warm `postmortem search`) does not pay for importing the validator, YAML and
# JSON Schema libraries at start-up. Add a command here as "name": "module:function".
LAZY_COMMANDS = {
    "check": "postmortem_kb.cli.check:check_command",
    "new": "postmortem_kb.cli.new:new_command",
    "review": "postmortem_kb.cli.review:review_command",
    "search": "postmortem_kb.cli.search:search_command",
    "patterns": "postmortem_kb.cli.patterns:patterns_command",
    "similar": "postmortem_kb.cli.similar:similar_command",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return command

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


def main() -> None:
    # standalone_mode turns click's usage errors into exit code 2 with a message.
    sys.exit(cli.main(prog_name="postmortem"))
