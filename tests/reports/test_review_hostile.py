"""The PR comment with hostile content, rendered as GitHub renders it.

`postmortem review`'s Markdown goes through cmark-gfm (GitHub's Markdown, with tables,
autolinks, strikethrough and raw HTML let through), and the HTML is read as GitHub's
later filters read it: mentions, issue references. Front matter, file names, field names,
unknown terms and taxonomy titles all hold payloads (postmortem_testkit.hostile); the
comment must show each as text, in its place, and do nothing else.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from postmortem_kb.reports.gfm import JOINER, cell, code, text
from postmortem_testkit import UNIT_SERVICES, UNIT_TAXONOMY
from postmortem_testkit.git import GitProject
from postmortem_testkit.hostile import (
    HOSTILE_FILE_NAMES,
    HOSTILE_KEY,
    MARKDOWN_PAYLOADS,
    PAYLOADS,
    hostile_taxonomy,
)

# What our own Markdown makes; anything else came from content.
ALLOWED_TAGS = {"h2", "h3", "p", "ul", "li", "code", "strong", "em", "sub"}
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
# GitHub's mention and reference filters, on the rendered text outside code and links.
MENTION = re.compile(r"(?:^|\W)@[a-z0-9]", re.IGNORECASE)
REFERENCE = re.compile(r"#\d|\bGH-\d", re.IGNORECASE)


def render(markdown: str) -> str:
    """GitHub's Markdown to HTML, raw HTML kept (GitHub keeps, then sanitizes, it)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class Rendered(HTMLParser):
    """The tags, the table rows and the text (outside and inside code) of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.rows: list[int] = []
        self.prose: list[str] = []
        self.code: list[str] = []
        self.all_text: list[str] = []
        self._in_code = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1
        elif tag == "code":
            self._in_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data: str) -> None:
        (self.code if self._in_code else self.prose).append(data)
        self.all_text.append(data)

    def text(self) -> str:
        """All the text, as a reader sees it (the invisible joiners left out)."""
        return " ".join("".join(self.all_text).replace(JOINER, "").split())


def assert_inert(markdown: str) -> Rendered:
    """The rendered comment has only our own markup, no link, image, mention or reference."""
    rendered = Rendered(render(markdown))
    foreign = [(tag, attrs) for tag, attrs in rendered.tags if tag not in ALLOWED_TAGS | TABLE_TAGS]
    assert foreign == []
    assert not [attrs for _, attrs in rendered.tags if attrs]  # no href, src, style, on...
    prose = "".join(rendered.prose)
    assert MENTION.findall(prose) == []
    assert REFERENCE.findall(prose) == []
    return rendered


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_shows_as_written_and_does_nothing(payload: str) -> None:
    rendered = assert_inert(f"- before {text(payload)} after")
    assert rendered.text() == f"before {' '.join(payload.split())} after"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_code_span_holds_everything(payload: str) -> None:
    rendered = assert_inert(f"- before {code(payload)} after")
    assert "".join(rendered.code) == " ".join(payload.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_table_cells_stay_cells(payload: str) -> None:
    row = f"| {cell(code(payload))} | {cell(text(payload))} | {cell(code('x') + ': ' + text(payload))} |"
    rendered = assert_inert(f"| a | b | c |\n|---|---|---|\n{row}\n")
    assert rendered.rows == [3, 3]
    shown = " ".join(payload.split())
    assert "".join(rendered.code) == shown + "x"
    assert rendered.text() == f"a b c {shown} {shown} x: {shown}".replace("  ", " ")


def hostile_history(project: GitProject) -> None:
    """Earlier incidents on main whose titles and action items are hostile, then a branch
    adding postmortems with hostile file names, a hostile key and unknown hostile terms."""
    for n, payload in enumerate(PAYLOADS[:8], start=1):
        project.write(
            f"2025-02-{n:02d}-earlier-{n}",
            {
                "title": f"Earlier {payload}",
                "started": f"2025-02-{n:02d}T09:00:00Z",
                "detected": f"2025-02-{n:02d}T09:10:00Z",
                "mitigated": f"2025-02-{n:02d}T09:20:00Z",
                "resolved": f"2025-02-{n:02d}T09:30:00Z",
                "action_items": [
                    {
                        "id": "AI-1",
                        "title": f"Item {payload}",
                        "owner": f"owner {payload}",
                        "type": "prevent",
                        "priority": "P1",
                        "due": "2025-04-30",
                        "status": "open",
                    }
                ],
            },
        )
    project.push_base()
    project.branch("postmortem/hostile")
    template = project.path("2025-02-01-earlier-1").read_text(encoding="utf-8")
    for name in HOSTILE_FILE_NAMES:
        project.write_text(name, template)
    project.write(
        "2025-03-14-hostile-fields",
        {
            HOSTILE_KEY: 1,
            "title": f"New {MARKDOWN_PAYLOADS[0]}",
            "causes": ["config-change", *MARKDOWN_PAYLOADS[:3]],
        },
    )
    project.commit_all("hostile")


@pytest.fixture
def hostile_review(make_git_project: Any) -> str:
    project: GitProject = make_git_project(taxonomy=hostile_taxonomy(UNIT_TAXONOMY + UNIT_SERVICES))
    hostile_history(project)
    result = project.cli("review")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_review_comment_is_inert(hostile_review: str) -> None:
    rendered = assert_inert(hostile_review)
    # One table (the check's findings), every row of it three cells.
    assert hostile_review.count("| Where | Level | Problem |") == 1
    assert set(rendered.rows) == {3}
    shown = rendered.text()
    # The payloads show as written: the key, the file names, titles, owners, taxonomy titles.
    assert " ".join(HOSTILE_KEY.split()) in shown
    for name in HOSTILE_FILE_NAMES:
        assert " ".join(name.removesuffix(".md").split()) in shown
    assert f"New {' '.join(MARKDOWN_PAYLOADS[0].split())}" in shown
    assert f"owner {PAYLOADS[1]}" in shown
    assert "Configuration change " + PAYLOADS[0] in shown
