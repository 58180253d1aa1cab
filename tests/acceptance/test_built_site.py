"""Site checks like a product's: the build warns about nothing, every link and anchor
inside the site resolves, and no page loads anything from another host.

Run on this repository's own site (built from a copy, with Pagefind search, as
`make site` builds it) and on the hostile site (postmortem_testkit.hostile), whose
payloads must not break a link either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_testkit.browser import BUILD_LOG
from postmortem_testkit.site_checks import broken_links, foreign_references

SITES = ["built_site", "hostile_site"]


@pytest.fixture(params=SITES)
def site(request: pytest.FixtureRequest) -> Path:
    built: Path = request.getfixturevalue(request.param)
    return built


def test_the_strict_build_logged_no_warning(site: Path) -> None:
    log = (site.parent.parent / BUILD_LOG).read_text(encoding="utf-8")
    assert "Documentation built" in log
    assert [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))] == []


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert len(list(site.rglob("*.html"))) > 30
    assert broken_links(site) == []


def test_no_page_references_another_host(site: Path) -> None:
    assert foreign_references(site) == []


MINI_PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="../assets/site.css">
<link rel="stylesheet" href="https://cdn.evil.example/x.css">
<script src="//evil.example/x.js"></script>
</head><body>
<h2 id="here">Here</h2>
<a href="#here">ok</a> <a href="#nowhere">no such anchor</a>
<a href="../other/#top">ok</a> <a href="../other/#gone">anchor on another page</a>
<a href="../missing/">no such page</a> <a href="/other/">assumes the site is at /</a>
<a href="https://tracker.example.com/X-1">a tracker: followed, not loaded</a>
<a href="javascript:alert(1)">script</a>
<img srcset="../assets/a.png 1x, https://evil.example/b.png 2x" src="../assets/a.png">
<div style="background: url('https://evil.example/bg.png')"></div>
</body></html>
"""


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    # A small site with one of each problem, so that a clean result above means something.
    site = tmp_path / "kb"
    (site / "page").mkdir(parents=True)
    (site / "other").mkdir()
    (site / "assets").mkdir()
    (site / "page" / "index.html").write_text(MINI_PAGE, encoding="utf-8")
    (site / "other" / "index.html").write_text('<p id="top">x</p>', encoding="utf-8")
    (site / "assets" / "a.png").write_bytes(b"")
    (site / "assets" / "site.css").write_text(
        "@import 'https://fonts.evil.example/f.css'; a { background: url(missing.png) }",
        encoding="utf-8",
    )
    assert broken_links(site) == [
        "page/: #nowhere (no element with id 'nowhere')",
        "page/: ../other/#gone (no element with id 'gone')",
        "page/: ../missing/",
        "page/: /other/",
        "(a stylesheet): assets/missing.png",
    ]
    assert foreign_references(site) == [
        "page/: https://cdn.evil.example/x.css",
        "page/: //evil.example/x.js",
        "page/: https://evil.example/b.png",
        "page/: https://evil.example/bg.png",
        "page/: javascript:alert(1)",
        "assets/site.css: https://fonts.evil.example/f.css",
    ]
