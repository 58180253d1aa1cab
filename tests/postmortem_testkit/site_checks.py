"""Checks of a built site as a whole, the way a link checker and a privacy review see it.

- ``broken_links``: every link and resource inside the site (``href``, ``src``,
  ``srcset``, ``action``, CSS ``url()``) resolves to a file of the built site, and every
  ``#fragment`` to an element with that id on the page it names. Links are resolved
  from the page's own URL under a sub-path, so a link that assumes the site sits at
  ``/`` is broken here too (except on the 404 page, whose links MkDocs writes from
  the site's root path because it is served at any missing URL).
- ``foreign_references``: nothing the browser loads by itself comes from another host
  (scripts, styles, images, fonts, frames, media, CSS imports, form targets, refreshes).
  A link a reader may follow (``<a href>``, such as an action item's tracker) is not a
  reference; a ``javascript:`` URL anywhere is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

BASE = "http://site.invalid/kb/"
# Attributes that make the browser fetch something by itself, by tag ("*": any tag).
_RESOURCES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "form": ("action",),
    "link": ("href",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_NAVIGATION = {"a": ("href",), "area": ("href",)}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
_REFRESH = re.compile(r"url\s*=\s*(\S+)", re.I)


@dataclass
class Page:
    """What one HTML file links to and loads, and the ids it holds."""

    path: Path
    url: str
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # followed by a reader
    resources: list[str] = field(default_factory=list)  # loaded by the browser


class _PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        for attr in _NAVIGATION.get(tag, ()):
            if attr in values:
                self.page.links.append(values[attr])
        for attr in _RESOURCES.get(tag, ()):
            if attr not in values:
                continue
            if attr == "srcset":
                self.page.resources += [
                    part.split()[0] for part in values[attr].split(",") if part.strip()
                ]
            elif not (tag == "link" and values.get("rel", "") in ("canonical", "alternate")):
                self.page.resources.append(values[attr])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.page.resources += _REFRESH.findall(values.get("content", ""))
        if "style" in values:
            self.page.resources += css_urls(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.resources += css_urls(data)


def css_urls(css: str) -> list[str]:
    """The ``url(...)`` and ``@import`` targets in a piece of CSS."""
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(css) if m.group(2) or m.group(4)]


def read_site(site: Path) -> dict[str, Page]:
    """Every HTML page of the built site, by its URL (``BASE`` + its path)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = BASE + relative.removesuffix("index.html")
        page = Page(path, url)
        _PageParser(page).feed(path.read_text(encoding="utf-8"))
        pages[url] = page
    return pages


def _target(site: Path, url: str) -> Path | None:
    """The file of the built site that ``url`` (absolute, under BASE) serves, if any."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(urlsplit(BASE).path):
        return None
    candidate = site / path.removeprefix(urlsplit(BASE).path)
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _internal(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc == urlsplit(BASE).netloc


def broken_links(site: Path) -> list[str]:
    """``page: link`` for each link, resource or fragment in the site that leads nowhere."""
    pages = read_site(site)
    ids = {page.path: page.ids for page in pages.values()}
    broken = []
    references = [(page, ref) for page in pages.values() for ref in page.links + page.resources]
    references += [(None, ref) for ref in _stylesheet_references(site)]
    for page, ref in references:
        base = page.url if page is not None else BASE
        if page is not None and page.url == f"{BASE}404.html" and ref.startswith("/"):
            # MkDocs writes the 404 page, served at any missing URL, with links from the
            # site's root path ("/", or site_url's path when mkdocs.yml sets one).
            ref = ref.removeprefix("/")
            base = BASE
        absolute = urljoin(base, ref)
        if not _internal(absolute):
            continue
        where = page.url.removeprefix(BASE) if page is not None else "(a stylesheet)"
        target = _target(site, absolute)
        if target is None:
            broken.append(f"{where or '/'}: {ref}")
            continue
        fragment = unquote(urlsplit(absolute).fragment)
        if fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
            broken.append(f"{where or '/'}: {ref} (no element with id '{fragment}')")
    return broken


def _stylesheet_references(site: Path) -> list[str]:
    """The url() and @import targets of every stylesheet, relative to the site's root."""
    refs = []
    for css in sorted(site.rglob("*.css")):
        folder = css.parent.relative_to(site).as_posix()
        for ref in css_urls(css.read_text(encoding="utf-8", errors="replace")):
            if ref.startswith(("data:", "#")):
                continue
            refs.append(urljoin(f"{BASE}{folder}/", ref).removeprefix(BASE))
    return refs


def foreign_references(site: Path) -> list[str]:
    """``page: url`` for everything the site would load from another host, and any
    ``javascript:`` URL in a link or an attribute the browser loads."""
    found = []
    pages = read_site(site)
    for page in pages.values():
        where = page.url.removeprefix(BASE) or "/"
        for ref in page.resources:
            absolute = urljoin(page.url, ref.strip())
            scheme = urlsplit(absolute).scheme
            if scheme in ("data", "blob", "about") or _internal(absolute):
                continue
            found.append(f"{where}: {ref}")
        for ref in page.links:
            if urlsplit(ref.strip()).scheme.lower() in ("javascript", "vbscript", "data"):
                found.append(f"{where}: {ref}")
    for css in sorted(site.rglob("*.css")):
        for ref in css_urls(css.read_text(encoding="utf-8", errors="replace")):
            if urlsplit(ref).scheme in ("http", "https") or ref.startswith("//"):
                found.append(f"{css.relative_to(site)}: {ref}")
    return found
