"""The Markdown structure the checks need: code fences and H2 sections.

Fences follow CommonMark (a fence closes only with the same character, at least
as long), so a heading or a blame word inside a code block is never read as prose.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")


def code_lines(body: str, lines: list[str]) -> set[int]:
    """``fenced_lines(lines)`` of ``body``, skipped when the body has no fence at all."""
    return fenced_lines(lines) if ("```" in body or "~~~" in body) else set()


def fenced_lines(lines: list[str]) -> set[int]:
    """Offsets of the lines inside fenced code blocks, the fences included.

    CommonMark: a fence closes only with the same character, at least as long, so a
    ``~~~`` line inside a backtick block is code, not the end of the block.
    """
    fenced: set[int] = set()
    open_fence: str | None = None
    for offset, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group("fence")
            if open_fence is None:
                open_fence = marker
            elif marker[0] == open_fence[0] and len(marker) >= len(open_fence):
                open_fence = None
            fenced.add(offset)
        elif open_fence is not None:
            fenced.add(offset)
    return fenced


def body_sections(body: str) -> list[tuple[str, int]]:
    """H2 headings of a Markdown body with their line offsets, ignoring fenced code."""
    lines = body.split("\n")
    code = code_lines(body, lines)
    sections: list[tuple[str, int]] = []
    for offset, line in enumerate(lines):
        if offset not in code:
            match = _HEADING.match(line)
            if match:
                sections.append((match.group("title"), offset))
    return sections
