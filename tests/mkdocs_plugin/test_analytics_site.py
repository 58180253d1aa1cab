"""The dashboard, the Insights page, term pages, feeds and the API of a real MkDocs build
of the measured incidents (postmortem_testkit.incidents.measured_incidents), committed to
git on known dates. Every number is worked out here from the fixture's front matter and
commit dates, then read from the tables under the charts."""

from __future__ import annotations

import json
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest

from postmortem_kb.analysis.durations import format_duration
from postmortem_testkit.incidents import HOSTILE_OWNER
from postmortem_testkit.sites import (
    MEASURED_TODAY,
    Site,
    build_measured_site,
    first_commit_delay,
    table_rows,
)

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = date.fromisoformat(MEASURED_TODAY)
MEASURES = {
    "Time to detect": "detected",
    "Time to mitigate": "mitigated",
    "Time to resolve": "resolved",
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, dict[str, dict[str, Any]]]:
    return build_measured_site(tmp_path_factory.mktemp("analytics") / "kb")


def minutes(front: dict[str, Any], field: str) -> float | None:
    end = front.get(field)
    if not isinstance(end, str):
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(front["started"])).total_seconds()


def median_p90(values: list[float]) -> tuple[str, str]:
    p90 = (
        statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]
    )
    return (
        format_duration(timedelta(seconds=statistics.median(values))),
        format_duration(timedelta(seconds=p90)),
    )


def test_insights_durations_table(measured: tuple[Site, dict[str, dict[str, Any]]]) -> None:
    site, fronts = measured
    rows = table_rows(site.html("insights/"), "Median and 90th percentile per severity")
    assert rows[0] == ["Measure", "Severity", "n", "Missing", "Median", "p90", ""]
    shown = {(r[0], r[1]): r[2:] for r in rows[1:]}
    for label, field in MEASURES.items():
        for severity in ("SEV1", "SEV2"):
            members = [f for f in fronts.values() if f["severity"] == severity]
            values = [v for f in members if (v := minutes(f, field)) is not None]
            note = "too few to compare" if len(values) < 20 else ""
            assert shown[(label, severity)] == [
                str(len(values)),
                str(len(members) - len(values)),
                *median_p90(values),
                note,
            ], (label, severity)
        # A severity without incidents: n=0, nothing guessed.
        assert shown[(label, "SEV4")] == ["0", "0", "-", "-", "too few to compare"]


def test_insights_counts_per_month_and_completeness(
    measured: tuple[Site, dict[str, dict[str, Any]]],
) -> None:
    site, fronts = measured
    page = site.html("insights/")
    months = {r[0]: r[1:] for r in table_rows(page, "Incidents per month by severity")[1:]}
    per = Counter((f["started"][:7], f["severity"]) for f in fronts.values())
    for month in {f["started"][:7] for f in fronts.values()}:
        sev1, sev2 = per[(month, "SEV1")], per[(month, "SEV2")]
        assert months[month] == [str(sev1), str(sev2), "0", "0", str(sev1 + sev2)]
    assert sum(int(r[-1]) for r in months.values()) == len(fronts)
    done = {r[0]: r[1:] for r in table_rows(page, "Postmortems without each field")[1:]}
    without_resolved = sum(1 for f in fronts.values() if not isinstance(f.get("resolved"), str))
    drafts = sum(1 for f in fronts.values() if f["status"] == "draft")
    n = len(fronts)
    assert done["Resolution time (resolved)"] == [
        str(without_resolved),
        f"{without_resolved / n:.0%}",
    ]
    assert done["Impact"] == [str(drafts), f"{drafts / n:.0%}"]
    assert done["Causes"] == ["0", "0%"]


def test_insights_time_to_write_from_git(measured: tuple[Site, dict[str, dict[str, Any]]]) -> None:
    site, fronts = measured
    delays = [
        first_commit_delay(int(name.rsplit("-", 1)[1])).total_seconds()
        for name, front in fronts.items()
        if isinstance(front.get("resolved"), str)
    ]
    rows = table_rows(site.html("insights/"), "Time to write")
    assert rows[1] == [str(len(delays)), str(len(fronts) - len(delays)), *median_p90(delays), ""]


def test_insights_overdue_by_owner_as_of_the_build_date(
    measured: tuple[Site, dict[str, dict[str, Any]]],
) -> None:
    site, fronts = measured
    page = site.html("insights/")
    owners = Counter(
        item["owner"]
        for f in fronts.values()
        for item in f["action_items"]
        if item["status"] == "open" and item["due"] < MEASURED_TODAY
    )
    rows = table_rows(page, f"Open and overdue action items per owner as of {MEASURED_TODAY}")
    assert {r[0]: int(r[2]) for r in rows[1:]} == dict(owners)
    assert f"Overdue by owner, as of {MEASURED_TODAY}" in re.sub(r"<[^>]+>", "", page)
    # The owner's name is front matter: text in the table and in the chart, never markup.
    assert HOSTILE_OWNER not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_charts_are_inline_svg_with_a_text_alternative(
    measured: tuple[Site, dict[str, dict[str, Any]]],
) -> None:
    site, _fronts = measured
    for url in ("", "insights/", "causes/config-change/"):
        page = site.html(url)
        figures = page.split('<figure class="pmkb-chart">')[1:]
        assert figures, url
        for fig in figures:
            svg = fig[: fig.index("</figure>")]
            assert "<svg" in svg and 'role="img"' in svg and 'aria-label="' in svg
            assert "<script" not in svg and "<image" not in svg
            # No font, script or data from another host: the only URLs are XML namespaces.
            assert {u for u in svg.split('"') if u.startswith("http")} <= {
                "http://www.w3.org/2000/svg",
                "http://www.w3.org/1999/xlink",
            }
            assert 'fill="currentColor"' in svg  # text follows the palette's text colour


def test_home_tiles(measured: tuple[Site, dict[str, dict[str, Any]]]) -> None:
    site, fronts = measured
    home = " ".join(site.html("").split())
    days = [date.fromisoformat(f["started"][:10]) for f in fronts.values()]
    last_90 = sum(1 for d in days if TODAY - timedelta(days=90) < d <= TODAY)
    before = sum(1 for d in days if TODAY - timedelta(days=180) < d <= TODAY - timedelta(days=90))
    assert f"<dt>Incidents in the last 90 days</dt><dd><strong>{last_90}</strong>" in home
    assert f"the {before} of the 90 days before" in home
    year = [
        f
        for f in fronts.values()
        if TODAY - timedelta(days=365) < date.fromisoformat(f["started"][:10]) <= TODAY
    ]
    detect = [v for f in year if (v := minutes(f, "detected")) is not None]
    median = format_duration(timedelta(seconds=statistics.median(detect)))
    assert (
        f"<dt>Median time to detect, last 12 months</dt><dd><strong>{median}</strong>"
        f'<span class="pmkb-tile-note">n={len(detect)}; {len(year) - len(detect)} without the time'
    ) in home
    items = [i for f in fronts.values() for i in f["action_items"] if i["status"] == "open"]
    overdue = sum(1 for i in items if i["due"] < MEASURED_TODAY)
    assert (
        f'<span class="pmkb-overdue-count">{overdue} overdue</span> <span class="pmkb-as-of">as of'
        in home
    )
    months = table_rows(site.html(""), "Incidents per month by severity")
    assert [r[0] for r in months[1:]] == [
        f"{y}-{m:02d}"
        for y, m in [(2025, 6), (2025, 5), (2025, 4), (2025, 3), (2025, 2), (2025, 1)]
    ] + [f"2024-{m:02d}" for m in range(12, 6, -1)]


def test_overdue_figures_say_as_of_when(measured: tuple[Site, dict[str, dict[str, Any]]]) -> None:
    site, _fronts = measured
    # Insights says it in the overdue section's heading (test_insights_overdue_by_owner...).
    for url in ("", "action-items/"):
        page = site.html(url)
        figures = list(re.finditer(r"\d+ overdue</(?:strong|span)>", page))
        assert figures, url
        for figure in figures:
            after = page[figure.end() : figure.end() + 80]
            assert f'as of <time datetime="{MEASURED_TODAY}">' in after, url


def test_term_page_trend_and_co_occurrence(
    measured: tuple[Site, dict[str, dict[str, Any]]],
) -> None:
    site, fronts = measured
    page = site.html("causes/config-change/")
    assert 'id="trend"' in page and '<figure class="pmkb-chart">' in page
    # The first cell is the term's title, then its id (small): keyed by the id.
    causes = {
        r[0].split()[-1]: r[1:] for r in table_rows(page, "Causes named in the same incidents")[1:]
    }
    together = sum(1 for f in fronts.values() if "dns" in f["causes"])
    # config-change is in every incident: lift = together * N / (N * together) = 1.
    assert causes["dns"] == [str(together), "1.00"]
    services = {
        r[0].split()[-1]: r[1:]
        for r in table_rows(page, "Services named in the same incidents")[1:]
    }
    # Two incidents name checkout: too few for a lift, which is not shown.
    assert services["checkout"] == ["2", "-"]
    quarters = table_rows(page, "Incidents per quarter")
    assert sum(int(r[1]) for r in quarters[1:]) == len(fronts)


def test_feeds_are_valid_atom(measured: tuple[Site, dict[str, dict[str, Any]]]) -> None:
    site, fronts = measured
    feeds = sorted((site.out / "feeds").rglob("*.xml"))
    names = {p.relative_to(site.out).as_posix() for p in feeds}
    assert names == {
        "feeds/postmortems.xml",
        "feeds/causes/config-change.xml",
        "feeds/causes/dns.xml",
        "feeds/services/checkout.xml",
        "feeds/services/payments-api.xml",
    }
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        _check_rfc4287(ET.fromstring(path.read_bytes()), path)
    every = feedparser.parse((site.out / "feeds/postmortems.xml").read_bytes())
    assert len(every.entries) == len(fronts)
    newest = max(fronts.values(), key=lambda f: f["started"])
    assert every.entries[0].title == newest["title"]
    link = every.entries[0].link
    assert (site.out / "feeds" / link / "index.html").resolve().is_file()
    dns = feedparser.parse((site.out / "feeds/causes/dns.xml").read_bytes())
    assert len(dns.entries) == sum(1 for f in fronts.values() if "dns" in f["causes"])


def _check_rfc4287(feed: ET.Element, path: Path) -> None:
    """RFC 4287's rules for atom:feed and atom:entry that a parser may forgive."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, (path, name)
    entries = feed.findall(f"{ATOM}entry")
    has_author = bool(feed.findall(f"{ATOM}author"))
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, (path, name)
        assert has_author or entry.findall(f"{ATOM}author")
        alternate = [e for e in entry.findall(f"{ATOM}link") if e.get("rel") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("href")
        ids = entry.find(f"{ATOM}id")
        assert ids is not None and ids.text and ids.text.startswith("urn:uuid:")
    for stamp in feed.iter(f"{ATOM}updated"):
        assert stamp.text and stamp.text.endswith("Z")
        datetime.fromisoformat(stamp.text.replace("Z", "+00:00"))  # RFC 3339


def test_every_page_links_its_feeds_in_its_head(
    measured: tuple[Site, dict[str, dict[str, Any]]],
) -> None:
    site, _fronts = measured
    for page in site.pages():
        if page.name == "404.html":
            continue
        head = page.read_text("utf-8").split("</head>")[0]
        links = [
            part.split('href="')[1].split('"')[0]
            for part in head.split("<link")[1:]
            if 'type="application/atom+xml"' in part
        ]
        assert links, page
        for href in links:
            assert (page.parent / href).resolve().is_file(), (page, href)
    cause = site.html("causes/dns/").split("</head>")[0]
    assert 'title="Postmortems: DNS failure" href="../../feeds/causes/dns.xml"' in cause


def test_api_is_the_export_and_matches_its_schema(
    measured: tuple[Site, dict[str, dict[str, Any]]], run_postmortem: Any
) -> None:
    site, fronts = measured
    document = json.loads((site.out / "api/postmortems.json").read_text("utf-8"))
    schema = json.loads((site.out / "api/postmortems.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        document
    )
    exported = run_postmortem("export", cwd=site.root)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["postmortems"] == document["postmortems"]
    assert document["as_of"] == MEASURED_TODAY and document["count"] == len(fronts)
    service = json.loads((site.out / "api/services/checkout.json").read_text("utf-8"))
    jsonschema.validate(service, {"$defs": schema["$defs"], "$ref": "#/$defs/service"})
    assert [i["id"] for i in service["incidents"]] == sorted(
        (name for name, f in fronts.items() if "checkout" in f["services"]), reverse=True
    )
    for incident in service["incidents"]:
        assert (site.out / incident["url"] / "index.html").is_file()
    payments = json.loads((site.out / "api/services/payments-api.json").read_text("utf-8"))
    open_items = [i for f in fronts.values() for i in f["action_items"] if i["status"] == "open"]
    assert len(payments["open_action_items"]) == len(open_items)
    assert all(item["overdue"] for item in payments["open_action_items"])
