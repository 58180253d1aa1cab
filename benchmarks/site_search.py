"""Benchmark: what a browser downloads for a first site search, Pagefind vs Material.

Builds the site for a generated corpus twice, each build in its own subprocess:

  pagefind  the real site (site/, mkdocs.yml) with the postmortems plugin's search on
  material  the same site with the plugin's search off and Material's `search`
            plugin on: the lunr index every visitor downloads whole

then serves the Pagefind build on 127.0.0.1 and drives headless Chromium through
two first searches, counting every file the browser fetched for them (the page
itself not included):

  header  a query typed into the header search box (top 8 results)
  page    the search page opened with ?q=QUERY, filter counts included

Sizes are as served by a plain static server (no compression; Pagefind's index
chunks are gzipped on disk already) and, for comparison, gzipped.

    python benchmarks/site_search.py            # N = 10000
    python benchmarks/site_search.py --n 2000 --query "config change"

benchmarks/search.py calls measure(corpus_dir) for its site section.
Target (issue 4): first search under 300 KB.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_BYTES = 300 * 1024
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Download:
    files: dict[str, int]  # site path -> bytes on disk
    gzipped: int

    @property
    def total(self) -> int:
        return sum(self.files.values())


def measure(corpus_dir: Path, query: str | None = None) -> list[str]:
    """Build, search and report for the corpus in ``corpus_dir`` (postmortems/ and schema/)."""
    query = query or typical_query(corpus_dir)
    n = len(list((corpus_dir / "postmortems").glob("*.md")))
    with tempfile.TemporaryDirectory(prefix="site-search-bench-") as tmp:
        work = Path(tmp)
        pagefind_site, pagefind_seconds = build(corpus_dir, work / "pagefind", pagefind=True)
        material_site, material_seconds = build(corpus_dir, work / "material", pagefind=False)
        lunr_index = material_site / "search" / "search_index.json"
        lunr_bytes = lunr_index.stat().st_size
        lunr_gzipped = len(gzip.compress(lunr_index.read_bytes(), 6))
        header, page = browse(pagefind_site, query)
        bundle_bytes = sum(p.stat().st_size for p in (pagefind_site / "pagefind").rglob("*"))
    lines = [
        f"site search, {n:,} postmortems, query {query!r}:",
        f"  build with Pagefind: {pagefind_seconds:.1f} s; Pagefind index on disk "
        f"{kb(bundle_bytes)} (the browser fetches only a few chunks of it)",
        f"  first search, header box:   {kb(header.total)} in {len(header.files)} files "
        f"({kb(header.gzipped)} gzipped) {verdict(header.total)}",
        f"  first search, search page:  {kb(page.total)} in {len(page.files)} files "
        f"({kb(page.gzipped)} gzipped), filter counts included {verdict(page.total)}",
        f"  Material's lunr search:     search_index.json {kb(lunr_bytes)} "
        f"({kb(lunr_gzipped)} gzipped), downloaded whole by every visitor who searches "
        f"(build {material_seconds:.1f} s)",
        f"  ratio: Material ships {lunr_bytes / max(header.total, 1):.0f}x the header search's "
        f"bytes ({lunr_gzipped / max(header.gzipped, 1):.0f}x gzipped)",
    ]
    lines += [f"    {path:<60} {kb(size):>10}" for path, size in sorted(header.files.items())]
    return lines


def typical_query(corpus_dir: Path) -> str:
    """The most common cause, as words: "have we seen a config change before?"."""
    counts: Counter[str] = Counter()
    for path in sorted((corpus_dir / "postmortems").glob("*.md"))[:500]:
        text = path.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1]) if text.startswith("---") else {}
        for cause in (front or {}).get("causes") or ():
            counts[cause["term"] if isinstance(cause, dict) else str(cause)] += 1
    return counts.most_common(1)[0][0].replace("-", " ") if counts else "outage"


def build(corpus_dir: Path, root: Path, *, pagefind: bool) -> tuple[Path, float]:
    root.mkdir(parents=True)
    for name in ("postmortems", "schema"):
        (root / name).symlink_to((corpus_dir / name).absolute(), target_is_directory=True)
    shutil.copytree(REPO / "site", root / "site")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins: list[Any] = [
        {"postmortems": {"search": pagefind, "git_dates": False, "today": "2026-01-01"}}
    ]
    if not pagefind:
        plugins.insert(0, "search")
    config["plugins"] = plugins
    config["site_dir"] = "build/site"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root}:\n{done.stdout}{done.stderr}")
    return root / "build" / "site", seconds


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def browse(site: Path, query: str) -> tuple[Download, Download]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        raise SystemExit("Chromium not found: set CHROMIUM or install chromium (make browser)")
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            header = _first_search(browser, site, base, query, header=True)
            page = _first_search(browser, site, base, query, header=False)
        finally:
            browser.close()
    return header, page


def _first_search(browser: Any, site: Path, base: str, query: str, *, header: bool) -> Download:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)
    urls: list[str] = []
    if header:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        # Only what searching fetches counts, not the page the box sits on.
        context.on("request", lambda request: urls.append(request.url))
        page.fill("[data-pm-search-input]", query)
        page.locator("[data-pm-search-meta]").filter(has_text="matching").wait_for()
    else:
        context.on("request", lambda request: urls.append(request.url))
        page.goto(f"{base}search/?q={query}")
        page.wait_for_function(
            "/^[\\d,]+ incidents?/.test(document.querySelector('[data-pm-status]').textContent)"
        )
    page.wait_for_load_state("networkidle")
    context.close()
    files: dict[str, int] = {}
    gzipped = 0
    for url in urls:
        path = unquote(urlsplit(url).path)
        if not header and not path.startswith(("/pagefind/", "/assets/postmortem-kb/postmortem")):
            continue  # the search page itself and Material's own assets: not search
        file = site / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or path in files:
            continue
        data = file.read_bytes()
        files[path] = len(data)
        gzipped += (
            len(data)
            if file.suffix.startswith((".pf_", ".pagefind"))
            else len(gzip.compress(data, 6))
        )
    return Download(files, gzipped)


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def verdict(n: int) -> str:
    return "(target < 300 KB: met)" if n < TARGET_BYTES else "(target < 300 KB: MISSED)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="postmortems (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--query", default=None, help="default: the most common cause")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-search-corpus-") as tmp:
        corpus = Path(tmp) / "kb"
        sys.path.insert(0, str(HERE))
        from corpus import generate

        generate(corpus, args.n, args.seed)
        for line in measure(corpus, args.query):
            print(line)


if __name__ == "__main__":
    main()
