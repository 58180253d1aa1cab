"""Run Pagefind over a built site, through the Python API of PyPI ``pagefind``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import shutil
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortem_kb.errors import PostmortemKbError

BUNDLE_DIR = "pagefind"

# The hidden facet and meta elements hold values for Pagefind, not prose: left
# in, their text would run together ("config-changedns2024-03-14SEV2") in every
# excerpt. Excluded elements still give their filters and meta. The incident
# card's badges, times table and git line (postmortem_kb.pages.incident) are
# left out too: results show date and severity already, and "UTC Since start
# Started 2021-10-04 15:39 UTC" is noise in an excerpt.
EXCLUDE_SELECTORS = (
    "[data-pagefind-filter][hidden]",
    "[data-pagefind-meta][hidden]",
    "[data-pagefind-sort][hidden]",
    ".headerlink",
    ".pmkb-badges",
    ".pmkb-times",
    ".pmkb-history",
)

# Material's lunr index: every visitor would download it whole, so it is never
# shipped next to the Pagefind bundle.
MATERIAL_SEARCH_INDEX = ("search/search_index.json", "search/search_index.js")


class SiteSearchError(PostmortemKbError):
    """Pagefind could not index the site (no binary, unreadable output...)."""


@dataclass(frozen=True)
class SiteIndex:
    """A Pagefind bundle written for a built site."""

    site_dir: Path
    bundle_dir: Path
    page_count: int
    # Why the site was indexed a second time (Pagefind lost a write), or "".
    retried: str = ""


def index_site(site_dir: Path, *, force_language: str | None = None) -> SiteIndex:
    """Index the built site in ``site_dir`` into ``site_dir/pagefind/``.

    Pages with a ``data-pagefind-body`` element are indexed, the others are not.
    The previous bundle is replaced, not added to, so a rebuild never serves
    chunks of pages that are gone.
    """
    site_dir = site_dir.absolute()
    if not site_dir.is_dir():
        raise SiteSearchError(f"{site_dir}: no built site to index")
    bundle_dir = site_dir / BUNDLE_DIR
    retried = ""
    for attempt in (1, 2):
        shutil.rmtree(bundle_dir, ignore_errors=True)  # also: hashed files are never rewritten
        _run(_index(site_dir, bundle_dir, force_language))
        try:
            page_count = _indexed_pages(bundle_dir)
            break
        except SiteSearchError as exc:
            # Pagefind's service answers "files written" before its last writes reach
            # the disk (tokio writes it never flushes), and the Python API stops the
            # service right then: about one build in a hundred, a file (the small
            # entry file, last of its batch) stays empty. Index once more, and say so.
            if attempt == 2:
                raise
            retried = f"Pagefind lost a write of its bundle ({exc}); indexed the site again"
    for name in MATERIAL_SEARCH_INDEX:
        (site_dir / name).unlink(missing_ok=True)
    return SiteIndex(site_dir, bundle_dir, page_count, retried)


async def _index(site_dir: Path, bundle_dir: Path, force_language: str | None) -> None:
    # Imported here so that loading this package costs nothing when search is off.
    from pagefind.index import IndexConfig, PagefindIndex

    config: IndexConfig = {
        "exclude_selectors": list(EXCLUDE_SELECTORS),
        "output_path": str(bundle_dir),
    }
    if force_language:
        config["force_language"] = force_language
    try:
        async with PagefindIndex(config=config) as index:
            await index.add_directory(str(site_dir))
            # Leaving the context writes the bundle to output_path.
    except FileNotFoundError as exc:
        raise SiteSearchError(
            f"the Pagefind binary is missing ({exc}); install it with "
            "`pip install 'pagefind[bin]'` or turn site search off with `search: false` "
            "under the postmortems plugin in mkdocs.yml"
        ) from None
    except Exception as exc:  # the service reports every failure as a bare Exception
        raise SiteSearchError(f"Pagefind could not index {site_dir}: {exc}") from None


def _indexed_pages(bundle_dir: Path) -> int:
    """The pages the bundle holds, once it is whole: no file of it empty."""
    # The entry file counts the pages actually indexed; add_directory counts
    # every HTML file it read, with or without data-pagefind-body.
    try:
        empty = [p.name for p in bundle_dir.rglob("*") if p.is_file() and p.stat().st_size == 0]
        if empty:
            raise ValueError(f"{', '.join(sorted(empty)[:5])} empty")
        entry = json.loads((bundle_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SiteSearchError(
            f"Pagefind wrote no usable search bundle to {bundle_dir}: {exc}"
        ) from None


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run the indexer to completion, even when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()
