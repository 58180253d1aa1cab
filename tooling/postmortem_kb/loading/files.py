"""Reading one postmortem file from disk into front matter and body.

Every way a file can be unreadable becomes a ``LoadError`` value with a line
and column, so that one bad file never stops the others from being checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from postmortem_kb.loading.frontmatter_yaml import (
    FrontMatterError,
    ParsedFrontMatter,
    parse_front_matter,
)
from postmortem_kb.loading.guarded import LoadError as LoadError
from postmortem_kb.loading.guarded import read_guarded

_FENCE = re.compile(r"^---[ \t]*$")
_BOM = "\ufeff"


@dataclass(frozen=True)
class LoadedFile:
    """A postmortem file that parsed: its id, front matter, body and where the body starts."""

    path: Path
    id: str  # file name without .md
    front_matter: ParsedFrontMatter
    body: str
    body_line: int  # line of the file where the body starts


def load_file(path: Path, root: Path, max_bytes: int) -> LoadedFile | LoadError:
    """Read ``path`` with every guard of `read_guarded` and parse it."""
    raw = read_guarded(path, root, max_bytes)
    if isinstance(raw, LoadError):
        return raw
    return load_bytes(path, raw)


def load_bytes(path: Path, raw: bytes) -> LoadedFile | LoadError:
    """Split and parse already-read bytes; ``path`` names the file in messages."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _line_col(raw, nul)
        return LoadError(path, "file contains a NUL byte; it is not a text file", line, column)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start)
        return LoadError(
            path,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            line,
            column,
        )
    if text.startswith(_BOM):
        text = text[1:]
    if not text.strip():
        return LoadError(path, "file is empty; a postmortem starts with '---' and its front matter")

    # Split on "\n" after dropping "\r" so CRLF files read exactly like LF files.
    lines = text.replace("\r\n", "\n").split("\n")
    closing = closing_fence(lines)
    if closing == NO_OPENING:
        return LoadError(path, "no front matter: the file must start with a '---' line")
    if closing is None:
        return LoadError(
            path, "front matter is not closed: add a '---' line after the last field", 1, 1
        )
    try:
        parsed = parse_front_matter("\n".join(lines[1:closing]) + "\n", first_line=2)
    except FrontMatterError as exc:
        return LoadError(path, exc.message, exc.line, exc.column)
    body = "\n".join(lines[closing + 1 :])
    return LoadedFile(path, path.stem, parsed, body, body_line=closing + 2)


NO_OPENING = 0  # closing_fence: the first line is not '---'


def closing_fence(lines: list[str]) -> int | None:
    """Index of the '---' line that closes the front matter opened on the first line;
    NO_OPENING when the first line opens none, None when nothing closes it."""
    if not lines or not _FENCE.match(lines[0]):
        return NO_OPENING
    return next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset``; the column counts characters, as editors do."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    before = raw[line_start:offset].decode("utf-8", errors="replace")
    return raw.count(b"\n", 0, offset) + 1, len(before) + 1
