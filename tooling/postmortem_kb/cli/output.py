"""The one output path of the command line, made safe for the GitHub Actions runner.

In GitHub Actions (``GITHUB_ACTIONS=true``), or whenever ``--format github`` is asked
for, the runner reads what a step prints and obeys any line that reads as a workflow
command. Whatever the command prints (results, ``postmortem: error: ...`` messages,
click's own usage errors, the internal-error line, a ``--debug`` traceback) may hold a
file name, a field name or a taxonomy entry. So ``main`` puts a ``GuardedStream`` in
front of stdout and stderr, and every byte passes ``workflow_commands.neutralize`` on
its way out. Only ``emit_annotations`` writes real commands, the annotations of
``check --format github``, which escape what they carry.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Sequence
from typing import TextIO

import click

from postmortem_kb.reports.workflow_commands import (
    CommandGuard,
    is_annotation,
    neutralize,
    split_lines,
)


class GuardedStream:
    """A text stream that passes everything written to it through ``CommandGuard``.

    It stands in for ``sys.stdout`` or ``sys.stderr``; click writes to it as to any text
    stream. It has no ``buffer``, so nothing can write bytes past it.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._guard = CommandGuard()

    def write(self, text: str) -> int:
        """Write ``text``; what could still become a command waits for the next write."""
        if not isinstance(text, str):
            # click probes a stream with b"" to tell text streams from binary ones.
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(self._guard.feed(text))
        return len(text)

    def write_annotations(self, text: str) -> None:
        """Write ``text`` whose annotation lines are our own, already escaped, commands."""
        self._stream.write(self._guard.flush())
        for line in split_lines(text):
            self._stream.write(line if is_annotation(line) else neutralize(line))

    def flush(self) -> None:
        """Write what is held back (a prompt), then flush the stream underneath."""
        self._stream.write(self._guard.flush())
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal (click colours only terminals)."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The stream underneath's file descriptor (``input()`` asks for it)."""
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        """The stream underneath's encoding, which click checks before it writes."""
        return self._stream.encoding

    @property
    def errors(self) -> str | None:
        """The stream underneath's error handler."""
        return self._stream.errors

    def writable(self) -> bool:
        """A stream one can write to."""
        return True

    def readable(self) -> bool:
        """Not one to read from."""
        return False


def read_by_github(argv: Sequence[str]) -> bool:
    """Whether the runner may read this command's output: in GitHub Actions, or
    with ``--format github`` among ``argv`` (the command's arguments)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return True
    if "--format=github" in argv:
        return True
    return any(a == "--format" and b == "github" for a, b in itertools.pairwise(argv))


def guard_output() -> None:
    """Put a ``GuardedStream`` in front of stdout and stderr (once)."""
    if not isinstance(sys.stdout, GuardedStream):
        sys.stdout = GuardedStream(sys.stdout)
    if not isinstance(sys.stderr, GuardedStream):
        sys.stderr = GuardedStream(sys.stderr)


def emit_annotations(text: str) -> None:
    """Print the output of a ``github`` renderer: its annotations stay commands."""
    stream = sys.stdout
    if isinstance(stream, GuardedStream):
        stream.write_annotations(text)
        stream.flush()
    else:
        click.echo(text, nl=False)
