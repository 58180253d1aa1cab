"""What a record does not know, on the built site: times as precise as given, "not
assessed", "not yet analysed", and the new facts of schema version 2, escaped."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from postmortem_testkit.sites import (
    EDGE,
    PAYMENTS,
    XSS_SCRIPT,
    Site,
    build,
    postmortem,
    write_project,
)

IMPORTED = postmortem(
    title="Storage outage known only to the month",
    started="2025-02",
    severity="unknown",
    services=["checkout"],
    causes="causes: []\n",
    summary="A storage outage in one region; the write-up gives no day.",
    extra=textwrap.dedent(
        f"""\
        trigger:
          term: deploy
          detail: Release 4.2 reached every region at once.
        impact:
          customer_facing: true
          customers_affected: 12.5%
          regions: [eu-west-1]
          support_tickets: 1200
          data_loss: false
          summary: "Checkout failed for an eighth of customers. {XSS_SCRIPT}"
        roles:
          incident_commander: Dana Reyes
          scribe: [kim, ops-team]
        responders: 9
        source:
          url: 'https://status.example.com/incidents/42?a=1&b="><script>alert(1)</script>'
          publisher: "Example {XSS_SCRIPT} Inc."
          published: 2025-03-02
          archived_url: https://archive.example.org/status.example.com/42
          imported_from: "csv: incidents.csv line 3"
          id: INC-42
        """
    ),
)
SECOND = postmortem(
    title="Payments 502 as the edge team wrote it up",
    started="2025-03-14",
    services=["edge-lb"],
    causes="causes: [config-change]\n",
    extra="same_incident_as: 2025-03-14-payments-502\ndetected: 2025-03-14T10:00:00Z\n"
    "tags: [load-balancer]\n",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = write_project(
        tmp_path_factory.mktemp("kb"),
        {
            "2025-02-00-storage-month.md": IMPORTED,
            "2025-03-14-payments-502.md": PAYMENTS,
            "2025-03-14-edge-write-up.md": SECOND,
            "2024-11-02-edge-lb-partial-outage.md": EDGE,
        },
    )
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return Site(root, result)


def test_the_card_says_what_the_record_does_not_know(site: Site) -> None:
    page = site.html("incidents/2025-02-00-storage-month/")
    assert "February 2025, day unknown" in page
    assert '<span class="pmkb-badge pmkb-sev pmkb-unknown">not assessed</span>' in page
    assert '<dt>Contributing factors</dt>\n<dd><span class="pmkb-unknown">not yet analysed' in page
    second = site.html("incidents/2025-03-14-edge-write-up/")
    assert "14 Mar 2025, time unknown" in second
    assert "time to detect: unknown (needs both times of day)" in second  # never from midnight
    timed = site.html("incidents/2025-03-14-payments-502/")
    assert "2025-03-14 09:12 UTC" in timed and "time to detect: 8m" in timed


def test_the_card_shows_trigger_impact_roles_and_the_original_write_up(site: Site) -> None:
    page = site.html("incidents/2025-02-00-storage-month/")
    assert "<dt>Trigger</dt>" in page and "Release 4.2 reached every region at once." in page
    assert (
        "customer-facing · customers affected: 12.5% · regions: eu-west-1 · support tickets: "
        "1,200 · no data lost" in page
    )
    assert "<dt>Incident commander</dt>\n<dd>Dana Reyes</dd>" in page
    assert "<dt>Scribe</dt>\n<dd>kim, ops-team</dd>" in page
    assert "<dt>Responders</dt>\n<dd>9 people</dd>" in page
    assert "<dt>Original write-up</dt>" in page
    assert "published 2025-03-02" in page and ">archived copy</a>" in page
    assert "imported from csv: incidents.csv line 3" in page
    # Everything from front matter is escaped, the URL included.
    assert XSS_SCRIPT not in page
    assert "Example &lt;script&gt;alert(1)&lt;/script&gt; Inc." in page
    assert (
        'href="https://status.example.com/incidents/42?a=1&amp;b=&quot;&gt;&lt;script&gt;' in page
    )


def test_two_write_ups_are_one_incident(site: Site) -> None:
    second = site.html("incidents/2025-03-14-edge-write-up/")
    assert "<dt>Same incident as</dt>" in second and "Payments API returns 502" in second
    main = site.html("incidents/2025-03-14-payments-502/")
    assert "<dt>Also written up as</dt>" in main
    home = site.html("")
    # Per month (SEV1..SEV4, Not assessed, All): March's two write-ups are one incident,
    # February's unassessed incident is in the total but in no severity's column.
    assert (
        "<tr><td>2025-03</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td>" in home
    )
    assert (
        "<tr><td>2025-02</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>" in home
    )
    assert "stacked by severity (grey: not assessed)" in home
    assert "1 incident not yet analysed (no causes named): not counted here." in home
    tags = site.html("tags/")
    row = tags[tags.index(">load-balancer</a>") :]
    # Both write-ups carry the tag: one incident, as on the tag's own page.
    assert row.split("</tr>")[0].count('<span class="pmkb-count">1</span>') == 1
    index = site.html("causes/")
    assert "1 incident not yet analysed (no causes named): not counted here." in index
    causes = site.html("causes/config-change/")
    # Three postmortems name it, two of them write-ups of one incident: two incidents.
    assert "2 incidents</strong>" in causes


def test_site_search_has_trigger_and_customer_facing_facets(site: Site) -> None:
    page = site.html("incidents/2025-02-00-storage-month/")
    assert '<span data-pagefind-filter="trigger" hidden>deploy</span>' in page
    assert '<span data-pagefind-filter="customer_facing" hidden>yes</span>' in page
    assert '<span data-pagefind-filter="severity" hidden>not assessed</span>' in page
    assert '<span data-pagefind-meta="date" hidden>2025-02</span>' in page
    other = site.html("incidents/2025-03-14-payments-502/")
    assert 'data-pagefind-filter="customer_facing"' not in other  # it does not say: no value
    facets = json.loads((site.out / "assets/postmortem-kb/search-facets.json").read_text())
    names = [f["name"] for f in facets["facets"]]
    assert names.index("trigger") < names.index("customer_facing") < names.index("severity")


def test_triggers_get_pages_in_the_nav(site: Site) -> None:
    page = site.html("triggers/deploy/")
    assert "Trigger: Deploy (deploy)" in page and "Storage outage known only to the month" in page
    assert "Triggers" in site.html("triggers/")


def test_the_archive_files_a_month_in_its_month(site: Site) -> None:
    year = site.html("archive/2025/")
    assert "February 2025" in year and "Storage outage known only to the month" in year
    archive = site.html("archive/")
    assert "1 not assessed" in archive
    assert Path(site.out / "incidents/2025-02-00-storage-month/index.html").is_file()
