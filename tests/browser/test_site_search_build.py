"""The built site and its search bundle, without a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from postmortem_kb.model.facets import search_facets
from postmortem_kb.project.repository import Project
from postmortem_testkit.browser import REPO_ROOT, build_site_copy


def test_search_bundle_and_page_are_built(built_site: Path) -> None:
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "search" / "index.html").is_file()
    # Material's lunr index would be downloaded whole by every visitor.
    assert not list(built_site.rglob("search_index.js*"))


def test_every_page_has_the_header_search_box(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    missing = [
        str(page.relative_to(built_site))
        for page in pages
        if "data-pm-search-input" not in page.read_text(encoding="utf-8")
    ]
    assert missing == []


def test_search_option_off_builds_no_index_and_no_box(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    site = build_site_copy(tmp_path_factory.mktemp("no-search"), search=False, plant=False)
    assert not (site / "pagefind").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "data-pm-search-input" not in home
    assert "postmortem-search.js" not in home
    # The search page is the package's, generated for every site.
    assert not (REPO_ROOT / "site" / "search.md").exists()
    assert (site / "search" / "index.html").is_file()


def test_search_page_facets_come_from_the_build(built_site: Path) -> None:
    """The search script draws its filters from the facet list the build writes, and the
    incident pages carry exactly those filters."""
    project = Project(built_site.parent.parent)
    written = json.loads(
        (built_site / "assets" / "postmortem-kb" / "search-facets.json").read_text("utf-8")
    )
    assert written["facets"] == [f.as_data() for f in search_facets(project.shape)]
    # With each taxonomy term's title, for the filters to show titles, not ids.
    assert written["titles"]["cause"]["config-change"] == "Configuration change"
    assert set(written["titles"]) == {f.name for f in search_facets(project.shape) if f.kind}
    names = {facet["name"] for facet in written["facets"]}
    used: set[str] = set()
    for page in (built_site / "incidents").rglob("index.html"):
        used |= set(re.findall(r'data-pagefind-filter="([^"]+)"', page.read_text("utf-8")))
    assert used and used <= names
    script = (built_site / "assets" / "postmortem-kb" / "postmortem-search.js").read_text("utf-8")
    # No hand-kept list of facet names left in the script.
    assert '"lucky_break"' not in script and '"severity"' not in script
