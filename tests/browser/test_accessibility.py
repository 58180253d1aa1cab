"""axe-core (the npm package, installed by `make test`) on every type of page of the
example site, in the light and the dark palette: no serious and no critical violation.

The pages are found in the built site (one or a few per URL folder, plus the home
page, search and 404: postmortem_testkit.browser.page_types), so a page type added
later is checked without a change here. axe is injected into each page by
Playwright from node_modules; the page loads nothing from another host (the visit
fixture checks that too).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postmortem_testkit.browser import AXE_SCRIPT, AxeViolation, Visit, axe_violations, page_types

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_ready() -> Path:
    if not AXE_SCRIPT.is_file():
        reason = f"{AXE_SCRIPT} is missing: run `make test` (it runs npm ci) or `npm ci`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE_SCRIPT


def test_page_types_cover_every_folder_of_the_site(built_site: Path) -> None:
    urls = page_types(built_site)
    for expected in ("", "search/", "404.html", "causes/", "action-items/", "guide/fields/"):
        assert expected in urls
    folders = {
        html.relative_to(built_site).parts[0]
        for html in built_site.rglob("*.html")
        if len(html.relative_to(built_site).parts) > 1
    } - {"pagefind", "assets"}
    assert folders <= {url.partition("/")[0] for url in urls}
    # A type with many pages (one per incident) is sampled, not checked page by page.
    assert sum(url.startswith("incidents/") for url in urls) <= 3


def test_every_page_type_has_no_serious_or_critical_violation(
    any_palette_visit: Visit, site_url: str, built_site: Path, axe_ready: Path
) -> None:
    page = any_palette_visit.page
    found: list[AxeViolation] = []
    checked = page_types(built_site)
    for url in checked:
        page.goto(site_url + url)
        page.wait_for_load_state("load")
        if url == "search/":  # the filters and results are drawn once the index answers
            page.wait_for_selector(".pm-hit")
        found += axe_violations(page, url, BLOCKING)
    assert [str(v) for v in found] == [], f"{len(checked)} pages checked"
    # Each palette was really the one shown.
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if dark else "default")
