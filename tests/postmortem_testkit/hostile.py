"""Hostile content: injection payloads for every output a postmortem's text reaches.

One corpus for the browser (HTML and JavaScript), the PR comment (Markdown, HTML,
mentions, links) and the CI log (workflow commands). Each payload that could run a
script calls ``alert`` (a dialog the browser tests watch for) or ``__pmkbXss`` (a
function the browser tests define), and each one that could load something names
``evil.example``, so a request, a link or an image from content is easy to spot.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from postmortem_testkit import VALID_BODY, front_matter_yaml

EVIL_HOST = "evil.example"

# Injection payloads for HTML, attributes, scripts, templates and URLs. None holds a
# line break, so each can be compared with the text a page shows.
HTML_PAYLOADS: tuple[str, ...] = (
    "<script>alert('pmkb-1')</script>",
    "<img src=x onerror=alert('pmkb-2')>",
    '"><svg onload=alert("pmkb-3")>',
    "'><iframe src=\"javascript:alert('pmkb-4')\"></iframe>",
    "</title></textarea></style></script><script>__pmkbXss('pmkb-5')</script>",
    "javascript:alert('pmkb-6')",
    '" onmouseover="alert(7)" data-x="',
    "<a href=\"https://evil.example/8\">pmkb-8</a><img src='https://evil.example/8.png'>",
    "${__pmkbXss('pmkb-9')}`;__pmkbXss('pmkb-9b');`",
    "&lt;script&gt;alert('pmkb-10')&lt;/script&gt; &amp;",
    "{{ 7 * 7 }} {% raw %} pmkb-11",
    "<!-- pmkb-12",
    "</div></article><style>body{display:none}</style>pmkb-13",
    "[pmkb-14](javascript:alert(14)) **bold** `code` <b>b</b>",
    "\u2028\u2029\\u003cscript\\u003e pmkb-15",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('pmkb-16')>",
)

# What a PR comment or a CI log could be made to do: mentions, references, autolinks,
# table and code-span breakouts, raw HTML, images from other hosts, workflow commands.
MARKDOWN_PAYLOADS: tuple[str, ...] = (
    '<img src="https://evil.example/p.png"> @octocat [link](https://evil.example/x)|',
    "@octocat @github/security-team cc: user@evil.example",
    "see #1 and GH-2 and octo/repo#3",
    "https://evil.example/a www.evil.example/b <https://evil.example/c> mailto:a@evil.example",
    "| a | b |\n|---|---|\n| c | d |",
    "`` ` `` ```code``` ` | break",
    "![image](https://evil.example/i.png) [ref]: https://evil.example/r",
    "<details open><summary>pmkb</summary>x</details><!-- hidden",
    "$\\href{https://evil.example/m}{math}$ $$x$$",
    "::error file=a.md::forged\n::add-mask::secret ##[set-output name=x;]y",
)

PAYLOADS: tuple[str, ...] = HTML_PAYLOADS + MARKDOWN_PAYLOADS

# File names: a postmortem's id becomes part of many messages.
HOSTILE_FILE_NAMES: tuple[str, ...] = (
    "2025-01-01-x\n::warning file=a.md::forged ##[add-mask]x.md",
    "2025-01-02-<img src=x onerror=alert(1)> @octocat |`.md",
)

# A front-matter key: `check` names it in an "unknown field" finding.
HOSTILE_KEY = MARKDOWN_PAYLOADS[0] + " ##[add-mask]k\n::error::key"


def hostile_record(payload: str, day: str, service: str = "payments-api") -> dict[str, Any]:
    """A valid record (check passes) with ``payload`` in every front-matter text field."""
    return {
        "title": f"pmkb title {payload}",
        "status": "published",
        "severity": "SEV2",
        "started": f"{day}T09:00:00Z",
        "detected": f"{day}T09:10:00Z",
        "resolved": f"{day}T11:00:00Z",
        "authors": [f"pmkb author {payload}"],
        "services": [service],
        "summary": f"pmkb summary {payload}",
        "detection": "automated-alert",
        "causes": [{"term": "config-change", "detail": f"pmkb cause {payload}"}],
        "lucky_breaks": [{"term": "off-peak-timing", "detail": f"pmkb lucky {payload}"}],
        "went_well": [{"term": "fast-rollback", "detail": f"pmkb went well {payload}"}],
        "action_items": [
            {
                "id": "AI-1",
                "title": f"pmkb item {payload}",
                "owner": f"pmkb owner {payload}",
                "type": "prevent",
                "priority": "P2",
                "due": "2025-06-30",
                "status": "open",
                "link": "https://tracker.example.com/x?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&a='\"><svg/onload=alert(2)>",
            },
            {
                "id": "AI-2",
                "title": f"pmkb dropped {payload}",
                "owner": "edge-team",
                "type": "process",
                "priority": "P3",
                "due": "2025-06-30",
                "status": "wont-do",
                "reason": f"pmkb reason {payload}",
            },
        ],
        "tags": ["pmkb"],
    }


def hostile_text_fields(record: dict[str, Any]) -> list[str]:
    """Every free-text value of ``hostile_record``: what a page must show literally."""
    values = [record["title"], record["summary"], *record["authors"]]
    for kind in ("causes", "lucky_breaks", "went_well"):
        values += [ref["detail"] for ref in record[kind]]
    for item in record["action_items"]:
        values += [item["title"], item["owner"], *([item["reason"]] if "reason" in item else [])]
    return values


def hostile_postmortems(service: str = "payments-api") -> dict[str, dict[str, Any]]:
    """One hostile record per HTML payload, by id (one day apart, from 2025-01-01)."""
    records = {}
    for n, payload in enumerate(HTML_PAYLOADS, start=1):
        day = f"2025-01-{n:02d}"
        records[f"{day}-pmkb-hostile-{n}"] = hostile_record(payload, day, service)
    return records


def hostile_taxonomy(taxonomy_yml: str) -> str:
    """``taxonomy_yml`` with an HTML payload appended to every term's title and description."""
    taxonomy = yaml.safe_load(taxonomy_yml)
    n = 0
    for terms in taxonomy.values():
        for spec in terms.values():
            payload = HTML_PAYLOADS[n % len(HTML_PAYLOADS)]
            spec["title"] = f"{spec['title']} {payload}"
            spec["description"] = f"{spec.get('description') or 'A term.'} {payload}"
            n += 1
    return yaml.safe_dump(taxonomy, sort_keys=False, allow_unicode=True, width=1000)


def make_hostile(root: Path) -> None:
    """Turn a copy of this repository (``browser.build_site_copy``) hostile: its
    postmortems replaced by ``hostile_postmortems``, its taxonomy by ``hostile_taxonomy``."""
    taxonomy = root / "schema" / "taxonomy.yml"
    taxonomy_yml = taxonomy.read_text(encoding="utf-8")
    service = next(iter(yaml.safe_load(taxonomy_yml)["services"]))
    taxonomy.write_text(hostile_taxonomy(taxonomy_yml), encoding="utf-8")
    postmortems = root / "postmortems"
    for old in postmortems.glob("*.md"):
        old.unlink()
    for post_id, record in hostile_postmortems(service).items():
        text = f"---\n{front_matter_yaml(copy.deepcopy(record))}---\n{BODY}"
        (postmortems / f"{post_id}.md").write_text(text, encoding="utf-8")


# The body is the author's Markdown (reviewed like any file in the pull request), not
# front matter: plain here, so that what a page shows of the payloads comes from fields.
BODY = (
    VALID_BODY
    + "\n## What went well\n\nx\n\n## Where we got lucky\n\nx\n\n## Lessons learned\n\nx\n"
)
