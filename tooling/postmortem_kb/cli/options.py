"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

import click

# `--format text|json` for the commands that report to people or to scripts.
text_or_json_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
