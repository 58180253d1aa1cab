"""Helpers for the site-search tests: build the example site from a copy of this
repository, find Chromium, and record what a browser page requested."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
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


def build_site_copy(dest: Path, *, search: bool = True, plant: bool = True) -> Path:
    """Copy this repository's site sources to ``dest``, build them, return the site folder.

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
    site = dest / "build" / SUB_PATH
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=dest,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
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


@dataclass
class Visit:
    """A browser page plus every URL it requested and every script error it hit."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # requests that failed or got 4xx/5xx

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
