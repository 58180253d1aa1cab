"""What a reader sees on the generated pages, in headless Chromium at 1280 px and
390 px: listings that use the width, wide tables that scroll with a cue, severity
badges that can be read, search filters that fold away on a phone, action-item
filters kept in the URL, and a 404 page that works under the site's sub-path.
Screenshots go to build/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from postmortem_kb.collection.index import ActionItemRef
from postmortem_kb.model.kinds import Kind
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker
from postmortem_testkit.browser import DRAFT_ID, SUB_PATH, Visit, contrast_ratio


@pytest.fixture(scope="module")
def project(built_site: Path) -> Project:
    return Project(built_site.parent.parent)


@pytest.fixture(scope="module")
def action_items(project: Project) -> list[ActionItemRef]:
    records = Checker(project).check().records
    return [ActionItemRef(record, item) for record in records for item in record.action_items]


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found  # type: ignore[no-any-return]


@pytest.mark.parametrize("url", ["causes/", "services/", "action-items/", "lucky-breaks/"])
def test_listings_use_the_width_and_show_every_column(
    visit: Visit, site_url: str, url: str
) -> None:
    page = visit.page
    page.goto(site_url + url)
    # No table-of-contents column beside a listing.
    assert not page.locator(".md-sidebar--secondary").is_visible()
    content = box(page, ".md-content")
    assert content["width"] > 900
    # The last column is on screen, whole, and the table does not need scrolling.
    last = box(page, ".md-typeset table th:last-child")
    assert last["x"] + last["width"] <= 1280
    scroller = page.locator(".md-typeset__scrollwrap").first
    assert scroller.get_attribute("data-pmkb-scroll") is None
    visit.screenshot(f"listing-{url.strip('/')}-1280")


def test_wide_table_scrolls_with_a_cue_and_takes_focus(phone_visit: Visit, site_url: str) -> None:
    page = phone_visit.page
    page.goto(site_url + "guide/fields/")
    scroller = page.locator(".md-typeset__scrollwrap").first
    scroller.wait_for()
    # Wider than the phone: the shaded right edge says there is more.
    assert scroller.get_attribute("data-pmkb-scroll") == "right"
    assert (
        page.evaluate("(e) => getComputedStyle(e).boxShadow", scroller.element_handle()) != "none"
    )
    # Keyboard users can reach and scroll it; screen readers hear what it is.
    assert scroller.get_attribute("tabindex") == "0"
    assert scroller.get_attribute("role") == "region"
    assert "Front matter" in (scroller.get_attribute("aria-label") or "")
    phone_visit.screenshot("fields-390")
    scroller.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("(e) => e.scrollLeft > 0", arg=scroller.element_handle())
    page.wait_for_function(
        "(e) => e.getAttribute('data-pmkb-scroll') !== 'right'", arg=scroller.element_handle()
    )
    # A field's name stays whole.
    names = page.locator(".pmkb-fields td:first-child code")
    heights = {round(b["height"]) for b in (n.bounding_box() for n in names.all()) if b}
    assert len(heights) == 1, heights


def test_severity_badges_are_readable_in_both_palettes(
    any_palette_visit: Visit, site_url: str
) -> None:
    page = any_palette_visit.page
    page.goto(site_url + "incidents/")
    badges = page.locator(".pmkb-sev")
    seen: dict[str, float] = {}
    for badge in badges.all():
        colours = badge.evaluate(
            "(e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        seen[badge.inner_text()] = contrast_ratio(*colours)
    assert {"SEV1", "SEV2", "SEV3", "SEV4"} <= set(seen)
    assert min(seen.values()) >= 4.5, seen


def test_terms_show_their_titles_with_the_id_small(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(site_url + "causes/")
    first = page.locator("tr[data-term] td:nth-child(2)").first
    link, small = first.locator("a.pmkb-term"), first.locator("small.pmkb-id")
    assert link.inner_text() != small.inner_text()
    assert float(small.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")) < float(
        link.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    )


def test_search_filters_fold_below_the_count_on_a_phone(phone_visit: Visit, site_url: str) -> None:
    page = phone_visit.page
    page.goto(site_url + "search/")
    first_hit = page.locator(".pm-hit").first
    first_hit.wait_for()
    drawer = page.locator("[data-pm-drawer]")
    assert drawer.get_attribute("open") is None
    # The count, then the folded filters, then the results: the first hit is on screen.
    status, toggle, hit = (
        box(page, "[data-pm-status]"),
        box(page, ".pm-drawer__toggle"),
        box(page, ".pm-hit"),
    )
    assert status["y"] < toggle["y"] < hit["y"]
    assert hit["y"] + 40 < 844
    phone_visit.screenshot("search-page-390")
    page.locator(".pm-drawer__toggle").click()
    cause = page.locator("input[data-pm-facet=cause]").first
    cause.wait_for()
    # A cause shows its title, with its id small after it.
    label = cause.locator("xpath=..")
    value = label.locator(".pm-facet__value")
    term = value.locator(".pm-facet__id").inner_text()
    assert term == cause.get_attribute("value")
    assert value.inner_text().strip() != term
    cause.check()
    page.wait_for_function(
        "() => document.querySelector('.pm-drawer__chosen').textContent === '(1 chosen)'"
    )
    phone_visit.screenshot("search-page-390-filters")


def test_search_filters_stand_beside_the_results_on_a_wide_screen(
    visit: Visit, site_url: str
) -> None:
    page = visit.page
    page.goto(site_url + "search/")
    page.locator(".pm-hit").first.wait_for()
    assert page.locator("[data-pm-drawer]").get_attribute("open") is not None
    assert not page.locator(".pm-drawer__toggle").is_visible()
    facets, hit = box(page, "[data-pm-facets]"), box(page, ".pm-hit")
    assert facets["x"] + facets["width"] <= hit["x"]


def _shown_rows(page: Any) -> list[Any]:
    return [row for row in page.locator("#action-items-list tbody tr").all() if row.is_visible()]


def test_action_item_filters_live_in_the_url_and_survive_a_reload(
    visit: Visit, site_url: str, action_items: list[ActionItemRef], project: Project
) -> None:
    page = visit.page
    page.goto(site_url + "action-items/")
    form = page.locator("form.pmkb-filter")
    form.wait_for()
    service = next(s for ref in action_items for s in ref.postmortem.services)
    expected = [
        ref
        for ref in action_items
        if ref.item.priority == "P1" and service in ref.postmortem.services
    ]
    assert expected
    page.select_option("select[name=priority]", "P1")
    page.select_option("select[name=service]", service)
    assert parse_qs(urlsplit(page.url).query) == {"priority": ["P1"], "service": [service]}
    assert len(_shown_rows(page)) == len(expected)
    title = project.taxonomy.get(Kind.SERVICE, service)
    if title is not None:  # the service filter names services by title
        assert (
            page.locator(f"select[name=service] option[value='{service}']").inner_text()
            == title.title
        )
    page.reload()
    form.wait_for()
    assert page.input_value("select[name=priority]") == "P1"
    assert page.input_value("select[name=service]") == service
    assert len(_shown_rows(page)) == len(expected)
    assert page.inner_text(".pmkb-filter-count") == f"{len(expected)} of {len(action_items)} shown"
    # Type narrows further; "any" takes a filter out of the URL again.
    kinds = sorted({ref.item.type for ref in expected})
    page.select_option("select[name=type]", kinds[0])
    assert len(_shown_rows(page)) == sum(ref.item.type == kinds[0] for ref in expected)
    page.select_option("select[name=priority]", "")
    page.select_option("select[name=service]", "")
    assert parse_qs(urlsplit(page.url).query) == {"type": [kinds[0]]}
    visit.screenshot("action-items-filtered")


def test_not_found_page_works_under_the_sub_path(visit: Visit, site_url: str) -> None:
    page = visit.page
    response = page.goto(site_url + "no/such/page/")
    assert response is not None and response.status == 404
    assert page.inner_text("h1") == "Page not found"
    # Material's stylesheet and the site's own loaded from /kb/, not from the host's root.
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    assert header == "sticky"
    loaded = [url for url in visit.requests if url.endswith(".css")]
    assert loaded and all(urlsplit(url).path.startswith(f"/{SUB_PATH}/") for url in loaded)
    # Only the missing page itself (and the look-ups for the site's root) answered 404.
    assert all(
        "/no/such/" in line or line.endswith(("/kb/no/404.html",)) for line in visit.failed
    ), visit.failed
    visit.screenshot("not-found")
    page.locator(".md-nav--primary a", has_text="Recurring causes").first.click()
    page.wait_for_url(f"**/{SUB_PATH}/causes/")
    page.go_back()
    page.get_by_role("link", name="the home page").click()
    page.wait_for_url(re.compile(rf"/{SUB_PATH}/(index\.html)?$"))


def test_drafts_carry_a_visible_banner(visit: Visit, site_url: str) -> None:
    page = visit.page
    page.goto(f"{site_url}incidents/{DRAFT_ID}/")
    banner = page.locator(".pmkb-status-banner")
    assert banner.is_visible()
    assert "Not final: draft" in banner.inner_text()
    # Above the header card, at the top of the page.
    assert box(page, ".pmkb-status-banner")["y"] < box(page, ".pmkb-card")["y"] < 900
    visit.screenshot("draft-banner")
