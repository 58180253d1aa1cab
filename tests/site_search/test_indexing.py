"""postmortem_kb.site_search: Pagefind over a folder of built HTML."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from postmortem_kb.site_search import SiteSearchError, index_site

INCIDENT = """\
<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav>Navigation that must not be indexed</nav>
<div data-pagefind-body>
<h1>{title}</h1>
<p class="pmkb-badges"><span>SEV2</span> <span>published</span></p>
<p>The resolver failed after a config push.</p>
<div><span data-pagefind-filter="cause" hidden>config-change</span><span data-pagefind-filter="cause" hidden>dns</span><span data-pagefind-filter="severity" hidden>SEV2</span><span data-pagefind-meta="date" hidden>2025-03-14</span><span data-pagefind-meta="severity" hidden>SEV2</span></div>
</div></body></html>
"""


def write_site(root: Path) -> Path:
    site = root / "site"
    (site / "incidents" / "a").mkdir(parents=True)
    (site / "incidents" / "a" / "index.html").write_text(
        INCIDENT.format(title="DNS outage after config push"), encoding="utf-8"
    )
    (site / "index.html").write_text(
        '<html lang="en"><body><h1>Home</h1></body></html>', encoding="utf-8"
    )
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    return site


def fragments(bundle: Path) -> list[dict[str, object]]:
    out = []
    for path in sorted((bundle / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[raw.index(b"{") :]))
    return out


def test_indexes_only_pages_marked_for_search(tmp_path: Path) -> None:
    index = index_site(write_site(tmp_path))
    assert index.page_count == 1
    assert (index.bundle_dir / "pagefind.js").is_file()
    [fragment] = fragments(index.bundle_dir)
    assert fragment["url"] == "/incidents/a/"
    assert fragment["filters"] == {"cause": ["config-change", "dns"], "severity": ["SEV2"]}
    assert fragment["meta"] == {
        "title": "DNS outage after config push",
        "date": "2025-03-14",
        "severity": "SEV2",
    }


def test_hidden_facet_values_and_badges_stay_out_of_the_text(tmp_path: Path) -> None:
    index = index_site(write_site(tmp_path))
    [fragment] = fragments(index.bundle_dir)
    content = str(fragment["content"])
    assert "resolver failed" in content
    assert "config-change" not in content
    assert "2025-03-14" not in content
    assert "SEV2" not in content
    assert "Navigation" not in content


def test_material_search_index_is_not_shipped(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    index_site(site)
    assert not (site / "search" / "search_index.json").exists()


def test_a_rebuild_replaces_the_bundle(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    first = index_site(site)
    stale = first.bundle_dir / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    (site / "incidents" / "b").mkdir()
    (site / "incidents" / "b" / "index.html").write_text(
        INCIDENT.format(title="Second outage"), encoding="utf-8"
    )
    second = index_site(site)
    assert second.page_count == 2
    assert not stale.exists()


def test_missing_site_is_a_domain_error(tmp_path: Path) -> None:
    with pytest.raises(SiteSearchError, match="no built site"):
        index_site(tmp_path / "nope")


def test_missing_binary_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    with pytest.raises(SiteSearchError, match=r"pagefind\[bin\]"):
        index_site(write_site(tmp_path))


def test_a_write_pagefind_lost_is_indexed_again_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11, attacker 11: "Pagefind wrote no usable search bundle ...: Expecting
    value", about one build in a hundred. Pagefind's service reports its files
    written before its (unflushed) writes reach the disk, and is stopped right then;
    the entry file, last of its batch, can stay empty. The race is made certain
    here: the first run's entry file is emptied as the service stops."""
    from postmortem_kb.site_search import indexing

    real = indexing._index
    runs: list[Path] = []

    async def racing(site_dir: Path, bundle_dir: Path, force_language: str | None) -> None:
        await real(site_dir, bundle_dir, force_language)
        runs.append(bundle_dir)
        if len(runs) == 1:
            (bundle_dir / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(indexing, "_index", racing)
    index = index_site(write_site(tmp_path))
    assert len(runs) == 2
    assert index.page_count == 1
    assert index.retried.startswith("Pagefind lost a write of its bundle (")
    assert "pagefind-entry.json empty" in index.retried
    assert json.loads((index.bundle_dir / "pagefind-entry.json").read_text())["languages"]


def test_a_bundle_still_broken_after_the_retry_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortem_kb.site_search import indexing

    real = indexing._index

    async def always_broken(site_dir: Path, bundle_dir: Path, force_language: str | None) -> None:
        await real(site_dir, bundle_dir, force_language)
        (bundle_dir / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(indexing, "_index", always_broken)
    with pytest.raises(SiteSearchError, match="Pagefind wrote no usable search bundle"):
        index_site(write_site(tmp_path))
