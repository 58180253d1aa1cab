"""Hostile content in headless Chromium: no payload runs, every one shows as text.

The hostile site (postmortem_testkit.hostile) has an HTML/JavaScript injection payload
in every front-matter text field of each postmortem and in every taxonomy title and
description. Each page is opened with payloads in its URL too (the query of the search
and action-items pages, the hash of every page). The `visit` fixture fails a test on
any dialog, script error or request to another host; here each test also checks that
no payload called the function they call when they run, and that the text a reader
sees is the text the author wrote. File names cannot carry a payload into a page: a
name that is not an id (`YYYY-MM-DD-slug`) fails the build with check's located error
(tests/mkdocs_plugin/test_github_log.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import yaml

from postmortem_testkit.browser import Visit
from postmortem_testkit.hostile import HTML_PAYLOADS, hostile_postmortems, hostile_text_fields

HASH = "#" + quote("<img src=x onerror=alert('hash')>\"'><svg onload=__pmkbXss('hash')>")
RECORDS = hostile_postmortems()


def pages_of(site: Path) -> list[str]:
    """Every page of the built site, as URLs relative to the site."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


def text_of(page: Any, selector: str = "article") -> str:
    """The text of the first ``selector``, white space collapsed.

    textContent, not innerText: every character as written, hidden parts included."""
    return " ".join(page.locator(selector).first.text_content().split())


def shown(value: str) -> str:
    """``value`` with its white space collapsed, as a page shows it."""
    return " ".join(value.split())


def test_no_page_runs_a_script_from_content(
    visit: Visit, hostile_url: str, hostile_site: Path
) -> None:
    pages = pages_of(hostile_site)
    assert len(pages) > 30  # every incident, term, tag, listing and guide page
    for relative in pages:
        visit.page.goto(f"{hostile_url}{relative}{HASH}")
        visit.page.wait_for_load_state("load")
        assert visit.scripts_from_content() == [], relative
    assert visit.dialogs == []


@pytest.mark.parametrize("post_id", list(RECORDS))
def test_an_incident_page_shows_every_field_as_written(
    visit: Visit, hostile_url: str, post_id: str
) -> None:
    record = RECORDS[post_id]
    page = visit.page
    page.goto(f"{hostile_url}incidents/{post_id}/{HASH}")
    assert page.inner_text("h1") == record["title"]
    assert page.title().startswith(record["title"])
    content = text_of(page)
    for value in hostile_text_fields(record):
        assert shown(value) in content, value
    # The tracker link keeps its exact address: nothing in it escaped the attribute.
    link = record["action_items"][0]["link"]
    assert (
        page.locator("article a[href^='https://tracker.example.com/']").get_attribute("href")
        == link
    )
    assert visit.scripts_from_content() == []


def test_taxonomy_titles_and_descriptions_show_as_written(
    visit: Visit, hostile_url: str, hostile_site: Path
) -> None:
    taxonomy = yaml.safe_load(
        (hostile_site.parent.parent / "schema" / "taxonomy.yml").read_text(encoding="utf-8")
    )
    page = visit.page
    page.goto(f"{hostile_url}guide/taxonomy/{HASH}")
    guide = text_of(page)
    for terms in taxonomy.values():
        for spec in terms.values():
            assert shown(spec["title"]) in guide
            assert shown(spec["description"]) in guide
    cause = taxonomy["causes"]["config-change"]
    page.goto(f"{hostile_url}causes/config-change/{HASH}")
    assert page.inner_text("h1") == f"Cause: {cause['title']} (config-change)"
    assert shown(cause["description"]) in text_of(page)
    assert visit.scripts_from_content() == []


def test_search_page_with_hostile_parameters(visit: Visit, hostile_url: str) -> None:
    page = visit.page
    params = [("q", "pmkb")]
    params += [(name, HTML_PAYLOADS[n]) for n, name in enumerate(("cause", "severity", "year"))]
    page.goto(f"{hostile_url}search/?{urlencode(params)}{HASH}")
    page.wait_for_function(
        "document.querySelector('[data-pm-status]').textContent.startsWith('0 incidents')"
    )
    status = page.inner_text("[data-pm-status]")
    for payload in HTML_PAYLOADS[:3]:
        assert payload in status
    # The values from the URL stay, ticked, as text.
    values = page.locator(".pm-facet__value").all_text_contents()
    assert set(HTML_PAYLOADS[:3]) <= set(values)
    assert visit.scripts_from_content() == []


def test_search_results_show_hostile_titles_as_text(visit: Visit, hostile_url: str) -> None:
    page = visit.page
    page.goto(f"{hostile_url}search/?q=pmkb")
    page.wait_for_function(
        "document.querySelector('[data-pm-status]').textContent.startsWith('16 incidents')"
    )
    page.wait_for_function(f"document.querySelectorAll('.pm-hit').length === {len(RECORDS)}")
    titles = {shown(record["title"]) for record in RECORDS.values()}
    assert set(page.locator(".pm-hit__title").all_inner_texts()) == titles
    assert visit.scripts_from_content() == []


def test_header_search_with_hostile_queries(visit: Visit, hostile_url: str) -> None:
    page = visit.page
    page.goto(hostile_url)
    meta = page.locator(".pm-search [data-pm-search-meta]")
    titles = {shown(record["title"]) for record in RECORDS.values()}
    for payload in HTML_PAYLOADS:
        # Each query, then one that finds the hostile incidents, whose titles show as text.
        page.fill("[data-pm-search-input]", payload)
        meta.filter(has_text=re.compile("matching", re.IGNORECASE)).wait_for()
        page.fill("[data-pm-search-input]", "pmkb title")
        page.wait_for_function(
            "document.querySelector('.pm-search [data-pm-search-meta]').textContent"
            ".startsWith('16 matching')"
        )
        first = page.locator(".pm-search .md-search-result__item h1").first
        assert first.inner_text() in titles
        assert visit.scripts_from_content() == [], payload
        page.fill("[data-pm-search-input]", "")
        meta.filter(has_text="Type to search").wait_for()


def test_action_items_filter_with_hostile_parameters(visit: Visit, hostile_url: str) -> None:
    page = visit.page
    owners = {record["action_items"][0]["owner"] for record in RECORDS.values()}
    params = {"status": HTML_PAYLOADS[1], "owner": HTML_PAYLOADS[0], "overdue": HTML_PAYLOADS[2]}
    page.goto(f"{hostile_url}action-items/?{urlencode(params)}{HASH}")
    options = set(page.locator("select[name=owner] option").all_text_contents())
    assert owners <= options
    assert visit.scripts_from_content() == []
    # An owner whose name is a payload is chosen from the URL like any other.
    owner = sorted(owners)[0]
    page.goto(f"{hostile_url}action-items/?{urlencode({'owner': owner})}")
    rows = page.locator("#action-items-list tbody tr:not([hidden])")
    assert rows.count() == 1
    assert owner in rows.first.inner_text()
    assert visit.scripts_from_content() == []
