"""Helpers for the browser tests: build the example site from a copy of this
repository, serve it as a static host does, find Chromium, record what a browser
page requested, pick one page of each type, and run axe-core on a page."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
# axe-core from npm (package.json; `make test` runs npm ci). Injected into each page by
# Playwright from this file, so a test loads it from no host at all.
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The site is served under a sub-path, as on an internal host or GitHub Pages,
# so a URL that assumes the site sits at / breaks a test.
SUB_PATH = "kb"

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

# A postmortem planted in the copy, so the tests know one incident for sure
# whatever the example postmortems say.
PLANTED_ID = "2024-02-29-zanzibar-leap-day-quota-reset"
PLANTED_TITLE = "Quota service resets every tenant on leap day"
PLANTED_WORD = "zanzibarquota"
PLANTED = f"""\
---
title: {PLANTED_TITLE}
status: published
severity: SEV3
started: 2024-02-29T00:05:00Z
detected: 2024-02-29T00:20:00Z
resolved: 2024-02-29T03:00:00Z
authors: [kb-tests]
services: [{{service}}]
summary: The {PLANTED_WORD} job computed the next reset date as February 30 and reset every quota.
causes:
  - term: {{cause}}
    detail: The date arithmetic assumed every year has 365 days.
---
## Summary

The {PLANTED_WORD} job reset every tenant's quota at midnight on leap day.

## Impact

Tenants could exceed their quotas for three hours.

## Timeline

- 00:05 the job ran.
- 03:00 quotas restored.

## Contributing factors

Date arithmetic.

## What went well

Nothing to add.

## Where we got lucky

Nothing to add.

## Action items

None.

## Lessons learned

Test leap days.
"""


# A draft, so that the pages of a postmortem still being written (with their banner)
# are among the pages the browser tests look at.
DRAFT_ID = "2024-03-05-quota-alerts-draft"
DRAFT_TITLE = "Quota alerts fired late (still being written)"
DRAFT = """\
---
title: Quota alerts fired late (still being written)
status: draft
severity: SEV4
started: 2024-03-05T08:00:00Z
authors: [kb-tests]
services: [{service}]
summary: Quota alerts arrived an hour after quotas were exceeded.
causes:
  - {cause}
---
## Impact

Tenants were told late.
"""


BUILD_LOG = "mkdocs-build.log"


def build_site_copy(
    dest: Path,
    *,
    search: bool = True,
    plant: bool = True,
    prepare: Callable[[Path], None] | None = None,
) -> Path:
    """Copy this repository's site sources to ``dest``, build them, return the site folder.

    ``prepare(dest)`` may change the copy before the build (``hostile.make_hostile``).
    The build is ``mkdocs build --strict``; what it logged is kept in ``dest/BUILD_LOG``.
    The copy has no git history; the plugin marks git dates unknown, as documented.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("site", "schema", "postmortems"):
        shutil.copytree(REPO_ROOT / name, dest / name)
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = config.setdefault("plugins", [])
    for i, plugin in enumerate(plugins):
        if plugin == "postmortems":
            plugins[i] = plugin = {"postmortems": {}}
        if isinstance(plugin, dict) and "postmortems" in plugin:
            options = plugin["postmortems"] or {}
            options["search"] = search
            options["git_dates"] = False
            plugin["postmortems"] = options
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if plant:
        service, cause = _first_terms(dest / "schema" / "taxonomy.yml")
        planted = PLANTED.format(service=service, cause=cause)
        (dest / "postmortems" / f"{PLANTED_ID}.md").write_text(planted, encoding="utf-8")
        draft = DRAFT.format(service=service, cause=cause)
        (dest / "postmortems" / f"{DRAFT_ID}.md").write_text(draft, encoding="utf-8")
    if prepare is not None:
        prepare(dest)
    site = dest / "build" / SUB_PATH
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=dest,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    (dest / BUILD_LOG).write_text(completed.stdout + completed.stderr, encoding="utf-8")
    assert completed.returncode == 0, f"mkdocs build failed:\n{completed.stdout}{completed.stderr}"
    return site


def _first_terms(taxonomy_path: Path) -> tuple[str, str]:
    taxonomy = yaml.safe_load(taxonomy_path.read_text(encoding="utf-8"))
    services = list(taxonomy.get("services") or {"kb-tests-service": None})
    return services[0], next(iter(taxonomy["causes"]))


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM")
    if configured:
        return shutil.which(configured)
    return shutil.which("chromium")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


# What a hostile payload calls if it ever runs (postmortem_testkit.hostile), and the
# list in which the page records those calls.
XSS_FUNCTION = "__pmkbXss"
XSS_CALLS = "__pmkbXssCalls"


class StaticHostHandler(QuietHandler):
    """A static host as GitHub Pages is one: a missing URL gets the nearest 404.html
    above it (the site's own, under its sub-path), with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory).resolve()
        folder = Path(self.translate_path(self.path))
        for candidate in (folder, *folder.parents):
            if candidate != root and root not in candidate.parents:
                return None
            if (candidate / "404.html").is_file():
                return candidate / "404.html"
        return None


def page_types(site: Path, per_type: int = 2, small_group: int = 4) -> list[str]:
    """One URL or a few for each type of page in a built site, found from its folders:
    a folder's own page, and its sub-pages (a folder of up to ``small_group`` pages,
    such as the guide's, is taken whole; of more, such as one page per incident, the
    ``per_type`` largest, which hold the most to check). New page types (a new URL
    folder) are covered without a change here."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for html in site.rglob("*.html"):
        relative = html.relative_to(site).as_posix()
        if relative.startswith(("pagefind/", "assets/")):
            continue
        url = relative.removesuffix("index.html")
        folder, _, rest = url.partition("/")
        # The home page, 404.html and each folder's own page are types of their own;
        # the pages inside a folder (causes/dns/, guide/fields/) are one type.
        key = f"{folder}/*" if rest else url
        groups.setdefault(key, []).append((html.stat().st_size, url))
    chosen: list[str] = []
    for _key, members in sorted(groups.items()):
        members.sort(reverse=True)
        keep = members if len(members) <= small_group else members[:per_type]
        chosen += [url for _size, url in keep]
    return sorted(chosen)


@dataclass(frozen=True)
class AxeViolation:
    """One axe-core rule a page breaks, and where."""

    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.url}: {self.rule} ({self.impact}): {self.help} at {', '.join(self.targets[:3])}"
        )


def axe_violations(page: Any, url: str, impacts: tuple[str, ...]) -> list[AxeViolation]:
    """Run axe-core on the page as it is now; its violations of the given impacts."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map((v) => ({rule: v.id, impact: v.impact, help: v.help,
                           targets: v.nodes.map((n) => n.target.join(" "))}))"""
    )
    return [
        AxeViolation(url, v["rule"], v["impact"], v["help"], tuple(v["targets"]))
        for v in found
        if v["impact"] in impacts
    ]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast of two computed CSS colours ("rgb(255, 255, 255)")."""

    def luminance(css: str) -> float:
        channels = [
            int(float(c)) / 255 for c in css[css.index("(") + 1 : css.index(")")].split(",")[:3]
        ]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass
class Visit:
    """A browser page plus every URL it requested, every request that failed, every
    script error it hit and every dialog (alert, confirm, prompt) that opened."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "404 http://..." for each answer >= 400
    dialogs: list[str] = field(default_factory=list)

    def dismiss_dialog(self, dialog: Any) -> None:
        """Record a dialog (the page's ``dialog`` handler) and close it."""
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()

    def scripts_from_content(self) -> list[str]:
        """What payloads that ran passed to ``XSS_FUNCTION`` on the current page."""
        calls: list[str] = self.page.evaluate(f"window.{XSS_CALLS} || []")
        return calls

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != "127.0.0.1"
        ]

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path
