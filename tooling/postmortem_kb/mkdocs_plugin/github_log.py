"""MkDocs' log, made unable to act as GitHub Actions workflow commands.

``mkdocs build`` runs in the workflow (``make site``) and logs what the plugin reports
(``postmortems/x.md:3:1: error: ...``), MkDocs' own warnings and any error that stops
the build. Each may hold a file name or a value from a postmortem, and the runner obeys
a line of its output that reads as a workflow command (``reports.workflow_commands``).
In GitHub Actions every handler of MkDocs' logger formats through ``neutralize``; the
formatted text is what is neutralized, since MkDocs may wrap a long message into more
lines.
"""

from __future__ import annotations

import logging
import os

from postmortem_kb.reports.workflow_commands import neutralize


class NeutralFormatter(logging.Formatter):
    """Formats as ``inner`` does, then breaks anything that would read as a command."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        """The record as ``inner`` formats it, with no workflow command in it."""
        return neutralize(self.inner.format(record))


def guard_mkdocs_log(logger: logging.Logger | None = None) -> None:
    """In GitHub Actions, make each handler of MkDocs' logger format through ``neutralize``."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    logger = logger or logging.getLogger("mkdocs")
    for handler in logger.handlers:
        if not isinstance(handler.formatter, NeutralFormatter):
            handler.setFormatter(NeutralFormatter(handler.formatter or logging.Formatter()))
