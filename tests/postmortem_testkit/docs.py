"""The `postmortem` commands the documentation shows, read out of its fenced code blocks.

A command is a line of a fenced block that starts with ``postmortem `` or
``$ postmortem `` (a ``\\`` at the end of a line continues it on the next one). In a
console block (commands after ``$ ``), the lines after a command up to the next
``$ `` line are what the documentation says it prints.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_PROMPT = "$ "
PROGRAM = "postmortem"


@dataclass(frozen=True)
class DocumentedCommand:
    """One command line shown in a document, with what the document shows it print."""

    document: str  # the document's path relative to the repository, e.g. README.md
    line: int  # 1-based line of the command's first line
    text: str  # the command as shown, continuations joined by single spaces, no "$ "
    shown_output: tuple[str, ...]  # the lines shown after it (console blocks only)

    @property
    def where(self) -> str:
        """``README.md:23``: where a reader finds the command."""
        return f"{self.document}:{self.line}"

    def words(self) -> list[str]:
        """The line as a POSIX shell splits it, comments dropped, each ``|`` a word."""
        lexer = shlex.shlex(self.text, posix=True, punctuation_chars="|")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        return list(lexer)

    def argv(self) -> list[str]:
        """The arguments after the program, up to a pipe (``| jq ...`` is another program)."""
        words = self.words()
        end = words.index("|") if "|" in words else len(words)
        return words[1:end]

    @property
    def piped(self) -> bool:
        """Whether the document pipes the output into another program (``| jq``): the
        lines it shows are that program's output, not this command's."""
        return "|" in self.words()


def documented_commands(
    root: Path, documents: list[str], program: str = PROGRAM
) -> list[DocumentedCommand]:
    """Every ``program`` command in the fenced code blocks of ``documents`` (under root)."""
    found: list[DocumentedCommand] = []
    for document in documents:
        lines = (root / document).read_text(encoding="utf-8").splitlines()
        for block_start, block in _fenced_blocks(lines):
            found += _commands(document, block_start, block, program)
    return found


def _fenced_blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(0-based index of the first line inside, the lines inside) of every fenced block."""
    blocks: list[tuple[int, list[str]]] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        start = index + 1
        end = start
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if (
                closing is not None
                and closing.group("fence")[0] == fence[0]
                and len(closing.group("fence")) >= len(fence)
                and not closing.group("info").strip()
            ):
                break
            end += 1
        # A block indented in a list item: drop the list's indentation.
        blocks.append(
            (
                start,
                [line[indent:] if line[:indent].isspace() else line for line in lines[start:end]],
            )
        )
        index = end + 1
    return blocks


def _commands(
    document: str, block_start: int, block: list[str], program: str
) -> list[DocumentedCommand]:
    console = any(line.startswith(_PROMPT) for line in block)
    commands: list[DocumentedCommand] = []
    index = 0
    while index < len(block):
        line = block[index].strip()
        first = index
        text = line.removeprefix(_PROMPT) if console else line
        index += 1
        if console and not line.startswith(_PROMPT):
            continue
        while text.endswith("\\") and index < len(block):
            text = text[:-1].rstrip() + " " + block[index].strip()
            index += 1
        if not text.startswith(program + " ") and text != program:
            continue
        output: list[str] = []
        if console:
            while index + len(output) < len(block) and not block[index + len(output)].startswith(
                _PROMPT
            ):
                output.append(block[index + len(output)].rstrip())
        commands.append(DocumentedCommand(document, block_start + first + 1, text, tuple(output)))
    return commands
