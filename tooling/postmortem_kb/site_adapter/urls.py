"""Where MkDocs and Zensical put the page built from a docs-folder file.

Both follow MkDocs' ``use_directory_urls``: on (the default), ``causes/dns.md``
becomes the folder URL ``causes/dns/``; off, the file ``causes/dns.html``. The core
(``postmortem_kb.pages``) never sees the setting: it gets the rule inside a Linker.
"""

from __future__ import annotations

from postmortem_kb.pages.urls import Linker, UrlRule


def directory_url(src_uri: str) -> str:
    """The URL of the page built from ``src_uri`` with ``use_directory_urls: true``."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def file_url(src_uri: str) -> str:
    """The URL of the page built from ``src_uri`` with ``use_directory_urls: false``."""
    if not src_uri.endswith(".md"):
        return src_uri
    return src_uri[: -len(".md")] + ".html"


def url_rule(directory_urls: bool) -> UrlRule:
    """The URL rule of a site built with ``use_directory_urls`` set to ``directory_urls``."""
    return directory_url if directory_urls else file_url


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The site-relative URL of the page built from ``src_uri``, as MkDocs computes it."""
    return url_rule(directory_urls)(src_uri)


class SiteLinker(Linker):
    """The core's Linker with the URL rule of MkDocs and Zensical sites."""

    def __init__(self, directory_urls: bool = True) -> None:
        super().__init__(url_rule(directory_urls))
        self.directory_urls = directory_urls


class SourceLinker(Linker):
    """Links between the docs folder's files (``../causes/dns.md``), relative to the
    file they are in: what a page written as a file carries. The generator turns
    each into the target page's URL as seen from the page it builds, the way it
    treats a Markdown link; Zensical (0.0.56 and later) does so in raw HTML too,
    so these files need no knowledge of ``use_directory_urls``."""

    def __init__(self) -> None:
        super().__init__(_source_path)


def _source_path(src_uri: str) -> str:
    return src_uri
