"""An action item's `link` must be an http or https URL: `check` rejects anything else
at the link's own line and column, so a `javascript:` or `data:` URL never reaches a
page (tests/pages/test_links.py)."""

from __future__ import annotations

import pytest

from postmortem_testkit import VALID_RECORD, TmpProject

REJECTED = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "tracker.example.com/X-1",
    "https://tracker.example.com/a b",
]


def with_link(link: str) -> dict[str, object]:
    item = {**VALID_RECORD["action_items"][0], "link": link}
    return {"action_items": [item]}


@pytest.mark.parametrize("link", REJECTED)
def test_a_link_that_is_not_http_or_https_is_an_error(project: TmpProject, link: str) -> None:
    path = project.write(overrides=with_link(link))
    lines = project.check_lines()
    assert len(lines) == 1, lines
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "link:" in text)
    assert lines[0].startswith(f"postmortems/{path.name}:{line}:")
    assert ": error: action_items[0].link: " in lines[0]


@pytest.mark.parametrize(
    "link", ["https://tracker.example.com/EDGE-123", "http://tracker.example.com/x?a=b"]
)
def test_http_and_https_links_pass(project: TmpProject, link: str) -> None:
    project.write(overrides=with_link(link))
    assert project.check_lines() == []
