"""Helpers for the site-search tests: build the example site from a copy of this
repository, find Chromium, and record what a browser page requested."""

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


@dataclass
class Visit:
    """A browser page plus every URL it requested, every script error it hit and every
    dialog (alert, confirm, prompt) that opened."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
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

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path
