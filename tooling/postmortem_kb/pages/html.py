"""Small HTML builders. Every value from front matter or the taxonomy goes through
``esc`` before it reaches a page, so a title holding ``<script>`` shows as text."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from postmortem_kb.model.shape import severity_label

# The only schemes a link from front matter may have on a page (the schema's `link`
# pattern says the same): javascript:, data: and the like never become a link.
WEB_SCHEMES = frozenset({"http", "https"})


def esc(value: object) -> str:
    """``value`` as text, safe in HTML content and in a quoted attribute (``&``, ``<``,
    ``>`` and both quotes escaped)."""
    return html.escape(str(value), quote=True)


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an http or https URL, read as a browser would read it
    (``urlsplit``, like browsers, drops tabs and line breaks and leading spaces)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def a(href: str, text: str, css: str = "") -> str:
    """A link; ``href``, ``text`` and the ``css`` class are escaped here, so pass them raw.
    The scheme is not checked: test a URL from front matter with ``is_web_url`` first."""
    cls = f' class="{esc(css)}"' if css else ""
    return f'<a href="{esc(href)}"{cls}>{esc(text)}</a>'


def badge(text: str, css: str) -> str:
    """``text`` in a badge, with the classes ``css`` (both escaped here)."""
    return f'<span class="pmkb-badge {esc(css)}">{esc(text)}</span>'


def severity_badge(severity: str) -> str:
    """The severity as a badge; ``unknown`` reads "not assessed"."""
    return badge(severity_label(severity), f"pmkb-sev pmkb-{severity.lower()}")


def status_badge(status: str) -> str:
    """A status as a badge, styled by its ``pmkb-status-<status>`` class."""
    return badge(status, f"pmkb-status pmkb-status-{status}")


def day(value: date | None) -> str:
    """A date as ``YYYY-MM-DD``, or "unknown" for ``None``."""
    return value.isoformat() if value is not None else "unknown"


def when(value: date | str) -> str:
    """A date in a table cell: a ``<time>`` element, which the stylesheet keeps on one line.
    A string is a start as lists show it: ``2017-02-28``, or ``2017-02`` for a month (both
    are valid ``datetime`` values)."""
    text = esc(value if isinstance(value, str) else value.isoformat())
    return f'<time datetime="{text}">{text}</time>'


def folded_numbers(table_html: str) -> str:
    """A chart's table of numbers, folded under "The numbers" so that the page stays short."""
    return f'<details class="pmkb-numbers"><summary>The numbers</summary>\n{table_html}\n</details>'


def utc(value: datetime | None) -> str:
    """A time in UTC to the minute (``2025-03-14 09:30 UTC``), or "-" for ``None``."""
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def table(headers: Sequence[str], rows: Iterable[str], attrs: str = "", caption: str = "") -> str:
    """``rows`` are ready-made ``<tr>`` strings; headers are constants (escaped anyway);
    ``caption`` (plain text) says what the table holds."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join(rows)
    extra = f" {attrs}" if attrs else ""
    title = f"<caption>{esc(caption)}</caption>\n" if caption else ""
    return f"<table{extra}>\n{title}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def tr(cells: Iterable[str], attrs: str = "") -> str:
    """``cells`` are already-escaped HTML."""
    extra = f" {attrs}" if attrs else ""
    return f"<tr{extra}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def section(heading: str, anchor: str, content: str, level: int = 2) -> str:
    """A heading with the id ``anchor``, then ``content``: the heading and the anchor are
    escaped here, ``content`` must already be HTML."""
    return f'<h{level} id="{esc(anchor)}">{esc(heading)}</h{level}>\n{content}'


def plural(count: int, word: str, many: str = "") -> str:
    """``count`` and the word, plural unless ``count`` is 1 (``many``, or the word plus
    "s"); not escaped."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
