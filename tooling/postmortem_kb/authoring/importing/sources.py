"""Reading other tools' files into documents: keys, a body, and where they came from.

Another tool's files are read leniently: python-frontmatter finds YAML (``---``),
TOML (``+++``) and JSON (``{ ... }``) front matter; YAML times stay text (this
module parses them, with their precision); a CSV file is one document per row; a
Markdown or HTML document from a wiki is one document whose title is its first
heading. Reading never fails the run: a file that cannot be read is a document
with an ``error``. What we write from a document goes through our own strict
check later.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from postmortem_kb.authoring.importing.html_text import html_to_markdown, looks_like_html

FORMATS = ("frontmatter", "csv", "markdown")
# The files each format reads from a folder.
SUFFIXES = {
    "frontmatter": (".md", ".markdown"),
    "csv": (".csv",),
    "markdown": (".md", ".markdown", ".txt", ".html", ".htm"),
}
MAX_INPUT_BYTES = 4 * 1024 * 1024  # a file this large is not one postmortem (or one export)


@dataclass
class SourceDocument:
    """One incident as another tool wrote it."""

    label: str  # for the output line: the file, and ``:ROW`` for a CSV row
    imported_from: str  # what ``source.imported_from`` says: "csv: incidents.csv row 3"
    keys: dict[str, Any] = field(default_factory=dict)  # front matter or the row
    body: str = ""  # Markdown
    heading_title: str = ""  # the document's first heading or <title>, when it has one
    error: str = ""  # set when it cannot be read: the run reports it and goes on


class _TextYAMLLoader(yaml.SafeLoader):
    """YAML 1.1 without its timestamp rule: 2017-02-28 17:37:00 stays text, so that its
    precision (and a missing zone) can be read, and 23:59:60 is not an error."""


_TextYAMLLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _YAML(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        """YAML front matter with its times left as text (``_TextYAMLLoader``), so that their
        precision and a missing zone can still be read."""
        return yaml.load(fm, Loader=_TextYAMLLoader)


class _TOML(BaseHandler):
    """TOML front matter between ``+++`` lines, read with the standard library."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        """TOML front matter as a table; TOML dates and times come as ``date`` and ``datetime``
        values, not text (``times.read_time`` takes both)."""
        return tomllib.loads(fm)


_HANDLERS = (_YAML(), _TOML(), JSONHandler())
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t#]*$")


def documents(
    format_name: str, path: Path, shown: str, recorded: str | None = None
) -> Iterator[SourceDocument]:
    """The documents in the file ``path``: ``shown`` as the user named it (the output
    lines), ``recorded`` as ``source.imported_from`` names it (default: ``shown``)."""
    for document in _documents(format_name, path, shown):
        if recorded is not None and recorded != shown:
            document.imported_from = document.imported_from.replace(shown, recorded, 1)
        yield document


def _documents(format_name: str, path: Path, shown: str) -> Iterator[SourceDocument]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield SourceDocument(shown, shown, error=f"cannot read: {exc.strerror}")
        return
    if len(raw) > MAX_INPUT_BYTES:
        yield SourceDocument(shown, shown, error=f"larger than {MAX_INPUT_BYTES:,} bytes")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")  # word processors' and old wikis' exports
        except UnicodeDecodeError:
            yield SourceDocument(shown, shown, error="not UTF-8 text")
            return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if format_name == "csv":
        yield from _rows(text, shown)
    elif format_name == "frontmatter":
        yield _front_matter_document(text, shown, required=True)
    else:
        yield _wiki_document(text, shown)


def _front_matter_document(text: str, shown: str, *, required: bool) -> SourceDocument:
    document = SourceDocument(shown, f"frontmatter: {shown}")
    handler = next((h for h in _HANDLERS if h.detect(text)), None)
    if handler is None:
        if required:
            document.error = "no front matter (YAML between ---, TOML between +++ or JSON)"
        else:
            document.body = text
        return document
    try:
        keys, body = frontmatter.parse(text, handler=handler)
    except yaml.MarkedYAMLError as exc:
        # The front matter's own line: the file's first line is the opening fence.
        where = f"line {exc.problem_mark.line + 1}: " if exc.problem_mark is not None else ""
        document.error = f"its front matter cannot be read: {where}{exc.problem}"
        return document
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError) as exc:
        document.error = f"its front matter cannot be read: {' '.join(str(exc).split())[:300]}"
        return document
    if not isinstance(keys, dict):
        document.error = "its front matter is not a mapping of keys to values"
        return document
    document.keys = {str(k): v for k, v in keys.items()}
    document.body = body
    return document


def _wiki_document(text: str, shown: str) -> SourceDocument:
    if looks_like_html(text):
        markdown, title = html_to_markdown(text)
        document = SourceDocument(shown, f"markdown: {shown}", body=markdown)
        document.heading_title = title
    else:
        document = _front_matter_document(text, shown, required=False)
        document.imported_from = f"markdown: {shown}"
    if document.error:
        return document
    lines = document.body.split("\n")
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match:
            # The first heading is the title: it leaves the body, the rest stays.
            document.heading_title = match.group("title")
            lines = lines[:index] + lines[index + 1 :]
            break
        if line.strip():
            break  # text before any heading: the document has no title heading
    document.body = "\n".join(_labelled_lines(lines, document.keys))
    return document


_LABEL = re.compile(r"^\**(?P<key>[A-Za-z][A-Za-z _-]{0,30}?)\**\s*:\**\s+(?P<value>\S.*)$")


def _labelled_lines(lines: list[str], keys: dict[str, Any]) -> list[str]:
    """The body without its opening "Date: 28 February 2017" / "Owner: ..." lines, which
    become keys (a wiki page's metadata), unless the front matter has them already."""
    found: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        match = _LABEL.match(line)
        if not line:
            index += 1
            continue
        if match is None:
            break
        found[" ".join(match.group("key").lower().split())] = match.group("value").strip()
        index += 1
    if not found:
        return lines
    for key, value in found.items():
        keys.setdefault(key, value)
    return lines[index:]


def _rows(text: str, shown: str) -> Iterator[SourceDocument]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        yield SourceDocument(shown, shown, error="empty: a CSV export starts with a header row")
        return
    except csv.Error as exc:
        yield SourceDocument(shown, shown, error=f"not CSV: {exc}")
        return
    names = [" ".join(name.split()).lower() for name in header]
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield SourceDocument(f"{shown}:{line}", f"csv: {shown} line {line}", error=str(exc))
            return
        if not any(cell.strip() for cell in row):
            continue
        label = f"{shown}:{line}"
        document = SourceDocument(label, f"csv: {shown} line {line}")
        if len(row) > len(names):
            document.error = f"{len(row)} cells, but the header names {len(names)} columns"
        document.keys = {name: cell for name, cell in zip(names, row, strict=False) if name}
        yield document
