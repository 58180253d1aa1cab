"""The `postmortem` command line: one module per command, each returning an exit code.

Only this package imports click. Exceptions become exit codes here, in one place:
domain errors (bad usage, a broken schema/) a one-line message and exit 2;
anything unexpected one line and exit 3, with the traceback under --debug.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from pathlib import Path

import click

from postmortem_kb import __version__
from postmortem_kb.cli.options import EXIT_INTERNAL, EXIT_USAGE
from postmortem_kb.cli.output import OutputError, install_console_streams, read_by_github
from postmortem_kb.errors import PostmortemKbError, exception_line

# Set by --debug (or POSTMORTEM_DEBUG=1): show the traceback of an internal error.
DEBUG_ENV = "POSTMORTEM_DEBUG"

# Each command's module is imported only when that command runs, so a quick command
# (a warm `postmortem search`) does not pay for importing the validator, YAML and
# JSON Schema libraries at start-up. Add a command here as "name": "module:function".
LAZY_COMMANDS = {
    "check": "postmortem_kb.cli.check:check_command",
    "import": "postmortem_kb.cli.importing:import_command",
    "init": "postmortem_kb.cli.init:init_command",
    "new": "postmortem_kb.cli.new:new_command",
    "review": "postmortem_kb.cli.review:review_command",
    "search": "postmortem_kb.cli.search:search_command",
    "patterns": "postmortem_kb.cli.patterns:patterns_command",
    "similar": "postmortem_kb.cli.similar:similar_command",
    "site": "postmortem_kb.cli.site:site_command",
    "taxonomy": "postmortem_kb.cli.taxonomy:taxonomy_command",
    "stats": "postmortem_kb.cli.stats:stats_command",
    "export": "postmortem_kb.cli.export:export_command",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazily imported ones included, sorted (for ``--help``)."""
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported on first use (``LAZY_COMMANDS``);
        ``None`` for a name that is no command."""
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a ``PostmortemKbError`` (a domain error: bad usage, a broken
        schema/) becomes a one-line message and exit 2, not a traceback."""
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
@click.option(
    "--debug",
    is_flag=True,
    envvar=DEBUG_ENV,
    help="Show the traceback when postmortem fails with an internal error.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Check, search and publish incident postmortems kept as Markdown in git.

    \b
    Examples:
      postmortem check                      check every file in postmortems/
      postmortem check postmortems/2025-03-14-payments-502.md
      postmortem check --format github      annotations for GitHub Actions
      postmortem site generate              the site's pages as files, for Zensical

    \b
    Exit status:
      0  success; no findings
      1  findings (errors, or warnings with --strict)
      2  usage or environment error (a bad option, no schema/ found)
      3  internal error: a bug; rerun with --debug and report the traceback
    """
    if debug:
        os.environ[DEBUG_ENV] = "1"  # read by main() once the command has failed
    ctx.obj = root


def main() -> None:
    """The console script: run the command line, and turn what escapes it into exit 3.

    Where GitHub Actions reads the output, every line of it is first made unable to
    act as a workflow command (``cli.output``): results, messages, usage errors and
    the internal-error line alike.
    """
    install_console_streams(guard=read_by_github(sys.argv[1:]))
    try:
        _run()
    finally:
        # What the guard held back (the end of an unfinished line) goes out last.
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
            sys.stderr.flush()


def _run() -> None:
    try:
        # standalone_mode turns click's usage errors into exit code 2 with a message,
        # and ends every run with SystemExit.
        cli.main(prog_name="postmortem")
    except SystemExit:
        raise
    except OutputError as exc:  # stdout or stderr cannot be written: the environment's fault
        with contextlib.suppress(OSError):
            click.echo(f"postmortem: error: cannot write the output: {exc.strerror}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("postmortem: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # anything a command did not expect is a bug: one line, exit 3
        click.echo(internal_error_line(exc), err=True)
        if os.environ.get(DEBUG_ENV) not in (None, "", "0"):
            traceback.print_exception(exc)
        sys.exit(EXIT_INTERNAL)


def internal_error_line(exc: BaseException) -> str:
    """``postmortem: internal error: ValueError: ...; rerun with --debug ...`` on one line."""
    return (
        f"postmortem: internal error: {exception_line(exc)}; rerun with --debug for the traceback"
    )
