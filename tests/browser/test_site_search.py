"""Site search in headless Chromium, against the example site served on 127.0.0.1.

Each test also checks (in the `visit` fixture) that the page requested nothing
from another host and raised no JavaScript error. Screenshots of the key pages
go to build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from postmortem_kb.model.kinds import Kind
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker
from postmortem_testkit.browser import PLANTED_ID, PLANTED_TITLE, PLANTED_WORD, Visit

STATUS = "[data-pm-status]"


def status_count(page: Any) -> int:
    """The number at the start of the search page's status line ("12 incidents ...")."""
    text = page.inner_text(STATUS)
    match = re.match(r"([\d,]+) incidents?", text)
    assert match, f"unexpected status line: {text!r}"
    return int(match.group(1).replace(",", ""))


def wait_for_status(page: Any, pattern: str) -> None:
    page.wait_for_function(
        "([selector, pattern]) => new RegExp(pattern).test(document.querySelector(selector).textContent)",
        arg=[STATUS, pattern],
    )


def open_search_page(visit: Visit, site_url: str, query: str = "") -> Any:
    page = visit.page
    page.goto(f"{site_url}search/{query}")
    wait_for_status(page, r"^[\d,]+ incidents?")
    return page


@pytest.fixture(scope="module")
def cause_titles(built_site: Path) -> dict[str, str]:
    """Each cause's title: the search page names the chosen causes by title."""
    taxonomy = Project(built_site.parent.parent).taxonomy
    return {term: term_.title for term, term_ in taxonomy.terms[Kind.CAUSE].items()}


@pytest.fixture(scope="module")
def cause_counts(built_site: Path) -> Counter[str]:
    """How many example postmortems (the planted one included) name each cause."""
    project = Project(built_site.parent.parent)
    records = Checker(project).check().records
    return Counter(ref.term for record in records for ref in record.causes)


def test_header_search_shows_the_incident(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url)
    page.fill("[data-pm-search-input]", PLANTED_WORD)
    first = page.locator(".pm-search .md-search-result__item").first
    first.wait_for()
    assert PLANTED_TITLE in first.inner_text()
    # The result shows the date, the severity and the match highlighted.
    assert "2024-02-29" in first.inner_text()
    assert first.locator(".pm-sev").inner_text() == "SEV3"
    assert first.locator("mark").first.inner_text().lower() == PLANTED_WORD
    # The dropdown links to the search page with the query, relative to the site.
    all_results = page.locator("[data-pm-search-all]")
    assert all_results.get_attribute("href") is not None
    visit.screenshot("header-search-light")
    # Keyboard: down to the first result, Enter opens it.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/incidents/{PLANTED_ID}/")
    assert page.inner_text("h1") == PLANTED_TITLE


def test_header_search_never_downloads_material_lunr_index(
    visit: Visit, site_url: str, built_site: Path
) -> None:
    assert not (built_site / "search" / "search_index.json").exists()
    page = visit.page
    page.goto(site_url)
    page.fill("[data-pm-search-input]", "outage")
    page.locator(".pm-search [data-pm-search-meta]").filter(has_text="matching").wait_for()
    assert not [url for url in visit.requests if "search_index" in url]
    assert any("/kb/pagefind/pagefind.js" in url for url in visit.requests)
    # The search runs on the page's thread: no 40 KB worker script on the first search.
    assert not [url for url in visit.requests if "pagefind-worker" in url]


def test_header_search_enter_opens_the_search_page(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(f"{site_url}causes/")
    page.fill("[data-pm-search-input]", PLANTED_WORD)
    page.locator(".pm-search .md-search-result__item").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/kb/search/?q=*")
    wait_for_status(page, "^1 incident ")
    assert page.input_value("[data-pm-page-input]") == PLANTED_WORD


def test_cause_filter_changes_count_and_url(
    visit: Visit, site_url: str, cause_counts: Counter[str], cause_titles: dict[str, str]
) -> None:
    page = open_search_page(visit, site_url)
    total = status_count(page)
    # A cause that some, not all, incidents name.
    cause, expected = next((term, n) for term, n in cause_counts.most_common() if 0 < n < total)
    box = page.locator(f"input[data-pm-facet=cause][value='{cause}']")
    label = box.locator("xpath=..")
    assert label.locator(".pm-facet__count").inner_text() == str(expected)
    visit.screenshot("search-page-light")
    box.check()
    wait_for_status(page, f"^{expected} incidents? .*cause: {re.escape(cause_titles[cause])}$")
    assert status_count(page) == expected < total
    assert parse_qs(urlsplit(page.url).query) == {"cause": [cause]}
    assert page.locator(".pm-hit").count() == min(expected, 20)
    # Severity counts now describe the filtered results only.
    severity_total = sum(
        int(n) for n in page.locator("[data-facet=severity] .pm-facet__count").all_inner_texts()
    )
    assert severity_total == expected
    # Back in history restores the unfiltered list.
    page.go_back()
    wait_for_status(page, f"^{total} incidents?$")
    assert not box.is_checked()


def test_query_and_filters_in_the_url_are_shareable(
    visit: Visit, site_url: str, cause_counts: Counter[str], cause_titles: dict[str, str]
) -> None:
    cause = next(term for term, n in cause_counts.most_common() if n)
    page = open_search_page(visit, site_url, f"?q={PLANTED_WORD}&cause=no-such-cause")
    assert page.input_value("[data-pm-page-input]") == PLANTED_WORD
    assert status_count(page) == 0
    # A value from the URL stays visible (and ticked) even with no matches, so it can be unticked.
    # click, not uncheck: the facet list is redrawn, and this value then leaves it.
    page.locator("input[data-pm-facet=cause][value=no-such-cause]").click()
    wait_for_status(page, f"^1 incident matching .{PLANTED_WORD}.$")
    assert parse_qs(urlsplit(page.url).query) == {"q": [PLANTED_WORD]}
    page.goto(f"{site_url}search/?cause={cause}")
    wait_for_status(page, f"cause: {re.escape(cause_titles[cause])}")
    assert page.locator(f"input[data-pm-facet=cause][value='{cause}']").is_checked()


def test_combined_filters_narrow_and_severities_add_up(visit: Visit, site_url: str) -> None:
    page = open_search_page(visit, site_url)
    counts = {
        box.get_attribute("value"): int(
            box.locator("xpath=..").locator(".pm-facet__count").inner_text()
        )
        for box in page.locator("input[data-pm-facet=severity]").all()
    }
    levels = [level for level, n in counts.items() if n]
    assert len(levels) >= 2, counts
    first, second = levels[:2]
    page.locator(f"input[data-pm-facet=severity][value={first}]").check()
    wait_for_status(page, f"severity: {first}$")
    assert status_count(page) == counts[first]
    # Severity is one per incident: a second level widens the results ("or").
    page.locator(f"input[data-pm-facet=severity][value={second}]").check()
    wait_for_status(page, f"severity: {first} or {second}$")
    assert status_count(page) == counts[first] + counts[second]
    assert parse_qs(urlsplit(page.url).query) == {"severity": [first, second]}


def test_result_opens_the_incident_page(visit: Visit, site_url: str) -> None:
    page = open_search_page(visit, site_url, f"?q={PLANTED_WORD}")
    hit = page.locator(".pm-hit").first
    assert hit.locator("time").inner_text() == "2024-02-29"
    assert hit.locator(".pm-sev").inner_text() == "SEV3"
    assert PLANTED_WORD in hit.locator(".pm-hit__excerpt mark").first.inner_text().lower()
    hit.locator("a.pm-hit__title").click()
    page.wait_for_url(f"**/kb/incidents/{PLANTED_ID}/")
    assert page.inner_text("h1") == PLANTED_TITLE
    visit.screenshot("incident-light")


def test_search_ui_in_the_dark_palette(dark_visit: Visit, site_url: str) -> None:
    page = dark_visit.page
    page.goto(f"{site_url}search/?q=outage")
    wait_for_status(page, r"^[\d,]+ incidents?")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    dark_visit.screenshot("search-page-dark")
    page.fill("[data-pm-search-input]", PLANTED_WORD)
    page.locator(".pm-search .md-search-result__item").first.wait_for()
    dark_visit.screenshot("header-search-dark")


def test_excerpts_come_from_the_body_not_the_header_card(visit: Visit, site_url: str) -> None:
    # No query: every incident listed, each excerpt from the start of what is indexed.
    page = open_search_page(visit, site_url)
    # The count is written before the results' excerpts have loaded.
    page.locator(".pm-hit").first.wait_for()
    hits = page.locator(".pm-hit").all()
    assert hits
    for hit in hits:
        title = hit.locator("a.pm-hit__title").inner_text()
        excerpt = hit.locator(".pm-hit__excerpt").inner_text()
        assert not excerpt.startswith(title[:30]), excerpt
        for label in ("Since start", "Contributing factors", "DueStatus", "First written"):
            assert label not in excerpt, excerpt
    # A word only the card's facts hold (a cause's detail) still finds the incident.
    page.goto(f"{site_url}search/?q=assumed")  # "The date arithmetic assumed every year..."
    wait_for_status(page, r"incidents? matching")
    planted = page.locator(".pm-hit").filter(has_text=PLANTED_TITLE)
    # The excerpt reads as a sentence: the cause by title, then its detail.
    assert "assumed every year has 365 days" in planted.locator(".pm-hit__excerpt").inner_text()
