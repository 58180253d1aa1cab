"""The one output path of the command line, made safe for the GitHub Actions runner.

In GitHub Actions (``GITHUB_ACTIONS=true``), or whenever ``--format github`` is asked
for, the runner reads what a step prints and obeys any line that reads as a workflow
command. Whatever the command prints (results, ``postmortem: error: ...`` messages,
click's own usage errors, the internal-error line, a ``--debug`` traceback) may hold a
file name, a field name or a taxonomy entry. So ``main`` puts a ``ConsoleStream`` in
front of stdout and stderr, and there every byte passes ``workflow_commands.neutralize``
on its way out. Only ``emit_annotations`` writes real commands, the annotations of
``check --format github``, which escape what they carry. The same streams turn a failed
write (a full disk) into ``OutputError``, an environment error rather than a crash.
"""

from __future__ import annotations

import contextlib
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


class OutputError(OSError):
    """Standard output or standard error could not be written (a full disk, a closed pipe)."""


class ConsoleStream:
    """What ``main`` puts in front of ``sys.stdout`` and ``sys.stderr``.

    Where GitHub's runner reads the output (``guard``), everything written passes
    ``CommandGuard``. And a stream that cannot be written raises ``OutputError`` once
    (``main`` reports it as an environment error, exit 2; click ends quietly on a closed
    pipe), then points its file descriptor at /dev/null, so that nothing fails again
    while the interpreter shuts down. It has no ``buffer``: nothing writes bytes past it.
    """

    def __init__(self, stream: TextIO, *, guard: bool) -> None:
        self._stream = stream
        self._guard = CommandGuard() if guard else None
        self._broken = False

    def write(self, text: str) -> int:
        """Write ``text``; what could still become a command waits for the next write."""
        if not isinstance(text, str):
            # click probes a stream with b"" to tell text streams from binary ones.
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._put(self._guard.feed(text) if self._guard else text)
        return len(text)

    def write_annotations(self, text: str) -> None:
        """Write ``text`` whose annotation lines are our own, already escaped, commands."""
        if self._guard is None:
            self._put(text)
            return
        self._put(self._guard.flush())
        for line in split_lines(text):
            self._put(line if is_annotation(line) else neutralize(line))

    def flush(self) -> None:
        """Write what is held back (a prompt), then flush the stream underneath."""
        if self._guard is not None:
            self._put(self._guard.flush())
        if not self._broken:
            try:
                self._stream.flush()
            except OSError as exc:
                self._fail(exc)

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

    def _put(self, text: str) -> None:
        if self._broken or not text:
            return
        try:
            self._stream.write(text)
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        self._broken = True
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        raise OutputError(exc.errno, exc.strerror) from exc


def read_by_github(argv: Sequence[str]) -> bool:
    """Whether the runner may read this command's output: in GitHub Actions, or
    with ``--format github`` among ``argv`` (the command's arguments)."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return True
    if "--format=github" in argv:
        return True
    return any(a == "--format" and b == "github" for a, b in itertools.pairwise(argv))


def install_console_streams(*, guard: bool) -> None:
    """Put a ``ConsoleStream`` in front of stdout and stderr (once); ``guard``: where
    GitHub's runner reads them (``read_by_github``)."""
    if not isinstance(sys.stdout, ConsoleStream):
        sys.stdout = ConsoleStream(sys.stdout, guard=guard)
    if not isinstance(sys.stderr, ConsoleStream):
        sys.stderr = ConsoleStream(sys.stderr, guard=guard)


def emit_annotations(text: str) -> None:
    """Print the output of a ``github`` renderer: its annotations stay commands."""
    stream = sys.stdout
    if isinstance(stream, ConsoleStream):
        stream.write_annotations(text)
        stream.flush()
    else:
        click.echo(text, nl=False)
