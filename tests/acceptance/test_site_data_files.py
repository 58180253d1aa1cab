"""Every feed and JSON file the site publishes, built from hostile content.

Other programs read these (feed readers, scripts, the site's own pages), so for each
``*.json``, ``*.xml``, ``*.atom`` and ``*.rss`` file in the hostile site, whatever the
site publishes now or later:

- it parses (no payload broke its structure);
- text is the author's text: a value holding a payload holds it as written, not
  HTML-escaped (a reader would see ``&lt;`` where the author wrote ``<``);
- a value that is HTML (a JSON key ending in ``html``; RSS ``description`` and
  ``content:encoded``; Atom ``content``, ``summary`` and ``title`` of ``type="html"``)
  holds no markup from a payload: no script, frame, image, style or event handler;
- an XML file has no element or event attribute that a payload made.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from postmortem_testkit.hostile import PAYLOADS

MARKER = "pmkb"
ENTITIES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#")
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "img",
    "svg",
    "style",
    "object",
    "embed",
    "math",
    "link",
    "meta",
    "base",
    "form",
}
HTML_ELEMENTS = {"description", "encoded", "content", "summary", "title", "subtitle"}
# Elements of the feed formats themselves that share a name with an HTML tag: Atom's
# <link rel=... href=...> (RFC 4287 4.2.7) and RSS's <link>. A payload cannot make one of
# these: it would have to be in the format's namespace (or an RSS document's).
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_VOCABULARY = {f"{ATOM}link", "rss:link"}


def data_files(site: Path) -> list[Path]:
    """The site's published data files (Pagefind's compressed chunks are not among them)."""
    found = [p for ext in ("json", "xml", "atom", "rss") for p in site.rglob(f"*.{ext}")]
    return sorted(found)


def escaped_payload(value: str) -> bool:
    """Whether ``value`` holds a payload in HTML-escaped form instead of as written."""
    rest = value
    for payload in sorted(PAYLOADS, key=len, reverse=True):
        rest = rest.replace(payload, "")
    return MARKER in value and any(entity in rest for entity in ENTITIES)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.active.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.active.append(f"{tag} {name}")


def active_markup(html: str) -> list[str]:
    """Elements and attributes in ``html`` that would load or run something."""
    parser = _Markup()
    parser.feed(html)
    return parser.active


def json_strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(the key it is under, the string) for every string in a JSON document."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from json_strings(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, key)


def problems_in_json(path: Path) -> list[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"does not parse: {exc}"]
    problems = []
    for key, value in json_strings(document):
        if key.lower().endswith("html"):
            problems += [f"{key}: {tag}" for tag in active_markup(value)]
        elif escaped_payload(value):
            problems.append(f"{key}: HTML-escaped text {value!r}")
    return problems


def problems_in_xml(path: Path) -> list[str]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        return [f"does not parse: {exc}"]
    problems = []
    rss = root.tag == "rss"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        own = element.tag in FEED_VOCABULARY or (rss and f"rss:{element.tag}" in FEED_VOCABULARY)
        if name in ACTIVE_TAGS and not own:
            problems.append(f"element <{name}>")
        problems += [
            f"<{name}> {a}" for a in element.attrib if a.rsplit("}", 1)[-1].startswith("on")
        ]
        content = element.text or ""
        is_html = (
            name in HTML_ELEMENTS
            and element.get("type", "html" if name in ("description", "encoded") else "text")
            == "html"
        )
        if is_html:
            problems += [f"<{name}>: {tag}" for tag in active_markup(content)]
        elif escaped_payload(content):
            problems.append(f"<{name}>: HTML-escaped text {content!r}")
        for attr, value in element.attrib.items():
            if escaped_payload(value):
                problems.append(f"<{name} {attr}>: HTML-escaped text {value!r}")
    return problems


def test_the_site_publishes_data_files(hostile_site: Path) -> None:
    # What the site publishes today; feeds and APIs added later are checked below as well.
    names = {p.relative_to(hostile_site).as_posix() for p in data_files(hostile_site)}
    assert {"sitemap.xml", "assets/postmortem-kb/search-facets.json"} <= names


def test_every_data_file_holds_hostile_text_safely(hostile_site: Path) -> None:
    problems = []
    for path in data_files(hostile_site):
        check = problems_in_json if path.suffix == ".json" else problems_in_xml
        problems += [f"{path.relative_to(hostile_site)}: {p}" for p in check(path)]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("feed.json", json.dumps({"title": PAYLOADS[0]}), []),
        ("feed.json", json.dumps({"title": "pmkb &lt;script&gt;"}), ["title: HTML-escaped text"]),
        (
            "feed.json",
            json.dumps({"content_html": PAYLOADS[1]}),
            ["content_html: img", "content_html: img onerror"],
        ),
        ("feed.json", '{"title": "pmkb <b>"', ["does not parse"]),
        (
            "feed.atom",
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>pmkb &lt;b&gt;</title>'
            '<entry><content type="html">&lt;p&gt;pmkb &amp;lt;b&amp;gt;&lt;/p&gt;</content></entry></feed>',
            [],  # the title's text is "pmkb <b>" as written; the content is HTML showing it
        ),
        (
            "feed.rss",
            "<rss><item><description>&lt;script&gt;x&lt;/script&gt;</description></item></rss>",
            ["<description>: script"],
        ),
        (
            "feed.xml",
            "<rss><item><title>pmkb &amp;lt;b&amp;gt;</title></item></rss>",
            ["<title>: HTML-escaped text"],
        ),
        ("feed.xml", "<rss><script>x</script></rss>", ["element <script>"]),
    ],
)
def test_the_checks_find_what_they_look_for(
    tmp_path: Path, name: str, content: str, found: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    problems = problems_in_json(path) if path.suffix == ".json" else problems_in_xml(path)
    assert len(problems) == len(found)
    for problem, start in zip(problems, found, strict=True):
        assert problem.startswith(start), problems
