"""What several commands share: the project they run in, and options that read and
behave the same everywhere. Kept light: a warm `postmortem search` imports it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from postmortem_kb.project.repository import Project, find_project

F = TypeVar("F", bound=Callable[..., Any])

# Exit codes of every command: documented in `postmortem --help` and the README.
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings (check), failed inputs (import), nothing else
EXIT_USAGE = 2  # usage or environment error: a bad option, no schema/ found
EXIT_INTERNAL = 3  # a bug: one line on stderr, the traceback with --debug


def project_from(ctx: click.Context) -> Project:
    """The project of ``--root``, else the nearest folder above here with schema/."""
    root: Path | None = ctx.find_root().obj
    return Project(root.absolute()) if root is not None else find_project()


def format_option(*formats: str, help: str) -> Callable[[F], F]:
    """``--format`` with the given renderer names, the first one the default; more than
    two are listed alphabetically."""
    choices = list(formats) if len(formats) <= 2 else sorted(formats)
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=formats[0],
        show_default=True,
        help=help,
    )


# `--format text|json` for the commands that report to people or to scripts.
text_or_json_format = format_option("text", "json", help="text for people, json for scripts.")


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A YYYY-MM-DD option value; anything else is a usage error (exit 2) naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def warn_left_out(count: int, of_what: str) -> None:
    """Say on stderr that ``count`` files with errors were left out (``of_what``: " of the search")."""
    if count:
        click.echo(
            f"postmortem: {count} file{'s' if count != 1 else ''} with errors left out{of_what}; "
            "run `postmortem check` to see them",
            err=True,
        )
