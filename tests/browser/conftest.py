"""Fixtures: the example site, built from a copy of this repository and served
on 127.0.0.1 under a sub-path, and headless Chromium (the system's, driven by
Playwright) to look at it.

Chromium is found through the CHROMIUM variable, else `chromium` on the PATH
(`make test` installs it where it can: tests/browser/ensure_chromium.sh). When
it is missing the browser tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from postmortem_testkit.browser import (
    CHROMIUM_ARGS,
    SUB_PATH,
    QuietHandler,
    Visit,
    build_site_copy,
    find_chromium,
)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site with Pagefind search, built once per session: <tmp>/build/kb/."""
    return build_site_copy(tmp_path_factory.mktemp("site-search"))


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served by a plain static file server: http://127.0.0.1:PORT/kb/."""
    handler = functools.partial(QuietHandler, directory=str(built_site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests never skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None and os.environ.get("CHROMIUM"):
        _missing(f"CHROMIUM={os.environ['CHROMIUM']} is not an executable Chromium or Chrome")
    if executable is None:
        _missing(
            "Chromium not found: set CHROMIUM or put `chromium` on the PATH "
            "(`make test` installs it: tests/browser/ensure_chromium.sh)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _visit(browser: Any, color_scheme: str) -> Iterator[Visit]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=color_scheme
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("requestfailed", lambda request: visit.failed.append(f"failed {request.url}"))
    page.on(
        "response",
        lambda response: (
            visit.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    try:
        yield visit
    finally:
        context.close()
    # Checked for every test: the site never talks to another host, and no script fails.
    assert visit.foreign_requests() == [], "requests to another host"
    assert visit.errors == [], "JavaScript errors on the page"


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    """A fresh page in the light palette."""
    yield from _visit(browser, "light")


@pytest.fixture
def dark_visit(browser: Any) -> Iterator[Visit]:
    """A fresh page whose browser prefers dark: Material shows the slate palette."""
    yield from _visit(browser, "dark")
