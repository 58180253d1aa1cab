"""Links from front matter: only http and https URLs become links on a page.

`check` rejects any other `link` (tests/validation/test_link_field.py); the page
rules out the rest on its own, so a `javascript:` or `data:` URL that reached a page
by another way would still show as text, never as something to click.
"""

from __future__ import annotations

import dataclasses

import pytest

from postmortem_kb.collection.index import ActionItemRef
from postmortem_kb.collection.load import load_knowledge_base
from postmortem_kb.pages.html import is_web_url
from postmortem_kb.pages.incident import action_items_table
from postmortem_kb.site_adapter.build import site_pages
from postmortem_kb.site_adapter.config import SiteOptions
from postmortem_kb.site_adapter.urls import SiteLinker
from postmortem_testkit import TmpProject

NOT_WEB = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:",
    "tracker.example.com/X-1",
]


@pytest.mark.parametrize("url", NOT_WEB)
def test_only_http_and_https_are_web_urls(url: str) -> None:
    assert not is_web_url(url)


@pytest.mark.parametrize(
    "url", ["https://tracker.example.com/X-1", "http://x.example", "HTTPS://X.EXAMPLE/a?b=c"]
)
def test_web_urls(url: str) -> None:
    assert is_web_url(url)


@pytest.mark.parametrize("url", NOT_WEB)
def test_a_link_that_is_not_a_web_url_shows_as_text(project: TmpProject, url: str) -> None:
    project.write()
    knowledge_base = load_knowledge_base(project.project())
    site = site_pages(
        knowledge_base,
        SiteOptions(git_dates=False, today="2025-06-01"),
        linker=SiteLinker(True),
        edit_url_template=None,
    )
    record = knowledge_base.collection.records[0]
    item = dataclasses.replace(record.action_items[0], link=url)
    html = action_items_table(site.ctx, [ActionItemRef(record, item)])
    assert "<a " not in html
    assert "Canary every load balancer config push" in html
    web = dataclasses.replace(item, link="https://tracker.example.com/EDGE-123")
    html = action_items_table(site.ctx, [ActionItemRef(record, web)])
    assert '<a href="https://tracker.example.com/EDGE-123">' in html
