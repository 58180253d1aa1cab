"""Helpers for the site tests: throw-away postmortem repositories (real git repositories
with dated commits) and MkDocs builds of them, run as `mkdocs build` like `make site`.

A module with its own name, not conftest, so that test folders cannot shadow each other."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import git

REPO_ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).with_name("mkdocs")
TODAY = "2025-06-01"
EDIT = "https://git.example.com/kb/edit/main/{path}"

TAXONOMY = """\
causes:
  config-change:
    title: Configuration change
    description: A configuration change introduced the failure.
    aliases: [bad-config]
  insufficient-testing:
    title: Insufficient testing
    description: Tests did not exercise the failing case.
  dns:
    title: DNS failure
    description: Name resolution failed.
  capacity-exhaustion:
    title: Capacity exhaustion
    description: A resource ran out.
lucky_breaks:
  off-peak-timing:
    title: Off-peak timing
    description: It happened when few people were using the service.
  engineer-already-online:
    title: Engineer already online
    description: Someone who could help was already at work.
went_well:
  fast-rollback:
    title: Fast rollback
    description: The change was rolled back quickly.
detection:
  automated-alert:
    title: Automated alert
    description: An alert fired.
trigger:
  deploy:
    title: Deploy
    description: A new version rolled out.
services:
  payments-api:
    title: Payments API
    description: Takes payments.
  edge-lb:
    title: Edge load balancer
    description: Terminates TLS at the edge.
  checkout:
    title: Checkout
    description: The checkout pages.
"""

BODY = """\
## Summary

{summary}

## Impact

Some users saw errors.

## Timeline

- 09:12 it started.

## Contributing factors

See the front matter.

## Action items

See the front matter.
"""

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def postmortem(
    *,
    title: str,
    started: str,
    services: list[str],
    causes: str,
    severity: str = "SEV2",
    extra: str = "",
    summary: str = "Payments failed for some users for a while.",
) -> str:
    front = textwrap.dedent(
        f"""\
        ---
        title: {title}
        status: published
        severity: {severity}
        started: {started}
        authors: [payments-team]
        services: [{", ".join(services)}]
        summary: {summary}
        """
    )
    return front + causes + extra + "---\n" + BODY.format(summary="A short summary.")


PAYMENTS = postmortem(
    title="Payments API returns 502 after load balancer config push",
    started="2025-03-14T09:12:00Z",
    severity="SEV1",
    services=["payments-api", "edge-lb"],
    causes=textwrap.dedent(
        """\
        detected: 2025-03-14T09:20:00Z
        mitigated: 2025-03-14T09:41:00Z
        resolved: 2025-03-14T11:05:00Z
        detection: automated-alert
        causes:
          - term: config-change
            detail: The push skipped canary.
          - insufficient-testing
        lucky_breaks:
          - term: off-peak-timing
            detail: Sunday morning.
        went_well:
          - fast-rollback
        action_items:
          - id: AI-1
            title: Canary every load balancer config push
            owner: edge-team
            type: prevent
            priority: P1
            due: 2025-04-30
            status: open
          - id: AI-2
            title: Alert on 502 rate at the edge
            owner: payments-team
            type: detect
            priority: P2
            due: 2025-07-31
            status: done
            addresses: [off-peak-timing]
        related: [2024-11-02-edge-lb-partial-outage]
        tags: [load-balancer]
        """
    ),
)

EDGE = postmortem(
    title="Edge load balancer partial outage",
    started="2024-11-02T14:00:00Z",
    severity="SEV3",
    services=["edge-lb"],
    causes="causes:\n  - term: config-change\n    detail: A rule change dropped a pool.\n",
)

DNS = postmortem(
    title="DNS resolution blip for payments",
    started="2025-01-10T03:00:00Z",
    severity="SEV4",
    services=["payments-api"],
    causes="causes:\n  - dns\nlucky_breaks:\n  - engineer-already-online\n",
)

HOSTILE = postmortem(
    title=f"'{XSS_SCRIPT} in checkout'",
    started="2025-05-01T12:00:00Z",
    services=["checkout"],
    summary=f"'Checkout showed {XSS_IMG} to users.'",
    causes=textwrap.dedent(
        f"""\
        causes:
          - term: capacity-exhaustion
            detail: "{XSS_SCRIPT} ran out of {XSS_IMG} memory"
        action_items:
          - id: AI-1
            title: "Fix {XSS_IMG} handling"
            owner: "{XSS_SCRIPT}"
            type: prevent
            priority: P2
            due: 2025-09-30
            status: open
        """
    ),
)

MKDOCS_YML = f"""\
site_name: Test postmortems
docs_dir: site
site_dir: build/site
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
plugins:
  - postmortems:
      today: "{TODAY}"
      edit_url_template: "{EDIT}"
      search: false  # Pagefind has its own tests (tests/browser)
"""


@dataclass
class Site:
    root: Path
    result: subprocess.CompletedProcess[str]

    @property
    def out(self) -> Path:
        return self.root / "build" / "site"

    def html(self, url: str) -> str:
        """The built page at a site URL like ``causes/dns/``."""
        path = self.out / url
        return (path / "index.html" if url.endswith("/") or not url else path).read_text("utf-8")

    def pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))


def write_project(root: Path, files: dict[str, str], home: str | None = None) -> Path:
    (root / "schema").mkdir(parents=True)
    for name in ("postmortem.schema.json", "config.yml"):
        shutil.copy(REPO_ROOT / "schema" / name, root / "schema" / name)
    (root / "schema" / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    (root / "postmortems").mkdir()
    for name, text in files.items():
        (root / "postmortems" / name).write_text(text, encoding="utf-8")
    (root / "site").mkdir()
    if home is not None:
        (root / "site" / "index.md").write_text(home, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return root


def build(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build ARGS`` in ``root``, in a bare environment plus ``env``."""
    return subprocess.run(
        [str(MKDOCS), "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(root), **(env or {})},
        check=False,
    )


def commit(repo: git.Repo, message: str, when: str) -> None:
    who = git.Actor("Test Author", "author@example.com")
    stamp = f"{int(datetime.fromisoformat(when).timestamp())} +0000"
    repo.index.commit(message, author=who, committer=who, author_date=stamp, commit_date=stamp)


def build_shared_site(root: Path) -> Site:
    """One site shared by the acceptance tests: four postmortems, three dated commits.

    payments: added, changed twice (3 revisions); dns: added as 2025-01-10-dns.md, then renamed.
    """
    payments = "2025-03-14-payments-502.md"
    write_project(
        root,
        {payments: PAYMENTS, "2024-11-02-edge-lb-partial-outage.md": EDGE},
        home="# Welcome to the knowledge base\n\nHand-written home text.\n",
    )
    repo = git.Repo.init(root)
    repo.index.add(["schema", "postmortems", "site", "mkdocs.yml"])
    commit(repo, "first postmortems", "2025-03-20T10:00:00+00:00")

    pm = root / "postmortems"
    (pm / payments).write_text(PAYMENTS.replace("A short summary.", "A longer summary."), "utf-8")
    (pm / "2025-01-10-dns.md").write_text(DNS, encoding="utf-8")
    repo.index.add(["postmortems"])
    commit(repo, "dns", "2025-04-02T10:00:00+00:00")

    (pm / payments).write_text(PAYMENTS, encoding="utf-8")
    (pm / "2025-01-10-dns.md").rename(pm / "2025-01-10-dns-blip.md")
    (pm / "2025-05-01-checkout-escape.md").write_text(HOSTILE, encoding="utf-8")
    repo.index.remove(["postmortems/2025-01-10-dns.md"])
    repo.index.add(["postmortems"])
    commit(repo, "rename and hostile", "2025-05-10T10:00:00+00:00")

    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return Site(root, result)


MEASURED_TODAY = "2025-06-01"


def first_commit_delay(n: int) -> timedelta:
    """How long after its resolution measured incident ``n``'s file is first committed."""
    return timedelta(hours=2 + 5 * n)


def build_measured_site(root: Path) -> tuple[Site, dict[str, dict[str, Any]]]:
    """The measured incidents (incidents.measured_incidents) as a site built by mkdocs, each
    file committed once, first_commit_delay(n) after the incident resolved (a day after it
    started when it gives no resolution). Returns the site and the front matter written."""
    from postmortem_testkit import postmortem_text
    from postmortem_testkit.incidents import measured_incidents, no_impact_body

    fronts = measured_incidents()
    write_project(root, {})
    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace(TODAY, MEASURED_TODAY), encoding="utf-8")
    repo = git.Repo.init(root)
    repo.index.add(["schema", "mkdocs.yml"])
    commit(repo, "schema", "2023-12-01T00:00:00+00:00")
    for name, front in sorted(fronts.items(), key=lambda item: item[1]["started"]):
        n = int(name.rsplit("-", 1)[1])
        body = no_impact_body() if front["status"] == "draft" else BODY.format(summary="Measured.")
        (root / "postmortems" / f"{name}.md").write_text(
            postmortem_text(front, body=body), encoding="utf-8"
        )
        resolved = front.get("resolved")
        if isinstance(resolved, str):
            when = datetime.fromisoformat(resolved) + first_commit_delay(n)
        else:
            when = datetime.fromisoformat(front["started"]) + timedelta(days=1)
        repo.index.add([f"postmortems/{name}.md"])
        commit(repo, name, when.isoformat())
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return Site(root, result), fronts


class _Tables(HTMLParser):
    """Every table of a page: its caption and the text of each row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None and self.tables:
            self.tables[-1] = ("".join(self._caption).strip(), self.tables[-1][1])
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The rows (header row first) of the table whose caption starts with ``caption``."""
    parser = _Tables()
    parser.feed(html)
    for found, rows in parser.tables:
        if found.startswith(caption):
            return rows
    raise AssertionError(
        f"no table captioned {caption!r}; captions: {[c for c, _ in parser.tables]}"
    )
