"""Text from a postmortem, made inert in GitHub-flavoured Markdown (the PR comment).

A pull request can put anything in front matter, file names and field names, and
``postmortem review`` posts what it found as a comment with the workflow's token. On
GitHub, Markdown becomes HTML (cmark-gfm, with raw HTML, tables and autolinks), and
then GitHub links ``@user`` and ``@org/team`` mentions (which notify), ``#123`` and
``owner/repo#123`` references and ``GH-123`` in the HTML's text. That last step sees
the text after Markdown escapes and HTML entities are decoded, so ``\\@`` or ``&#64;``
still mention someone.

So, for running text (``text``): the characters that make Markdown inline syntax mid-line
(emphasis, code, links, images, tables, strikethrough, math, headings' ``#``) are
backslash-escaped; ``&``, ``<`` and ``>`` become entities (no raw HTML); ``://`` and
``www.`` lose the ``:`` or ``.`` that makes an autolink; and a zero-width joiner follows
each ``@`` and ``#`` and splits ``GH-`` from its number, so no mention, e-mail link or
reference forms in the rendered text. Line breaks become spaces, so a value stays in its
line, and never starts one: every value follows the report's own words. Identifiers and
names go in code spans (``code``), where GitHub neither parses Markdown nor links
anything; the fence is longer than any backtick run inside, so the text cannot close
it. In a table cell (``cell``) every ``|`` is preceded by a backslash, which GFM's table
parser honours even inside code spans.
"""

from __future__ import annotations

import re

# Invisible; after "@" or "#" it keeps GitHub from reading a mention or a reference.
JOINER = "\u200d"

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPED = {c: f"\\{c}" for c in "\\`*_[]()!|~$#"}
_TEXT = str.maketrans({**_ESCAPED, **_HTML, "@": f"@{JOINER}", "#": f"\\#{JOINER}"})
# Autolinks: "https://..." (the ":" escaped) and "www." (the "." escaped).
_AUTOLINK = re.compile(r"(?i)(:)(?=//)|(?<=\bwww)(\.)")
_GH_REFERENCE = re.compile(r"(?i)\b(gh)(?=-\d)")
_BACKTICKS = re.compile(r"`+")


def one_line(value: object) -> str:
    """``value`` as text with every run of white space (line breaks too) one space."""
    return " ".join(str(value).split())


def text(value: object) -> str:
    """``value`` as inert running text: it shows as written, and does nothing else."""
    escaped = one_line(value).translate(_TEXT)
    escaped = _AUTOLINK.sub(lambda match: "\\" + match.group(0), escaped)
    return _GH_REFERENCE.sub(rf"\1{JOINER}", escaped)


def code(value: object) -> str:
    """``value`` as an inline code span that nothing in it can close."""
    content = one_line(value)
    if not content:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(content)), default=0)
    fence = "`" * (longest + 1)
    if longest:
        # One space each side keeps a backtick at either end from joining the fence;
        # CommonMark strips exactly those two.
        return f"{fence} {content} {fence}"
    return f"{fence}{content}{fence}"


def cell(markdown: str) -> str:
    """Markdown (made of ``text`` and ``code``) that stays in its table cell."""
    return markdown.replace("|", "\\|")
