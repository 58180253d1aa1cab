"""An HTML document from a wiki or a word processor, as Markdown text.

Only what a postmortem needs survives: headings (``#`` by level), paragraphs,
list items, line breaks, preformatted text as a fence, and the words. Scripts,
styles and the document's head are dropped; entities are decoded; any markup
is gone, so nothing of the source's HTML reaches a page as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "section", "article", "blockquote", "table", "tr", "ul", "ol", "dl"}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &amp; &eacute; &#8212; become characters
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        self.pre = 0
        self.title = ""
        self._in_title = False

    def _flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        if self.pre:
            self.lines.extend(text.split("\n"))
            return
        words = " ".join(text.split())
        if words:
            self.lines.append(words)

    def _break(self) -> None:
        self._flush()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A heading or block starts a paragraph (a heading with its ``#``), ``<li>`` a
        ``- `` line, ``<br>`` a new line, ``<pre>`` a fence; text inside ``_SKIPPED`` elements
        (scripts, styles, the head) is dropped until they end."""
        if tag == "title":
            self._in_title = True
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._break()
            if tag in _HEADINGS:
                self.line.append("#" * _HEADINGS[tag] + " ")
        elif tag == "li":
            self._flush()
            self.line.append("- ")
        elif tag == "br":
            self._flush()
        elif tag == "pre":
            self._break()
            self.lines.append("```")
            self.pre += 1
        elif tag in ("td", "th"):
            self.line.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close what ``handle_starttag`` opened: the fence of a ``<pre>``, the paragraph of a
        block or heading; a stray end tag of a skipped element never makes the count negative."""
        if tag == "title":
            self._in_title = False
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "pre" and self.pre:
            self._flush()
            self.pre -= 1
            self.lines.append("```")
            self.lines.append("")
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._break()
        elif tag == "li":
            self._flush()

    def handle_data(self, data: str) -> None:
        """Text as written (entities already decoded): its whitespace is collapsed when the
        line is flushed, except inside ``<pre>``; the ``<title>``'s text goes to the title only."""
        if self._in_title:
            self.title += data
        if not self.skipping:
            self.line.append(data)


def html_to_markdown(html: str) -> tuple[str, str]:
    """The document's text as Markdown, and its ``<title>`` (empty when it has none)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._flush()
    text = "\n".join(parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", " ".join(parser.title.split())


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document rather than Markdown."""
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(body|h1|h2|p|div)\b", head)
    )
