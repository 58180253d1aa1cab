"""GitHub Actions workflow commands: writing our own, and keeping text from reading as one.

The runner reads every line a step prints, split at ``\\n`` and at ``\\r``. A line is a
command in two ways (actions/runner, ``ActionCommand``):

- ``::name props::data``: the line starts with ``::`` once leading white space is
  trimmed, and a second ``::`` ends the name and properties;
- ``##[name props]data``: the old syntax, anywhere in the line.

A postmortem's text reaches our output in file names, field names, titles and taxonomy
entries, so it could print ``::error ...``, ``::add-mask::...`` or ``##[set-output ...]``
and the runner would obey. Two things keep that from happening:

- Our own annotations (``annotation``) escape their data and properties as GitHub's
  toolkit does (``%``, ``\\r``, ``\\n``; and ``:``, ``,`` in properties), so nothing in
  them starts a line, and break ``##[`` in them too.
- Everything else printed in GitHub Actions passes ``neutralize``, which breaks ``::`` at
  the start of a line and ``##[`` anywhere, by putting a zero-width space between the two
  characters. The text reads the same in the log; the runner no longer sees a command.
  ``CommandGuard`` does the same to a stream written in pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Invisible in the log, and not white space to .NET's TrimStart, which the runner uses.
BREAK = "\u200b"

# The runner splits lines at \r, \n and \r\n.
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
# .NET's String.TrimStart() trims Unicode white space; the runner trims before looking for "::".
_LEADING_SPACE = re.compile(r"^[^\S\n\r]*")
_OLD_SYNTAX = "##["


def escape_data(text: str) -> str:
    """An annotation's message, escaped as the toolkit escapes it, ``##[`` broken."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _break_old_syntax(escaped)


def escape_property(text: str) -> str:
    """An annotation's property value (``file=``, ``title=``): data escaping plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, properties: Iterable[tuple[str, str]], message: str) -> str:
    """``::error file=...,line=...::message``: one line, whatever the values hold."""
    props = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return (
        f"::{level} {props}::{escape_data(message)}"
        if props
        else f"::{level}::{escape_data(message)}"
    )


def neutral_json(text: str) -> str:
    """JSON text with ``##[`` in its strings written ``#\\u0023[``: the same data to
    any JSON parser, and no old-syntax command for the runner (JSON has ``#`` only in
    strings, and no line of ``json.dumps`` output starts with ``::``)."""
    return text.replace(_OLD_SYNTAX, "#\\u0023[")


def neutralize(text: str) -> str:
    """``text`` with no line that the runner reads as a workflow command."""
    parts = _LINE_BREAK.split(text)
    # split() with a group keeps the line breaks at odd positions; lines are at even ones.
    parts[::2] = [neutralize_line(line) for line in parts[::2]]
    return "".join(parts)


def neutralize_line(line: str) -> str:
    """One line (no line break in it) that is not a workflow command."""
    line = _break_old_syntax(line)
    indent = _LEADING_SPACE.match(line)
    start = indent.end() if indent else 0
    if line.startswith("::", start):
        line = f"{line[: start + 1]}{BREAK}{line[start + 1 :]}"
    return line


def split_lines(text: str) -> list[str]:
    """``text`` as the runner splits it into lines, each with its line break."""
    parts = _LINE_BREAK.split(text)
    lines = [line + brk for line, brk in zip(parts[::2], parts[1::2], strict=False)]
    return [*lines, parts[-1]] if parts[-1] else lines


def is_annotation(line: str) -> bool:
    """Whether ``line`` is one that ``annotation`` writes (an error, warning or notice)."""
    return line.startswith(("::error ", "::warning ", "::notice ", "::error::", "::warning::"))


def _break_old_syntax(text: str) -> str:
    # "###[" becomes "##\u200b#[": no "##[" is left, and none is made by the replacement.
    return text.replace(_OLD_SYNTAX, f"#{BREAK}#[")


class CommandGuard:
    """``neutralize`` for text that arrives in pieces (a stream written chunk by chunk).

    ``feed`` returns what can be written now; the end of an unfinished line that could
    still become ``##[``, or a line-leading ``::``, with the next piece is held back.
    ``flush`` returns what is held back (so a prompt shows), closed with a zero-width
    space where the next piece could otherwise complete a command.
    """

    def __init__(self) -> None:
        self._pending = ""  # the held-back end of the current line
        self._line_started = False  # part of the current line is already written

    def feed(self, text: str) -> str:
        """The part of everything fed so far that can be written, neutralized."""
        parts = _LINE_BREAK.split(self._pending + text)
        out: list[str] = []
        # split() with a group: lines at even positions, the breaks between them at odd ones.
        for index in range(0, len(parts) - 1, 2):
            out += [self._piece(parts[index]), parts[index + 1]]
            self._line_started = False
        ready, self._pending = self._split_unfinished(parts[-1])
        if ready:
            out.append(self._piece(ready))
            self._line_started = True
        return "".join(out)

    def flush(self) -> str:
        """What is held back, neutralized and closed off, so that a partial line shows."""
        rest, self._pending = self._pending, ""
        if not rest:
            return ""
        written = self._piece(rest) + BREAK
        self._line_started = True
        return written

    def _piece(self, piece: str) -> str:
        # Once the start of a line is out, only "##[" can still form in the rest of it.
        return _break_old_syntax(piece) if self._line_started else neutralize_line(piece)

    def _split_unfinished(self, piece: str) -> tuple[str, str]:
        """(what of the unfinished line can be written now, what must wait for more)."""
        if not self._line_started and _LEADING_SPACE.sub("", piece, count=1) in ("", ":"):
            return "", piece  # may still become "::" at the start of the line
        # "#" or "##" at the end may become "##[" with the next piece.
        hold = min(len(piece) - len(piece.rstrip("#")), 2)
        return piece[: len(piece) - hold], piece[len(piece) - hold :]
