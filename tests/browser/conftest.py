"""Fixtures: the example site and the hostile site (both built in tests/conftest.py)
served on 127.0.0.1 under a sub-path, and headless Chromium (the system's, driven by
Playwright) to look at them. Every visit fails its test on a request to another host,
a script error or a dialog.

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
    XSS_CALLS,
    XSS_FUNCTION,
    StaticHostHandler,
    Visit,
    find_chromium,
)


def _serve(site: Path) -> Iterator[str]:
    """``site`` served as a static host serves it (a missing URL gets the site's 404.html)."""
    handler = functools.partial(StaticHostHandler, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built example site (tests/conftest.py) served as a static host serves it:
    http://127.0.0.1:PORT/kb/."""
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    """The hostile site (tests/conftest.py) served the same way."""
    yield from _serve(hostile_site)


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


def _visit(browser: Any, color_scheme: str, width: int = 1280) -> Iterator[Visit]:
    # 390 x 844: a common phone, as the issue measured.
    height = 900 if width > 600 else 844
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=color_scheme
    )
    # A payload that gets to run calls this (postmortem_testkit.hostile), or alert().
    context.add_init_script(
        f"window.{XSS_FUNCTION} = (m) => {{ (window.{XSS_CALLS} ||= []).push(String(m)); }};"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("dialog", visit.dismiss_dialog)
    page.on(
        "response",
        lambda response: (
            visit.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on("requestfailed", lambda request: visit.failed.append(f"failed {request.url}"))
    try:
        yield visit
    finally:
        context.close()
    # Checked for every test: the site never talks to another host, no script fails,
    # and nothing opens a dialog.
    assert visit.foreign_requests() == [], "requests to another host"
    assert visit.errors == [], "JavaScript errors on the page"
    assert visit.dialogs == [], "a dialog opened: a script from content ran"


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    """A fresh page in the light palette."""
    yield from _visit(browser, "light")


@pytest.fixture
def dark_visit(browser: Any) -> Iterator[Visit]:
    """A fresh page whose browser prefers dark: Material shows the slate palette."""
    yield from _visit(browser, "dark")


@pytest.fixture
def phone_visit(browser: Any) -> Iterator[Visit]:
    """A fresh page on a phone-sized screen, 390 px wide, in the light palette."""
    yield from _visit(browser, "light", width=390)


@pytest.fixture(params=["light", "dark"])
def any_palette_visit(browser: Any, request: pytest.FixtureRequest) -> Iterator[Visit]:
    """A fresh page in each palette in turn (the test runs once per palette)."""
    yield from _visit(browser, request.param)
