"""Acceptance tests: build a site from a real git repository and read the HTML."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from postmortem_testkit.sites import (
    DNS,
    EDGE,
    EDIT,
    PAYMENTS,
    XSS_IMG,
    XSS_SCRIPT,
    Site,
    build,
    build_shared_site,
    write_project,
)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """One site for the tests that only read it: four postmortems, three dated commits."""
    return build_shared_site(tmp_path_factory.mktemp("kb"))


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str], home: str | None = None) -> Path:
        return write_project(tmp_path / "kb", files, home)

    return make


PAYMENTS_URL = "incidents/2025-03-14-payments-502/"
EDGE_URL = "incidents/2024-11-02-edge-lb-partial-outage/"
DNS_URL = "incidents/2025-01-10-dns-blip/"
HOSTILE_URL = "incidents/2025-05-01-checkout-escape/"


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def related_item(page: str, postmortem_id: str) -> str:
    match = re.search(rf'<li data-related="{postmortem_id}">(.*?)</li>', page, re.S)
    assert match, f"{postmortem_id} is not among the related incidents"
    return text_of(match.group(1))


def test_strict_build_has_no_warnings(built_site: Site) -> None:
    assert built_site.result.returncode == 0
    assert "WARNING" not in built_site.result.stderr


def test_incident_links_to_cause_and_cause_links_back(built_site: Site) -> None:
    incident = built_site.html(PAYMENTS_URL)
    assert 'href="../../causes/config-change/"' in incident
    assert 'href="../../services/edge-lb/"' in incident
    assert 'href="../../lucky-breaks/off-peak-timing/"' in incident
    assert 'href="../../went-well/fast-rollback/"' in incident
    assert 'href="../../tags/load-balancer/"' in incident
    cause = built_site.html("causes/config-change/")
    assert f'href="../../{PAYMENTS_URL}"' in cause
    assert f'href="../../{EDGE_URL}"' in cause


def test_term_pages_count_incidents_and_show_details(built_site: Site) -> None:
    cause = built_site.html("causes/config-change/")
    assert '<strong class="pmkb-count">2 incidents</strong>' in cause
    assert "first seen 2024-11-02" in cause
    assert "last seen 2025-03-14" in cause
    assert "The push skipped canary." in cause
    assert "A rule change dropped a pool." in cause
    assert "A configuration change introduced the failure." in cause  # taxonomy description
    # What occurs with it: both incidents name edge-lb, shown by its title with the id
    # small (too few together for a lift).
    assert re.search(
        r'services/edge-lb/"[^>]*>Edge load balancer</a> <small class="pmkb-id">edge-lb</small>'
        r"</td><td>2</td><td>-</td>",
        cause,
    )
    assert '<strong class="pmkb-count">2 incidents</strong>' in built_site.html(
        "services/payments-api/"
    )
    assert '<strong class="pmkb-count">1 incident</strong>' in built_site.html("causes/dns/")


def test_related_incidents_show_reasons_and_backlinks(built_site: Site) -> None:
    payments = built_site.html(PAYMENTS_URL)
    edge = related_item(payments, "2024-11-02-edge-lb-partial-outage")
    assert "linked from this postmortem" in edge
    # Shared terms by title, each with its id small.
    shared = "shares: Configuration change config-change , Edge load balancer edge-lb"
    assert shared in edge
    assert related_item(payments, "2025-01-10-dns-blip").endswith(
        "shares: Payments API payments-api"
    )
    backlink = related_item(built_site.html(EDGE_URL), "2025-03-14-payments-502")
    assert "links to this postmortem" in backlink
    assert shared in backlink


def test_header_card(built_site: Site) -> None:
    page = built_site.html(PAYMENTS_URL)
    assert "pmkb-sev1" in page and "pmkb-status-published" in page
    assert "2025-03-14 09:12 UTC" in page
    assert "time to detect: 8m" in page
    assert "time to mitigate: 29m" in page
    assert "time to resolve: 1h 53m" in page
    assert "Automated alert" in page
    # AI-1 was due 2025-04-30 and is still open on 2025-06-01; AI-2 is done.
    overdue_rows = re.findall(r'<tr class="pmkb-overdue">(.*?)</tr>', page, re.S)
    assert len(overdue_rows) == 1 and "AI-1" in overdue_rows[0]
    edit = EDIT.replace("{path}", "postmortems/2025-03-14-payments-502.md")
    assert f'<a class="pmkb-edit" href="{edit}">Edit this postmortem</a>' in page


def test_git_dates_and_revisions(built_site: Site) -> None:
    page = built_site.html(PAYMENTS_URL)
    assert '<span class="pmkb-first-written">2025-03-20</span>' in page
    assert '<span class="pmkb-last-changed">2025-05-10</span>' in page
    assert '<span class="pmkb-revisions">3</span>' in page
    # Renamed in its second commit: its history follows it.
    renamed = built_site.html(DNS_URL)
    assert '<span class="pmkb-first-written">2025-04-02</span>' in renamed
    assert '<span class="pmkb-revisions">2</span>' in renamed


def test_front_matter_values_are_escaped_everywhere(built_site: Site) -> None:
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    page = built_site.html(HOSTILE_URL)
    assert (
        '<h1 data-pagefind-ignore="index" data-pagefind-meta="title" '
        f'id="2025-05-01-checkout-escape">{escaped_script} in checkout</h1>'
    ) in page
    assert f"<title>{escaped_script} in checkout - Test postmortems</title>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # summary, detail, action item
    assert f"<td>{escaped_script}</td>" in page  # owner
    assert escaped_script in built_site.html("causes/capacity-exhaustion/")  # title and detail
    assert escaped_script in built_site.html("action-items/")  # owner
    for path in built_site.pages():
        html = path.read_text("utf-8")
        assert XSS_SCRIPT not in html, path
        assert "<script>alert" not in html, path
        assert XSS_IMG not in html and "<img src=x" not in html, path


class _Resources(HTMLParser):
    """Every URL a browser would fetch by itself: scripts, stylesheets, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}
        for name, value in attrs:
            if tag in wanted and name == wanted[tag] and value:
                self.urls.append(value)
            if name == "srcset" and value:
                self.urls.append(value)


def test_no_page_references_another_host(built_site: Site) -> None:
    foreign = []
    for path in built_site.pages():
        parser = _Resources()
        parser.feed(path.read_text("utf-8"))
        foreign += [(path.name, url) for url in parser.urls if re.match(r"(https?:)?//", url)]
    assert foreign == []
    for css in built_site.out.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text("utf-8"))
    assert "fonts.googleapis.com" not in built_site.html("")


def test_postmortems_are_not_in_the_nav(built_site: Site) -> None:
    for url in ("", PAYMENTS_URL, "causes/"):
        page = built_site.html(url)
        nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
        nav = nav[: nav.index("</nav>")]
        assert "incidents/" not in nav
        assert "Recurring causes" in nav and "Action items" in nav


def test_pagefind_contract(built_site: Site) -> None:
    page = built_site.html(PAYMENTS_URL)
    assert page.count("data-pagefind-body") == 1
    body = page[page.index("data-pagefind-body") :]
    assert body.index("<h1") < body.index("pmkb-body")
    for expected in (
        '<span data-pagefind-filter="cause" hidden>config-change</span>',
        '<span data-pagefind-filter="cause" hidden>insufficient-testing</span>',
        '<span data-pagefind-filter="lucky_break" hidden>off-peak-timing</span>',
        '<span data-pagefind-filter="went_well" hidden>fast-rollback</span>',
        '<span data-pagefind-filter="service" hidden>payments-api</span>',
        '<span data-pagefind-filter="severity" hidden>SEV1</span>',
        '<span data-pagefind-filter="status" hidden>published</span>',
        '<span data-pagefind-filter="year" hidden>2025</span>',
        '<span data-pagefind-meta="date" hidden>2025-03-14</span>',
        '<span data-pagefind-meta="severity" hidden>SEV1</span>',
    ):
        assert expected in body
    # Related incidents are not part of what search indexes for this page.
    assert body.index('</div>\n<section class="pmkb-related">') > 0
    for url in ("", "causes/", "causes/config-change/", "action-items/", "archive/2025/"):
        assert "data-pagefind-body" not in built_site.html(url)


def test_home_page(built_site: Site) -> None:
    home = built_site.html("")
    assert "Hand-written home text." in home
    assert "Recent incidents" in home and f'href="{PAYMENTS_URL}"' in home
    assert 'href="causes/config-change/"' in home  # most recurring cause
    assert 'href="lucky-breaks/off-peak-timing/"' in home
    assert "2 open action items" in home
    assert '<strong class="pmkb-overdue-count">1 overdue</strong> <span class="pmkb-as-of">' in home
    # Incidents per month in the last 12 months (to 2025-06): the chart's numbers.
    months = text_of(home[home.index('id="per-month"') : home.index('id="recent-incidents"')])
    assert "2025-03 1 0 0 0 1" in months and "2024-11 0 0 1 0 1" in months


def test_action_items_page(built_site: Site) -> None:
    page = built_site.html("action-items/")
    rows = re.findall(r"<tr[^>]*data-status[^>]*>.*?</tr>", page, re.S)
    assert [
        re.search(r"<td><time[^>]*>(\d{4}-\d\d-\d\d)</time></td>", r).group(1) for r in rows
    ] == [  # type: ignore[union-attr]
        "2025-04-30",
        "2025-07-31",
        "2025-09-30",
    ]
    for attribute in (
        'data-status="open"',
        'data-owner="edge-team"',
        'data-type="prevent"',
        'data-priority="P1"',
        'data-service="[&quot;payments-api&quot;, &quot;edge-lb&quot;]"',
        'data-active="true"',
        'data-overdue="true"',
    ):
        assert attribute in rows[0]
    assert 'data-overdue="false"' in rows[1]
    # The filter form only appears once the script runs; without it every row shows.
    assert re.search(
        r'<form class="pmkb-filter" data-filter-table="action-items-list"[^>]* hidden>', page
    )
    form = page[page.index('<form class="pmkb-filter"') :]
    form = form[: form.index("</form>")]
    assert '<option value="edge-team">edge-team</option>' in form
    # Priority, type and service filters offer the values the items have; services by title.
    for name in ("status", "priority", "type", "owner", "service"):
        assert f'<select name="{name}">' in form
    assert (
        '<option value="P1">P1</option>' in form
        and '<option value="detect">detect</option>' in form
    )
    assert '<option value="edge-lb">Edge load balancer</option>' in form
    assert "assets/postmortem-kb/table-filter.js" in page
    assert (built_site.out / "assets/postmortem-kb/table-filter.js").is_file()


def test_index_pages(built_site: Site) -> None:
    causes = built_site.html("causes/")
    assert causes.index("config-change") < causes.index("capacity-exhaustion")
    ledger = built_site.html("lucky-breaks/")
    off_peak = re.search(r"<tr>(?:(?!</tr>).)*off-peak-timing(?:(?!</tr>).)*</tr>", ledger, re.S)
    assert off_peak and "safeguarded" in off_peak.group(0) and "AI-2" in off_peak.group(0)
    online = re.search(r"<tr>(?:(?!</tr>).)*engineer-already-online.*?</tr>", ledger, re.S)
    assert online and "unaddressed" in online.group(0)
    assert 'href="fast-rollback/"' in built_site.html("went-well/")
    assert 'href="payments-api/"' in built_site.html("services/")
    assert 'href="load-balancer/"' in built_site.html("tags/")
    archive = built_site.html("archive/")
    assert 'href="2025/#2025-03"' in archive and 'href="2024/"' in archive
    year = built_site.html("archive/2025/")
    assert 'id="2025-03"' in year and f'href="../../{PAYMENTS_URL}"' in year
    assert EDGE_URL not in year


def test_guide_and_published_schema(built_site: Site) -> None:
    fields = built_site.html("guide/fields/")
    assert "<code>causes</code>" in fields and "Contributing factors" in fields
    assert "<code>action_items[].addresses</code>" in fields
    taxonomy = built_site.html("guide/taxonomy/")
    assert "Off-peak timing" in taxonomy and "bad-config" in taxonomy
    published = json.loads((built_site.out / "schema/postmortem.schema.json").read_text())
    assert published["title"] == "Postmortem front matter"


def test_build_error_names_file_and_line(project: Callable[..., Path]) -> None:
    bad = EDGE.replace("severity: SEV3", "severity: SEV9")
    root = project({"2024-11-02-edge-lb-partial-outage.md": bad})
    result = build(root)
    assert result.returncode != 0
    line = bad.splitlines().index("severity: SEV9") + 1
    assert f"postmortems/2024-11-02-edge-lb-partial-outage.md:{line}:" in result.stderr
    assert "error: severity" in result.stderr
    assert not (root / "build" / "site" / "index.html").exists()


def test_check_warnings_fail_strict_builds_only(project: Callable[..., Path]) -> None:
    aliased = EDGE.replace("term: config-change", "term: bad-config")
    root = project({"2024-11-02-edge-lb-partial-outage.md": aliased})
    relaxed = build(root)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "WARNING" in relaxed.stderr and "'bad-config' is an alias" in relaxed.stderr
    assert "postmortems/2024-11-02-edge-lb-partial-outage.md:" in relaxed.stderr
    assert build(root, "--strict").returncode != 0


def test_builds_without_git_history(project: Callable[..., Path]) -> None:
    root = project(
        {
            "2025-03-14-payments-502.md": PAYMENTS,
            "2024-11-02-edge-lb-partial-outage.md": EDGE,
            "2025-01-10-dns-blip.md": DNS,
        }
    )
    assert not (root / ".git").exists()
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = (root / "build/site" / PAYMENTS_URL / "index.html").read_text("utf-8")
    assert '<span class="pmkb-first-written">unknown</span>' in page
    assert '<span class="pmkb-revisions">unknown</span>' in page


def test_generated_home_without_index_md(project: Callable[..., Path]) -> None:
    root = project({"2024-11-02-edge-lb-partial-outage.md": EDGE})
    shutil.rmtree(root / "site")
    (root / "site").mkdir()
    result = build(root, "--strict", "--no-directory-urls")
    assert result.returncode == 0, result.stderr
    home = (root / "build/site/index.html").read_text("utf-8")
    assert "<h1>Postmortems</h1>" in home
    assert 'href="incidents/2024-11-02-edge-lb-partial-outage.html"' in home
    incident = (root / "build/site/incidents/2024-11-02-edge-lb-partial-outage.html").read_text()
    assert 'href="../causes/config-change.html"' in incident


def test_terms_show_their_titles_with_the_id_small(built_site: Site) -> None:
    causes = built_site.html("causes/")
    row = re.search(r'<tr data-term="config-change">(.*?)</tr>', causes, re.S)
    assert row is not None
    assert re.search(
        r'<a class="pmkb-term" href="config-change/">Configuration change</a> '
        r'<small class="pmkb-id">config-change</small>',
        row.group(1),
    )
    # One column for the term, not an id column and a title column.
    assert "<th>Cause</th>" in causes and "<th>Title</th>" not in causes
    card = built_site.html(PAYMENTS_URL)
    card = card[card.index('class="pmkb-card"') : card.index('class="pmkb-body"')]
    assert '>Off-peak timing</a> <small class="pmkb-id">off-peak-timing</small>' in card
    assert '>Payments API</a> <small class="pmkb-id">payments-api</small>' in card


def test_ledger_last_seen_is_a_date(built_site: Site) -> None:
    ledger = built_site.html("lucky-breaks/")
    row = re.search(r"<tr>(?:(?!</tr>).)*off-peak-timing(?:(?!</tr>).)*</tr>", ledger, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    headers = re.findall(r"<th>(.*?)</th>", ledger)
    last_seen = text_of(cells[headers.index("Last seen")])
    assert last_seen == "2025-03-14"  # the payments incident's date, not its title


def test_field_reference_gives_real_types(built_site: Site) -> None:
    fields = built_site.html("guide/fields/")
    rows = {
        text_of(name): text_of(kind)
        for name, kind in re.findall(
            r"<tr><td>(<code>.*?</code>)</td><td>.*?</td><td>.*?</td><td>(.*?)</td>", fields, re.S
        )
    }
    assert rows["started"] == "date and time with offset, or only a date or a month"
    assert rows["causes"] == "list of cause terms (an id, or term and detail)"
    assert rows["lucky_breaks"] == "list of lucky break terms (an id, or term and detail)"
    assert rows["detection"] == "one detection method term (an id from the taxonomy)"
    assert rows["related"] == "list of postmortem ids"
    assert rows["authors"] == "list of text"
    assert rows["title"] == "text"
    assert rows["action_items[].due"] == "date (YYYY-MM-DD)"
    assert rows["action_items[].link"] == "URL (http or https)"
    assert not [name for name, kind in rows.items() if "value" in kind], rows
    assert "<th>Type</th>" in fields
    # The stylesheet keeps the names whole: they sit in the wrapper it styles.
    # Front matter, action items, impact, roles, source, terms with detail.
    assert fields.count('<div class="pmkb-fields">') == 6
    assert rows["impact"] == "mapping (below)"
    assert rows["impact.customers_affected"] == "whole number or text"
    assert rows["source.url"] == "URL (http or https)"
    assert rows["roles.scribe"] == "text or list of text"


NO_SUMMARY_SECTION = """\
---
title: Checkout draft about a capacity problem
status: draft
severity: SEV3
started: 2025-05-02T10:00:00Z
authors: [checkout-team]
services: [checkout]
summary: The checkout pages ran out of workers for ten minutes.
causes:
  - capacity-exhaustion
---
## Impact

Slow checkouts.
"""


def test_summary_once_and_drafts_carry_a_banner(
    built_site: Site, project: Callable[..., Path]
) -> None:
    # The shared site's postmortems have a Summary section: the card leaves the summary out.
    payments = built_site.html(PAYMENTS_URL)
    assert "pmkb-summary" not in payments
    visible = payments.replace(payments[payments.index('<div class="pmkb-search-text"') :], "")
    assert "Payments failed for some users for a while." not in visible
    assert "pmkb-status-banner" not in payments  # published
    root = project({"2025-05-02-checkout-draft.md": NO_SUMMARY_SECTION})
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = (root / "build/site/incidents/2025-05-02-checkout-draft/index.html").read_text("utf-8")
    # No Summary section in the body: the card shows the front matter's summary, once.
    visible = page.replace(page[page.index('<div class="pmkb-search-text"') :], "")
    assert text_of(visible).count("The checkout pages ran out of workers for ten minutes.") == 1
    banner = re.search(
        r'<div class="admonition warning pmkb-status-banner"[^>]*>(.*?)</div>', page, re.S
    )
    assert banner is not None
    assert text_of(banner.group(1)).startswith("Not final: draft This postmortem's status is draft")
    assert page.index("pmkb-status-banner") < page.index('class="pmkb-card"')


def test_search_indexes_the_body_first_and_the_card_as_sentences(built_site: Site) -> None:
    page = built_site.html(PAYMENTS_URL)
    assert '<div class="pmkb-card" data-pagefind-ignore="index">' in page
    hidden = re.search(r'<div class="pmkb-search-text" hidden="hidden">(.*?)</div>', page, re.S)
    assert hidden is not None
    sentences = re.findall(r"<p>(.*?)</p>", hidden.group(1))
    assert sentences[0] == "Payments API returns 502 after load balancer config push."
    assert (
        "Contributing factors: Configuration change (config-change): The push skipped canary.; "
        "Insufficient testing (insufficient-testing)."
    ) in sentences
    assert "Action item AI-1: Canary every load balancer config push (edge-team)." in sentences
    assert page.index('class="pmkb-body"') < page.index('class="pmkb-search-text"')


def test_listing_pages_have_no_table_of_contents_column(built_site: Site) -> None:
    def toc_hidden(url: str) -> bool:
        page = built_site.html(url)
        sidebar = re.search(r'<div class="md-sidebar md-sidebar--secondary"[^>]*>', page)
        return sidebar is not None and " hidden" in sidebar.group(0)

    for url in ("causes/", "causes/config-change/", "action-items/", "archive/", "tags/"):
        assert toc_hidden(url), url
    for url in (PAYMENTS_URL, "guide/taxonomy/"):
        assert not toc_hidden(url), url
