"""The home dashboard and the Insights page in headless Chromium, light and dark.

Screenshots go to build/screenshots/ (home-light.png, insights-dark.png, ...) for a
person to look at; the test checks that every request succeeded, that the charts
are drawn in the palette's text colour, and that each has its numbers after it.
"""

from __future__ import annotations

from typing import Any

import pytest

from postmortem_testkit.browser import Visit


def _visit(request: pytest.FixtureRequest, scheme: str) -> Visit:
    visit: Visit = request.getfixturevalue("visit" if scheme == "light" else "dark_visit")
    return visit


def _look(visit: Visit, url: str, name: str) -> Any:
    page = visit.page
    page.goto(url)
    page.wait_for_load_state("networkidle")
    visit.screenshot(name, full_page=True)
    assert visit.failed == [], "requests that failed"
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_dashboard(scheme: str, request: pytest.FixtureRequest, site_url: str) -> None:
    page = _look(_visit(request, scheme), site_url, f"home-{scheme}")
    tiles = page.locator(".pmkb-tile")
    assert tiles.count() == 5
    assert "Open action items" in tiles.nth(1).inner_text()
    assert "as of" in tiles.nth(1).inner_text()
    chart = page.locator("#per-month ~ figure.pmkb-chart svg[role=img]").first
    assert chart.is_visible()
    assert chart.get_attribute("aria-label")
    # Axis text is drawn in currentColor: the page's text colour in either palette.
    text_colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('.md-typeset')).color"
    )
    label_colour = page.evaluate(
        "() => getComputedStyle(document.querySelector('figure.pmkb-chart svg text')).fill"
    )
    assert label_colour == text_colour


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_insights_page(scheme: str, request: pytest.FixtureRequest, site_url: str) -> None:
    page = _look(_visit(request, scheme), f"{site_url}insights/", f"insights-{scheme}")
    assert page.inner_text("h1") == "Insights"
    figures = page.locator("figure.pmkb-chart")
    assert figures.count() >= 6
    # Each chart's numbers follow it in a table, folded in a details element.
    numbers = page.locator("details.pmkb-numbers")
    assert numbers.count() >= 6
    numbers.first.locator("summary").click()
    assert numbers.first.locator("table caption").is_visible()
    for heading in (
        "Incidents per month",
        "Time to detect, mitigate and resolve",
        "Data completeness",
    ):
        assert page.get_by_role("heading", name=heading).is_visible()
    # The JSON behind it is a link away, on the same host.
    page.get_by_role("link", name="The data as JSON").click()
    page.wait_for_url("**/api/postmortems.json")
